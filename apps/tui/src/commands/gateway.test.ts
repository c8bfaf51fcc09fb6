// `lifeline gateway --listen`: the WebSocket gateway in the foreground, its token and its Origin check.
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { connectWebSocket, isTransportError } from '@lifeline/transport';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CliWorld } from '../test-utils/cli-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

describe('lifeline gateway --listen', () => {
  test('refuses a non-loopback address without --allow-remote, before starting anything', async () => {
    world = new CliWorld();
    const refused = world.spawn(['gateway', '--listen', '0.0.0.0:0']);
    const result = await refused.result;
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'lifeline: refusing to listen on 0.0.0.0, which other machines can reach; add --allow-remote if you mean it, and put TLS in front of it\n',
    );
    const malformed = await world.run(['gateway', '--listen', 'ws://host:1']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^lifeline: --listen takes \[HOST:\]PORT/);
    expect((await world.run(['gateway'])).stderr).toMatch(
      /required option '--listen <\[host:\]port>' not specified/,
    );
  });

  test('a port already in use: one line that says so and what to do, exit 4', async () => {
    world = new CliWorld();
    const occupant = net.createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = occupant.address() as AddressInfo;
      const result = await world.run([
        'gateway',
        '--listen',
        `127.0.0.1:${port}`,
        '--token-file',
        path.join(world.root, 'token'),
      ]);
      expect(result).toMatchObject({ code: 4, stdout: '' });
      expect(result.stderr).toBe(
        `lifeline: Cannot listen on 127.0.0.1:${port}: the address is in use. Stop whatever holds it, or choose another port.\n`,
      );
    } finally {
      occupant.close();
    }
    expect(world.gatewayPids()).toEqual([]);
  });

  test('a token file others can read: one line that says so and what to do, exit 5, and the file is left alone', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'shared.token');
    const token = 'a'.repeat(64);
    fs.writeFileSync(tokenFile, `${token}\n`);
    fs.chmodSync(tokenFile, 0o644);
    const result = await world.run([
      'gateway',
      '--listen',
      '127.0.0.1:0',
      '--token-file',
      tokenFile,
    ]);
    expect(result).toMatchObject({ code: 5, stdout: '' });
    expect(result.stderr).toBe(
      `lifeline: The token file ${tokenFile} has mode 0644: others may have read it. Make it private (chmod 600) or delete it and generate a new token.\n`,
    );
    expect(fs.readFileSync(tokenFile, 'utf8')).toBe(`${token}\n`);
    expect(world.gatewayPids()).toEqual([]);
  });

  test("prints the token file's path and never the token; refuses a foreign Origin; Ctrl+C stops it", async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const gateway = world.spawn([
      'gateway',
      '--listen',
      '127.0.0.1:0',
      '--token-file',
      tokenFile,
      '--allowed-origin',
      'https://ok.example',
    ]);
    const [, url] = await gateway.waitFor(/listening on (ws:\/\/127\.0\.0\.1:\d+)\n/);
    await gateway.waitFor(/token file: (.+)\n/);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(gateway.stdout).toContain(tokenFile);
    expect(gateway.stdout + gateway.stderr).not.toContain(token);

    const foreign = await connectWebSocket(url ?? '', {
      tokenFile,
      origin: 'https://evil.example',
    }).then(
      () => 'connected',
      (error: unknown) => (isTransportError(error) ? error.code : String(error)),
    );
    expect(foreign).toBe('FORBIDDEN_ORIGIN');
    const allowed = await connectWebSocket(url ?? '', { tokenFile, origin: 'https://ok.example' });
    allowed.close();

    process.kill(gateway.pid, 'SIGINT');
    // The gateway's own status for a Ctrl+C: 128 + SIGINT.
    expect((await gateway.result).code).toBe(130);
    expect(world.gatewayPids()).toEqual([]);
  });

  test('a SIGKILL of lifeline gateway stops the gateway it started and frees its port', async () => {
    world = new CliWorld();
    const gateway = world.spawn([
      'gateway',
      '--listen',
      '127.0.0.1:0',
      '--token-file',
      path.join(world.root, 'token'),
    ]);
    const [, port] = await gateway.waitFor(/listening on ws:\/\/127\.0\.0\.1:(\d+)\n/);
    expect(world.gatewayPids()).toHaveLength(1);
    process.kill(gateway.pid, 'SIGKILL');
    await gateway.result;
    await vi.waitFor(() => expect(world.gatewayPids()).toEqual([]), {
      timeout: 15_000,
      interval: 50,
    });
    // Nothing holds the port any more: it can be listened on again.
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(Number(port), '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  });
});
