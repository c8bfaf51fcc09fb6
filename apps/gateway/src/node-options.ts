/**
 * Options of `NODE_OPTIONS` that make Node load a module before it runs anything: a preload costs
 * every process its own start-up (and runs the user's code in Lifeline's processes).
 */
const PRELOAD_OPTIONS = ['--require', '-r', '--import', '--loader', '--experimental-loader'];

/**
 * The words of a `NODE_OPTIONS` value, split as Node splits them: at spaces outside double quotes;
 * inside them a backslash takes the next character as it is.
 * @returns undefined when Node would refuse the value (an unterminated quote or escape)
 */
export function splitNodeOptions(value: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quoted = false;
  for (let index = 0; index < value.length; index += 1) {
    let character = value.charAt(index);
    if (character === '\\' && quoted) {
      index += 1;
      if (index === value.length) return undefined;
      character = value.charAt(index);
    } else if (character === ' ' && !quoted) {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    } else if (character === '"') {
      quoted = !quoted;
      continue;
    }
    word = (word ?? '') + character;
  }
  if (word !== undefined) words.push(word);
  return quoted ? undefined : words;
}

/** A `NODE_OPTIONS` value that Node splits into exactly `words` (see {@link splitNodeOptions}), none of them empty. */
export function joinNodeOptions(words: readonly string[]): string {
  return words
    .map((word) =>
      word !== '' && !/[ "\\]/.test(word) ? word : `"${word.replace(/["\\]/g, '\\$&')}"`,
    )
    .join(' ');
}

/**
 * `NODE_OPTIONS` without the modules it preloads (`--require`, `-r`, `--import`, `--loader`,
 * `--experimental-loader`, with their value as the next word or after `=`); every other option is
 * kept in its order.
 * @returns the value unchanged when it preloads nothing; undefined when nothing else is left, or
 *   when Node would refuse the value anyway
 */
export function nodeOptionsWithoutPreloads(value: string): string | undefined {
  const words = splitNodeOptions(value);
  if (words === undefined) return undefined;
  const kept: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    if (PRELOAD_OPTIONS.includes(word)) index += 1;
    else if (!PRELOAD_OPTIONS.some((option) => word.startsWith(`${option}=`))) kept.push(word);
  }
  if (kept.length === words.length) return value;
  return kept.length === 0 ? undefined : joinNodeOptions(kept);
}
