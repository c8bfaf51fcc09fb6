/**
 * JSON text for plain data carrying long strings, produced faster than `JSON.stringify` on Node 20.
 *
 * V8's own serialiser (before V8 13.8) escapes strings one character at a time, at about
 * 250–450 MB/s; a long string that needs no escaping can instead be checked by a scan of many bytes
 * per step (`json-characters.ts`) and copied between quotes as it is. Short strings and keys are
 * checked character by character and written between quotes too (a call of `JSON.stringify` costs
 * about a microsecond even for a small value); whatever needs escaping goes through
 * `JSON.stringify`, so the output is exactly what `JSON.stringify` produces. Data without long
 * strings is left to `JSON.stringify` whole, which is faster for it.
 *
 * Only plain data takes this path: objects whose prototype is `Object.prototype` or `null`, arrays,
 * strings, numbers, booleans, `null`, and `undefined` as an object property or array element. For
 * anything else (`toJSON`, class instances, BigInt, functions, symbols, nesting deeper than
 * {@link maxDepth}, which also catches cycles) {@link plainShape} says `other` and the caller uses
 * `JSON.stringify`, which has the exact semantics for those.
 */

import { holdsCharactersToEscape } from './json-characters.js';

/** Strings at least this long are checked by the scan and kept as parts of their own. */
const longStringLength = 512;
/** Deeper data is left to `JSON.stringify` (which also reports cycles). */
const maxDepth = 32;

/** `String.prototype.isWellFormed` (Node 20; not in the ES2023 library typings). */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** A short string as JSON: between quotes, or through `JSON.stringify` when it needs escaping. */
function quoted(text: string): string {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    // Quote, backslash, control characters, and surrogates (a lone one is escaped).
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(text);
    }
  }
  return `"${text}"`;
}

/**
 * Collects JSON text as parts: long strings that need no escaping stay parts of their own (never
 * copied into a bigger string), everything between them is concatenated.
 */
class PartsWriter {
  readonly parts: string[] = [];
  #pending = '';

  write(text: string): void {
    this.#pending += text;
  }

  string(text: string): void {
    if (text.length < longStringLength) {
      this.#pending += quoted(text);
      return;
    }
    if (holdsCharactersToEscape(text) || !isWellFormed(text)) {
      this.#pending += JSON.stringify(text);
      return;
    }
    this.parts.push(`${this.#pending}"`, text);
    this.#pending = '"';
  }

  finish(): string[] {
    this.parts.push(this.#pending);
    return this.parts;
  }
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

/** Writes `value` as JSON; false when it is not plain data (the output is then unusable). */
function writeValue(out: PartsWriter, value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      out.string(value);
      return true;
    case 'number':
      // For finite numbers `String` and `JSON.stringify` agree (`-0` is "0" in both).
      out.write(Number.isFinite(value) ? String(value) : 'null');
      return true;
    case 'boolean':
      out.write(value ? 'true' : 'false');
      return true;
    case 'object':
      if (value === null) {
        out.write('null');
        return true;
      }
      if (depth >= maxDepth) return false;
      if (isPlainArray(value)) return writeArray(out, value, depth + 1);
      return isPlainObject(value) && writeObject(out, value, depth + 1);
    default:
      return false;
  }
}

function writeArray(out: PartsWriter, array: readonly unknown[], depth: number): boolean {
  out.write('[');
  for (let index = 0; index < array.length; index += 1) {
    if (index > 0) out.write(',');
    const element: unknown = array[index];
    if (element === undefined) out.write('null');
    else if (!writeValue(out, element, depth)) return false;
  }
  out.write(']');
  return true;
}

function writeObject(out: PartsWriter, object: object, depth: number): boolean {
  out.write('{');
  let first = true;
  for (const key of Object.keys(object)) {
    const property: unknown = (object as Record<string, unknown>)[key];
    if (property === undefined) continue;
    out.write(`${first ? '' : ','}${quoted(key)}:`);
    if (!writeValue(out, property, depth)) return false;
    first = false;
  }
  out.write('}');
  return true;
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
 * The JSON text of plain data in parts whose concatenation is exactly `JSON.stringify(value)`.
 * Long strings are parts of their own, so they are never copied into a bigger string: the caller
 * can write each part straight into its output buffer. `undefined` when `value` turns out not to
 * be plain data after all (a getter can change its mind); then use `JSON.stringify`.
 */
export function plainJsonParts(value: unknown): string[] | undefined {
  const out = new PartsWriter();
  return writeValue(out, value, 0) ? out.finish() : undefined;
}
