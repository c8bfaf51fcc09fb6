import fs from 'node:fs';

/**
 * Lines of the flood: plain log lines, SGR-coloured lines, wide and accented UTF-8, tabs, a line
 * long enough to wrap and an empty line. No uppercase ASCII letter appears in them, so that a
 * typed uppercase key echoed into the flood can be told apart from the flood itself.
 */
function floodBlock(index: number): string {
  const words =
    'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore';
  return [
    `2026-11-22 02:14:${String(index % 60).padStart(2, '0')}.${String(index % 1000).padStart(3, '0')} info  build step ${index} finished in 45 ms: compiled packages/run-completion/src/index.ts`,
    `\x1b[32m✓\x1b[0m \x1b[1m\x1b[34msrc/coordinator-${index}.ts\x1b[0m \x1b[2m(12 tests)\x1b[22m \x1b[33m45ms\x1b[39m \x1b[38;2;255;128;0mwarn\x1b[0m`,
    `résumé naïve café ${index} — 日本語のテキスト — ünïcödé ✓ ✗ → ← 🙂`,
    `col1\tcol2\tcol3\t${index}\t3.14\tend`,
    `${words} ${words} ${words} #${index}`,
    '',
    '',
  ].join('\n');
}

/** Writes a file of exactly `bytes` bytes of mixed text (see {@link floodBlock}), cut at a line end. */
export function writeFloodFile(file: string, bytes: number): void {
  const blocks: string[] = [];
  let size = 0;
  for (let index = 0; size < 1024 * 1024; index += 1) {
    const block = floodBlock(index);
    blocks.push(block);
    size += Buffer.byteLength(block);
  }
  const chunk = Buffer.from(blocks.join(''));
  const descriptor = fs.openSync(file, 'w', 0o600);
  try {
    let left = bytes;
    while (left >= chunk.length) {
      fs.writeSync(descriptor, chunk);
      left -= chunk.length;
    }
    // The rest: whole lines of the next chunk, then a line of filler, so no character is split.
    const end = left > 0 ? chunk.lastIndexOf(0x0a, left - 1) + 1 : 0;
    fs.writeSync(descriptor, chunk, 0, end);
    if (left > end) fs.writeSync(descriptor, Buffer.from(`${'x'.repeat(left - end - 1)}\n`));
  } finally {
    fs.closeSync(descriptor);
  }
}
