import { describe, expect, test } from 'vitest';
import {
  createOutputSanitizer,
  outputSanitizerLimits,
  sanitizeOutput,
} from './output-sanitizer.js';
import type { SanitizedOutput } from './output-sanitizer.js';

/** Writes every chunk, then flushes; returns the text and every event, in order. */
function run(chunks: readonly string[], options = {}): SanitizedOutput {
  const sanitizer = createOutputSanitizer(options);
  const outputs = [...chunks.map((chunk) => sanitizer.write(chunk)), sanitizer.flush()];
  return {
    text: outputs.map((output) => output.text).join(''),
    events: outputs.flatMap((output) => output.events),
    bells: outputs.reduce((total, output) => total + output.bells, 0),
    queries: outputs.flatMap((output) => output.queries),
    titles: outputs.flatMap((output) => output.titles),
  };
}

describe('questions to the terminal', () => {
  test('where the cursor is, the status and the device attributes are reported in order and removed', () => {
    expect(run(['a\x1b[6nb\x1b[cc\x1b[0n', '\x1b[5n\x1b[0cd'])).toMatchObject({
      text: 'abcd',
      queries: ['cursor-position', 'device-attributes', 'status', 'device-attributes'],
    });
    // A query cut between two chunks is one.
    expect(run(['\x1b[', '6n'])).toMatchObject({ text: '', queries: ['cursor-position'] });
  });

  test('other queries are removed and not reported', () => {
    // Secondary attributes, the extended cursor position, a mode and a window report.
    expect(run(['\x1b[>c\x1b[?6n\x1b[?2004$p\x1b[18tok'])).toMatchObject({
      text: 'ok',
      queries: [],
    });
  });
});

describe('bells', () => {
  test('a bell is counted and removed; one that ends a title or a hyperlink is neither', () => {
    expect(run(['ding\x07 done\x07'])).toMatchObject({ text: 'ding done', bells: 2 });
    expect(run(['\x1b]0;my title\x07prompt$ '])).toMatchObject({ text: 'prompt$ ', bells: 0 });
    // A title cut between two chunks: its BEL is still the title's.
    expect(run(['\x1b]2;half', ' title\x07\x07'])).toMatchObject({ text: '', bells: 1 });
  });
});

describe('window titles', () => {
  test('reported when asked for, in order, removed from the text either way; a chunk boundary anywhere is no matter', () => {
    const output = '\x1b]0;user@host: ~\x07a\x1b]2;vim notes.txt\x1b\\b';
    for (let cut = 0; cut <= output.length; cut += 1) {
      expect(
        run([output.slice(0, cut), output.slice(cut)], { reportTitles: true }),
        `cut at ${cut}`,
      ).toMatchObject({ text: 'ab', titles: ['user@host: ~', 'vim notes.txt'], bells: 0 });
    }
    expect(run([output])).toMatchObject({ text: 'ab', titles: [] });
  });

  test('printable characters only, cut to the longest kept; other OSCs and hyperlinks are not titles', () => {
    const long = 'x'.repeat(outputSanitizerLimits.maxTitleLength + 50);
    expect(
      run([`\x1b]2;a\x01b\x7fc\x07\x1b]2;${long}\x07\x1b]1;icon\x07\x1b]52;c;aGk=\x07`], {
        reportTitles: true,
      }).titles,
    ).toEqual(['abc', 'x'.repeat(outputSanitizerLimits.maxTitleLength)]);
    // One longer than any hyperlink kept is cut too, and held no longer than that meanwhile.
    const sanitizer = createOutputSanitizer({ reportTitles: true });
    sanitizer.write(`\x1b]0;${'y'.repeat(outputSanitizerLimits.maxHyperlinkLength + 1000)}`);
    expect(sanitizer.bufferedLength).toBe(2 + outputSanitizerLimits.maxTitleLength);
    expect(sanitizer.write('\x07').titles).toEqual([
      'y'.repeat(outputSanitizerLimits.maxTitleLength),
    ]);
    // With hyperlinks allowed too, each is what it is.
    expect(
      run(['\x1b]8;;https://example.com\x07link\x1b]8;;\x07\x1b]0;t\x07'], {
        reportTitles: true,
        allowHyperlinks: true,
      }),
    ).toMatchObject({
      text: '\x1b]8;;https://example.com\x07link\x1b]8;;\x07',
      titles: ['t'],
    });
    // With only one of them asked for, the other is dropped like any other OSC.
    const both = '\x1b]8;;https://example.com\x07link\x1b]8;;\x07\x1b]0;t\x07';
    expect(run([both], { reportTitles: true })).toMatchObject({ text: 'link', titles: ['t'] });
    expect(run([both], { allowHyperlinks: true })).toMatchObject({
      text: '\x1b]8;;https://example.com\x07link\x1b]8;;\x07',
      titles: [],
    });
  });
});

describe('what passes', () => {
  test('text, line breaks, tabs and backspace pass unchanged', () => {
    const text = 'héllo wörld 日本語 🎉\r\n\tindented\bX\n';
    expect(sanitizeOutput(text)).toBe(text);
  });

  test('SGR colours and styles pass: 16 colours, 256 colours and truecolor, with ; and :', () => {
    const coloured =
      '\x1b[1;31mbold red\x1b[0m \x1b[38;5;208morange\x1b[39m \x1b[48;2;10;20;30mbg\x1b[49m ' +
      '\x1b[38:2::255:128:0mcolon\x1b[m \x1b[4:3mcurly\x1b[24m \x1b[3;9;53mstyles\x1b[0m';
    expect(sanitizeOutput(coloured)).toBe(coloured);
  });

  test('8-bit CSI SGR is passed in its 7-bit form', () => {
    expect(sanitizeOutput('\x9b32mgreen\x9b0m')).toBe('\x1b[32mgreen\x1b[0m');
  });

  test('C0 controls inside a colour sequence act where they are, as a terminal would', () => {
    expect(sanitizeOutput('a\x1b[3\n1mb')).toBe('a\n\x1b[31mb');
  });

  test('a colour sequence with an over-long parameter string is dropped whole', () => {
    const long = `\x1b[${'1;'.repeat(outputSanitizerLimits.maxParameterLength)}31mtext`;
    expect(sanitizeOutput(long)).toBe('text');
  });
});

describe('what is removed', () => {
  test.each([
    ['OSC 52 clipboard write', '\x1b]52;c;ZWNobyBoaQ==\x07'],
    ['OSC 2 title set with ST', '\x1b]2;title\x1b\\'],
    ['title report', '\x1b[21t'],
    ['DECRQSS', '\x1bP$qm\x1b\\'],
    ['cursor position request', '\x1b[6n'],
    ['device attributes', '\x1b[>c'],
    ['bracketed paste mode', '\x1b[?2004h'],
    ['modifyOtherKeys, which ends in m', '\x1b[>4;1m'],
    ['an SGR with an intermediate byte', '\x1b[1 m'],
    ['cursor movement', '\x1b[2A\x1b[5;5H'],
    ['erase in line, unless line editing is allowed', '\x1b[2K'],
    ['a full reset', '\x1bc'],
    ['BEL', '\x07'],
    ['C1 next line', '\x85'],
    ['DEL', '\x7f'],
  ])('%s', (_name, payload) => {
    expect(sanitizeOutput(`before${payload}after`)).toBe('beforeafter');
  });

  test('CAN and SUB cancel a sequence in progress, and are not shown', () => {
    expect(sanitizeOutput('a\x1b[31\x18mb\x1b]0;t\x1ac')).toBe('amb' + 'c');
  });

  test('ESC inside a control string ends it and starts a new sequence', () => {
    expect(sanitizeOutput('\x1b]0;title\x1b[32mgreen')).toBe('\x1b[32mgreen');
  });

  test('a character that cannot follow ESC is shown, the ESC is not', () => {
    expect(sanitizeOutput('a\x1bé')).toBe('aé');
  });

  test('an unterminated control string hides the rest of the stream, as on a terminal', () => {
    expect(run(['shown\x1b]0;', 'x'.repeat(100_000), 'still the title']).text).toBe('shown');
  });
});

describe('streaming', () => {
  test('a sequence split at every position gives the same output as whole', () => {
    const input = 'a\x1b[38;2;1;2;3mb\x1b]52;c;QUJD\x07c\x9d0;t\x9cd\x1bP$qm\x1b\\e';
    const whole = sanitizeOutput(input);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(run([input.slice(0, cut), input.slice(cut)]).text).toBe(whole);
    }
  });

  test('a surrogate pair cut in two is returned whole, in the later chunk', () => {
    const sanitizer = createOutputSanitizer();
    expect(sanitizer.write('ok \ud83d').text).toBe('ok ');
    expect(sanitizer.write('\ude00!').text).toBe('\ud83d\ude00!');
  });

  test('flush drops an unfinished sequence and returns a held half pair', () => {
    const sanitizer = createOutputSanitizer();
    sanitizer.write('\x1b[3');
    expect(sanitizer.flush().text).toBe('');
    expect(sanitizer.write('1mtext').text).toBe('1mtext');
    sanitizer.write('\ud83d');
    expect(sanitizer.flush().text).toBe('\ud83d');
  });

  test('memory stays bounded while an unterminated string streams in', () => {
    const sanitizer = createOutputSanitizer({ allowHyperlinks: true });
    let shown = '';
    for (const start of ['\x1b]8;;https://example.com/', '\x1bP', '\x1b]52;c;']) {
      shown += sanitizer.write(start).text;
      for (let chunk = 0; chunk < 256; chunk++) {
        shown += sanitizer.write('QUJD'.repeat(1024)).text;
        expect(sanitizer.bufferedLength).toBeLessThanOrEqual(
          outputSanitizerLimits.maxHyperlinkLength,
        );
      }
      shown += sanitizer.write('\x07after ').text;
    }
    expect(shown).toBe('after after after ');
  });
});

describe('alternate screen', () => {
  test.each([1049, 1047, 47] as const)(
    'entering and leaving with mode %i is reported, not passed',
    (mode) => {
      const { text, events } = run([`before\x1b[?${mode}hfull screen\x1b[?${mode}lafter`]);
      expect(text).toBe('beforefull screenafter');
      expect(events).toEqual([
        {
          type: 'alternate-screen',
          active: true,
          mode,
          textOffset: 6,
          chunkOffset: 6 + `\x1b[?${mode}h`.length,
        },
        {
          type: 'alternate-screen',
          active: false,
          mode,
          textOffset: 17,
          chunkOffset: `before\x1b[?${mode}hfull screen\x1b[?${mode}l`.length,
        },
      ]);
    },
  );

  test('a switch among other modes, in the 8-bit form and split across chunks, is reported once', () => {
    const sanitizer = createOutputSanitizer();
    expect(sanitizer.write('x\x9b?25;10').events).toEqual([]);
    const { text, events } = sanitizer.write('49;1006hy');
    expect(text).toBe('y');
    expect(events).toEqual([
      { type: 'alternate-screen', active: true, mode: 1049, textOffset: 0, chunkOffset: 8 },
    ]);
  });

  test('chunkOffset lets the caller hand the rest of the raw chunk to a passthrough', () => {
    const chunk = 'ls output\r\n\x1b[?1049h\x1b[H\x1b[2Jvim screen';
    const [event] = createOutputSanitizer().write(chunk).events;
    expect(chunk.slice(event?.chunkOffset)).toBe('\x1b[H\x1b[2Jvim screen');
  });

  test('other private modes and malformed mode lists report nothing', () => {
    expect(run(['\x1b[?2004h\x1b[?1049$h\x1b[?1049;>h\x1b[1049h']).events).toEqual([]);
  });
});

describe('options', () => {
  const link = '\x1b]8;id=7;https://example.com/docs\x1b\\docs\x1b]8;;\x1b\\';

  test('hyperlinks are removed by default and their label kept', () => {
    expect(sanitizeOutput(link)).toBe('docs');
  });

  test('allowed hyperlinks pass with a BEL terminator', () => {
    expect(sanitizeOutput(link, { allowHyperlinks: true })).toBe(
      '\x1b]8;id=7;https://example.com/docs\x07docs\x1b]8;;\x07',
    );
  });

  test.each([
    ['a javascript: target', '\x1b]8;;javascript:alert(1)\x07'],
    ['a custom scheme', '\x1b]8;;ms-msdt:/id\x07'],
    ['a space in the target', '\x1b]8;;https://a b\x07'],
    [
      'a target over the length bound',
      `\x1b]8;;https://e.com/${'a'.repeat(outputSanitizerLimits.maxHyperlinkLength)}\x07`,
    ],
    ['an unterminated link cut by ESC', '\x1b]8;;https://e.com\x1b[0m'],
  ])('allowed hyperlinks still drop %s', (_name, payload) => {
    expect(sanitizeOutput(`${payload}label`, { allowHyperlinks: true })).toMatch(
      /^(\x1b\[0m)?label$/,
    );
  });

  test('line editing sequences pass only when allowed, with digits only', () => {
    const input = 'a\x1b[K\x1b[2K\x1b[10G\x1b[3C\x1b[D\x1b[?1K\x1b[1;2G';
    expect(sanitizeOutput(input)).toBe('a');
    expect(sanitizeOutput(input, { allowLineEditing: true })).toBe(
      'a\x1b[K\x1b[2K\x1b[10G\x1b[3C\x1b[D',
    );
  });
});
