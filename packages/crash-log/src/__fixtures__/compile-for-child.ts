// Child processes cannot import TypeScript on Node 20, and library tests must not need a build:
// transpile this package's sources (one file at a time, imports already end in `.js`) into a
// temporary directory that a child script can import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const sourceDirectory = path.resolve(import.meta.dirname, '..');

/**
 * Transpiles the `.ts` files under `src/` (tests and fixtures excluded) into a fresh directory,
 * folders kept; returns the path of index.js.
 */
export function compileForChild(): { entry: string; remove: () => void } {
  const outDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-crash-log-lib-'));
  for (const file of fs.readdirSync(sourceDirectory, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.startsWith('__fixtures__')) {
      continue;
    }
    const source = fs.readFileSync(path.join(sourceDirectory, file), 'utf8');
    const output = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const outFile = path.join(outDirectory, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, output.outputText);
  }
  fs.writeFileSync(path.join(outDirectory, 'package.json'), '{"type":"module"}\n');
  return {
    entry: path.join(outDirectory, 'index.js'),
    remove: () => fs.rmSync(outDirectory, { recursive: true, force: true }),
  };
}
