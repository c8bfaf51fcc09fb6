// `@lifeline/transport/token-file`: bearer tokens and the files that keep them.
export {
  GENERATED_TOKEN_BITS,
  MIN_TOKEN_BITS,
  assertStrongToken,
  createTokenFile,
  ensureTokenFile,
  generateToken,
  readTokenFile,
  tokenStrengthBits,
  tokensEqual,
} from '../token-file.js';
