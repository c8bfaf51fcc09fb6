import { useRef, useState } from 'react';

/** State that keys change, with each key seeing what the keys before it did. */
export interface KeyState<T> {
  /** The value as drawn now. */
  value: T;
  /** The value as of the last key: several keys can arrive in one chunk, before React renders. */
  current: () => T;
  /** Sets the value for the next key at once, and for the screen at the next render. */
  set: (next: T) => void;
}

/**
 * React state for what keys act on. A held arrow key (auto-repeat) or a terminal that batches
 * keys sends several keys in one chunk, all handled before React renders again: a handler that
 * read the state of the last render would apply each of them to the same value, and only the last
 * would count. Here a ref is the truth, set at once, and the state only redraws.
 */
export function useKeyState<T>(initial: T): KeyState<T> {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  return {
    value,
    current: () => ref.current,
    set: (next) => {
      ref.current = next;
      setValue(() => next);
    },
  };
}
