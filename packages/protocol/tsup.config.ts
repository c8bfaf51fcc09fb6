import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/state.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'node20',
});
