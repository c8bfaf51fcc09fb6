#!/usr/bin/env node
// CommonJS, so that `lifeline exec`, which agents run hundreds of times, starts without Node's ES
// module loader: it goes straight to its own loader (dist/exec-start.cjs). Every other command,
// and the TUI, is the ES module build (dist/cli.js).
'use strict';

if (process.argv[2] === 'exec') require('../dist/exec-start.cjs').startExec();
else import('../dist/cli.js');
