import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'node20',
  // The shell integrations are real shell files, bundled as text.
  loader: { '.sh': 'text', '.bash': 'text', '.zsh': 'text', '.fish': 'text' },
});
