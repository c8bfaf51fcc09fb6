import { describe, expect, test } from 'vitest';
import { fittingText } from './fitting-text.js';

describe('fittingText', () => {
  const variants = [
    'keys go to your shell · Ctrl+] opens commands',
    'Ctrl+] opens commands',
  ] as const;

  test('the longest variant that fits the width', () => {
    expect(fittingText(variants, 100)).toBe(variants[0]);
    expect(fittingText(variants, 45)).toBe(variants[0]);
    expect(fittingText(variants, 44)).toBe(variants[1]);
  });

  test('where none fits, the shortest cut to the width with an ellipsis, wide characters counted as two', () => {
    expect(fittingText(variants, 10)).toBe('Ctrl+] op…');
    expect(fittingText(['中文字符'], 6)).toBe('中文…');
    expect(fittingText(variants, 1)).toBe('…');
    expect(fittingText(variants, 0)).toBe('');
  });
});
