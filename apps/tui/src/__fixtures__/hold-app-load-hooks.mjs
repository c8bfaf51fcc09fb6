// Loader hooks of hold-app-load.mjs: the TUI's app chunk (`tui-main-*.js`) is held until the
// file `release` exists; `<release>.held` says that it is being held. With `releaseView`, the
// terminal emulator behind the runs' screens (`emulated-screen-*.js`), which the session is shown
// with, is held the same way: the app waits for it to show the session.
import fs from 'node:fs';

let release;
let releaseView;

export function initialize(data) {
  release = data.release;
  releaseView = data.releaseView;
}

/** Holds the load until the file `until` exists. */
async function hold(url, until) {
  fs.writeFileSync(`${until}.held`, url);
  while (!fs.existsSync(until)) await new Promise((resolve) => setTimeout(resolve, 10));
}

export async function load(url, context, nextLoad) {
  if (/\/tui-main-[^/]*\.js$/.test(url)) await hold(url, release);
  if (releaseView && /\/emulated-screen-[^/]*\.js$/.test(url)) await hold(url, releaseView);
  return nextLoad(url, context);
}
