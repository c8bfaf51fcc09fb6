import { serializeMessage } from '@lifeline/transport/ndjson';

/**
 * Dispatches every item of a batch and sends their responses as one array once the last is in
 * (nothing when every item was a notification or a response). `dispatch` returns true when the
 * item will be answered through the `respond` it is given, at once or later.
 */
export function dispatchBatch(
  items: readonly unknown[],
  dispatch: (item: unknown, respond: (response: object) => void) => boolean,
  send: (responses: object[]) => void,
): void {
  const responses: object[] = [];
  let outstanding = 0;
  let dispatched = false;
  const collect = (response: object) => {
    // Checked one by one, so a result JSON cannot represent spoils only its own answer (-32603).
    serializeMessage(response);
    responses.push(response);
    outstanding -= 1;
    if (dispatched && outstanding === 0) send(responses);
  };
  for (const item of items) {
    outstanding += 1;
    if (!dispatch(item, collect)) outstanding -= 1;
  }
  dispatched = true;
  if (outstanding === 0 && responses.length > 0) send(responses);
}
