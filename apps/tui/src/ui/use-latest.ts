import { useRef } from 'react';

/**
 * A ref holding `value` as of the last render: a handler subscribed once (the keyboard's) reads the
 * latest state through it.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
