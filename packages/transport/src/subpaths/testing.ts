// `@lifeline/transport/testing`: two connected in-process transports, for tests.
export { createTransportPair } from '../transport-pair.js';
