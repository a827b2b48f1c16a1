import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditFieldLabel, entityTypeLabel } from '../src/lib/audit-labels';

const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/src');
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

describe('the audit log in Chinese', () => {
  it('names every object type the server audits', () => {
    const types = new Set<string>();
    for (const f of sources(serverSrc))
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/entityType: '([a-z_]+)'/g)) types.add(m[1]!);
    expect(types.size).toBeGreaterThan(20);
    const unnamed = [...types].filter((x) => entityTypeLabel(x) === x);
    expect(unnamed).toEqual([]);
    expect(entityTypeLabel('campaign_assignment')).toBe('任务填报');
  });

  it('names the changed fields by the catalogue’s field names', () => {
    expect(auditFieldLabel('award_level')).toBe('立功等级');
    expect(auditFieldLabel('status')).toBe('状态');
    expect(auditFieldLabel('household')).toBe('户');
    expect(auditFieldLabel('no_such_field')).toBe('no_such_field');
  });
});
