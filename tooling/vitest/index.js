// Shared Vitest project preset: workspace packages resolve to their sources through the
// `@lifeline/source` export condition, so tests never need a build of their dependencies.
import { defineProject } from 'vitest/config';

const sourceConditions = ['@lifeline/source', 'node', 'import', 'module', 'default'];

/** Shell files imported by sources are their text, as the packages' builds bundle them. */
const shellFilesAsText = {
  name: 'lifeline-shell-files-as-text',
  transform(code, id) {
    if (!/\.(sh|bash|zsh|fish)$/.test(id)) return undefined;
    return { code: `export default ${JSON.stringify(code)};`, map: null };
  },
};

/**
 * Vitest project config for one workspace.
 * @param {string} name project name shown in reports and used with `--project`
 * @param {import('vitest/config').UserProjectConfigExport['test']} [test] extra test options
 */
export function lifelineProject(name, test = {}) {
  return defineProject({
    plugins: [shellFilesAsText],
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
      // Real processes, shells and property tests of a thousand cases: a few seconds on an idle
      // machine, up to ten times that when the machine is busy (two cores shared with the host).
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // A worker runs file after file with the modules it loaded: no test may count on a fresh
      // module (set what it needs, such as the colour level, and put back what it changes).
      isolate: false,
      ...test,
    },
  });
}
