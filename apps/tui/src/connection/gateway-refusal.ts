import type { ChildExit } from '@lifeline/recovery';

/** How a gateway's own words start on its stderr, before it exits by choice. */
const SAID = 'lifeline: ';

/**
 * Why a gateway refused to go on (a state directory it cannot use), in its own words: the last
 * line it printed before exiting with a status, when that line is its own. Undefined for an exit
 * that said nothing of the kind (a crash's stack, a signal).
 */
export function gatewayRefusal(exit: ChildExit | undefined): string | undefined {
  const detail = exit?.detail;
  if (exit?.code === null || exit?.code === undefined || !detail?.startsWith(SAID))
    return undefined;
  return detail.slice(SAID.length);
}
