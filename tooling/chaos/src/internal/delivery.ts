/** What the client was given and what it made of it, for one session. */
export interface DeliveryRecord {
  /** Seqs of the on-disk log the comparison covers (0 … n, as read). */
  readonly diskSeqs: readonly number[];
  /** Every seq delivered to the client, in arrival order, duplicates included. */
  readonly deliveredSeqs: readonly number[];
  /** The client's fold: seq of the last event applied, and how many events it applied. */
  readonly folded: { readonly lastSeq: number; readonly applied: number };
}

/** Counts of one comparison between the log and the client. */
export interface DeliveryCounts {
  /** Seqs on disk the client never received, or never folded. */
  readonly lost: number;
  /** Deliveries of a seq the client had already received (the fold must ignore them). */
  readonly duplicatesDelivered: number;
  /** Events the fold applied more than once: applications beyond one per folded seq. */
  readonly duplicatesApplied: number;
}

/**
 * Compares what a client received and folded with the log on disk. A fold applies each seq at
 * most once and never past a gap, so it applied exactly `lastSeq + 1` events when nothing was
 * applied twice; more applications are duplicates that reached the screen.
 */
export function compareDelivery(record: DeliveryRecord): DeliveryCounts {
  const seen = new Set<number>();
  let duplicatesDelivered = 0;
  for (const seq of record.deliveredSeqs) {
    if (seen.has(seq)) duplicatesDelivered += 1;
    else seen.add(seq);
  }
  let lost = 0;
  for (const seq of record.diskSeqs) {
    if (!seen.has(seq) || seq > record.folded.lastSeq) lost += 1;
  }
  return {
    lost,
    duplicatesDelivered,
    duplicatesApplied: Math.max(0, record.folded.applied - (record.folded.lastSeq + 1)),
  };
}
