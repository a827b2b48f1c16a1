#!/usr/bin/env node
// The built entry, dist/cli.js (build.mjs): for `serve`, the young generation is kept small before
// the server's modules load (platform/young-generation.ts, decisions/0068), then the CLI loads.
// `node dist/cli.js …` runs it (cli.ts checks the script's name); the bin calls `run`.
import { keepYoungGenerationSmall } from './platform/young-generation.js';

if (process.argv[2] === 'serve') keepYoungGenerationSmall();
export const { run } = await import('./cli.js');
