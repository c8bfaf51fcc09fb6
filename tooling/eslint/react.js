// Adds the React hooks rules to the shared config, for the Ink app.
import tseslint from 'typescript-eslint';
import base from './index.js';
import reactHooks from './react-hooks.js';

/** @type {import('typescript-eslint').ConfigArray} */
export default tseslint.config(...base, { files: ['**/*.tsx', '**/*.ts'], ...reactHooks });
