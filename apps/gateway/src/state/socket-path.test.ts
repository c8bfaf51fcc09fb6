import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { chooseSocketPath, MAX_SOCKET_PATH_BYTES } from './socket-path.js';

const sid = 's_01hzy3k7m2q9v8c4x6t1b5n0rd';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

test('uses host.sock inside the session directory when the path is short enough', () => {
  expect(chooseSocketPath('/tmp/state/sessions/x', sid)).toBe('/tmp/state/sessions/x/host.sock');
});

test('falls back to a private short path for a deep state directory, and a server can listen on it', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-deep-'));
  dirs.push(root);
  const sessionDir = path.join(root, 'a'.repeat(60), 'b'.repeat(60), 'sessions', sid);
  const socketPath = chooseSocketPath(sessionDir, sid);
  expect(Buffer.byteLength(socketPath)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
  expect(chooseSocketPath(sessionDir, sid)).toBe(socketPath);
  expect(fs.statSync(path.dirname(socketPath)).mode & 0o777).toBe(0o700);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  await new Promise((resolve) => server.close(resolve));
});
