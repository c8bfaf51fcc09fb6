import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHAOS_TAG_VARIABLE } from './process-census.js';

/** The private corner of one iteration: its state directory, home, working directory and tag. */
export interface IterationPlace {
  readonly directory: string;
  /** `LIFELINE_HOME` of its gateways and hosts. */
  readonly stateDir: string;
  /** An empty home, so no rc file of the machine's user shapes the shell. */
  readonly home: string;
  /** Where the session starts. */
  readonly work: string;
  /** Marks every process of the iteration (see `CHAOS_TAG_VARIABLE`). */
  readonly tag: string;
  /** Environment of the iteration's gateways, hosts and shells. */
  readonly env: NodeJS.ProcessEnv;
}

/** A temporary directory holding one directory per iteration; clean iterations are removed as they end. */
export class ChaosDirectories {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeline-chaos-'));
  private readonly runId = randomBytes(4).toString('hex');

  /** Makes the place of one iteration. */
  place(label: string): IterationPlace {
    const directory = path.join(this.root, label);
    const place = {
      directory,
      stateDir: path.join(directory, 'state'),
      home: path.join(directory, 'home'),
      work: path.join(directory, 'work'),
      tag: `${this.runId}-${label}`,
    };
    fs.mkdirSync(place.home, { recursive: true });
    fs.mkdirSync(place.work, { recursive: true });
    return {
      ...place,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: place.home,
        LIFELINE_HOME: place.stateDir,
        LIFELINE_CRASH_LOG: '1',
        SHELL: '/bin/bash',
        LANG: 'C.UTF-8',
        TERM: 'xterm-256color',
        [CHAOS_TAG_VARIABLE]: place.tag,
      },
    };
  }

  /** Removes an iteration's files. */
  remove(place: IterationPlace): void {
    // A shell hung up by its host may still be saving its history into home for a moment.
    fs.rmSync(place.directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
  }

  /** Removes the root when no iteration was kept in it. @returns whether it was removed */
  removeIfEmpty(): boolean {
    if (fs.readdirSync(this.root).length > 0) return false;
    fs.rmdirSync(this.root);
    return true;
  }
}
