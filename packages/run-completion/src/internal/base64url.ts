const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding; shells can carry the result unquoted and printf leaves it alone. */
export function base64Url(bytes: Uint8Array): string {
  let text = '';
  let bits = 0;
  let bitCount = 0;
  for (const byte of bytes) {
    bits = ((bits << 8) | byte) & 0xffff;
    bitCount += 8;
    while (bitCount >= 6) {
      bitCount -= 6;
      text += alphabet.charAt((bits >> bitCount) & 63);
    }
  }
  if (bitCount > 0) text += alphabet.charAt((bits << (6 - bitCount)) & 63);
  return text;
}
