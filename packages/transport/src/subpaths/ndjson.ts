// `@lifeline/transport/ndjson`: the NDJSON codec on its own, for code that frames bytes itself.
export {
  DEFAULT_MAX_FRAME_BYTES,
  NdjsonDecoder,
  decodeFrame,
  encodeMessage,
  NdjsonLineEncoder,
  frameExcerpt,
  parseJson,
  serializeMessage,
} from '../ndjson.js';
export { isJsonText } from '../json-text-check.js';
export type { NdjsonDecoderHandlers, NdjsonDecoderOptions } from '../ndjson.js';
