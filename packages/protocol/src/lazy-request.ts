import * as z from 'zod/mini';

/**
 * A request of a contract whose schemas are built the first time one of them checks a value. A
 * process that serves or calls a few of a contract's requests (`lifeline exec`, a session host)
 * builds only theirs, not the whole contract's, when it starts.
 */
export function lazyRequest<Params extends z.core.SomeType, Result extends z.core.SomeType>(
  build: () => { params: Params; result: Result },
): { params: z.ZodMiniLazy<Params>; result: z.ZodMiniLazy<Result> } {
  let built: { params: Params; result: Result } | undefined;
  const schemas = () => (built ??= build());
  return { params: z.lazy(() => schemas().params), result: z.lazy(() => schemas().result) };
}
