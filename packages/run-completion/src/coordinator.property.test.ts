import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FakeClock } from './__fixtures__/fake-clock.js';
import {
  completeFrame,
  postambleToken,
  promptFrame,
  readyFrame,
  startFrame,
} from './__fixtures__/frames.js';
import { recorder } from './__fixtures__/recorder.js';
import { seededRandom } from './__fixtures__/seeded-random.js';
import type { CompletionMode } from './mode.js';
import { postambleLine } from './internal/frame-syntax.js';
import { createSessionToken } from './token.js';

const token = createSessionToken(seededRandom(11));
const base64UrlChars = Array.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
);
const alphanumeric = Array.from('ABCDEFGHIJabcdefghij0123456789');

// ---- noise: what programs print ------------------------------------------------------------

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('\r\n', '\r', '\n', '\t', '\x07', '\b', ' ', '%', ';') },
);
/** Now and then one long run of plain output, so that chunks of up to 64 KiB really occur. */
const bulk = fc.oneof(
  { weight: 9, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 100_000 }).map((length) => 'x'.repeat(length)),
  },
);
const csi = fc
  .tuple(
    fc.array(fc.nat(300), { maxLength: 4 }),
    fc.constantFrom('m', 'K', 'H', 'J', 'A', 'h', 'l', 'n'),
  )
  .map(([parameters, final]) => `\x1b[${parameters.join(';')}${final}`);
const osc = fc
  .tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), fc.constantFrom('\x07', '\x1b\\'))
  .map(([title, end]) => `\x1b]0;${title.replaceAll('\x1b', '')}${end}`);
const apc = fc
  .string({ unit: 'grapheme-ascii', maxLength: 30 })
  .map((payload) => `\x1b_G${payload.replaceAll('\x1b', '')}\x1b\\`);
const loneEscape = fc.constantFrom('\x1b', '\x1b\x1b', '\x1b_', '\x1b\\');
const framePrefixFragment = fc
  .integer({ min: 1, max: 12 })
  .map((length) => '\x1b_lifeline;'.slice(0, length));

/** A token that is not the session token (nor any run token). */
const wrongToken = fc.oneof(
  fc.string({ unit: fc.constantFrom(...base64UrlChars), minLength: 1, maxLength: 70 }),
  fc.nat(token.length - 1).map((index) => {
    const replacement = token[index] === 'A' ? 'B' : 'A';
    return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
  }),
  fc.nat(token.length - 1).map((length) => token.slice(0, length)),
  fc
    .string({ unit: fc.constantFrom(...base64UrlChars), minLength: 1, maxLength: 5 })
    .map((suffix) => token + suffix),
);
const forgedFrame = fc
  .tuple(wrongToken, fc.nat(50), fc.nat(255), fc.constantFrom('S', 'P', 'C', 'R'))
  .filter(([forged]) => forged !== token)
  .map(([forged, counter, status, kind]) => {
    switch (kind) {
      case 'S':
        return startFrame(forged, counter);
      case 'P':
        return promptFrame(forged, counter, status, '/forged');
      case 'C':
        return completeFrame(forged, status, '/forged');
      default:
        return readyFrame(forged);
    }
  });
const forgedEcho = fc
  .string({ unit: fc.constantFrom(...alphanumeric), minLength: 22, maxLength: 22 })
  .map((forged) => `${postambleLine(forged, 'make')}\r\n`);

const noise = fc.oneof(
  { weight: 8, arbitrary: text },
  { weight: 3, arbitrary: csi },
  { weight: 2, arbitrary: osc },
  { weight: 1, arbitrary: apc },
  { weight: 1, arbitrary: loneEscape },
  { weight: 1, arbitrary: framePrefixFragment },
  { weight: 2, arbitrary: forgedFrame },
  { weight: 1, arbitrary: forgedEcho },
);
const noiseRun = fc.array(noise, { maxLength: 6 }).map((parts) => parts.join(''));

const cwd = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom('%', '%41', '\x1b', '\n', '\r', ';', ' ', '日本', '🎉'),
    ),
    { maxLength: 6 },
  )
  .map((parts) => `/${parts.join('')}`.replaceAll('\x1b\\', '\x1b|'));

// ---- chunking ------------------------------------------------------------------------------

const chunkSizes = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 64 * 1024 })),
  { minLength: 1, maxLength: 40 },
);
const representation = fc.constantFrom<'string' | 'bytes'>('string', 'bytes');

function chunked(stream: string, sizes: number[], as: 'string' | 'bytes'): (string | Uint8Array)[] {
  const data = as === 'string' ? stream : new TextEncoder().encode(stream);
  const chunks: (string | Uint8Array)[] = [];
  for (let offset = 0, index = 0; offset < data.length; index++) {
    const size = sizes[index % sizes.length] ?? 1;
    chunks.push(data.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}

type Expected = (string | { complete: number; exitCode: number; cwd: string })[];

function expectedTimeline(
  parts: (string | { complete: number; exitCode: number; cwd: string })[],
): Expected {
  const merged: Expected = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (typeof part === 'string') {
      if (part === '') continue;
      if (typeof last === 'string') merged[merged.length - 1] = last + part;
      else merged.push(part);
    } else merged.push(part);
  }
  return merged;
}

function setUp(mode: CompletionMode, registered: number) {
  const clock = new FakeClock();
  const log = recorder({ mode, token, clock, random: seededRandom(3) });
  const runs = Array.from({ length: registered }, (_, index) => {
    const prepared = log.coordinator.prepare(`command ${index}`);
    return log.coordinator.register(prepared, log.appendRunStart(prepared.runId, prepared.command));
  });
  return { clock, log, runs };
}

function actualTimeline(log: ReturnType<typeof recorder>, runIds: string[]): Expected {
  return log
    .timeline()
    .map((item) =>
      typeof item === 'string' ? item : { ...item, complete: runIds.indexOf(item.complete) },
    );
}

// ---- properties ----------------------------------------------------------------------------

const promptHookScript = fc.record({
  firstCwd: cwd,
  bulk,
  commands: fc.array(
    fc.record({
      emptyEnters: fc.nat(2),
      echo: noiseRun,
      output: noiseRun,
      status: fc.nat(255),
      cwd,
      stalePromptAfter: fc.boolean(),
      after: noiseRun,
    }),
    { maxLength: 6 },
  ),
  registered: fc.nat(6),
});

describe('prompt-hook mode under any chunking and noise', () => {
  test('yields exactly the events of the unchunked model; forged frames complete nothing', () => {
    fc.assert(
      fc.property(promptHookScript, chunkSizes, representation, (script, sizes, as) => {
        const { log, runs } = setUp('prompt-hook', script.registered);
        const stream: string[] = [promptFrame(token, 0, 0, script.firstCwd)];
        const model: (string | { complete: number; exitCode: number; cwd: string })[] = [];
        let counter = 0;
        script.commands.forEach((command, index) => {
          for (let enter = 0; enter < command.emptyEnters; enter++) {
            stream.push('\r\n', promptFrame(token, counter, 0, '/enter'));
            model.push('\r\n');
          }
          counter++;
          const output = command.output + (index === 0 ? (script.bulk ?? '') : '');
          stream.push(command.echo, startFrame(token, counter), output);
          stream.push(promptFrame(token, counter, command.status, command.cwd));
          model.push(command.echo, output);
          if (index < script.registered)
            model.push({ complete: index, exitCode: command.status, cwd: command.cwd });
          if (command.stalePromptAfter) stream.push(promptFrame(token, counter - 1, 7, '/stale'));
          stream.push(command.after);
          model.push(command.after);
        });
        for (const chunk of chunked(stream.join(''), sizes, as)) log.coordinator.ingest(chunk);
        log.coordinator.flushOnExit();
        expect(
          actualTimeline(
            log,
            runs.map((run) => run.runId),
          ),
        ).toEqual(expectedTimeline(model));
        const completed = Math.min(script.registered, script.commands.length);
        expect(runs.filter((run) => run.settled !== undefined)).toHaveLength(completed);
      }),
      fuzzParameters('prompt-hook chunking'),
    );
  });
});

const postambleScript = fc.record({
  bulk,
  commands: fc.array(
    fc.record({
      commandEcho: noiseRun,
      postambleEchoes: fc.nat(2),
      output: noiseRun,
      status: fc.oneof(fc.nat(255), fc.integer({ min: 257, max: 320 })),
      cwd,
      after: noiseRun,
    }),
    { maxLength: 6 },
  ),
});

describe('postamble mode under any chunking and noise', () => {
  test('yields exactly the events of the model, without the echoes of the postamble lines', () => {
    fc.assert(
      fc.property(postambleScript, chunkSizes, representation, (script, sizes, as) => {
        const { log, runs } = setUp('postamble', script.commands.length);
        const stream: string[] = [readyFrame(token)];
        const model: (string | { complete: number; exitCode: number; cwd: string })[] = [];
        script.commands.forEach((command, index) => {
          const run = runs[index]!;
          const line = run.textToWrite.split('\r')[0]!;
          stream.push(command.commandEcho);
          model.push(command.commandEcho);
          for (let echo = 0; echo < command.postambleEchoes; echo++) stream.push(`${line}\r\n`);
          const output = command.output + (index === 0 ? (script.bulk ?? '') : '');
          stream.push(
            output,
            completeFrame(postambleToken(run.textToWrite), command.status, command.cwd),
          );
          model.push(output);
          const exitCode = command.status > 256 ? command.status - 128 : command.status;
          model.push({ complete: index, exitCode, cwd: command.cwd });
          // After its frame the line is no longer pending: a late echo is left alone.
          stream.push(command.after, `${line}\r\n`);
          model.push(command.after, `${line}\r\n`);
        });
        for (const chunk of chunked(stream.join(''), sizes, as)) log.coordinator.ingest(chunk);
        log.coordinator.flushOnExit();
        expect(
          actualTimeline(
            log,
            runs.map((run) => run.runId),
          ),
        ).toEqual(expectedTimeline(model));
      }),
      fuzzParameters('postamble chunking'),
    );
  });
});

describe('forged frames', () => {
  test('never complete a run, and every byte of them reaches the output, idle flushes or not', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<CompletionMode>('prompt-hook', 'postamble'),
        fc.array(noise, { minLength: 1, maxLength: 30 }),
        bulk,
        chunkSizes,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        representation,
        (mode, parts, long, sizes, idles, as) => {
          const { log, runs, clock } = setUp(mode, 3);
          const stream = parts.join('') + (long ?? '');
          chunked(stream, sizes, as).forEach((chunk, index) => {
            log.coordinator.ingest(chunk);
            if (idles[index % idles.length] === true) clock.advance(1000);
          });
          log.coordinator.flushOnExit();
          expect(log.events.some((event) => event.type === 'run_complete')).toBe(false);
          expect(runs.every((run) => run.settled === undefined)).toBe(true);
          expect(log.outputText()).toBe(
            as === 'string' ? stream : new TextDecoder().decode(new TextEncoder().encode(stream)),
          );
        },
      ),
      fuzzParameters('forged frames'),
    );
  });
});
