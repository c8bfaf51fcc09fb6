// `lifeline gateway --listen`: the WebSocket gateway in the foreground, its token and its Origin check.
import fs from 'node:fs';
import path from 'node:path';
import { connectWebSocket, isTransportError } from '@lifeline/transport';
import { afterEach, describe, expect, test } from 'vitest';
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
    expect((await world.run(['gateway'])).stderr).toMatch(/required option '--listen <\[host:\]port>' not specified/);
  });

  test('prints the token file\'s path and never the token; refuses a foreign Origin; Ctrl+C stops it', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const gateway = world.spawn(['gateway', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--allowed-origin', 'https://ok.example']);
    const [, url] = await gateway.waitFor(/listening on (ws:\/\/127\.0\.0\.1:\d+)\n/);
    await gateway.waitFor(/token file: (.+)\n/);
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(gateway.stdout).toContain(tokenFile);
    expect(gateway.stdout + gateway.stderr).not.toContain(token);

    const foreign = await connectWebSocket(url ?? '', { tokenFile, origin: 'https://evil.example' }).then(
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
});
