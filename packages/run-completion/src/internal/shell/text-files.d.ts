// Shell integration files are bundled as text (tsup's text loader; the test preset does the same).
declare module '*.sh' {
  /** The file's contents. */
  const text: string;
  export default text;
}

declare module '*.bash' {
  /** The file's contents. */
  const text: string;
  export default text;
}

declare module '*.zsh' {
  /** The file's contents. */
  const text: string;
  export default text;
}

declare module '*.fish' {
  /** The file's contents. */
  const text: string;
  export default text;
}
