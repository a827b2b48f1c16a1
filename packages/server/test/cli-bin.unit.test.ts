import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 17 item 18: `npx shuangyong` on a fresh clone. npm links a workspace bin only if its
// target exists at `npm ci` time, so the target must be a committed file, not dist/.
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(serverDir, 'package.json'), 'utf8'));
const binRel: string = pkg.bin.shuangyong;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-bin-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The stub copied into a package layout of its own, with or without a built entry. */
function layout(name: string, builtEntry?: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, path.dirname(binRel)), { recursive: true });
  fs.copyFileSync(path.join(serverDir, binRel), path.join(dir, binRel));
  if (builtEntry !== undefined) {
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist/cli.js'), builtEntry);
  }
  return path.join(dir, binRel);
}

describe('the shuangyong bin', () => {
  it('is a committed file outside dist/, so npm links it before the build', () => {
    expect(binRel.startsWith('dist/')).toBe(false);
    const tracked = execFileSync('git', ['ls-files', '--', binRel], { cwd: serverDir, encoding: 'utf8' });
    expect(tracked.trim()).toBe(binRel);
    expect(fs.readFileSync(path.join(serverDir, binRel), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const lock = JSON.parse(fs.readFileSync(path.join(serverDir, '../../package-lock.json'), 'utf8'));
    expect(lock.packages['packages/server'].bin.shuangyong).toBe(binRel);
  });

  it('runs the built entry with the arguments and exits with its code', () => {
    const bin = layout(
      'built',
      `export function run(argv) { process.stdout.write('ran ' + argv.join(' ')); process.exit(argv.length); }\n`,
    );
    const r = spawnSync(process.execPath, [bin, 'audit', 'verify'], { encoding: 'utf8' });
    expect(r.stdout).toBe('ran audit verify');
    expect(r.status).toBe(2);
  });

  it('says to build first when dist/ is missing', () => {
    const r = spawnSync(process.execPath, [layout('unbuilt'), 'help'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm run build');
  });
});
