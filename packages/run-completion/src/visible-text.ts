/** Anything but spaces and control characters. */
const visibleCharacter = /[^\x00-\x20\x7f]/;
/** Bytes as UTF-8 (what `appendOutput` passes a host that ingests bytes). */
const decoder = new TextDecoder();
/** CSI, OSC, DCS/SOS/PM/APC strings and the two-character escapes: none of them shows text. */
const escapeSequences =
  /\x1b(?:\[[0-9;:?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[PX^_][^\x1b]*(?:\x1b\\)?|[ -/]*[0-~])/g;

/**
 * Whether terminal output shows anything on screen: a character other than a space or a control
 * character once escape sequences are taken out. A prompt does; what a line editor sends while it
 * sets up (bracketed paste on, colours, a title) does not. A session host waits for this after a
 * prompt frame before it types the next command, and a transcript tells a prompt's output from
 * mode switches with it. Takes output as `appendOutput` passes it: a string, or UTF-8 bytes.
 */
export function hasVisibleText(output: string | Uint8Array): boolean {
  const text = typeof output === 'string' ? output : decoder.decode(output);
  return visibleCharacter.test(text.replace(escapeSequences, ''));
}
