import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    ndjson: 'src/subpaths/ndjson.ts',
    'content-length': 'src/subpaths/content-length.ts',
    'token-file': 'src/subpaths/token-file.ts',
    testing: 'src/subpaths/testing.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'node20',
});
