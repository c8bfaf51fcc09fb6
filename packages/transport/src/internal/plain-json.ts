/**
 * JSON text for plain data carrying long strings, produced faster than `JSON.stringify` on Node 20.
 *
 * V8's own serialiser (before V8 13.8) escapes strings one character at a time, at about
 * 250–450 MB/s; a long string that needs no escaping can instead be checked with a few `indexOf`
 * scans (about 2 GB/s) and copied between quotes as it is. Everything else — short strings, numbers,
 * keys — is left to `JSON.stringify` (of a copy with placeholders where the long strings were), so
 * the output is exactly what `JSON.stringify` produces.
 *
 * Only plain data takes this path: objects whose prototype is `Object.prototype` or `null`, arrays,
 * strings, numbers, booleans, `null`, and `undefined` as an object property or array element. For
 * anything else (`toJSON`, class instances, BigInt, functions, symbols, nesting deeper than
 * {@link maxDepth}, which also catches cycles) {@link plainShape} says `other` and the caller uses
 * `JSON.stringify`, which has the exact semantics for those.
 */

import { controlCharacters, includesAny } from './json-characters.js';

/** Strings shorter than this go to `JSON.stringify` directly: the scans would cost more. */
const longStringLength = 512;
/** Deeper data is left to `JSON.stringify` (which also reports cycles). */
const maxDepth = 32;

/** Characters `JSON.stringify` escapes, besides lone surrogates. */
const escapedCharacters: readonly string[] = ['"', '\\', ...controlCharacters];

/** `String.prototype.isWellFormed` (Node 20; not in the ES2023 library typings). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function needsEscaping(text: string): boolean {
  return includesAny(text, escapedCharacters) || !isWellFormed(text);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

function isPlainArray(value: unknown): value is readonly unknown[] {
  return (
    Array.isArray(value) &&
    Object.getPrototypeOf(value) === Array.prototype &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/**
 * What serialising `value` takes. `plain`: plain data, which `JSON.stringify` serialises without
 * throwing or dropping anything, so nothing else needs checking. `long-strings`: plain data holding
 * a long string, for {@link plainJsonParts}. `other`: anything else (see the module comment).
 */
export type PlainShape = 'plain' | 'long-strings' | 'other';

const plain = 0;
const longStrings = 1;
const other = 2;

function shapeOf(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length >= longStringLength ? longStrings : plain;
    case 'number':
    case 'boolean':
    case 'undefined':
      return plain;
    case 'object': {
      if (value === null) return plain;
      if (depth >= maxDepth) return other;
      let children: readonly unknown[];
      if (isPlainArray(value)) children = value;
      else if (isPlainObject(value)) children = Object.values(value);
      else return other;
      let shape = plain;
      for (const child of children) {
        const childShape = shapeOf(child, depth + 1);
        if (childShape === other) return other;
        shape |= childShape;
      }
      return shape;
    }
    default:
      return other;
  }
}

/** Walks `value` once to tell its {@link PlainShape}. */
export function plainShape(value: unknown): PlainShape {
  // `undefined` is omitted as a property and `null` as an element; alone, JSON has no text for it.
  if (value === undefined) return 'other';
  const shape = shapeOf(value, 0);
  return shape === plain ? 'plain' : shape === longStrings ? 'long-strings' : 'other';
}

/**
 * A copy of `value` in which every long string that needs no escaping is replaced by a
 * placeholder (`"\u0000"` and its index in `strings`, where it is stored). Only the objects and
 * arrays on the way to such a string are copied; everything else is shared. `undefined` when the
 * data cannot be copied faithfully (a long string under a `__proto__` key).
 */
function withPlaceholders(value: unknown, strings: string[]): unknown {
  if (typeof value === 'string') {
    if (value.length < longStringLength || needsEscaping(value)) return value;
    strings.push(value);
    return `\u0000${strings.length - 1}`;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const element: unknown = value[index];
      const stand = withPlaceholders(element, strings);
      if (stand === undefined && element !== undefined) return undefined;
      if (stand !== element) {
        copy ??= value.slice();
        copy[index] = stand;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const property: unknown = (value as Record<string, unknown>)[key];
    const stand = withPlaceholders(property, strings);
    if (stand === undefined && property !== undefined) return undefined;
    if (stand !== property) {
      if (key === '__proto__') return undefined;
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = stand;
    }
  }
  return copy ?? value;
}

/**
 * The JSON text of plain data in parts whose concatenation is exactly `JSON.stringify(value)`.
 * Long strings are parts of their own, so they are never copied into a bigger string: the caller
 * can write each part straight into its output buffer. The rest is `JSON.stringify` of a copy
 * holding placeholders in their place. `undefined` when that cannot be done faithfully (a string
 * of the data spelled like a placeholder, say); then use `JSON.stringify`.
 */
export function plainJsonParts(value: unknown): string[] | undefined {
  const strings: string[] = [];
  const stand = withPlaceholders(value, strings);
  if (stand === undefined) return undefined;
  const text = JSON.stringify(stand) as string | undefined;
  if (text === undefined) return undefined;
  if (strings.length === 0) return [text];
  const parts: string[] = [];
  let from = 0;
  for (let index = 0; index < strings.length; index += 1) {
    // The placeholder's JSON text, quotes included: unique, or the data holds its look-alike.
    const mark = `"\\u0000${index}"`;
    const at = text.indexOf(mark, from);
    if (at === -1 || text.includes(mark, at + 1)) return undefined;
    parts.push(text.slice(from, at + 1), strings[index] as string);
    from = at + mark.length - 1;
  }
  parts.push(text.slice(from));
  return parts;
}
