import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { joinNodeOptions, nodeOptionsWithoutPreloads, splitNodeOptions } from './node-options.js';

/** Words as Node options hold them: paths with spaces, quotes and backslashes included. */
const word = fc.oneof(
  fc.constantFrom(
    '--max-old-space-size=200',
    '--enable-source-maps',
    '--require',
    '-r',
    '--import',
  ),
  fc.string({
    unit: fc.constantFrom('a', ' ', '"', '\\', '=', '/', '-'),
    minLength: 1,
    maxLength: 8,
  }),
);

describe('NODE_OPTIONS words', () => {
  test('split as Node splits them: spaces outside quotes, backslash escapes inside', () => {
    expect(splitNodeOptions('--max-old-space-size=200  --require "/my dir/a.cjs"')).toEqual([
      '--max-old-space-size=200',
      '--require',
      '/my dir/a.cjs',
    ]);
    expect(splitNodeOptions('--title="a \\"b\\"" x')).toEqual(['--title=a "b"', 'x']);
    expect(splitNodeOptions('-r "unterminated')).toBeUndefined();
    expect(splitNodeOptions('"trailing\\')).toBeUndefined();
  });

  test('what is joined splits into the same words', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        expect(splitNodeOptions(joinNodeOptions(words))).toEqual(words);
      }),
      fuzzParameters('NODE_OPTIONS: join then split'),
    );
  });

  test('joined words reach a Node process as those options', () => {
    const title = 'lifeline "test" \\ title';
    const printed = execFileSync(process.execPath, ['-p', 'process.title'], {
      env: { ...process.env, NODE_OPTIONS: joinNodeOptions([`--title=${title}`]) },
      encoding: 'utf8',
    });
    expect(printed.trim()).toBe(title);
  });
});

describe('NODE_OPTIONS without preloads', () => {
  test('drops every preloaded module, in either form, and keeps the other options in order', () => {
    expect(
      nodeOptionsWithoutPreloads(
        '--require /a.cjs --max-old-space-size=200 -r b --import=c.mjs --loader d --experimental-loader=e --enable-source-maps',
      ),
    ).toBe('--max-old-space-size=200 --enable-source-maps');
    expect(nodeOptionsWithoutPreloads('--require "/my dir/a.cjs" --title="x y"')).toBe(
      '"--title=x y"',
    );
  });

  test('is the value itself when nothing is preloaded, and nothing when nothing else is left', () => {
    expect(nodeOptionsWithoutPreloads('--max-old-space-size=200  --enable-source-maps')).toBe(
      '--max-old-space-size=200  --enable-source-maps',
    );
    expect(nodeOptionsWithoutPreloads('--import ./register.mjs')).toBeUndefined();
    expect(nodeOptionsWithoutPreloads('')).toBe('');
    // Node would refuse to start with it: Lifeline's processes start without it.
    expect(nodeOptionsWithoutPreloads('--require "/a.cjs')).toBeUndefined();
  });

  test('leaves no preload and every other word', () => {
    const preloadOption = /^(--require|-r|--import|--loader|--experimental-loader)$/;
    const preloadWithValue = /^(--require|-r|--import|--loader|--experimental-loader)=/;
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        const kept = nodeOptionsWithoutPreloads(joinNodeOptions(words));
        const keptWords = kept === undefined ? [] : (splitNodeOptions(kept) ?? []);
        // Each word is a preload option, the module it names, or an option that stays.
        const staying: string[] = [];
        let namesModule = false;
        for (const candidate of words) {
          if (namesModule) namesModule = false;
          else if (preloadOption.test(candidate)) namesModule = true;
          else if (!preloadWithValue.test(candidate)) staying.push(candidate);
        }
        expect(keptWords).toEqual(staying);
      }),
      fuzzParameters('NODE_OPTIONS: preloads removed, the rest kept'),
    );
  });
});
