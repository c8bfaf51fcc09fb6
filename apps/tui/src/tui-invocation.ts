/**
 * Whether these arguments open the TUI (no command; at most `-c` or `--resume <sid>`). Only a sure
 * yes counts: anything else goes through the full argument parser first.
 */
export function isTuiInvocation(argv: readonly string[]): boolean {
  if (argv.length === 0) return true;
  if (argv.length === 1)
    return argv[0] === '-c' || argv[0] === '--continue' || /^--resume=./.test(argv[0] ?? '');
  return argv.length === 2 && argv[0] === '--resume';
}
