// Module hooks that report every URL the main thread resolves, for load-probe.mjs.
let port;

export function initialize(data) {
  port = data.port;
  // Replies once every earlier report is on its way: messages on one port keep their order.
  port.on('message', () => port.postMessage({ done: true }));
}

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage({ url: result.url });
  return result;
}
