import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { runCli } from './cli.js';
import { dialect, freshDatabase, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
let cliEnv: Record<string, string>;
beforeAll(async () => {
  env = await testEnv();
  const admin = await signedIn(env.app, 'admin', '10.3.0.1');
  const parentId = await orgId(env.p, '650200/650203/');
  for (let i = 0; i < 5; i++)
    await admin.post('/api/v1/orgs', { parentId, name: `审计测试单位${i}`, type: 'service_station' });
  cliEnv = { DATABASE_URL: env.url, KEY_FILE: env.p.config.keyFile, DATA_DIR: env.dataDir };
});
afterAll(async () => env?.close());

async function disableAppendOnly() {
  if (dialect === 'sqlite') {
    await sql`DROP TRIGGER audit_log_no_update`.execute(env.p.handle.db);
    await sql`DROP TRIGGER audit_log_no_delete`.execute(env.p.handle.db);
  } else await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`.execute(env.p.handle.db);
}

describe('audit trail', () => {
  it('refuses UPDATE and DELETE in the database itself', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`.execute(env.p.handle.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(env.p.handle.db)).rejects.toThrow(/append-only/);
  });

  it('the API verifies the chain for the auditor', async () => {
    const auditor = await signedIn(env.app, 'auditor', '10.3.0.2');
    const res = await auditor.get('/api/v1/audit/verify');
    expect(res.json()).toMatchObject({ ok: true, firstBrokenSeq: null });
    const list = (await auditor.get('/api/v1/audit?action=org.create&pageSize=100')).json();
    expect(list.total).toBe(5);
    expect(list.items[0].changes.name[1]).toMatch(/审计测试单位/);
    const byActor = (await auditor.get('/api/v1/audit?actor=admin&entityType=org')).json();
    expect(byActor.total).toBe(5);
  });

  it('exports the filtered log as xlsx in Chinese, and the export is itself audited', async () => {
    const auditor = await signedIn(env.app, 'auditor', '10.3.0.3');
    const res = await auditor.get('/api/v1/audit/export?action=org.create');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[0]).toEqual(['序号', '时间', '操作人', '动作', '对象类型', '对象', '对象ID', 'IP 地址', '变更']);
    expect(rows.length).toBe(6);
    expect(rows[1]!.slice(2, 5)).toEqual(['admin', '新建单位', '单位']);
    // the record's name beside its id, and the changed fields
    expect(rows[1]![5]).toContain('审计测试单位');
    expect(rows[1]![8]).toContain('审计测试单位');
    const audited = (await auditor.get('/api/v1/audit?action=audit.export')).json();
    expect(audited.items[0]).toMatchObject({
      entityType: 'audit',
      changes: { rows: 5, filters: { action: 'org.create' } },
    });
    const klmy = await signedIn(env.app, 'klmy', '10.3.0.4');
    expect((await klmy.get('/api/v1/audit/export')).statusCode).toBe(403);
  });

  it('`shuangyong audit verify` passes on a clean database and fails, naming the row, after raw SQL edits', async () => {
    const clean = runCli(['audit', 'verify'], cliEnv);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/审计链完整/);

    await disableAppendOnly();
    await sql`UPDATE audit_log SET changes = '{"name":[null,"篡改"]}' WHERE seq = 3`.execute(env.p.handle.db);
    const edited = runCli(['audit', 'verify'], cliEnv);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(/第 3 条/);
  });

  it('detects a deleted row and a cut-off tail', async () => {
    const rows = await env.p.handle.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    const last = Number(rows.at(-1)!.seq);
    await sql`DELETE FROM audit_log WHERE seq = 2`.execute(env.p.handle.db);
    let r = await env.p.audit.verify(env.p.handle.db);
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    // a chain whose end was cut off (rows 2..last removed) is caught by the head record
    await sql`DELETE FROM audit_log WHERE seq >= 2`.execute(env.p.handle.db);
    r = await env.p.audit.verify(env.p.handle.db);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('truncated');
    expect(last).toBeGreaterThan(2);
  });
});

describe('CLI', () => {
  it('migrates, seeds the demo city, creates a user, backs up and restores', async () => {
    const db = await freshDatabase();
    try {
      const base = { DATABASE_URL: db.url, DATA_DIR: db.dataDir, KEY_FILE: path.join(db.dataDir, 'keys.json') };
      expect(runCli(['migrate'], base).code).toBe(0);
      const seeded = runCli(['seed', '--demo', '--empty'], base);
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toMatch(/演示数据/);
      expect(runCli(['seed', '--demo', '--empty'], base).code).toBe(1);
      const created = runCli(
        [
          'user',
          'create',
          '--username',
          'ops',
          '--display-name',
          '运维',
          '--org-path',
          '650200/',
          '--role',
          'city_staff',
        ],
        { ...base, SY_PASSWORD: 'Operator#Pass1' },
      );
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(runCli(['user', 'create', '--username', 'x'], base).code).toBe(2);
      expect(runCli(['bogus'], base).code).toBe(2);
      expect(fs.statSync(base.KEY_FILE).mode & 0o077).toBe(0);

      const out = path.join(db.dataDir, 'backup.bin');
      expect(runCli(['backup', '--out', out], base).code).toBe(0);
      const second = dialect === 'postgres' ? await freshDatabase() : null;
      try {
        const target = second ? second.url : `sqlite:${path.join(db.dataDir, 'restored', 'shuangyong.db')}`;
        const restored = runCli(['restore', '--from', out, '--target', target], base);
        expect(restored.stderr).toBe('');
        expect(restored.code).toBe(0);
        // the restored copy verifies its audit chain and holds the user created above
        expect(runCli(['audit', 'verify'], { ...base, DATABASE_URL: target }).code).toBe(0);
        const p = createPlatform(loadConfig({ databaseUrl: target, dataDir: db.dataDir, keyFile: base.KEY_FILE }));
        const ops = await p.handle.db
          .selectFrom('users')
          .select('username')
          .where('username', '=', 'ops')
          .executeTakeFirst();
        // `seed --demo` brought the demo Spring Festival campaign the visits pages open with
        const campaigns = await p.handle.db.selectFrom('campaigns').select(['kind', 'status']).execute();
        await p.handle.close();
        expect(ops?.username).toBe('ops');
        expect(campaigns).toEqual([{ kind: 'spring_festival', status: 'issued' }]);
        if (dialect === 'sqlite') expect(runCli(['restore', '--from', out, '--target', target], base).code).toBe(1);
      } finally {
        await second?.drop();
      }
    } finally {
      await db.drop();
    }
  }, 180_000); // about ten CLI processes, each compiling the server with tsx
});
