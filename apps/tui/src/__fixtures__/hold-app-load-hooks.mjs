// Loader hooks of hold-app-load.mjs: the TUI's app chunk (`tui-main-*.js`) is held until the
// file `release` exists; `<release>.held` says that it is being held.
import fs from 'node:fs';

let release;

export function initialize(data) {
  release = data.release;
}

export async function load(url, context, nextLoad) {
  if (/\/tui-main-[^/]*\.js$/.test(url)) {
    fs.writeFileSync(`${release}.held`, url);
    while (!fs.existsSync(release)) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return nextLoad(url, context);
}
