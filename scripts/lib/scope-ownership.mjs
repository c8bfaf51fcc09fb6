// Whether the npm account publishing a release may publish under each scope it needs.
// Pure: the caller runs `npm whoami` and `npm org ls <scope> --json` and passes what they said.

/**
 * The scopes of package names, each once, in order (`@lifeline/cli` → `lifeline`); unscoped names
 * have none.
 * @param {readonly string[]} names
 * @returns {string[]}
 */
export function scopesOf(names) {
  const scopes = names.flatMap((name) => /^@([^/]+)\//.exec(name)?.[1] ?? []);
  return [...new Set(scopes)];
}

/**
 * What stands in the way of `user` publishing under `scope`, or `undefined` when nothing does.
 * A scope is the user's own name, or an npm organisation in which the user may publish.
 * @param {{ scope: string; user: string | undefined; members: Record<string, string> | undefined }} facts
 *   `user`: what `npm whoami` answered (`undefined`: not logged in); `members`: the organisation's
 *   members and their roles as `npm org ls <scope> --json` lists them (`undefined`: no such
 *   organisation, or it could not be listed).
 * @returns {string | undefined}
 */
export function scopeProblem({ scope, user, members }) {
  if (user === undefined)
    return `npm has no logged-in user: set NODE_AUTH_TOKEN (the NPM_TOKEN secret) to a token of an account that may publish @${scope}/*`;
  if (user === scope) return undefined;
  if (members === undefined)
    return `@${scope} is not an npm organisation that ${user} can list: create the organisation "${scope}" on npmjs.com and add ${user}, or rename the packages to a scope that is yours`;
  const role = members[user];
  if (role === undefined)
    return `${user} is not a member of the npm organisation "${scope}": ask one of its owners (${ownersOf(members)}) to add ${user}, or rename the packages to a scope that is yours`;
  return undefined;
}

/** @param {Record<string, string>} members */
function ownersOf(members) {
  const owners = Object.keys(members).filter((name) => members[name] === 'owner');
  return owners.length > 0 ? owners.join(', ') : 'none listed';
}
