import { lifelineProject } from '@lifeline/vitest-config';

export default lifelineProject('chaos', {
  globalSetup: ['src/internal/build-before-tests.ts'],
  testTimeout: 90_000,
});
