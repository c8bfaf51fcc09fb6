// `pnpm bench tui`: measurements of the lifeline TUI. Each group of figures is one function
// returning its rows; `run` concatenates them.
//
// Terminal output: how fast the output sanitiser and the transcript line model take 1 MiB of
// plain text, of ANSI-heavy coloured output and of a hostile mix (every payload of the hostile
// escape corpus between coloured lines), fed in 16 KiB chunks as a PTY delivers them. Two limits
// run over the same chunks: `String.prototype.indexOf` finding every ESC (no scanner that looks
// at escapes can do less; on plain text it is a memchr), and a regex search stopping at every
// control character (what a sanitiser must at least visit). The TUI is an application, not a
// library, so its sources are imported directly (tsx compiles them).
import { hostileEscapes } from '../../../../apps/tui/src/terminal/__fixtures__/hostile-escapes.js';
import { createOutputSanitizer } from '../../../../apps/tui/src/terminal/output-sanitizer.js';
import { createTranscriptLines } from '../../../../apps/tui/src/terminal/transcript-lines.js';
import type { BenchResult, BenchSuite } from '../internal/result.js';
import { median } from '../internal/stats.js';

const inputBytes = 1024 * 1024;
const chunkLength = 16 * 1024;
const rounds = 15;
const warmUpPasses = 5;
/** Each sample repeats the pass until it lasts about this long, so that timer noise stays small. */
const targetSampleSeconds = 0.05;

type Dataset = 'plain' | 'ANSI-heavy' | 'hostile mix';

const repeatedText: Record<Dataset, string> = {
  plain: 'build step 17 finished in 45 ms: compiled packages/run-completion/src/index.ts, no warnings\r\n',
  'ANSI-heavy':
    '\x1b[32m✓\x1b[0m \x1b[1m\x1b[34msrc/coordinator.ts\x1b[0m \x1b[2m(12 tests)\x1b[22m \x1b[33m45ms\x1b[39m \x1b[38;2;255;128;0mwarn\x1b[0m\r\n',
  'hostile mix': hostileEscapes
    .map(({ chunks }) => `\x1b[31merror\x1b[0m ${chunks.join('')}\x1b[38;5;208m text after\x1b[0m\r\n`)
    .join(''),
};

/** `text` repeated and cut to exactly `inputBytes` bytes of UTF-8, in chunks of `chunkLength`. */
function chunksOf(text: string): string[] {
  let data = text.repeat(Math.ceil(inputBytes / Buffer.byteLength(text)) + 1);
  let length = inputBytes;
  while (Buffer.byteLength(data.slice(0, length)) > inputBytes) length--;
  data = data.slice(0, length).padEnd(length + inputBytes - Buffer.byteLength(data.slice(0, length)), 'x');
  if (Buffer.byteLength(data) !== inputBytes) throw new Error('the data set is not exactly 1 MiB');
  const chunks: string[] = [];
  for (let offset = 0; offset < data.length; offset += chunkLength) chunks.push(data.slice(offset, offset + chunkLength));
  return chunks;
}

/** One pass over the data set; returns something derived from the work so that it cannot be skipped. */
type Pass = (chunks: readonly string[]) => number;

const passes = {
  'limit: String indexOf': (chunks) => {
    let escapes = 0;
    for (const chunk of chunks) {
      for (let at = chunk.indexOf('\x1b'); at !== -1; at = chunk.indexOf('\x1b', at + 1)) escapes++;
    }
    return escapes;
  },
  'limit: control-character scan': (chunks) => {
    const control = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g;
    let controls = 0;
    for (const chunk of chunks) {
      control.lastIndex = 0;
      while (control.test(chunk)) controls++;
    }
    return controls;
  },
  'output sanitiser': (chunks) => {
    const sanitizer = createOutputSanitizer();
    let shown = 0;
    for (const chunk of chunks) shown += sanitizer.write(chunk).text.length;
    return shown + sanitizer.flush().text.length;
  },
  'sanitiser + transcript lines': (chunks) => {
    const sanitizer = createOutputSanitizer({ allowLineEditing: true });
    const lines = createTranscriptLines();
    for (const chunk of chunks) lines.append(sanitizer.write(chunk).text);
    lines.append(sanitizer.flush().text);
    lines.finish();
    return lines.lineCount;
  },
} satisfies Record<string, Pass>;

type Subject = keyof typeof passes;

/**
 * Seconds per pass of each subject, one sample per round and subject. The subjects take turns
 * within a round (in alternating order) so that neighbouring samples meet the same machine load.
 */
function sampleSeconds(chunks: readonly string[]): Record<Subject, number[]> {
  const subjects = Object.keys(passes) as Subject[];
  const repeats = new Map<Subject, number>();
  for (const subject of subjects) {
    for (let pass = 0; pass < warmUpPasses; pass++) passes[subject](chunks);
    const started = performance.now();
    passes[subject](chunks);
    const seconds = (performance.now() - started) / 1000;
    repeats.set(subject, Math.max(1, Math.ceil(targetSampleSeconds / Math.max(seconds, 1e-6))));
  }
  const samples = Object.fromEntries(subjects.map((subject) => [subject, [] as number[]])) as Record<
    Subject,
    number[]
  >;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const repeat = repeats.get(subject) ?? 1;
      let work = 0;
      const started = performance.now();
      for (let pass = 0; pass < repeat; pass++) work += passes[subject](chunks);
      const seconds = (performance.now() - started) / 1000 / repeat;
      if (work < 0) throw new Error('unreachable');
      samples[subject].push(seconds);
    }
  }
  return samples;
}

/** Throughput of the sanitiser and the line model on each data set, and the hostile 1 MiB time. */
function terminalOutputFigures(): BenchResult[] {
  const results: BenchResult[] = [];
  for (const dataset of Object.keys(repeatedText) as Dataset[]) {
    const samples = sampleSeconds(chunksOf(repeatedText[dataset]));
    const megabytesPerSecond = (subject: Subject) => inputBytes / 1e6 / median(samples[subject]);
    const limits = ['limit: String indexOf', 'limit: control-character scan'] as const;
    for (const limit of limits) {
      results.push({ subject: limit, case: `${dataset}, MB/s`, value: megabytesPerSecond(limit), unit: 'MB/s' });
    }
    for (const subject of ['output sanitiser', 'sanitiser + transcript lines'] as const) {
      const speed = megabytesPerSecond(subject);
      results.push({ subject, case: `${dataset}, MB/s`, value: speed, unit: 'MB/s' });
      for (const limit of limits) {
        results.push({
          subject,
          case: `${dataset}, ratio vs ${limit.slice('limit: '.length)}`,
          value: speed / megabytesPerSecond(limit),
          unit: 'x',
        });
      }
    }
    if (dataset === 'hostile mix') {
      const milliseconds = median(samples['output sanitiser']) * 1000;
      results.push({
        subject: 'output sanitiser',
        case: 'hostile mix, 1 MiB, median time (goal < 50 ms)',
        value: milliseconds,
        unit: 'ms',
      });
      results.push({
        subject: 'output sanitiser',
        case: 'hostile mix, 1 MiB, time vs goal of 50 ms',
        value: milliseconds / 50,
        unit: 'x',
      });
    }
  }
  return results;
}

const suite: BenchSuite = {
  name: 'tui',
  description:
    'TUI terminal output: sanitiser and transcript line model throughput on 1 MiB in 16 KiB chunks (plain, ANSI-heavy, hostile mix), beside String indexOf and a control-character scan over the same data',
  run() {
    return Promise.resolve([...terminalOutputFigures()]);
  },
};

export default suite;
