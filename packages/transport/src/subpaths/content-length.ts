// `@lifeline/transport/content-length`: the Content-Length (LSP base protocol) decoder on its own.
export { ContentLengthDecoder, MAX_HEADER_BYTES } from '../content-length.js';
export type {
  ContentLengthDecoderHandlers,
  ContentLengthDecoderOptions,
} from '../content-length.js';
