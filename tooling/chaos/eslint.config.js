export { default } from '@lifeline/eslint-config';
