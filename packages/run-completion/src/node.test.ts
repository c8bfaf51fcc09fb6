import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { which } from './__fixtures__/shell-session.js';
import { createShellLaunch } from './launch.js';
import { selectMode } from './mode.js';
import { detectShell, removeShellLaunchFiles, writeShellLaunchFiles } from './node.js';
import { createSessionToken } from './token.js';

let scratch: string | undefined;

afterEach(() => {
  if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('detectShell', () => {
  const bash = which('bash');
  test.skipIf(bash === undefined)(
    'asks bash its version and picks prompt-hook for bash >= 4.4',
    () => {
      const detected = detectShell(bash ?? 'bash');
      expect(detected.kind).toBe('bash');
      expect(detected.version).toMatch(/^\d+\.\d+/);
      expect(detected.mode).toBe(selectMode(detected));
    },
  );

  test('a bare name is the one found on this process PATH, as a spawn would start it', () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-completion-detect-'));
    // A bash that reports an old version: found first on PATH, it must be the one asked.
    fs.writeFileSync(path.join(scratch, 'bash'), '#!/bin/sh\nprintf %s 3.2.57\n', { mode: 0o755 });
    const savedPath = process.env.PATH;
    process.env.PATH = `${scratch}${path.delimiter}${savedPath ?? ''}`;
    try {
      expect(detectShell('bash')).toEqual({
        path: 'bash',
        kind: 'bash',
        version: '3.2.57',
        mode: 'postamble',
      });
    } finally {
      process.env.PATH = savedPath;
    }
  });

  test('a shell that is not a path or a name is refused, naming what was given', () => {
    for (const [given, shown] of [
      [42, '42'],
      [undefined, 'undefined'],
      ['', '""'],
    ] as const) {
      expect(() => detectShell(given as unknown as string)).toThrow(
        expect.objectContaining({
          code: 'INVALID_OPTION',
          message: `detectShell takes the path or name of a shell ('/bin/bash', 'zsh'), got ${shown}`,
        }) as Error,
      );
    }
  });

  test('a timeout that is not a whole number of milliseconds is refused, not run with', () => {
    expect(() => detectShell('bash', { timeoutMs: '5000' as unknown as number })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        message: 'detectShell timeoutMs must be a whole number of milliseconds > 0, got "5000"',
      }) as Error,
    );
    expect(() => detectShell('bash', { timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  test('follows symbolic links to name what /bin/sh really is', () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-completion-detect-'));
    const busybox = which('busybox');
    if (busybox !== undefined) {
      fs.symlinkSync(busybox, path.join(scratch, 'sh'));
      expect(detectShell(path.join(scratch, 'sh'))).toMatchObject({
        kind: 'busybox',
        mode: 'postamble',
      });
    }
    expect(detectShell(path.join(scratch, 'missing-shell'))).toMatchObject({
      kind: 'unknown',
      mode: 'postamble',
    });
  });
});

describe('writeShellLaunchFiles and removeShellLaunchFiles', () => {
  test('write every file 0600 in a 0700 directory, even over an existing file, and remove them again', () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-completion-files-'));
    const directory = path.join(scratch, 'launch');
    const launch = createShellLaunch({ shell: '/bin/zsh', token: createSessionToken(), directory });
    writeShellLaunchFiles(directory, launch);
    fs.chmodSync(path.join(directory, 'zsh/.zshrc'), 0o644);
    fs.writeFileSync(path.join(directory, 'zsh/.zshrc'), 'old');
    writeShellLaunchFiles(directory, launch);
    expect(fs.statSync(directory).mode & 0o777).toBe(0o700);
    for (const file of launch.files) {
      const target = path.join(directory, file.path);
      expect(fs.statSync(target).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(target, 'utf8')).toBe(file.contents);
    }
    removeShellLaunchFiles(directory, launch);
    expect(fs.readdirSync(directory)).toEqual([]);
    removeShellLaunchFiles(directory, launch);
    // fish's files lie several folders deep: none of the folders is left behind.
    const fish = createShellLaunch({ shell: 'fish', token: createSessionToken(), directory });
    writeShellLaunchFiles(directory, fish);
    expect(fs.readdirSync(directory)).toEqual(['fish']);
    removeShellLaunchFiles(directory, fish);
    expect(fs.readdirSync(directory)).toEqual([]);
  });

  test('refuse a file path that leaves the directory', () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'run-completion-files-'));
    expect(() =>
      writeShellLaunchFiles(scratch ?? '', {
        files: [{ path: '../escape', contents: '', mode: 0o600 }],
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }) as Error);
  });
});
