/** Largest command accepted by `session.run`, in UTF-8 bytes. */
export const MAX_COMMAND_BYTES = 64 * 1024;

/** Largest `session.input` payload, in UTF-8 bytes. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Most events one `session.events` call returns. */
export const MAX_EVENTS_PER_PAGE = 10_000;

/** Longest timeout a run may ask for: one day. */
export const MAX_RUN_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Run timeout when the caller gives none. */
export const DEFAULT_RUN_TIMEOUT_MS = 30_000;

/**
 * Bounds of `session.attach {outputWindow}`, in characters of output data: at least 4 KiB (one
 * small event), at most 16 Mi.
 */
export const OUTPUT_WINDOW_LIMITS = { min: 4 * 1024, max: 16 * 1024 * 1024 } as const;

/** The `ready` capability of a gateway that takes `session.attach {outputWindow}` and `session.consumed`. */
export const OUTPUT_WINDOW_CAPABILITY = 'output-window';

/**
 * The `ready` capability of a gateway whose clients may change their output window as they go:
 * `session.consumed {outputWindow}` (within {@link OUTPUT_WINDOW_LIMITS}).
 */
export const OUTPUT_WINDOW_RESIZE_CAPABILITY = 'output-window-resize';

/**
 * The `ready` capability of a gateway that answers `session.recent`: where to begin reading a long
 * session's history to show only its last stretch.
 */
export const RECENT_HISTORY_CAPABILITY = 'recent-history';

/**
 * The `ready` capability of a gateway that takes `session.attach {attachedBy: 'person'}` and says
 * when a session was last so attached (`lastAttachedAt` in its summary).
 */
export const ATTACHED_BY_CAPABILITY = 'attached-by';

/** Largest terminal width and height, in cells, anywhere a size is given (the smallest is 1). */
export const MAX_TERMINAL_DIMENSION = 1000;

/**
 * Bounds of an idempotency key (`session.run` and `session.input`), in characters: any string a
 * client makes unique per intended action, e.g. a UUID.
 */
export const IDEMPOTENCY_KEY_LIMITS = { min: 1, max: 200 } as const;

/** How long a gateway waits for a session host to take `session.input` when the caller gives no `timeoutMs`. */
export const DEFAULT_INPUT_TIMEOUT_MS = 10_000;
