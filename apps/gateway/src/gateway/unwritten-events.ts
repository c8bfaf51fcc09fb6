import type { SessionEvent } from '@lifeline/protocol';
import { UnwrittenSeqMark } from '../event-log/unwritten-seq-mark.js';
import type { HostRegistry } from './host-registry.js';
import type { SessionCatalog } from './session-catalog.js';

/**
 * The seq of the last event of a session, those its live host holds in memory while the disk is
 * full included (its unwritten-seq mark, when beyond the log on disk): `diskLastSeq` when it holds
 * none, or has no live host (one that died lost what it held).
 */
export function lastSeqHeldOrWritten(
  catalog: SessionCatalog,
  sid: string,
  diskLastSeq: number,
): number {
  const mark = UnwrittenSeqMark.read(catalog.sessionDir(sid));
  if (mark <= diskLastSeq || catalog.liveHostPid(sid) === undefined) return diskLastSeq;
  return mark;
}

/**
 * The events after `afterSeq` that the session's live host holds in memory, unwritten for want of
 * room on the disk, at most `limit` of them; asked only when {@link lastSeqHeldOrWritten} says it
 * holds some. Those it writes meanwhile are left out: they are on disk, where the next page finds
 * them.
 */
export async function heldEventsAfter(
  registry: HostRegistry,
  sid: string,
  afterSeq: number,
  limit: number,
): Promise<SessionEvent[]> {
  const host = await registry.ensure(sid);
  const { events } = await host.connection.client.call('host.unwritten', { afterSeq });
  return events.slice(0, limit);
}
