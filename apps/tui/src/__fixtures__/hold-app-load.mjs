// Preloaded (`--import`) by the early prompt's tests: the TUI's app module (Ink, React and the
// app) does not load until they let it, so that what the terminal shows meanwhile is the entry
// point's alone. The hooks run on Node's loader thread (see hold-app-load-hooks.mjs).
import { register } from 'node:module';

register('./hold-app-load-hooks.mjs', import.meta.url, {
  data: {
    release: process.env.LIFELINE_TEST_RELEASE_APP,
    releaseView: process.env.LIFELINE_TEST_RELEASE_VIEW,
  },
});
