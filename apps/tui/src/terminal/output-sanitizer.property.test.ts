import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  cutAt,
  firstForbiddenToken,
  outputAndCuts,
  outputFragment,
} from './__fixtures__/terminal-output.js';
import { createOutputSanitizer, outputSanitizerLimits } from './output-sanitizer.js';
import type { OutputSanitizerOptions } from './output-sanitizer.js';

const optionSets: readonly OutputSanitizerOptions[] = [
  {},
  { allowHyperlinks: true },
  { allowLineEditing: true },
  { allowHyperlinks: true, allowLineEditing: true },
];
const options = fc.constantFrom(...optionSets);

/** The text and the events (placed in the whole input and output) of a stream cut into `chunks`. */
function sanitizeChunks(chunks: readonly string[], sanitizerOptions: OutputSanitizerOptions) {
  const sanitizer = createOutputSanitizer(sanitizerOptions);
  let text = '';
  let consumed = 0;
  const events: { active: boolean; mode: number; textOffset: number; inputOffset: number }[] = [];
  for (const chunk of chunks) {
    const output = sanitizer.write(chunk);
    for (const event of output.events) {
      events.push({
        active: event.active,
        mode: event.mode,
        textOffset: text.length + event.textOffset,
        inputOffset: consumed + event.chunkOffset,
      });
    }
    text += output.text;
    consumed += chunk.length;
  }
  text += sanitizer.flush().text;
  return { text, events };
}

test('any output cut at any chunk boundaries sanitises to the same text and events as whole', () => {
  fc.assert(
    fc.property(outputAndCuts, options, ([input, cuts], sanitizerOptions) => {
      expect(sanitizeChunks(cutAt(input, cuts), sanitizerOptions)).toEqual(
        sanitizeChunks([input], sanitizerOptions),
      );
    }),
    fuzzParameters('sanitiser: split equals whole'),
  );
});

test('the output never holds a sequence outside the allowlist', () => {
  fc.assert(
    fc.property(outputAndCuts, options, ([input, cuts], sanitizerOptions) => {
      const { text } = sanitizeChunks(cutAt(input, cuts), sanitizerOptions);
      expect(
        firstForbiddenToken(text, {
          hyperlinks: sanitizerOptions.allowHyperlinks ?? false,
          lineEditing: sanitizerOptions.allowLineEditing ?? false,
        }),
      ).toBeUndefined();
    }),
    fuzzParameters('sanitiser: allowlist only'),
  );
});

test('sanitising is idempotent: sanitised output passes through unchanged', () => {
  fc.assert(
    fc.property(outputAndCuts, options, ([input], sanitizerOptions) => {
      const once = sanitizeChunks([input], sanitizerOptions).text;
      expect(sanitizeChunks([once], sanitizerOptions).text).toBe(once);
    }),
    fuzzParameters('sanitiser: idempotent'),
  );
});

test('memory stays bounded whatever the input, including long unterminated strings', () => {
  const bound =
    outputSanitizerLimits.maxHyperlinkLength + outputSanitizerLimits.maxParameterLength + 1;
  const longFragment = fc.oneof(
    outputFragment,
    fc
      .tuple(
        fc.constantFrom('\x1b]8;;https://e.com/', '\x1b]', '\x1bP', '\x9d8;', '\x1b[', '\x9b'),
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom('a', '1;', '/', '\x00'),
      )
      .map(([start, count, unit]) => start + unit.repeat(count)),
  );
  fc.assert(
    fc.property(
      fc.array(longFragment, { maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      ([...fragments], cuts) => {
        const sanitizer = createOutputSanitizer({ allowHyperlinks: true, allowLineEditing: true });
        for (const chunk of cutAt(fragments.join(''), cuts)) {
          sanitizer.write(chunk);
          expect(sanitizer.bufferedLength).toBeLessThanOrEqual(bound);
        }
      },
    ),
    fuzzParameters('sanitiser: bounded memory'),
  );
});
