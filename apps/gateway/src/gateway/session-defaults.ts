/** What `session.create` uses where the request says nothing: the gateway's cwd, `$SHELL`, `$PATH`. */
export function sessionDefaults(
  env: NodeJS.ProcessEnv,
  cwd: string = process.cwd(),
): { cwd: string; shell: string; path: string | undefined } {
  return { cwd, shell: env.SHELL ?? '/bin/sh', path: env.PATH };
}

/** The environment a gateway starts session hosts with: its own, naming the state directory absolutely. */
export function hostEnvironment(env: NodeJS.ProcessEnv, stateDir: string): NodeJS.ProcessEnv {
  return { ...env, LIFELINE_HOME: stateDir };
}
