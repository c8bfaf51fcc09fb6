import { expect, test } from 'vitest';
import { TerminalQueryReplies } from './terminal-query-replies.js';

test('each question takes the first answer; the same answer from another client is not typed', () => {
  const replies = new TerminalQueryReplies();
  replies.seen('prompt\x1b[6n', 1000);
  expect(replies.take('\x1b[5;1R', 1010)).toBe('\x1b[5;1R');
  expect(replies.take('\x1b[5;1R', 1020)).toBe('');
});

test('several questions take their answers in order; nothing but answers is typed', () => {
  const replies = new TerminalQueryReplies();
  replies.seen('\x1b[c\x1b[5n', 0);
  replies.seen('\x1b[31mred\x1b[0m \x1b[6n', 0);
  expect(replies.take('\x1b[?1;2cls -la\r\x1b[0n\x1b[3;7R\x1b[4;1R', 10)).toBe(
    '\x1b[?1;2c\x1b[0n\x1b[3;7R',
  );
});

test('an answer with no question, or after the program stopped waiting, is not typed', () => {
  const replies = new TerminalQueryReplies();
  expect(replies.take('\x1b[1;1R', 0)).toBe('');
  replies.seen('\x1b[6n', 0);
  expect(replies.take('\x1b[1;1R', 6000)).toBe('');
});
