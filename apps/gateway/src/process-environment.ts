import { nodeOptionsWithoutPreloads } from './node-options.js';

/**
 * Variables that Node reads while it starts, that cost gateways and session hosts time, and that
 * neither needs, with what these processes keep of each (undefined: nothing).
 * `NODE_EXTRA_CA_CERTS` makes every Node process load and parse a certificate bundle before
 * running a line (measured: 70–100 ms per start with a system-wide bundle), for TLS connections
 * these processes never open. Modules that `NODE_OPTIONS` preloads (`--require`, `--import`, …)
 * are loaded by every Node process too; its other options are kept. The original values are
 * carried under another name and handed back to the user's shell unchanged.
 */
const deferredVariables: ReadonlyMap<string, (value: string) => string | undefined> = new Map([
  ['NODE_EXTRA_CA_CERTS', () => undefined],
  ['NODE_OPTIONS', nodeOptionsWithoutPreloads],
]);

const deferredName = (name: string) => `LIFELINE_DEFERRED_${name}`;

/**
 * The environment for a gateway or session host started from `env`: of the variables only the
 * user's programs need, what Lifeline's processes keep (see `deferredVariables`), the originals
 * moved aside (see {@link userProcessEnv}); everything else is kept. Applied again to its own
 * result (a gateway starting a host), it changes nothing.
 */
export function internalProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const internal: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    const kept = deferredVariables.get(name);
    const keptValue = kept === undefined || value === undefined ? value : kept(value);
    if (keptValue !== undefined) internal[name] = keptValue;
    if (keptValue !== value) internal[deferredName(name)] ??= value;
  }
  return internal;
}

/**
 * The environment the user's programs (the session's shell) get from a gateway's or host's
 * environment: the variables {@link internalProcessEnv} moved aside are back under their own names
 * and values, unless set there to something else than what Lifeline's processes kept of them.
 */
export function userProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const user: NodeJS.ProcessEnv = {};
  const deferredNames = new Set([...deferredVariables.keys()].map(deferredName));
  for (const [name, value] of Object.entries(env)) {
    if (!deferredNames.has(name)) user[name] = value;
  }
  for (const [name, kept] of deferredVariables) {
    const original = env[deferredName(name)];
    if (original === undefined) continue;
    if (env[name] === undefined || env[name] === kept(original)) user[name] = original;
  }
  return user;
}
