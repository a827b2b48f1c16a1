#!/usr/bin/env node
// The `shuangyong` command (`npx shuangyong <cmd>`). npm links a workspace's bin only when its
// file exists at install time, and dist/ is built after `npm ci`; so the bin is this committed
// stub, which loads the built entry when it runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('shuangyong: 尚未构建，请先运行 npm run build\n');
  process.exit(1);
}
const { run } = await import(entry.href);
run(process.argv.slice(2));
