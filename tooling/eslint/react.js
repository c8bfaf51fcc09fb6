// Adds the React hooks rules to the shared config, for the Ink app.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import base from './index.js';

/** @type {import('typescript-eslint').ConfigArray} */
export default tseslint.config(...base, {
  files: ['**/*.tsx', '**/*.ts'],
  plugins: { 'react-hooks': reactHooks },
  rules: {
    'react-hooks/rules-of-hooks': 'error',
    'react-hooks/exhaustive-deps': 'error',
  },
});
