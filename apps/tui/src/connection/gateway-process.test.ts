import { afterEach, describe, expect, test } from 'vitest';
import { spawnGatewayProcess, type SpawnedGateway } from './gateway-process.js';

const spawned: SpawnedGateway[] = [];
afterEach(() => {
  for (const gateway of spawned.splice(0)) gateway.process.kill('SIGKILL');
});

/** A stand-in gateway that answers with the environment it was started with, as one frame. */
const environmentEcho = {
  command: process.execPath,
  args: [
    '-e',
    'process.stdout.write(JSON.stringify({ env: process.env }) + "\\n"); process.stdin.resume()',
  ],
};

describe('spawnGatewayProcess', () => {
  test('the gateway starts without NODE_EXTRA_CA_CERTS and carries it aside for the shell', async () => {
    const gateway = spawnGatewayProcess({
      env: {
        PATH: process.env.PATH,
        NODE_EXTRA_CA_CERTS: '/etc/ssl/corporate.pem',
        LANG: 'C.UTF-8',
      },
      cwd: process.cwd(),
      breadcrumb: () => undefined,
      gateway: environmentEcho,
    });
    spawned.push(gateway);
    const env = await new Promise<Record<string, string>>((resolve) => {
      gateway.process.transport.receive({
        message: (message) => resolve((message as { env: Record<string, string> }).env),
      });
    });
    expect(env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    expect(env.LIFELINE_DEFERRED_NODE_EXTRA_CA_CERTS).toBe('/etc/ssl/corporate.pem');
    expect(env.LANG).toBe('C.UTF-8');
  });
});
