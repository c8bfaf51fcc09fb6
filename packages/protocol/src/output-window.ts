import type { SessionEvent } from './events.js';

/** What an event without output counts for in an output window, in characters. */
export const WINDOWED_EVENT_SIZE = 64;

/**
 * What one event counts for in a client's `session.attach {outputWindow}`, the same on both
 * sides: the gateway sends while less than the window is unreported, the client reports
 * (`session.consumed`) as it applies. An `output` event counts the length of its data, any other
 * event {@link WINDOWED_EVENT_SIZE}, so a stream of events without output fills a window too.
 */
export function windowedSize(event: SessionEvent): number {
  return event.type === 'output' ? event.data.length : WINDOWED_EVENT_SIZE;
}
