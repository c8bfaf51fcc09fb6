import { Text } from 'ink';
import { describe, expect, test } from 'vitest';
import { renderLive } from '../test-utils/render-frame.js';
import {
  usePasteConfirmation,
  type PasteConfirmation,
  type PasteTarget,
} from './use-paste-confirmation.js';

/** Six lines: a paste large enough to be asked about. */
const largePaste = 'one\ntwo\nthree\nfour\nfive\nsix';

function renderConfirmation() {
  const delivered: { text: string; target: PasteTarget }[] = [];
  const hooks: { current: PasteConfirmation | undefined } = { current: undefined };
  function Confirmation() {
    const paste = usePasteConfirmation((text, target) => delivered.push({ text, target }));
    hooks.current = paste;
    return <Text>{paste.waiting ? `paste ${paste.waiting.size}?` : 'nothing waits'}</Text>;
  }
  const rendered = renderLive(<Confirmation />);
  const paste = () => {
    if (!hooks.current) throw new Error('not rendered yet');
    return hooks.current;
  };
  return { ...rendered, delivered, paste };
}

describe('usePasteConfirmation', () => {
  test('a key in the same chunk as a large paste answers its question, and one after the answer does not', async () => {
    const confirmation = renderConfirmation();
    await confirmation.settled();
    // The paste and the Enter after it come in one chunk, before the question is drawn: the Enter
    // is taken as the answer, not sent ahead of the paste.
    confirmation.paste().offer(largePaste, 'program');
    expect(confirmation.paste().isWaiting()).toBe(true);
    expect(await confirmation.settled()).toContain('paste 6 lines, 27 B?');
    // Enter, then more keys in the same chunk: they come after the paste, not into the question.
    confirmation.paste().confirm();
    expect(confirmation.paste().isWaiting()).toBe(false);
    expect(confirmation.delivered).toEqual([{ text: largePaste, target: 'program' }]);
    expect(await confirmation.settled()).toContain('nothing waits');
    confirmation.unmount();
  });
});
