/** The input line: its text and where the cursor is (in UTF-16 code units). */
export interface LineState {
  readonly text: string;
  readonly cursor: number;
  /** Position in the history while browsing it (history.length: not browsing). */
  readonly historyIndex: number;
  /** What was typed before browsing the history, restored when coming back down. */
  readonly draft: string;
}

/** An empty line. */
export const emptyLine: LineState = {
  text: '',
  cursor: 0,
  historyIndex: Number.POSITIVE_INFINITY,
  draft: '',
};

function at(state: LineState, text: string, cursor: number): LineState {
  return { ...state, text, cursor: Math.max(0, Math.min(cursor, text.length)) };
}

/** Pure edits of the input line. */
export const lineEditor = {
  insert(state: LineState, input: string): LineState {
    return at(
      state,
      state.text.slice(0, state.cursor) + input + state.text.slice(state.cursor),
      state.cursor + input.length,
    );
  },
  deleteBackward(state: LineState): LineState {
    if (state.cursor === 0) return state;
    const step =
      isLowSurrogate(state.text.charCodeAt(state.cursor - 1)) && state.cursor >= 2 ? 2 : 1;
    return at(
      state,
      state.text.slice(0, state.cursor - step) + state.text.slice(state.cursor),
      state.cursor - step,
    );
  },
  deleteForward(state: LineState): LineState {
    if (state.cursor >= state.text.length) return state;
    const step = isHighSurrogate(state.text.charCodeAt(state.cursor)) ? 2 : 1;
    return at(
      state,
      state.text.slice(0, state.cursor) + state.text.slice(state.cursor + step),
      state.cursor,
    );
  },
  deleteWordBackward(state: LineState): LineState {
    const before = state.text.slice(0, state.cursor).replace(/\S+\s*$|\s+$/, '');
    return at(state, before + state.text.slice(state.cursor), before.length);
  },
  killToStart(state: LineState): LineState {
    return at(state, state.text.slice(state.cursor), 0);
  },
  killToEnd(state: LineState): LineState {
    return at(state, state.text.slice(0, state.cursor), state.cursor);
  },
  left(state: LineState): LineState {
    const step =
      state.cursor >= 2 && isLowSurrogate(state.text.charCodeAt(state.cursor - 1)) ? 2 : 1;
    return at(state, state.text, state.cursor - step);
  },
  right(state: LineState): LineState {
    const step = isHighSurrogate(state.text.charCodeAt(state.cursor)) ? 2 : 1;
    return at(state, state.text, state.cursor + step);
  },
  home(state: LineState): LineState {
    return at(state, state.text, 0);
  },
  end(state: LineState): LineState {
    return at(state, state.text, state.text.length);
  },
  /** Shows the previous command of the history (keeping what was typed as a draft). */
  historyPrevious(state: LineState, history: readonly string[]): LineState {
    const index = Math.min(state.historyIndex, history.length);
    if (index === 0) return state;
    const text = history[index - 1] ?? '';
    return {
      text,
      cursor: text.length,
      historyIndex: index - 1,
      draft: index >= history.length ? state.text : state.draft,
    };
  },
  /** Shows the next command, or the draft again after the newest. */
  historyNext(state: LineState, history: readonly string[]): LineState {
    if (state.historyIndex >= history.length) return state;
    const index = state.historyIndex + 1;
    const text = index >= history.length ? state.draft : (history[index] ?? '');
    return {
      text,
      cursor: text.length,
      historyIndex: index >= history.length ? Number.POSITIVE_INFINITY : index,
      draft: state.draft,
    };
  },
};

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
