// What the processes `lifeline` starts inherit of the user's environment: gateways and session
// hosts start without what only slows a Node start (a CA bundle, preloaded modules), while the
// shell in the session gets the user's environment unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { CliWorld } from './test-utils/cli-harness.js';

const fixtures = path.join(import.meta.dirname, '__fixtures__');

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** The environment of a running process, by name. */
function environmentOf(pid: number): Record<string, string> {
  const entries = fs
    .readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .filter(Boolean)
    .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Whether a process runs a program of the gateway package: a gateway, or a session host. */
function isGatewayPackageProcess(pid: number): boolean {
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return argv.some(
    (arg) =>
      arg.endsWith(path.join('gateway', 'dist', 'cli.js')) ||
      arg.endsWith(path.join('gateway', 'dist', 'host', 'host.cjs')),
  );
}

describe('the environment of the processes lifeline starts', () => {
  test('gateways and hosts start without NODE_EXTRA_CA_CERTS and NODE_OPTIONS preloads; the shell sees both as the user set them', async () => {
    world = new CliWorld();
    const preloadLog = path.join(world.root, 'preloaded.log');
    const preload = path.join(fixtures, 'record-preload.cjs');
    const certificates = path.join(fixtures, 'extra-ca.pem');
    const nodeOptions = `--require "${preload}" --max-old-space-size=300`;
    const env = {
      NODE_OPTIONS: nodeOptions,
      NODE_EXTRA_CA_CERTS: certificates,
      LIFELINE_TEST_PRELOAD_LOG: preloadLog,
    };
    const exec = world.spawn(
      [
        'exec',
        '--new',
        '--',
        'echo "options=$NODE_OPTIONS"; echo "certificates=$NODE_EXTRA_CA_CERTS"; echo "deferred=${LIFELINE_DEFERRED_NODE_OPTIONS-none}"; sleep 2',
      ],
      { env },
    );
    await exec.waitFor(/deferred=.*\n/);

    // While it runs: a gateway of exec's own and the session's host.
    const started = world.worldPids().filter(isGatewayPackageProcess);
    expect(started.length).toBeGreaterThanOrEqual(2);
    for (const pid of started) {
      const processEnv = environmentOf(pid);
      expect(processEnv.NODE_EXTRA_CA_CERTS).toBeUndefined();
      expect(processEnv.NODE_OPTIONS).toBe('--max-old-space-size=300');
    }

    expect(await exec.result).toMatchObject({
      code: 0,
      stdout: `options=${nodeOptions}\ncertificates=${certificates}\ndeferred=none\n`,
    });
    // Only the command the user ran loaded the preload: none of the processes it started did.
    const preloaded = fs.readFileSync(preloadLog, 'utf8').trimEnd().split('\n');
    expect(preloaded).toEqual([expect.stringMatching(/bin\/lifeline\.cjs exec --new -- /)]);

    // A host exec starts from its own process (the session's shell ended) starts the same way.
    const sid = fs.readdirSync(path.join(world.stateDir, 'sessions'))[0] ?? '';
    const killed = await world.run(['sessions', 'kill', sid]);
    expect(killed.code).toBe(0);
    fs.rmSync(preloadLog);
    const resumed = world.spawn(
      ['exec', '-s', sid, '--', 'echo "options=$NODE_OPTIONS"; sleep 2'],
      { env },
    );
    await resumed.waitFor(/options=.*\n/);
    const hosts = world.worldPids().filter(isGatewayPackageProcess);
    expect(hosts).toHaveLength(1);
    for (const pid of hosts) {
      expect(environmentOf(pid).NODE_EXTRA_CA_CERTS).toBeUndefined();
      expect(environmentOf(pid).NODE_OPTIONS).toBe('--max-old-space-size=300');
    }
    expect((await resumed.result).stdout).toBe(`options=${nodeOptions}\n`);
    await vi.waitFor(
      () => {
        expect(fs.readFileSync(preloadLog, 'utf8').trimEnd().split('\n')).toEqual([
          expect.stringMatching(/bin\/lifeline\.cjs exec -s /),
        ]);
      },
      { timeout: 15_000 },
    );
  });
});
