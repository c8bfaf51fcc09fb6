import en from 'zod/v4/locales/en.js';
import { config } from 'zod/mini';

/**
 * The schemas here use zod's mini API, which loads in a few milliseconds where the classic one
 * takes tens, and which leaves its messages to a locale. Like the classic API, every module that
 * defines schemas sets English when nothing else was chosen, so that a refused message says in
 * words what was wrong.
 */
export function useEnglishMessagesByDefault(): void {
  if (config().localeError === undefined) config(en());
}
