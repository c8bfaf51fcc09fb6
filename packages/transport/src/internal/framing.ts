/**
 * How JSON messages are delimited on a byte stream: `ndjson`, one JSON text per line; or
 * `content-length`, the base protocol of the Language Server Protocol (a `Content-Length` header,
 * a blank line, then exactly that many bytes of UTF-8 JSON).
 */
export type Framing = 'ndjson' | 'content-length';
