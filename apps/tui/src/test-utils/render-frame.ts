import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

/** A stdout that keeps the frames Ink writes. */
class FrameSink extends EventEmitter {
  readonly frames: string[] = [];
  columns: number;
  rows = 40;
  isTTY = false;

  constructor(columns: number) {
    super();
    this.columns = columns;
  }

  write(frame: string): boolean {
    this.frames.push(frame);
    return true;
  }
}

/** A component rendered by {@link renderLive}, kept on screen until unmounted. */
export interface LiveRender {
  /** Waits for rendering to settle, then returns the last frame, escape sequences removed. */
  settled: () => Promise<string>;
  /** The last frame as written, its styles kept (Ink writes none unless `FORCE_COLOR` is set). */
  styled: () => string;
  unmount: () => void;
}

/** Renders a component and keeps it, so that a test can act on it and read each frame it settles on. */
export function renderLive(element: ReactElement, columns = 100): LiveRender {
  const stdout = new FrameSink(columns);
  const instance = render(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const strip = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  return {
    settled: async () => {
      // One render pass, then one more turn so effects and Ink's throttled output have run.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setImmediate(resolve));
      return strip(stdout.frames.at(-1) ?? '');
    },
    styled: () => stdout.frames.at(-1) ?? '',
    unmount: () => {
      instance.unmount();
    },
  };
}

/** Renders a component and returns its last frame once rendering has settled. */
export async function renderFrame(
  element: ReactElement,
  columns = 100,
): Promise<{ frame: string; styled: string; unmount: () => void }> {
  const rendered = renderLive(element, columns);
  return { frame: await rendered.settled(), styled: rendered.styled(), unmount: rendered.unmount };
}
