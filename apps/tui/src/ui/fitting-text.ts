import stringWidth from 'string-width';

/**
 * The first of `variants` (longest first) that fits in `width` columns, so that a hint never
 * wraps onto a second row the frame did not count; where none fits, the last one cut to `width`
 * with `…`. Empty when not even that has room.
 */
export function fittingText(variants: readonly [string, ...string[]], width: number): string {
  const fitting = variants.find((text) => stringWidth(text) <= width);
  if (fitting !== undefined) return fitting;
  if (width <= 0) return '';
  let cut = variants[variants.length - 1] ?? '';
  while (cut.length > 0 && stringWidth(cut) > width - 1) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
