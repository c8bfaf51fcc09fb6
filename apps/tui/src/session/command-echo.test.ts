import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { AcceptedLineCut, CommandEchoFilter, isCommandEcho } from './command-echo.js';
import { cutAt } from '../terminal/__fixtures__/terminal-output.js';

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

describe('AcceptedLineCut', () => {
  /** What goes on from `chunks` (one stream), and whether the echo was cut off. */
  const pass = (chunks: string[]) => {
    const cut = new AcceptedLineCut(4096);
    let text = '';
    let found = false;
    for (const chunk of chunks) {
      const step = cut.push(chunk);
      text += step.text;
      found ||= step.cut;
    }
    return { text: text + cut.end(), found };
  };
  // zsh draws a line wider than the terminal by moving back over each row it wraps onto.
  const zshEcho =
    'e\becho aaaa \r\x1b[Ka\raaaaaaaa \r\x1b[Kb\rbbbbbbbb\x1b[?1l\x1b>\x1b[?2004l\r\r\n';
  // fish draws the words at the columns it moves to, then again in colour.
  const fishEcho =
    'echo \r\x1b[26Caaaabbbb\x1b[A\r\r\n\x1b[6C\x1b[A\x1b[15C\x1b[34mecho\x1b[m aaaabbbb\r\n\x1b[30m\x1b(B\x1b[m\x1b[?2004l\x1b]0;echo aaaabbbb\x07\x1b[30m\x1b(B\x1b[m\r';

  test('zsh and fish: all the line editor drew up to accepting the line goes, the rest of its row too', () => {
    expect(pass([`${zshEcho}out\r\n`])).toEqual({ text: 'out\r\n', found: true });
    expect(pass([`${fishEcho}out\r\n`])).toEqual({
      text: '\x1b]0;echo aaaabbbb\x07\x1b[30m\x1b(B\x1b[m\rout\r\n',
      found: true,
    });
  });

  test('zsh after a history search ended: the row down it moves to instead of a line feed goes too', () => {
    const afterSearch = 'e\becho hi2\x1b[?1l\x1b>\x1b[?2004l\x1b[1B\r';
    expect(pass([`${afterSearch}hi2\r\n`])).toEqual({ text: '\rhi2\r\n', found: true });
    expect(pass([afterSearch, 'hi2\r\n'])).toEqual({ text: '\rhi2\r\n', found: true });
    // A move down anywhere else is the program's.
    expect(pass([`${zshEcho}\x1b[1Bhi2\r\n`])).toEqual({ text: '\x1b[1Bhi2\r\n', found: true });
  });

  test('a terminal echo of typed input, or a shell without bracketed paste, is handed on as it is at the end of its line', () => {
    const cut = new AcceptedLineCut(4096);
    expect(cut.push('echo hi\r')).toEqual({ text: '', cut: false });
    expect(cut.push('\nhi\r\n')).toEqual({ text: 'echo hi\r\nhi\r\n', cut: false });
    expect(cut.push('more\r\n')).toEqual({ text: 'more\r\n', cut: false });
  });

  test('a drawing with no end in sight is handed on once more than the limit waits', () => {
    const cut = new AcceptedLineCut(10);
    expect(cut.push('\r\x1b[5Cabc')).toEqual({ text: '', cut: false });
    expect(cut.push('defgh')).toEqual({ text: '\r\x1b[5Cabcdefgh', cut: false });
  });

  test('property: however the output after a drawn echo is cut into pieces, the same goes on', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(zshEcho, fishEcho, 'echo hi\x1b[?2004l\x1b[1B\r'),
        fc.array(fc.constantFrom('out', '\r\n', '\n', '\r', '\x1b[31m'), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (echo, output, cuts) => {
          const stream = echo + output.join('');
          const chunks = cutAt(stream, cuts);
          expect(pass(chunks)).toEqual(pass([stream]));
        },
      ),
      fuzzParameters('accepted line cut: any cut'),
    );
  });
});
