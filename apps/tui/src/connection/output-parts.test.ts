import { expect, test } from 'vitest';
import { OUTPUT_PART_CHARS, outputParts } from './output-parts.js';

test('output no longer than a part is one part', () => {
  expect(outputParts('')).toEqual(['']);
  const whole = 'x'.repeat(OUTPUT_PART_CHARS);
  expect(outputParts(whole)).toEqual([whole]);
});

test('longer output is cut after a line end where there is one, nothing lost, every part within the limit', () => {
  const lines = Array.from(
    { length: 3000 },
    (_, index) => `line ${index} ${'ab'.repeat(index % 40)}\r\n`,
  );
  const data = lines.join('');
  const parts = outputParts(data);
  expect(parts.join('')).toBe(data);
  expect(parts.length).toBeGreaterThan(1);
  for (const part of parts) expect(part.length).toBeLessThanOrEqual(OUTPUT_PART_CHARS);
  for (const part of parts.slice(0, -1)) expect(part.endsWith('\r\n')).toBe(true);
});

test('a line longer than a part is cut at the limit, but never between the halves of an emoji', () => {
  for (const offset of [0, 1]) {
    const data = `${'x'.repeat(offset)}${'🙂'.repeat(OUTPUT_PART_CHARS)}`;
    const parts = outputParts(data);
    expect(parts.join('')).toBe(data);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(OUTPUT_PART_CHARS);
      expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  }
});
