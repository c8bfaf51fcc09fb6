import base from '@lifeline/eslint-config';

export default [{ ignores: ['apps/**', 'packages/**', 'tooling/**'] }, ...base];
