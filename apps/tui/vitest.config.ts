import { lifelineProject } from '@lifeline/vitest-config';

export default lifelineProject('tui', {
  globalSetup: ['src/test-utils/build-before-tests.ts'],
  testTimeout: 90_000,
});
