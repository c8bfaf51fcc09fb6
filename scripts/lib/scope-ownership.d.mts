/** The scopes of package names, each once, in order; unscoped names have none. */
export function scopesOf(names: readonly string[]): string[];

/** What stands in the way of `user` publishing under `scope`, or `undefined` when nothing does. */
export function scopeProblem(facts: {
  scope: string;
  user: string | undefined;
  members: Record<string, string> | undefined;
}): string | undefined;
