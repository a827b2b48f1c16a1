import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// decisions/0068: `serve` keeps V8's young generation at its size until the server is first used.
// V8's flags belong to the whole process, so the check runs in a child process of its own.
const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/platform/young-generation.ts');

const CHILD = `
import v8 from 'node:v8';
import { keepYoungGenerationSmall, letYoungGenerationGrow } from ${JSON.stringify(MODULE)};
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
// many short-lived objects and some that survive a few scavenges: what makes V8 grow new space
const churn = () => {
  let keep = [];
  for (let i = 0; i < 3e6; i++) {
    keep.push({ i, s: 'x' + i });
    if (keep.length > 2e5) keep = [];
  }
};
keepYoungGenerationSmall();
const before = newSpace();
churn();
const kept = newSpace();
letYoungGenerationGrow();
churn();
console.log(JSON.stringify({ before, kept, grown: newSpace() }));
`;

describe('the young generation at start-up', () => {
  it('stays at its size while kept small, and grows again once let grow', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const { before, kept, grown } = JSON.parse(r.stdout.trim()) as { before: number; kept: number; grown: number };
    expect(kept).toBe(before);
    expect(grown).toBeGreaterThan(kept);
  });
});
