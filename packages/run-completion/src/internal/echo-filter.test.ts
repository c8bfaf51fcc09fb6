import { describe, expect, test } from 'vitest';
import type { Chunk } from './chunk.js';
import { EchoFilter } from './echo-filter.js';
import { postambleLine } from './frame-syntax.js';

const token = 'RunTokenRunTokenRunTok';
const line = postambleLine(token, 'make');

function filter(chunks: Chunk[], armed = [token]): { output: string; echo: EchoFilter } {
  let output = '';
  const decoder = new TextDecoder();
  const echo = new EchoFilter((data) => {
    output += typeof data === 'string' ? data : decoder.decode(data, { stream: true });
  });
  for (const armedToken of armed) echo.arm(armedToken, postambleLine(armedToken, 'make'));
  for (const chunk of chunks) echo.push(chunk);
  echo.flush();
  return { output, echo };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe.each([
  ['strings', (text: string) => text],
  ['bytes', bytes],
] as const)('EchoFilter over %s', (_name, as) => {
  test('removes the echo of the pending line and the CR LF after it, nothing else', () => {
    const stream = `$ make\r\n${line}\r\n\x1b[31mred\x1b[0m\r\rdone\r\n$ ${line}\r\n`;
    expect(filter([as(stream)]).output).toBe('$ make\r\n\x1b[31mred\x1b[0m\r\rdone\r\n$ ');
  });

  test('leaves what follows an echo alone when it is not CR LF', () => {
    expect(filter([as(` \b${line}\x1b[?2004l\r\r\n`)]).output).toBe(' \b\x1b[?2004l\r\r\n');
    expect(filter([as(`${line}\rX`)]).output).toBe('\rX');
  });

  test('finds an echo split at every position across two chunks', () => {
    const stream = `a${line}\r\nb`;
    for (let cut = 1; cut < stream.length; cut++) {
      expect(filter([as(stream.slice(0, cut)), as(stream.slice(cut))]).output).toBe('ab');
    }
  });

  test('keeps lines of other tokens, near misses and program output that merely starts alike', () => {
    const other = postambleLine('OtherTokenOtherTokenOt', 'make');
    const nearMiss = line.replace('eval', 'evil');
    const stream = `${other}\r\n${nearMiss}\r\n \\lifelinebegin hello\r\n`;
    expect(filter([as(stream)]).output).toBe(stream);
  });

  test('holds a tail that could grow into an echo, and releases it on flush', () => {
    const { output } = filter([as(`ready ${line.slice(0, 20)}`)]);
    expect(output).toBe(`ready ${line.slice(0, 20)}`);
  });

  test('stops removing once disarmed', () => {
    let output = '';
    const echo = new EchoFilter((data) => {
      output += typeof data === 'string' ? data : new TextDecoder().decode(data);
    });
    echo.arm(token, line);
    echo.push(as(`${line}\r\n`));
    echo.disarm(token);
    echo.push(as(`${line}\r\n`));
    expect(output).toBe(`${line}\r\n`);
    expect(echo.active).toBe(false);
  });
});

test('bytes in, bytes out: a CR after a removed echo that no LF follows comes out as bytes', () => {
  const outputs: Chunk[] = [];
  const echo = new EchoFilter((data) => outputs.push(data));
  echo.arm(token, line);
  echo.push(bytes(`${line}\r`));
  echo.push(bytes('X'));
  echo.push(bytes(`${line}\r`));
  echo.flush();
  expect(outputs.every((output) => output instanceof Uint8Array)).toBe(true);
  expect(outputs.map((output) => new TextDecoder().decode(output as Uint8Array)).join('')).toBe(
    '\rX\r',
  );
});
