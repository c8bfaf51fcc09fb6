import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      'tooling/chaos',
      { test: { name: 'workspace', include: ['test/**/*.test.ts'], environment: 'node' } },
    ],
    // Two cores: real processes and PTYs need room, so keep the worker count small.
    maxWorkers: 2,
    // Tests start real gateways, session hosts and TUIs: none may outlive the run.
    globalSetup: ['test/no-leftover-processes.ts'],
  },
});
