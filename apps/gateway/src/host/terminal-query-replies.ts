import { terminalAnswerPattern } from '@lifeline/protocol';

/**
 * How long a client's answer to a program's question to its terminal is taken after the question.
 * Longer than a program waits for one (about a second, and a client's round trip under load).
 */
const ANSWER_WINDOW_MS = 5000;
/** Questions kept waiting for answers at most (a program that asks in a loop nobody answers). */
const MAX_WAITING = 64;

/** Questions a client answers: the cursor's place, the status, the primary device attributes. */
const question = /\x1b\[(?:[56]n|0?c)/g;
/** Their answers, as the protocol takes them. */
const answer = new RegExp(terminalAnswerPattern.source, 'g');

/**
 * The questions the session's program asked its terminal (where the cursor is, what the terminal
 * is), matched with the answers clients type for it (`host.reply`): each question takes one answer,
 * the first, for a few seconds. Every client showing the session answers, so the program is typed
 * one answer per question however many watch it, and none when nobody asked.
 */
export class TerminalQueryReplies {
  /** When each unanswered question was asked, oldest first. */
  readonly #asked: number[] = [];

  /** Notes the questions in what the program printed at `now`. */
  seen(output: string, now: number): void {
    if (!output.includes('\x1b[')) return;
    const questions = output.match(question)?.length ?? 0;
    for (let index = 0; index < questions; index += 1) this.#asked.push(now);
    if (this.#asked.length > MAX_WAITING) this.#asked.splice(0, this.#asked.length - MAX_WAITING);
  }

  /** Of the answers in `replies`, those to questions still unanswered at `now`: to be typed. */
  take(replies: string, now: number): string {
    while (this.#asked.length > 0 && (this.#asked[0] ?? now) < now - ANSWER_WINDOW_MS)
      this.#asked.shift();
    let taken = '';
    for (const [reply] of replies.matchAll(answer)) {
      if (this.#asked.length === 0) break;
      this.#asked.shift();
      taken += reply;
    }
    return taken;
  }
}
