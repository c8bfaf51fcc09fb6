import { describe, expect, test } from 'vitest';
import { seededRandom } from './__fixtures__/seeded-random.js';
import { createShellLaunch } from './launch.js';
import { createSessionToken } from './token.js';

const token = createSessionToken(seededRandom(5));
const directory = '/run/user/1000/lifeline/s1';

describe('createShellLaunch', () => {
  test('bash: --rcfile pointing at a 0600 script that reads ~/.bashrc first', () => {
    const launch = createShellLaunch({ shell: '/bin/bash', token, directory, mode: 'prompt-hook' });
    expect(launch).toMatchObject({
      file: '/bin/bash',
      args: ['--rcfile', `${directory}/bash/integration.bash`, '-i'],
      env: {},
      kind: 'bash',
      mode: 'prompt-hook',
    });
    const [rcfile, afterExec, execRcfile] = launch.files;
    expect(rcfile).toMatchObject({ path: 'bash/integration.bash', mode: 0o600 });
    expect(rcfile?.contents.indexOf('. ~/.bashrc')).toBeLessThan(
      rcfile?.contents.indexOf('PS0=') ?? 0,
    );
    expect(rcfile?.contents).toContain(token);
    // What a bash that `exec bash` starts sources: the hooks, and none of the user's files.
    expect(afterExec).toMatchObject({ path: 'bash/after-exec.bash', mode: 0o600 });
    expect(afterExec?.contents).toContain(token);
    expect(afterExec?.contents).not.toContain('[ -r ~/.bashrc ]');
    expect(rcfile?.contents).toContain(
      `__lifeline_after_exec_file='${directory}/bash/after-exec.bash'`,
    );
    // The rcfile a plain `exec bash` is given: ~/.bashrc (not the profile files), then the hooks.
    expect(execRcfile).toMatchObject({ path: 'bash/exec.bash', mode: 0o600 });
    expect(execRcfile?.contents.indexOf('. ~/.bashrc')).toBeLessThan(
      execRcfile?.contents.indexOf('PS0=') ?? 0,
    );
    expect(rcfile?.contents).toContain(`__lifeline_exec_rcfile='${directory}/bash/exec.bash'`);
    expect(launch.files).toHaveLength(3);
  });

  test('bash in postamble mode has no file for `exec bash`', () => {
    const launch = createShellLaunch({ shell: '/bin/bash', token, directory, mode: 'postamble' });
    expect(launch.files.map((file) => file.path)).toEqual(['bash/integration.bash']);
  });

  test('bash as a login shell reads the profile files in bash order instead', () => {
    const launch = createShellLaunch({
      shell: '/bin/bash',
      token,
      directory,
      mode: 'prompt-hook',
      login: true,
    });
    const contents = launch.files[0]?.contents ?? '';
    const order = ['/etc/profile', '~/.bash_profile', '~/.bash_login', '~/.profile'].map((file) =>
      contents.indexOf(file),
    );
    expect(order.every((position, index) => position > (order[index - 1] ?? -1))).toBe(true);
    expect(contents).not.toContain('~/.bashrc;');
    // A plain `exec bash` in it starts a bash that is no login shell: it reads ~/.bashrc.
    const execRcfile = launch.files.find((file) => file.path === 'bash/exec.bash')?.contents ?? '';
    expect(execRcfile).toContain('. ~/.bashrc');
    expect(execRcfile).not.toContain('/etc/profile');
  });

  test('zsh: ZDOTDIR wrappers that restore the user ZDOTDIR', () => {
    const launch = createShellLaunch({
      shell: '/usr/bin/zsh',
      token,
      directory: `${directory}/`,
      env: { ZDOTDIR: "/home/o'neil/.config/zsh" },
    });
    expect(launch.mode).toBe('prompt-hook');
    expect(launch.env).toEqual({ ZDOTDIR: `${directory}/zsh` });
    expect(launch.files.map((file) => file.path).sort()).toEqual([
      'zsh/.zprofile',
      'zsh/.zshenv',
      'zsh/.zshrc',
    ]);
    expect(launch.files.find((file) => file.path === 'zsh/.zshenv')?.contents).toContain(
      `ZDOTDIR='/home/o'\\''neil/.config/zsh'`,
    );
  });

  test('fish: --init-command sources the script (fish has no postamble mode)', () => {
    const launch = createShellLaunch({ shell: 'fish', token, directory: "/tmp/it's here" });
    expect(launch.args).toEqual([
      '-i',
      '--init-command',
      "source '/tmp/it\\'s here/fish/integration.fish'",
    ]);
    // What a fish that `exec fish` starts reads from XDG_DATA_DIRS: no token, only the path of the
    // integration, which holds it.
    expect(launch.files.map((file) => file.path)).toEqual([
      'fish/integration.fish',
      'fish/exec/fish/vendor_conf.d/lifeline-exec.fish',
    ]);
    const snippet = launch.files[1]?.contents ?? '';
    expect(snippet).not.toContain(token);
    expect(snippet).toContain("source '/tmp/it\\'s here/fish/integration.fish'");
    expect(launch.files[0]?.contents).toContain(
      "set -g __lifeline_exec_data_dir '/tmp/it\\'s here/fish/exec'",
    );
    expect(() => createShellLaunch({ shell: 'fish', token, directory, mode: 'postamble' })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SHELL' }) as Error,
    );
  });

  test('POSIX shells: an ENV file that hands ENV back and reads the user file', () => {
    const dash = createShellLaunch({
      shell: '/bin/dash',
      token,
      directory,
      env: { ENV: '$HOME/.shrc' },
    });
    expect(dash).toMatchObject({
      args: ['-i'],
      env: { ENV: `${directory}/sh/env.sh` },
      mode: 'postamble',
    });
    expect(dash.files[0]?.contents).toContain("ENV='$HOME/.shrc'; export ENV");
    const busybox = createShellLaunch({ shell: '/usr/bin/busybox', token, directory, login: true });
    expect(busybox.args).toEqual(['sh', '-l', '-i']);
    expect(busybox.files[0]?.contents).toContain('unset ENV');
    const ksh = createShellLaunch({ shell: '/bin/ksh93', token, directory });
    expect(ksh.files[0]?.contents).toContain("__lifeline_env='$HOME/.kshrc'");
    // Only shells that expand a command substitution in PS2 get the incomplete-command handler:
    // the kshs (and an unknown sh) would show it as their continuation prompt.
    expect(dash.files[0]?.contents).toContain("PS2='$(__lifeline_incomplete)'");
    expect(busybox.files[0]?.contents).toContain("PS2='$(__lifeline_incomplete)'");
    for (const shell of ['/bin/ksh93', '/bin/mksh', '/bin/sh']) {
      expect(
        createShellLaunch({ shell, token, directory }).files[0]?.contents,
        shell,
      ).not.toContain('PS2');
    }
  });

  test('an unknown shell is started as it is; it has no prompt hooks', () => {
    expect(createShellLaunch({ shell: '/opt/bin/nu', token, directory })).toEqual({
      file: '/opt/bin/nu',
      args: [],
      env: {},
      files: [],
      kind: 'unknown',
      mode: 'postamble',
    });
    expect(() =>
      createShellLaunch({ shell: '/opt/bin/nu', token, directory, mode: 'prompt-hook' }),
    ).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_SHELL' }) as Error);
  });

  test('the token never appears in the arguments or the environment', () => {
    for (const shell of [
      '/bin/bash',
      '/bin/zsh',
      '/bin/fish',
      '/bin/dash',
      '/bin/ksh',
      '/bin/busybox',
    ]) {
      const launch = createShellLaunch({ shell, token, directory });
      expect(JSON.stringify([launch.args, launch.env])).not.toContain(token);
      expect(launch.files.every((file) => file.mode === 0o600)).toBe(true);
      expect(launch.files.some((file) => file.contents.includes(token))).toBe(true);
    }
  });

  test('refuses a relative directory and a weak token', () => {
    expect(() => createShellLaunch({ shell: 'bash', token, directory: 'relative/dir' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }) as Error,
    );
    expect(() => createShellLaunch({ shell: 'bash', token: 'abc', directory })).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN' }) as Error,
    );
  });
});
