import type { Schema } from '../contract.js';

/** One problem a schema found, as zod reports it. */
export interface SchemaIssue {
  readonly message: string;
  readonly path: readonly PropertyKey[];
  /** zod's issue code (`invalid_type`, `too_small`, …), when the schema gives one. */
  readonly code?: string;
}

/** The outcome of {@link checkAgainst}: the (possibly transformed) value, or what was wrong. */
export type SchemaCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly SchemaIssue[] };

/** The Standard Schema interface (`~standard`) every zod 4 schema implements. */
interface StandardIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
  readonly code?: unknown;
}
type StandardResult =
  | { readonly value: unknown; readonly issues?: undefined }
  | { readonly issues: readonly StandardIssue[] };
interface StandardSchema {
  readonly '~standard': { validate(value: unknown): StandardResult | Promise<StandardResult> };
}

/** Whether `value` carries the Standard Schema interface that {@link checkAgainst} runs, as zod 4 schemas do. */
export function isSchema(value: unknown): value is Schema {
  const standard =
    (typeof value === 'object' || typeof value === 'function') && value !== null
      ? (value as Partial<StandardSchema>)['~standard']
      : undefined;
  return typeof standard?.validate === 'function';
}

/**
 * Checks `value` against a zod 4 schema through the Standard Schema interface that every zod 4
 * schema (classic or mini) carries, so that this package loads no part of zod itself: a peer
 * without a contract never pays for it.
 * @throws TypeError for a schema that validates asynchronously (an async refinement or transform),
 *   which a JSON-RPC peer cannot wait for
 */
export function checkAgainst(schema: Schema, value: unknown): SchemaCheck {
  const result = (schema as unknown as StandardSchema)['~standard'].validate(value);
  if (result instanceof Promise) {
    result.catch(() => undefined);
    throw new TypeError(
      'A contract schema validated asynchronously (an async refine or transform); contract schemas must be synchronous.',
    );
  }
  if (result.issues === undefined) return { ok: true, value: result.value };
  return {
    ok: false,
    issues: result.issues.map((issue) => ({
      message: issue.message,
      path: (issue.path ?? []).map((segment) =>
        typeof segment === 'object' ? segment.key : segment,
      ),
      ...(typeof issue.code === 'string' ? { code: issue.code } : {}),
    })),
  };
}

/** Issues in one line: `path: message; …` (`(root)` for the value itself). */
export function describeIssues(issues: readonly SchemaIssue[], root = '(root)'): string {
  return issues
    .map(
      (issue) =>
        `${issue.path.length > 0 ? issue.path.map(String).join('.') : root}: ${issue.message}`,
    )
    .join('; ');
}
