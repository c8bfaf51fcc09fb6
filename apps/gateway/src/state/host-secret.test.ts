import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import {
  ensureHostSecret,
  HOST_SECRET_FILE,
  isProofOf,
  proofOf,
  readHostSecret,
} from './host-secret.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    fs.rmSync(directory, { recursive: true, force: true });
});

function sessionDir(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-secret-'));
  directories.push(directory);
  return directory;
}

test('a session keeps one secret, readable by its owner only', () => {
  const directory = sessionDir();
  const secret = ensureHostSecret(directory);
  expect(fs.statSync(path.join(directory, HOST_SECRET_FILE)).mode & 0o777).toBe(0o600);
  expect(ensureHostSecret(directory)).toEqual(secret);
  expect(readHostSecret(directory)).toEqual(secret);
});

test('only the secret answers a challenge', () => {
  const secret = Buffer.alloc(32, 1);
  const proof = proofOf(secret, 'nonce-1');
  expect(isProofOf(secret, 'nonce-1', proof)).toBe(true);
  expect(isProofOf(secret, 'nonce-2', proof)).toBe(false);
  expect(isProofOf(Buffer.alloc(32, 2), 'nonce-1', proof)).toBe(false);
  expect(isProofOf(secret, 'nonce-1', 'not hex')).toBe(false);
});

test('a secret file others could read or a symlink in its place is refused', () => {
  const directory = sessionDir();
  ensureHostSecret(directory);
  const file = path.join(directory, HOST_SECRET_FILE);
  fs.chmodSync(file, 0o644);
  expect(() => readHostSecret(directory)).toThrow(/not a private file of yours/);
  fs.rmSync(file);
  fs.symlinkSync(path.join(sessionDir(), 'elsewhere'), file);
  expect(() => ensureHostSecret(directory)).toThrow(/is a symbolic link/);
});
