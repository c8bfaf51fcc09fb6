import { pasteEnd } from './enter-keys.js';
import type { Frame } from './frame-syntax.js';
import type { RunBinder, RunBinderContext } from './run-binder.js';
import type { RunRecord, TokenOwner } from './run-record.js';

// The status of a command ended by Ctrl-C (128 + SIGINT).
const INTERRUPTED_STATUS = 130;
// Keys the integrations bind: the first sets aside what the user had typed at the prompt (a run's
// text would be typed onto it), the second brings it back (and does nothing when nothing is set
// aside, which makes it the key typed after an interrupt).
const SET_ASIDE_KEY = '\x1b[9;7~';
const BRING_BACK_KEY = '\x1b[9;6~';
// The Enter a run's text ends with: the shell takes the line as Enter would, and knows that no
// person is there to type the rest of a command that needs more lines (it refuses such a command).
const OWN_ENTER_KEY = '\x1b[9;5~';

/**
 * Prompt-hook mode: the shell prints a start frame (with its counter and command line) as each
 * command starts and a prompt frame at each prompt. A registered run binds to the next start
 * frame whose line ends with its command and completes at the prompt frame with that counter; a
 * start no run waits for is a run of the shell's own. A continuation frame says the shell asks
 * the terminal for the next line of a command (bash, zsh): no run may be typed until it starts or
 * a prompt shows.
 */
export class PromptHookBinder implements RunBinder {
  readonly #context: RunBinderContext;
  readonly #clock: { now(): number };
  readonly #awaitingStart: RunRecord[] = [];
  /**
   * The runs waiting to start when an interrupt was typed. The kernel discards typed-ahead input on
   * an interrupt and the line editor drops the line it was reading, so none of them can start
   * after it, except one whose line the shell had already accepted (its start frame comes first).
   */
  #interruptedWaiting: RunRecord[] = [];
  readonly #running = new Map<number, RunRecord>();
  #setAside = false;
  // The shell's command counter: every integration starts at 0 and counts command starts.
  #highestStart = 0;
  // Where the shell is with its prompt: due (a prompt or ready frame came), being drawn (its first
  // editing frame came since: bash's prompt begins with one), drawn (bash's prompt ends with a
  // frame of its own).
  #prompt: 'due' | 'drawing' | 'drawn' = 'drawn';

  constructor(context: RunBinderContext, clock: { now(): number }) {
    this.#context = context;
    this.#clock = clock;
  }

  register(record: RunRecord, lineMayHoldText: boolean): string {
    this.#awaitingStart.push(record);
    if (!lineMayHoldText) return `${record.command}${OWN_ENTER_KEY}`;
    this.#setAside = true;
    return `${SET_ASIDE_KEY}${record.command}${OWN_ENTER_KEY}`;
  }

  textToRestoreTypedLine(): string {
    if (!this.#setAside) return '';
    this.#setAside = false;
    return BRING_BACK_KEY;
  }

  frame(frame: Frame, owner: TokenOwner | undefined): void {
    if (owner !== 'session') return;
    switch (frame.kind) {
      case 'S':
        this.#context.seen(undefined);
        this.#context.lineTaken();
        this.#started(frame);
        return;
      case 'P':
        this.#context.seen(frame.cwd);
        this.#prompted(frame.counter, frame.status, frame.cwd);
        this.#context.prompted();
        this.#prompt = 'due';
        return;
      case 'K':
        this.#context.seen(undefined);
        // A counter from before the last start belongs to a command that has started since.
        if (frame.counter >= this.#highestStart) this.#context.continued();
        return;
      case 'E':
        this.#context.seen(undefined);
        if (this.#prompt === 'due') {
          this.#prompt = 'drawing';
          this.#context.promptStarted();
        }
        // A counter from before the last start was printed at a prompt left since.
        if (frame.counter >= this.#highestStart) this.#context.editing(frame.command);
        return;
      case 'D':
        this.#context.seen(undefined);
        // Once per prompt: the line editor draws it again (a completion list, a search ended).
        if (this.#prompt === 'drawing') {
          this.#prompt = 'drawn';
          this.#context.promptDrawn();
        } else if (this.#prompt === 'drawn' && frame.counter >= this.#highestStart) {
          // Drawn again: the line editor edits the line, as an editing frame says. bash draws only
          // the last line of a prompt of several again, which has this frame and not that one.
          this.#context.editing(undefined);
        }
        return;
      case 'R':
        this.#context.seen(undefined);
        this.#prompt = 'due';
        return;
      default:
        return;
    }
  }

  interrupted(): void {
    this.#interruptedWaiting = [...this.#awaitingStart];
  }

  probe(): string {
    return '\r';
  }

  keyAfterInterrupt(afterPaste: boolean): string {
    // The integrations bind the paste's end to nothing outside a paste.
    return afterPaste ? `${pasteEnd}${BRING_BACK_KEY}` : BRING_BACK_KEY;
  }

  completed(record: RunRecord): void {
    this.forget(record);
  }

  forget(record: RunRecord): void {
    const queued = this.#awaitingStart.indexOf(record);
    if (queued !== -1) this.#awaitingStart.splice(queued, 1);
    if (record.counter !== -1 && this.#running.get(record.counter) === record) {
      this.#running.delete(record.counter);
    }
  }

  reset(): void {
    this.#awaitingStart.length = 0;
    this.#interruptedWaiting = [];
    this.#running.clear();
  }

  #started({ counter, command, commandCut }: Frame): void {
    // A counter we have seen before belongs to an earlier command: it can bind nothing.
    if (counter <= this.#highestStart) return;
    this.#highestStart = counter;
    const waiting = this.#awaitingStart[0];
    // The oldest registered run started, unless the shell names another command line: one typed
    // or pasted into the terminal ahead of it. (Keys typed into the line editor just before the
    // run's text arrived join its line, as they would in any terminal: the line ends with it.) A
    // line its integration cut short names none.
    const record =
      waiting !== undefined &&
      (command === undefined || commandCut || command.endsWith(waiting.command))
        ? this.#awaitingStart.shift()
        : this.#context.shellRun(command ?? '');
    if (record === undefined) return;
    record.counter = counter;
    record.startedAt = this.#clock.now();
    this.#running.set(counter, record);
  }

  #prompted(counter: number, status: number, cwd: string): void {
    const interrupted = this.#interruptedWaiting;
    this.#interruptedWaiting = [];
    const record = this.#running.get(counter);
    if (record !== undefined) {
      this.#running.delete(counter);
      this.#context.complete(record, status, cwd);
    } else if (counter > this.#highestStart) {
      // A prompt after a command whose start frame never arrived (output the kernel discarded on
      // Ctrl-C): the oldest run waiting to start is the one that ran.
      this.#highestStart = counter;
      const waiting = this.#awaitingStart.shift();
      if (waiting !== undefined) this.#context.complete(waiting, status, cwd);
    }
    // The first prompt after an interrupt: runs typed ahead before it were discarded (by the kernel,
    // or by the line editor reading them) and will never start. They end here, as interrupted.
    for (const dropped of interrupted) {
      const queued = this.#awaitingStart.indexOf(dropped);
      if (queued === -1) continue;
      this.#awaitingStart.splice(queued, 1);
      this.#context.complete(dropped, status > 128 ? status : INTERRUPTED_STATUS, cwd);
    }
  }
}
