#!/usr/bin/env node
// The gateway this CLI depends on, under the same name as its own bin.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const manifest = createRequire(import.meta.url).resolve('@lifeline/gateway/package.json');
await import(new URL('dist/cli.js', pathToFileURL(manifest)).href);
