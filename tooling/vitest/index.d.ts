import type { UserWorkspaceConfig } from 'vitest/config';
import type { InlineConfig } from 'vitest/node';

/**
 * Vitest project config for one workspace: resolves workspace packages to `src/` through the
 * `@lifeline/source` export condition and runs in Node with generous real-process timeouts.
 * @param name project name, used with `vitest run --project <name>`
 * @param test extra test options merged over the preset
 */
export declare function lifelineProject(name: string, test?: InlineConfig): UserWorkspaceConfig;
