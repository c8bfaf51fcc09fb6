import { spawn } from 'node:child_process';

/** How long a shell command took and how many bytes of its stdout this process read. */
export interface PipeRun {
  /** From the spawn to the exit, stdout drained. */
  seconds: number;
  /** Bytes read from the pipe; 0 when the output went to `/dev/null`. */
  outputBytes: number;
}

/** Where the command's stdout goes. */
export type PipeSink =
  /** Redirected to `/dev/null` by the shell: what the command alone costs, nothing reads it. */
  | 'dev-null'
  /** A plain `child_process` pipe read (and counted) by this process: the cheapest reader. */
  | 'read';

/**
 * Runs `bash -c command` as a plain child process (no PTY) and resolves when it has exited and
 * its stdout is drained.
 * @throws Error when the command fails
 */
export function runThroughPipe(
  command: string,
  sink: PipeSink,
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<PipeRun> {
  const started = performance.now();
  const child = spawn(
    '/bin/bash',
    ['-c', sink === 'dev-null' ? `${command} > /dev/null` : command],
    {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', sink === 'dev-null' ? 'ignore' : 'pipe', 'pipe'],
    },
  );
  let outputBytes = 0;
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    outputBytes += chunk.length;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`"${command}" failed (${signal ?? `code ${String(code)}`}): ${stderr}`));
        return;
      }
      resolve({ seconds: (performance.now() - started) / 1000, outputBytes });
    });
  });
}
