import xterm from '@xterm/headless';
import chalk from 'chalk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LiveRun } from '../session/transcript-fold.js';
import { renderFrame } from '../test-utils/render-frame.js';
import { ContinuedFrameRows } from './continued-frame-rows.js';
import { FrameRowsPushed } from './frame-rows-pushed.js';
import { LiveRunView } from './LiveRunView.js';
import { RunRowsAboveFrame } from './run-rows-above-frame.js';

// Ink writes styles only to a terminal that takes colours (its chalk's level, set as chalk is first
// loaded): the frames are read as one would show them.
const levelBefore = chalk.level;
beforeAll(() => {
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = levelBefore;
});

const columns = 40;

/** A run of `command` whose screen shows `screen`, its cursor at `cursor` (undefined: hidden). */
function runShowing(screen: string[], cursor: LiveRun['cursor']): LiveRun {
  return {
    runId: 'r1',
    command: 'python3',
    startSeq: 0,
    startedAt: 0,
    screen,
    cursor,
    awaitingEcho: false,
    waitsForInput: false,
    waitEndedWithoutLine: undefined,
  };
}

/** The cells a terminal shows inverted after the frame of `run`, by row and column, with their text. */
async function invertedCells(run: LiveRun, maxRows = 10): Promise<string[]> {
  const { styled, unmount } = await renderFrame(
    <LiveRunView run={run} now={() => 0} maxRows={maxRows} />,
    columns,
  );
  unmount();
  const terminal = new xterm.Terminal({ cols: columns, rows: 12, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(styled.replaceAll('\n', '\r\n'), resolve));
  const cells: string[] = [];
  const cell = terminal.buffer.active.getNullCell();
  for (let row = 0; row < terminal.rows; row += 1) {
    const line = terminal.buffer.active.getLine(row);
    for (let column = 0; column < columns; column += 1) {
      line?.getCell(column, cell);
      // The second half of a wide character is that character's.
      if (cell.isInverse() && cell.getWidth() > 0)
        cells.push(`${row}:${column}:${cell.getChars()}`);
    }
  }
  terminal.dispose();
  return cells;
}

describe('LiveRunView', () => {
  test("the program's cursor is an inverted cell where it is, on a wide character too", async () => {
    const typed = ">>> print(x, '中文')";
    // Left three times from the end: on 文, which takes columns 16 and 17.
    expect(await invertedCells(runShowing(['Python 3', typed], { row: 1, column: 16 }))).toEqual([
      '1:16:文',
    ]);
    expect(await invertedCells(runShowing(['Name: '], { row: 0, column: 6 }))).toEqual(['0:6: ']);
  });

  test('no cell is inverted while the program hides its cursor', async () => {
    expect(await invertedCells(runShowing(['progress 3/6'], undefined))).toEqual([]);
  });

  test('the cursor on a blank row under the output stays in view when rows are cut', async () => {
    const screen = ['one', 'two', 'three', ''];
    // The lowest two rows: the last line and the cursor's blank row.
    expect(await invertedCells(runShowing(screen, { row: 3, column: 0 }), 2)).toEqual(['1:0: ']);
    // A cursor above the lowest rows (a program moved it up): its row is the first shown.
    expect(await invertedCells(runShowing(screen, { row: 0, column: 1 }), 2)).toEqual(['0:1:n']);
  });

  test('the rows above those shown are told; the last frame starts with a line, a line the rows above begin told with them', async () => {
    // 'long-' wrapped onto the next row; the frame shows the lowest three rows.
    const screen = ['one', 'long-', 'line', 'two', ''];
    const frameOf = async (leftRunning: boolean) => {
      const rowsAbove = new RunRowsAboveFrame();
      const { frame, unmount } = await renderFrame(
        <LiveRunView
          run={{
            ...runShowing(screen, { row: 4, column: 0 }),
            screenContinued: [false, true, false, false, false],
          }}
          now={() => 0}
          maxRows={3}
          leftRunning={leftRunning}
          rowsAbove={rowsAbove}
        />,
        columns,
      );
      const told = { rows: rowsAbove.rows, continued: rowsAbove.continued };
      unmount();
      return { frame: frame.split('\n').map((row) => row.trimEnd()), told };
    };
    const running = await frameOf(false);
    expect(running.frame.slice(0, 3)).toEqual(['line', 'two', '']);
    expect(running.told).toEqual({ rows: ['one', 'long-'], continued: [false, true] });
    // Left on the terminal: the line's rest goes with its start, an empty row under the screen.
    const left = await frameOf(true);
    expect(left.frame.slice(0, 3)).toEqual(['two', '', '']);
    expect(left.frame).toHaveLength(running.frame.length);
    expect(left.told).toEqual({ rows: ['one', 'long-', 'line'], continued: [false, true, false] });
  });

  test('rows the scrollback has are left out at the top, and the frame keeps its height', async () => {
    const screen = ['one', 'two', 'three', 'four', ''];
    const frameOf = async (
      rowsPushed: string[],
      cursor: LiveRun['cursor'] = { row: 4, column: 0 },
      framePushed = new FrameRowsPushed(),
    ) => {
      framePushed.add('r1', rowsPushed);
      const { frame, unmount } = await renderFrame(
        <LiveRunView
          run={runShowing(screen, cursor)}
          now={() => 0}
          maxRows={4}
          framePushed={framePushed}
        />,
        columns,
      );
      unmount();
      return frame.split('\n').map((row) => row.trimEnd());
    };
    const shown = await frameOf([]);
    expect(shown.slice(0, 4)).toEqual(['two', 'three', 'four', '']);
    // The last rows pushed are the first shown: the rows under them move up, empty rows under.
    expect((await frameOf(['one', 'two'])).slice(0, 4)).toEqual(['three', 'four', '', '']);
    expect(await frameOf(['zero', 'one', 'two', 'three'])).toHaveLength(shown.length);
    expect((await frameOf(['zero', 'one', 'two', 'three'])).slice(0, 4)).toEqual([
      'four',
      '',
      '',
      '',
    ]);
    // Rows pushed that are not (or no longer) the first shown change nothing, and are forgotten:
    // a row that reads the same and comes to the top later is drawn.
    const framePushed = new FrameRowsPushed();
    expect(await frameOf(['three'], undefined, framePushed)).toEqual(shown);
    expect(framePushed.of('r1')).toEqual([]);
    expect(await frameOf(['two', 'four'])).toEqual(shown);
    // Still the first shown: kept.
    await frameOf(['two'], undefined, framePushed);
    expect(framePushed.of('r1')).toEqual(['two']);
    // The program's cursor stays in view: its row is never left out.
    expect((await frameOf(['two', 'three'], { row: 2, column: 0 })).slice(0, 4)).toEqual([
      'three',
      'four',
      '',
      '',
    ]);
    expect((await frameOf(['two', 'three'], { row: 1, column: 0 })).slice(0, 4)).toEqual([
      'two',
      'three',
      'four',
      '',
    ]);
  });
  test("it tells which rows it draws go on on the next, where the program's terminal wrapped a line", async () => {
    const long = '0123456789'.repeat(4);
    const run = {
      ...runShowing([long, 'abc', 'short', long, 'tail'], undefined),
      screenContinued: [true, false, false, true, false],
    };
    const continued = new ContinuedFrameRows();
    const { unmount } = await renderFrame(
      <LiveRunView run={run} now={() => 0} maxRows={4} continuedRows={continued} />,
      columns,
    );
    // The lowest four rows: the first wrapped line's start is not among them.
    expect([...continued.rows]).toEqual([2]);
    unmount();
    // Gone from the frame, it tells none.
    expect(continued.rows.size).toBe(0);
  });
});
