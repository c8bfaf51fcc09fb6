// The release stops before publishing when the npm account may not publish under the packages'
// scope, and says what to fix.
import { describe, expect, test } from 'vitest';
import { scopeProblem, scopesOf } from '../scripts/lib/scope-ownership.mjs';

describe('scopesOf', () => {
  test('each scope once, unscoped names left out', () => {
    expect(scopesOf(['@lifeline/cli', '@lifeline/rpc', 'plain', '@other/x'])).toEqual([
      'lifeline',
      'other',
    ]);
  });
});

describe('scopeProblem', () => {
  test('a member of the organisation, whatever the role, may publish', () => {
    for (const role of ['owner', 'admin', 'developer'])
      expect(
        scopeProblem({ scope: 'lifeline', user: 'ana', members: { ana: role, bo: 'owner' } }),
      ).toBeUndefined();
  });

  test("the user's own scope needs no organisation", () => {
    expect(scopeProblem({ scope: 'ana', user: 'ana', members: undefined })).toBeUndefined();
  });

  test('not logged in: names the token to set', () => {
    expect(scopeProblem({ scope: 'lifeline', user: undefined, members: undefined })).toMatch(
      /no logged-in user: set NODE_AUTH_TOKEN/,
    );
  });

  test('no such organisation: says to create it or rename the scope', () => {
    expect(scopeProblem({ scope: 'lifeline', user: 'ana', members: undefined })).toMatch(
      /@lifeline is not an npm organisation that ana can list: create .* or rename/,
    );
  });

  test('someone else’s organisation: names its owners', () => {
    expect(
      scopeProblem({ scope: 'lifeline', user: 'ana', members: { bo: 'owner', cy: 'developer' } }),
    ).toMatch(
      /ana is not a member of the npm organisation "lifeline": ask one of its owners \(bo\)/,
    );
  });
});
