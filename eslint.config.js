// The whole workspace in one lint, its TypeScript in one program (tsconfig.typecheck.json): each
// file is read and typed once, not again in the program of every package that imports it. (A
// package's own `eslint.config.js` lints it alone.)
import base from '@lifeline/eslint-config';
import reactHooks from '@lifeline/eslint-config/react-hooks';

export default [
  // What builds and coverage write; the shared configs and presets, plain files without a program of
  // their own.
  {
    ignores: [
      '**/dist/**',
      '**/coverage/**',
      'tooling/bundle/**',
      'tooling/eslint/**',
      'tooling/typescript/**',
      'tooling/vitest/**',
    ],
  },
  ...base,
  { files: ['apps/tui/**/*.ts', 'apps/tui/**/*.tsx'], ...reactHooks },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './tsconfig.typecheck.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
];
