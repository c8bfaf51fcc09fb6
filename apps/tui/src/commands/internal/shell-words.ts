import { detectShellKind, type ShellKind } from '@lifeline/run-completion';

/** The quoting rules a shell reads a command line by. */
type QuotingRules = 'ansi-c' | 'fish' | 'posix';

function rulesFor(kind: ShellKind): QuotingRules {
  if (kind === 'bash' || kind === 'zsh' || kind === 'ksh') return 'ansi-c';
  if (kind === 'fish') return 'fish';
  return 'posix';
}

/**
 * Characters a word may hold and still be typed bare in every shell Lifeline starts. Left out on
 * purpose: `=` (an assignment as the first word; `=cmd` expansion in zsh), `%` (job specs, fish's
 * process expansion), `~`, `!`, `#`, globs, braces and everything else a shell reads specially.
 */
const BARE_WORD = /^[A-Za-z0-9_@+:,./-]+$/;

/**
 * A terminal's line discipline or a line editor acts on these when they are typed (Ctrl+C, Tab,
 * Ctrl+D, DEL, …), so they are never typed as themselves inside a word.
 */
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

const octal = (char: string) => `\\${char.charCodeAt(0).toString(8).padStart(3, '0')}`;
const hex = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** bash, zsh, ksh93: `'…'`, or `$'…'` with octal escapes when the word holds control characters or `!`. */
function quoteAnsiC(word: string): string {
  if (!CONTROL_CHARACTER.test(word)) return `'${word.replaceAll("'", `'\\''`)}'`;
  // `!` is escaped too: history expansion is not turned off inside $'…' in every bash.
  return `$'${word.replace(/[\\'!]|[\x00-\x1f\x7f]/g, (char) => (char === '\\' || char === "'" ? `\\${char}` : octal(char)))}'`;
}

/** fish: `'…'` (only `\` and `'` escaped inside), control characters as `\xHH` between quoted runs. */
function quoteFish(word: string): string {
  if (word === '') return "''";
  return word
    .split(/([\x00-\x1f\x7f])/)
    .filter((part) => part !== '')
    .map((part) =>
      CONTROL_CHARACTER.test(part)
        ? hex(part)
        : `'${part.replace(/[\\']/g, (char) => `\\${char}`)}'`,
    )
    .join('');
}

/**
 * POSIX sh (dash, busybox, mksh): `'…'`; a line feed stays literal inside the quotes (a command
 * of several lines is sourced from a script, never typed line by line), every other control
 * character comes from `printf` with an octal escape, which every POSIX shell understands.
 */
function quotePosix(word: string): string {
  if (word === '') return "''";
  return word
    .split(/([\x00-\x09\x0b-\x1f\x7f])/)
    .filter((part) => part !== '')
    .map((part) =>
      /^[\x00-\x09\x0b-\x1f\x7f]$/.test(part)
        ? `"$(printf '${octal(part)}')"`
        : `'${part.replaceAll("'", `'\\''`)}'`,
    )
    .join('');
}

/**
 * One word, quoted so that the shell passes it to the program exactly as given: spaces, quotes,
 * `$`, `;`, globs, line feeds, control characters and non-ASCII text included. Words made only of
 * characters no shell reads specially stay as they are, so the command line still reads well.
 */
export function quoteWord(word: string, kind: ShellKind): string {
  if (BARE_WORD.test(word)) return word;
  switch (rulesFor(kind)) {
    case 'ansi-c':
      return quoteAnsiC(word);
    case 'fish':
      return quoteFish(word);
    case 'posix':
      return quotePosix(word);
  }
}

/**
 * The command line that runs `words` as an argument vector in a shell at `shellPath`: the first
 * word is the program, each word reaches it unchanged. A NUL cannot be passed to a program in an
 * argument, so a word holding one is refused.
 * @throws RangeError for an empty vector or a word holding a NUL character
 */
export function argvCommandLine(words: readonly string[], shellPath: string): string {
  if (words.length === 0) throw new RangeError('an argument vector needs at least the program');
  const withNul = words.findIndex((word) => word.includes('\0'));
  if (withNul !== -1)
    throw new RangeError(
      `word ${withNul + 1} holds a NUL character, which no program can receive in an argument`,
    );
  const kind = detectShellKind(shellPath);
  return words.map((word) => quoteWord(word, kind)).join(' ');
}
