/**
 * Variables that Node reads while it starts, that cost gateways and session hosts time, and that
 * neither ever uses. `NODE_EXTRA_CA_CERTS` makes every Node process load and parse a certificate
 * bundle before running a line (measured: 70–100 ms per start with a system-wide bundle), for TLS
 * connections these processes never open. They carry such variables under another name and hand
 * them back to the user's shell unchanged.
 */
const deferredVariables = ['NODE_EXTRA_CA_CERTS'] as const;

const deferredName = (name: string) => `LIFELINE_DEFERRED_${name}`;

/**
 * The environment for a gateway or session host started from `env`: variables only the user's
 * programs need are moved aside (see {@link userProcessEnv}), everything else is kept.
 */
export function internalProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const internal: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    const deferred = (deferredVariables as readonly string[]).includes(name);
    internal[deferred ? deferredName(name) : name] = value;
  }
  return internal;
}

/**
 * The environment the user's programs (the session's shell) get from a gateway's or host's
 * environment: the variables {@link internalProcessEnv} moved aside are back under their own names,
 * unless set there already.
 */
export function userProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const user: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    const original = deferredVariables.find((variable) => deferredName(variable) === name);
    if (original === undefined) user[name] = value;
    else if (env[original] === undefined) user[original] = value;
  }
  return user;
}
