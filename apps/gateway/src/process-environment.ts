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

/**
 * Variables that session hosts set for themselves, with their value; the user's own value (or its
 * absence) is what the shell gets. `MALLOC_ARENA_MAX=1`: glibc's malloc gives each thread that
 * allocates (V8 compiles and collects on threads of its own) an arena of its own, and keeps what
 * is freed in each. Measured against a host without it, in the same runs: idle after 340 runs,
 * 55.3–56.4 MB instead of 57.7–58.5; the same host CPU in a 200 MB output flood.
 */
const hostVariables: ReadonlyMap<string, string> = new Map([['MALLOC_ARENA_MAX', '1']]);

/** Names (space-separated) of the {@link hostVariables} that the user's environment did not have. */
const ADDED_VARIABLES = 'LIFELINE_ADDED_VARIABLES';

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
 * The environment for a session host started from `env`: {@link internalProcessEnv}'s, with the
 * variables hosts set for themselves (see `hostVariables`), the user's values moved aside (see
 * {@link userProcessEnv}). Applied again to its own result, it changes nothing.
 */
export function hostProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const host = internalProcessEnv(env);
  const added = new Set(host[ADDED_VARIABLES]?.split(' ').filter(Boolean));
  for (const [name, value] of hostVariables) {
    const userValue = host[name];
    if (userValue === value) continue;
    if (userValue === undefined) added.add(name);
    else host[deferredName(name)] ??= userValue;
    host[name] = value;
  }
  if (added.size > 0) host[ADDED_VARIABLES] = [...added].join(' ');
  return host;
}

/**
 * The environment the user's programs (the session's shell) get from a gateway's or host's
 * environment: the variables {@link internalProcessEnv} and {@link hostProcessEnv} moved aside or
 * added are back as the user had them (set or not), unless set there to something else than what
 * Lifeline's processes kept of them.
 */
export function userProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const user: NodeJS.ProcessEnv = {};
  const internalNames = new Set([
    ADDED_VARIABLES,
    ...[...deferredVariables.keys(), ...hostVariables.keys()].map(deferredName),
  ]);
  const added = new Set(env[ADDED_VARIABLES]?.split(' '));
  for (const [name, value] of Object.entries(env)) {
    // A variable the host added for itself, as it set it, is none of the user's.
    const hostOwn = added.has(name) && value === hostVariables.get(name);
    if (!internalNames.has(name) && !hostOwn) user[name] = value;
  }
  // What each variable moved aside was set to for Lifeline's processes, from the user's value.
  const keptValues = [
    ...deferredVariables,
    ...[...hostVariables].map(([name, value]) => [name, () => value] as const),
  ];
  for (const [name, kept] of keptValues) {
    const original = env[deferredName(name)];
    if (original === undefined) continue;
    if (env[name] === undefined || env[name] === kept(original)) user[name] = original;
  }
  return user;
}
