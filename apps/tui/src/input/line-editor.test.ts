import { expect, test } from 'vitest';
import { emptyLine, lineEditor, type LineState } from './line-editor.js';

const typed = (text: string): LineState => lineEditor.insert(emptyLine, text);

test('inserts and deletes at the cursor, whole characters at a time', () => {
  let line = typed('echo h😀');
  line = lineEditor.deleteBackward(line);
  expect(line).toMatchObject({ text: 'echo h', cursor: 6 });
  line = lineEditor.home(line);
  line = lineEditor.right(line);
  line = lineEditor.insert(line, 'X');
  expect(line).toMatchObject({ text: 'eXcho h', cursor: 2 });
  line = lineEditor.deleteForward(line);
  expect(line.text).toBe('eXho h');
});

test('Ctrl+W, Ctrl+U and Ctrl+K delete words and line parts like a shell', () => {
  expect(lineEditor.deleteWordBackward(typed('git commit -m  ')).text).toBe('git commit ');
  const middle = lineEditor.left(lineEditor.left(typed('abcdef')));
  expect(lineEditor.killToStart(middle)).toMatchObject({ text: 'ef', cursor: 0 });
  expect(lineEditor.killToEnd(middle)).toMatchObject({ text: 'abcd', cursor: 4 });
});

test('browses the history and brings back what was being typed', () => {
  const history = ['ls', 'make test'];
  let line = typed('draft');
  line = lineEditor.historyPrevious(line, history);
  expect(line.text).toBe('make test');
  line = lineEditor.historyPrevious(line, history);
  expect(line.text).toBe('ls');
  expect(lineEditor.historyPrevious(line, history).text).toBe('ls');
  line = lineEditor.historyNext(line, history);
  expect(line.text).toBe('make test');
  line = lineEditor.historyNext(line, history);
  expect(line).toMatchObject({ text: 'draft', cursor: 5 });
});
