import { describe, expect, test } from 'vitest';
import { CommandEchoFilter, isCommandEcho } from './command-echo.js';

const scriptPath =
  '/home/ada/.local/state/lifeline/sessions/s_1/scripts/0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b.sh';

describe('isCommandEcho', () => {
  test('the typed line, alone or after the prompt, colours and trailing spaces aside', () => {
    expect(isCommandEcho('make test', 'make test')).toBe(true);
    expect(isCommandEcho('ada@box:~/src$ make test  ', 'make test')).toBe(true);
    expect(isCommandEcho('\x1b[32m❯\x1b[0m make test', ' make test ')).toBe(true);
    expect(isCommandEcho('make tests', 'make test')).toBe(false);
    expect(isCommandEcho('', '   ')).toBe(false);
  });

  test('words drawn at the columns they have after a prompt the line does not hold (fish) still make the echo', () => {
    expect(isCommandEcho('(sleep               0.3; echo x) &', '(sleep 0.3; echo x) &')).toBe(
      true,
    );
    expect(isCommandEcho('grep  -n   main src', 'grep -n main src')).toBe(true);
    expect(isCommandEcho('(sleep               0.3; echo y) &', '(sleep 0.3; echo x) &')).toBe(
      false,
    );
  });

  test('a multi-line command is echoed as the line sourcing its script, never as its own text', () => {
    const command = 'cd /\necho hi';
    expect(isCommandEcho(`$ . '${scriptPath}'`, command)).toBe(true);
    expect(isCommandEcho(`source '${scriptPath}'`, command)).toBe(true);
    expect(isCommandEcho('echo hi', command)).toBe(false);
    expect(isCommandEcho(". '/tmp/elsewhere.sh'", command)).toBe(false);
  });
});

describe('CommandEchoFilter', () => {
  const lines = (filter: CommandEchoFilter, shown: string[]) =>
    shown.filter((line) => !filter.isEcho(line));

  test('typed at a shown prompt, the line is echoed once: program output ending with the command stays', () => {
    const filter = new CommandEchoFilter('history 1', { promptShown: true });
    expect(lines(filter, ['history 1', '  42  history 1', 'done'])).toEqual([
      '  42  history 1',
      'done',
    ]);
    expect(filter.isDeciding()).toBe(false);
  });

  test('typed before the prompt, the line is echoed twice (the terminal, then the line editor): both go', () => {
    const filter = new CommandEchoFilter('make', { promptShown: false });
    expect(lines(filter, ['make', 'ada@box:~$ make', 'building'])).toEqual(['building']);
  });

  test('unknown prompt: a second echo goes only when the line editor was seen starting after the first', () => {
    const redrawn = new CommandEchoFilter('make');
    redrawn.observe('make\r\n\x1b[?2004hada@box:~$ make\r\nbuilding\r\n');
    expect(lines(redrawn, ['make', 'ada@box:~$ make', 'building'])).toEqual(['building']);

    const programOutput = new CommandEchoFilter('make');
    programOutput.observe('make\r\nrunning make\r\n');
    expect(lines(programOutput, ['make', 'running make'])).toEqual(['running make']);
  });

  test('a first line that is not the echo ends the search', () => {
    const filter = new CommandEchoFilter('ls', { promptShown: true });
    expect(lines(filter, ['total 0', 'ls'])).toEqual(['total 0', 'ls']);
  });
});
