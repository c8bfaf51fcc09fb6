import { lifelineProject } from '@lifeline/vitest-config';

export default lifelineProject('gateway', {
  globalSetup: ['src/test-utils/build-before-tests.ts'],
  testTimeout: 60_000,
});
