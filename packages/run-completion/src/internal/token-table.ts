import { type Chunk, codeAt } from './chunk.js';

/** FNV-1a offset basis: the hash of an empty token. */
export const TOKEN_HASH_SEED = 0x811c9dc5 | 0;

/** One FNV-1a step: the hash of a token after one more character. */
export function tokenHashStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

function hashOf(token: string): number {
  let hash = TOKEN_HASH_SEED;
  for (let index = 0; index < token.length; index++)
    hash = tokenHashStep(hash, token.charCodeAt(index));
  return hash;
}

/**
 * The tokens a coordinator currently accepts, each with its owner. Besides the usual map it is
 * indexed by a hash the scanner computes while it reads a candidate token, so that telling a
 * look-alike from a real frame costs one map probe and no allocation, however many tokens there are.
 */
export class TokenTable<Owner> {
  readonly #owners = new Map<string, Owner>();
  readonly #byHash = new Map<number, string[]>();

  get(token: string): Owner | undefined {
    return this.#owners.get(token);
  }

  has(token: string): boolean {
    return this.#owners.has(token);
  }

  set(token: string, owner: Owner): void {
    if (!this.#owners.has(token)) {
      const hash = hashOf(token);
      const bucket = this.#byHash.get(hash);
      if (bucket === undefined) this.#byHash.set(hash, [token]);
      else bucket.push(token);
    }
    this.#owners.set(token, owner);
  }

  delete(token: string): void {
    if (!this.#owners.delete(token)) return;
    const hash = hashOf(token);
    const bucket = this.#byHash.get(hash);
    if (bucket === undefined) return;
    const remaining = bucket.filter((known) => known !== token);
    if (remaining.length === 0) this.#byHash.delete(hash);
    else this.#byHash.set(hash, remaining);
  }

  /** The known token spelled by `data[start, end)` (whose hash is `hash`), else undefined. */
  find(data: Chunk, start: number, end: number, hash: number): string | undefined {
    const bucket = this.#byHash.get(hash);
    if (bucket === undefined) return undefined;
    for (const token of bucket) {
      if (token.length !== end - start) continue;
      let index = 0;
      while (index < token.length && token.charCodeAt(index) === codeAt(data, start + index))
        index++;
      if (index === token.length) return token;
    }
    return undefined;
  }
}
