/** Milliseconds in each unit a duration is written in: `d`, `h`, `m`, `s`, `ms`. */
export const DURATION_UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
// Longest units first, so that 90 minutes are `1h30m` rather than `90m`.
const unitsLargestFirst = ['d', 'h', 'm', 's', 'ms'] as const;

/**
 * Milliseconds as every Lifeline message writes a duration, and as the CLI's duration flags read
 * it: `1h30m`, `2s`, `500ms`, `0s`.
 */
export function formatDurationSpec(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const unit of unitsLargestFirst) {
    const count = Math.floor(rest / DURATION_UNIT_MS[unit]);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * DURATION_UNIT_MS[unit];
    }
  }
  return text;
}
