import { cursorPositionReport, cursorRowAndWidthQuery } from '../terminal-sequences.js';

/** How long an answer is waited for: a terminal that keeps quiet is taken to keep its rows in place. */
const defaultAnswerWaitMs = 400;
/**
 * How long an answer is waited for from a terminal that answered before: it answers, later than
 * {@link defaultAnswerWaitMs} on a busy machine, and a redraw without its answer (a taller screen
 * taken to keep its rows in place) draws the transcript where it is not.
 */
const defaultAnsweringWaitMs = 2000;
/** How much longer than that a late answer is still recognised as one (and not taken for a key). */
const lateAnswerFactor = 10;

/** What a {@link CursorRowProbe} needs of its surroundings. */
export interface CursorRowProbeOptions {
  /** Writes to the terminal, at once (before anything else drawn after it). */
  write: (text: string) => void;
  /** @default setTimeout */
  setTimer?: (callback: () => void, ms: number) => unknown;
  /** @default clearTimeout */
  clearTimer?: (timer: unknown) => void;
  /** @default 400 */
  answerWaitMs?: number;
  /** How long a terminal that answered before is waited for. @default 2000 */
  answeringWaitMs?: number;
}

/** What the terminal answered: its cursor's row and its width (columns), both from 1. */
export interface CursorRowAnswer {
  row: number;
  columns: number;
}

/** Who waits for an answer: undefined when the terminal did not answer in time. */
export type AnswerListener = (answer: CursorRowAnswer | undefined) => void;

interface Question {
  /** Who waits for the answer, at most one at a time (the last to ask). */
  waiting: AnswerListener | undefined;
  timer: unknown;
  /** How long it is waited for. */
  waitMs: number;
  answered: boolean;
  answer: CursorRowAnswer | undefined;
}

/**
 * Asks the terminal which row its cursor is on, and how wide it is, at the moment a width change has
 * made it wrap its lines again and before anything is drawn at the new width: terminals differ in
 * where they keep rows then (xterm.js moves the cursor down as lines grow; tmux keeps it on its row
 * and pushes the rows above into its scrollback; the rows above the transcript may be the user's,
 * from before Lifeline), and one may already have another width than the one it told of (tmux,
 * while a window's edge is dragged). Answers come through the keyboard's input, in the order
 * asked, and are taken out of it by {@link heard}; a terminal that does not answer within
 * `answerWaitMs` (`answeringWaitMs` once it has answered a question) gets `undefined`.
 */
export class CursorRowProbe {
  readonly #write: (text: string) => void;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  readonly #answerWaitMs: number;
  readonly #answeringWaitMs: number;
  /** Questions asked and not answered yet, oldest first (answers come in this order). */
  readonly #asked: Question[] = [];
  /** The question asked last, answered or not. */
  #last: Question | undefined;
  /** Whether the terminal ever answered, and whether a question went unanswered. */
  #everAnswered = false;
  #unanswered = false;

  constructor(options: CursorRowProbeOptions) {
    this.#write = options.write;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer =
      options.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout | undefined));
    this.#answerWaitMs = options.answerWaitMs ?? defaultAnswerWaitMs;
    this.#answeringWaitMs = options.answeringWaitMs ?? defaultAnsweringWaitMs;
  }

  /**
   * Asks now: the answer goes to the next {@link whenAnswered}. Asked with another `query`
   * (`screenSizeQuery`, which moves the cursor to the last row first), the answer's row is the
   * terminal's height.
   */
  ask(query: string = cursorRowAndWidthQuery): void {
    const question: Question = {
      waiting: undefined,
      timer: undefined,
      waitMs: this.#everAnswered ? this.#answeringWaitMs : this.#answerWaitMs,
      answered: false,
      answer: undefined,
    };
    question.timer = this.#setTimer(() => {
      this.#settle(question, undefined);
    }, question.waitMs);
    this.#asked.push(question);
    this.#last = question;
    this.#write(query);
  }

  /** The longest an answer is waited for before its listener gets undefined. */
  get longestWaitMs(): number {
    return Math.max(this.#answerWaitMs, this.#answeringWaitMs);
  }

  /**
   * Whether the terminal keeps quiet: a question went unanswered and none was ever answered.
   * Waiting for it is pointless.
   */
  get silent(): boolean {
    return this.#unanswered && !this.#everAnswered;
  }

  /**
   * Calls `answer` with the terminal's answer to the last question asked, once it answers, at once
   * if it has (undefined when it does not in time, or when nothing was asked); an earlier caller
   * still waiting for that question is not called.
   */
  whenAnswered(answer: AnswerListener): void {
    const question = this.#last;
    if (!question || question.answered) {
      answer(question?.answer);
      return;
    }
    question.waiting = answer;
  }

  /**
   * Whether `sequence`, read from the terminal, is the answer to a question asked (and so not a
   * key): only while one is waiting, as a key (Shift+F3, `CSI 1;2R`) has the same form.
   */
  heard(sequence: string): boolean {
    const question = this.#asked[0];
    if (!question) return false;
    const report = cursorPositionReport(sequence);
    if (!report) return false;
    this.#asked.shift();
    this.#everAnswered = true;
    if (question.answered) this.#clearTimer(question.timer);
    else this.#settle(question, { row: report.row, columns: report.column });
    return true;
  }

  /**
   * `chunk`, read from the terminal while a program has it, without the answers awaited: they are
   * not the program's, which did not ask.
   */
  withoutAnswers(chunk: string): string {
    if (this.#asked.length === 0) return chunk;
    return chunk.replace(/\x1b\[\d{1,5};\d{1,5}R/g, (sequence) =>
      this.heard(sequence) ? '' : sequence,
    );
  }

  #settle(question: Question, answer: CursorRowAnswer | undefined): void {
    if (question.answered) return;
    question.answered = true;
    question.answer = answer;
    this.#clearTimer(question.timer);
    // A question given up on stays in line for a while: an answer that comes late is not a key.
    if (answer === undefined) {
      this.#unanswered = true;
      question.timer = this.#setTimer(() => {
        const index = this.#asked.indexOf(question);
        if (index !== -1) this.#asked.splice(index, 1);
      }, question.waitMs * lateAnswerFactor);
    }
    question.waiting?.(answer);
  }
}
