/** Name every Lifeline gateway and session host announces in its `ready` frame. */
export const PROTOCOL_NAME = 'lifeline';

/**
 * Wire protocol version. Bumped on any incompatible change to a method, a notification or the
 * event model; peers refuse a `ready` frame with a different major version.
 */
export const PROTOCOL_VERSION = 1;
