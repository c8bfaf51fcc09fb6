// Preloaded through NODE_OPTIONS by the environment tests: each Node process that loads it appends
// its arguments to the file LIFELINE_TEST_PRELOAD_LOG names.
require('node:fs').appendFileSync(
  process.env.LIFELINE_TEST_PRELOAD_LOG,
  `${process.argv.slice(1).join(' ')}\n`,
);
