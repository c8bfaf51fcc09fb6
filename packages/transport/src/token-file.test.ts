import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  assertStrongToken,
  createTokenFile,
  ensureTokenFile,
  generateToken,
  readTokenFile,
  tokenStrengthBits,
  tokensEqual,
} from './token-file.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    fs.rmSync(directory, { recursive: true, force: true });
});

function temporaryPath(name: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-token-'));
  directories.push(directory);
  return path.join(directory, name);
}

describe('tokens', () => {
  test('generated tokens carry 256 bits and differ', () => {
    const first = generateToken();
    expect(tokenStrengthBits(first)).toBeGreaterThanOrEqual(256);
    expect(generateToken()).not.toBe(first);
  });

  test('strength is judged by alphabet: 48 hex or 32 base64url characters make 192 bits', () => {
    expect(tokenStrengthBits('a'.repeat(48))).toBe(192);
    expect(() => assertStrongToken('a'.repeat(47))).toThrow(/at least 192 bits/);
    expect(() => assertStrongToken(`${'a'.repeat(31)}_`)).not.toThrow();
    expect(() => assertStrongToken('correct horse battery staple and more words')).toThrow();
  });

  test('tokensEqual compares whole tokens', () => {
    const token = generateToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token, `${token}x`)).toBe(false);
    expect(tokensEqual(token, '')).toBe(false);
  });
});

describe('token files', () => {
  test('createTokenFile writes a 0600 file (creating 0700 directories) that readTokenFile accepts', async () => {
    const file = path.join(temporaryPath('state'), 'nested', 'gateway.token');
    const token = await createTokenFile(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    await expect(readTokenFile(file)).resolves.toBe(token);
  });

  test.each([0o640, 0o604, 0o660, 0o666])('refuses a token file with mode %o', async (mode) => {
    const file = temporaryPath('gateway.token');
    await createTokenFile(file);
    fs.chmodSync(file, mode);
    await expect(readTokenFile(file)).rejects.toMatchObject({ code: 'INSECURE_TOKEN_FILE' });
  });

  test('refuses a weak token, a directory and a missing file', async () => {
    const file = temporaryPath('weak.token');
    fs.writeFileSync(file, 'short\n', { mode: 0o600 });
    await expect(readTokenFile(file)).rejects.toMatchObject({ code: 'WEAK_TOKEN' });
    await expect(readTokenFile(path.dirname(file))).rejects.toMatchObject({
      code: 'TOKEN_FILE_UNREADABLE',
    });
    await expect(readTokenFile(`${file}.missing`)).rejects.toMatchObject({
      code: 'TOKEN_FILE_UNREADABLE',
    });
  });

  test('ensureTokenFile creates once, then returns the same token; it never replaces an insecure file', async () => {
    const file = temporaryPath('gateway.token');
    const token = await ensureTokenFile(file);
    await expect(ensureTokenFile(file)).resolves.toBe(token);
    fs.chmodSync(file, 0o644);
    await expect(ensureTokenFile(file)).rejects.toMatchObject({ code: 'INSECURE_TOKEN_FILE' });
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(token);
  });
});
