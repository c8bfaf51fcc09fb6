// `lifeline attach`: the TUI against a `lifeline gateway --listen`, under a real PTY.
import fs from 'node:fs';
import path from 'node:path';
import { generateToken } from '@lifeline/transport/token-file';
import { afterEach, describe, expect, test } from 'vitest';
import { CliWorld, type CliProcess } from '../test-utils/cli-harness.js';
import { keys } from '../test-utils/tui-harness.js';

let world: CliWorld;
afterEach(async () => {
  await world.dispose();
});

/** Starts `lifeline gateway --listen` and waits until it serves. */
async function listen(
  port: number,
  tokenFile: string,
): Promise<{ gateway: CliProcess; url: string; port: number }> {
  const gateway = world.spawn([
    'gateway',
    '--listen',
    `127.0.0.1:${port}`,
    '--token-file',
    tokenFile,
  ]);
  const [, url, bound] = await gateway.waitFor(/listening on (ws:\/\/127\.0\.0\.1:(\d+))\n/);
  return { gateway, url: url ?? '', port: Number(bound) };
}

describe('lifeline attach', () => {
  test('a wrong token exits 5, a gateway that is not there 4, a bad URL 2, all before the TUI starts', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const { url, port } = await listen(0, tokenFile);
    const wrongFile = path.join(world.root, 'wrong');
    fs.writeFileSync(wrongFile, generateToken(), { mode: 0o600 });
    const results = await Promise.all([
      world.run(['attach', url, '--token-file', wrongFile]),
      world.run(['attach', url], { env: { LIFELINE_TOKEN: generateToken() } }),
      world.run(['attach', `ws://127.0.0.1:${port === 1 ? 2 : 1}`, '--token-file', tokenFile]),
      world.run(['attach', `http://127.0.0.1:${port}`, '--token-file', tokenFile]),
      world.run(['attach', url, '--token-file', tokenFile, '-c', '--new']),
    ]);
    expect(results.map((result) => result.code)).toEqual([5, 5, 4, 2, 2]);
    expect(results[0].stderr).toBe(
      `lifeline: the gateway at ${url} refused the token; pass the token file \`lifeline gateway\` printed with --token-file, or set LIFELINE_TOKEN\n`,
    );
    expect(results[2].stderr).toMatch(
      /^lifeline: cannot reach the gateway at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is `lifeline gateway --listen` running there\?\n$/,
    );
    expect(results[3].stderr).toMatch(
      /is not a WebSocket URL; give the gateway's address as ws:\/\/HOST:PORT/,
    );
    expect(
      results.every((result) => result.stdout === '' && result.stderr.split('\n').length === 2),
    ).toBe(true);
  });

  test('--resume takes a session by its name; a name no session has exits 3 before the TUI starts', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const { url } = await listen(0, tokenFile);
    const created = await world.run(['exec', '--new', '--name', 'api', '--', 'echo', 'made']);
    expect(created.code).toBe(0);
    const unknown = world.start(['attach', url, '--token-file', tokenFile, '--resume', 'nope']);
    expect(await unknown.exited).toBe(3);
    // Rows of the terminal, the message wrapped over them.
    expect(unknown.lines().join('')).toContain(
      `lifeline: no session is named "nope" in the gateway at ${url} (ids are s_ and 26 lowercase letters and digits); \`lifeline sessions\` on its machine lists them`,
    );
    const tui = world.start(['attach', url, '--token-file', tokenFile, '--resume', 'api']);
    await tui.waitFor('● ready');
    // The session's history: the run exec made in it.
    await tui.waitFor(/made\n✓ 0/);
    tui.type(`echo by-name${keys.enter}`);
    await tui.waitFor(/by-name\n✓ 0/);
  });

  test('-c attaches to the session a TUI left last, not to one a command printed in since', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const { url } = await listen(0, tokenFile);
    for (const name of ['b', 'a']) {
      const created = await world.run(['exec', '--new', '--name', name, '--', 'echo', name]);
      expect(created.code).toBe(0);
    }
    // "b" is opened and left first, then "a"; then a program's command prints in "b".
    for (const name of ['b', 'a']) {
      const tui = world.start(['attach', url, '--token-file', tokenFile, '--resume', name]);
      await tui.waitFor('● ready');
      tui.type(`${keys.ctrlBracket}quit${keys.enter}`);
      expect(await tui.exited).toBe(0);
    }
    expect((await world.run(['exec', '-s', 'b', '--', 'echo', 'printed-later'])).code).toBe(0);

    const tui = world.start(['attach', url, '--token-file', tokenFile, '-c']);
    await tui.waitFor('● ready');
    await tui.waitFor(/^lifeline · a s_/m);
    expect(tui.text()).not.toContain('printed-later');
  });

  test('the gateway SIGKILLed and restarted by its supervisor: the TUI reconnects and resumes with no gap and no duplicate', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const first = await listen(0, tokenFile);
    const tui = world.start(['attach', first.url, '--token-file', tokenFile]);
    await tui.waitFor('● ready');
    tui.type(`for i in $(seq 1 60); do echo row $i; sleep 0.05; done${keys.enter}`);
    await tui.waitFor('row 10');
    const [gatewayPid] = first.gateway.descendants();
    expect(gatewayPid).toBeDefined();
    process.kill(gatewayPid ?? 0, 'SIGKILL');
    // `lifeline gateway` reports how its gateway died; the supervisor starts it again.
    expect((await first.gateway.result).code).toBe(137);
    await listen(first.port, tokenFile);
    await tui.waitFor('row 60');
    await tui.waitFor(/✓ 0 · /);
    await tui.waitFor(/recovered in \d+ ms, nothing lost/);
    const rows = tui
      .lines()
      .filter((line) => line.startsWith('row '))
      .map((line) => Number(line.slice(4)));
    expect(rows).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
    tui.type(`echo still here${keys.enter}`);
    await tui.waitFor(/still here\n✓ 0/);
  });

  test('a gateway restarted with a new token is reached with the token its file holds now', async () => {
    world = new CliWorld();
    const tokenFile = path.join(world.root, 'token');
    const first = await listen(0, tokenFile);
    const oldToken = fs.readFileSync(tokenFile, 'utf8');
    const tui = world.start(['attach', first.url, '--token-file', tokenFile]);
    await tui.waitFor('● ready');
    tui.type(`echo before-restart${keys.enter}`);
    await tui.waitFor(/before-restart\n✓ 0/);
    const [gatewayPid] = first.gateway.descendants();
    process.kill(gatewayPid ?? 0, 'SIGKILL');
    await first.gateway.result;
    // A new token, as after the token file is rotated: the old one is refused from now on. The
    // file is missing meanwhile for 12 s, as while a gateway that writes it anew is slow to start:
    // each recovery waits for it as for a gateway not up yet (taken for a token refused, three
    // recoveries failed within that time and the TUI gave up).
    fs.rmSync(tokenFile);
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    await listen(first.port, tokenFile);
    expect(fs.readFileSync(tokenFile, 'utf8')).not.toBe(oldToken);
    await tui.waitFor(/recovered in \d+ ms, nothing lost/);
    tui.type(`echo after-restart${keys.enter}`);
    await tui.waitFor(/after-restart\n✓ 0/);
  });
});
