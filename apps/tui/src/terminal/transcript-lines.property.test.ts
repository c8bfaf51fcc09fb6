import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { cutAt, outputAndCuts } from './__fixtures__/terminal-output.js';
import { sanitizeOutput } from './output-sanitizer.js';
import { createTranscriptLines } from './transcript-lines.js';
import type { TranscriptLines, TranscriptLinesOptions } from './transcript-lines.js';

const bounds = fc.record({
  maxLines: fc.integer({ min: 1, max: 6 }),
  maxColumns: fc.integer({ min: 1, max: 40 }),
  maxCharacters: fc.integer({ min: 1, max: 400 }),
});
/** Output as it reaches the line model: sanitised (with its options on), or raw to test robustness. */
const outputAndCutsSanitisedOrNot = fc
  .tuple(outputAndCuts, fc.boolean())
  .map(([[output, cuts], sanitised]) => ({
    output: sanitised
      ? sanitizeOutput(output, { allowHyperlinks: true, allowLineEditing: true })
      : output,
    cuts,
  }));

function snapshot(lines: TranscriptLines) {
  return {
    lineCount: lines.lineCount,
    hiddenLineCount: lines.hiddenLineCount,
    kept: lines.lastLines(Infinity),
    current: lines.currentLine(),
  };
}

function feed(chunks: readonly string[], options: TranscriptLinesOptions): TranscriptLines {
  const lines = createTranscriptLines(options);
  for (const chunk of chunks) lines.append(chunk);
  return lines;
}

test('the lines kept never exceed maxLines, and every finished line is kept or counted hidden', () => {
  fc.assert(
    fc.property(outputAndCutsSanitisedOrNot, bounds, ({ output, cuts }, options) => {
      const lines = createTranscriptLines(options);
      let hidden = 0;
      for (const chunk of cutAt(output, cuts)) {
        lines.append(chunk);
        const kept = lines.lastLines(Infinity);
        expect(kept.length).toBeLessThanOrEqual(options.maxLines);
        expect(kept.length).toBe(lines.lineCount - lines.hiddenLineCount);
        expect(lines.hiddenLineCount).toBeGreaterThanOrEqual(hidden);
        hidden = lines.hiddenLineCount;
        if (kept.length > 1) {
          expect(kept.reduce((total, line) => total + line.length, 0)).toBeLessThanOrEqual(
            options.maxCharacters,
          );
        }
      }
    }),
    fuzzParameters('transcript: bounded lines'),
  );
});

test('any output cut at any chunk boundaries gives the same lines as whole', () => {
  fc.assert(
    fc.property(outputAndCutsSanitisedOrNot, ({ output, cuts }) => {
      const options = { maxLines: 50, maxColumns: 60 };
      expect(snapshot(feed(cutAt(output, cuts), options))).toEqual(
        snapshot(feed([output], options)),
      );
    }),
    fuzzParameters('transcript: split equals whole'),
  );
});

/** Text in scripts other than Latin: runs of one- and two-column characters, combining marks, astral characters. */
const scriptText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'résumé',
        'naïve',
        'café',
        'ünïcödé',
        'Ελληνικά',
        'кириллица',
        '→ ← ✓ ✗',
        '—',
        '\u00ad',
        'e\u0301',
        '\u200b',
      ),
      fc.constantFrom('日本語', 'のテキスト', '한국어', '中文', '\uff21\uff22', '\u3099'),
      fc.constantFrom(
        '🙂',
        '👍🏽',
        '\ud83d',
        ' ',
        'ab',
        '\t',
        '\r',
        '\b',
        '\n',
        '\x1b[31m',
        '\x1b[0m',
        '\x1b[3D',
        '\x1b[K',
      ),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

test('text in any script fed one code unit at a time gives the same lines as whole', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        scriptText,
        outputAndCutsSanitisedOrNot.map(({ output }) => output),
      ),
      fc.integer({ min: 1, max: 30 }),
      (output, maxColumns) => {
        const options = { maxLines: 50, maxColumns };
        expect(snapshot(feed([...output.split('')], options))).toEqual(
          snapshot(feed([output], options)),
        );
      },
    ),
    fuzzParameters('transcript: one unit at a time equals whole'),
  );
});

test('rendered lines hold only text (tabs included), canonical SGR and hyperlinks, and end in the default style', () => {
  fc.assert(
    fc.property(outputAndCutsSanitisedOrNot, bounds, ({ output }, options) => {
      const lines = feed([output], { ...options, maxLines: 50, maxCharacters: 100_000 });
      const current = lines.currentLine();
      for (const line of [
        ...lines.lastLines(Infinity),
        ...(current === undefined ? [] : [current]),
      ]) {
        const tokens = line.match(
          /[^\x00-\x08\x0a-\x1f\x7f-\x9f]+|\x1b\[[0-9;]*m|\x1b\]8;[\x21-\x3a\x3c-\x7e]*;[\x21-\x7e]*\x07/gy,
        );
        expect(tokens?.join('') ?? '').toBe(line);
        const styles = line.match(/\x1b\[[0-9;]*m/g) ?? [];
        if (styles.length > 0) expect(styles.at(-1)).toBe('\x1b[0m');
        const links = line.match(/\x1b\]8;[^\x07]*\x07/g) ?? [];
        if (links.length > 0) expect(links.at(-1)).toBe('\x1b]8;;\x07');
      }
    }),
    fuzzParameters('transcript: clean lines'),
  );
});

test('a line of printable ASCII never shows more than maxColumns columns before its marker', () => {
  const asciiOutput = fc
    .array(
      fc.oneof(
        fc.string({
          unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
          maxLength: 30,
        }),
        fc.constantFrom(
          '\r',
          '\n',
          '\t',
          '\b',
          '\x1b[K',
          '\x1b[1K',
          '\x1b[2K',
          '\x1b[5C',
          '\x1b[3D',
          '\x1b[20G',
          '\x1b[31m',
        ),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));
  fc.assert(
    fc.property(asciiOutput, fc.integer({ min: 1, max: 40 }), (output, maxColumns) => {
      const lines = feed([output], { maxColumns, maxLines: 100 });
      const current = lines.currentLine();
      for (const line of [
        ...lines.lastLines(Infinity),
        ...(current === undefined ? [] : [current]),
      ]) {
        const text = line
          .replace(/\x1b\[2m… \+\d+ columns\x1b\[0m$/, '')
          .replace(/\x1b\[[0-9;]*m/g, '');
        expect(text.length).toBeLessThanOrEqual(maxColumns);
      }
    }),
    fuzzParameters('transcript: column cap'),
  );
});

test('a line rewritten in place from column 0 renders exactly like the same line written once', () => {
  const lineFragment = fc.oneof(
    fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      maxLength: 12,
    }),
    fc.constantFrom('日本', '語', '\u0301', 'e\u0301', '🎉', '\ud83d\ude00\u200d', '✓'),
    fc.constantFrom(
      '\x1b[31m',
      '\x1b[1;4m',
      '\x1b[0m',
      '\x1b[38;2;1;2;3m',
      '\x1b[22;39m',
      '\x1b[48;5;17m',
    ),
    fc.constantFrom('\x1b]8;;https://example.com\x07', '\x1b]8;;\x07'),
  );
  const line = fc
    .tuple(fc.integer({ min: 0x21, max: 0x7e }), fc.array(lineFragment, { maxLength: 12 }))
    .map(([first, fragments]) => String.fromCharCode(first) + fragments.join(''));
  fc.assert(
    fc.property(line, fc.integer({ min: 1, max: 30 }), (text, maxColumns) => {
      const once = feed([`${text}\n`], { maxColumns }).line(0);
      const rewritten = feed([`X\r${text}\n`], { maxColumns }).line(0);
      expect(rewritten).toBe(once);
    }),
    fuzzParameters('transcript: cells render like runs'),
  );
});
