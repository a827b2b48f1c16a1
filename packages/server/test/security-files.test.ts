import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LETTERS_KIND } from '../src/modules/visits/letters.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Issue 13, items 2 and 4: job files (uploads, error reports) hold clear ID numbers, phones and
 * addresses. Only a caller with the permission of the job's kind (and in scope) reaches a job or
 * its files; every download of such a file is audited; the files are sealed at rest.
 */
let env: TestEnv;
let klmy: Client;
let district: string;

const VALID = makeId('650203', '1950-03-05', 100);
const BAD = `${VALID.slice(0, 17)}${VALID.endsWith('1') ? '2' : '1'}`;
const roster = () =>
  Buffer.from(
    [
      '姓名,身份证号,联系电话,人员类别,家庭住址',
      `张建国,${VALID},13912348896,烈属,友谊社区3栋101`,
      `赵错号,${BAD},13800001111,烈属,胜利路9号`,
    ].join('\n'),
    'utf8',
  );

async function upload(c: Client, data: Buffer) {
  const res = await c.request('POST', `/api/v1/beneficiaries/imports?orgId=${district}&fileName=roster.csv`, data, {
    'content-type': 'application/octet-stream',
  });
  expect(res.statusCode).toBe(202);
  await env.jobs.idle();
  return res.json().id as string;
}

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.13.2.1');
  district = await orgId(env.p, '650200/650203/');
});
afterAll(async () => env?.close());

describe('job files under the permission of the job kind (item 2)', () => {
  it('keeps import jobs and their error reports from roles without beneficiary:import, whatever their scope', async () => {
    const id = await upload(klmy, roster());
    const job = (await klmy.get(`/api/v1/jobs/${id}`)).json();
    expect(job.status).toBe('validated');
    expect(job.result.invalid).toBe(1);
    for (const [user, ip] of [
      ['leader', '10.13.2.2'],
      ['auditor', '10.13.2.3'],
      ['city', '10.13.2.4'],
    ] as const) {
      const c = await signedIn(env.app, user, ip);
      expect((await c.get(`/api/v1/jobs/${id}`)).statusCode, user).toBe(404);
      expect([403, 404], user).toContain((await c.get(`/api/v1/jobs/${id}/error-report`)).statusCode);
      expect([403, 404], user).toContain((await c.post(`/api/v1/jobs/${id}/commit`)).statusCode);
    }
  });

  it('audits every download of an error report, before it is sent', async () => {
    const id = await upload(klmy, roster());
    const before = await env.p.handle.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'file.download')
      .execute();
    const res = await klmy.get(`/api/v1/jobs/${id}/error-report`);
    expect(res.statusCode).toBe(200);
    const rows = await env.p.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'file.download')
      .where('entity_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_name).toBe('klmy');
    expect(JSON.parse(rows[0]!.changes!)).toMatchObject({ kind: 'import_error_report' });
    const after = await env.p.handle.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'file.download')
      .execute();
    expect(after.length).toBe(before.length + 1);
  });

  it('shows a letters job only to a holder of visit:write', async () => {
    const org = { id: district, path: '650200/650203/', name: '克拉玛依区' };
    const job = await env.jobs.create(systemActor(org), org, LETTERS_KIND, { planId: 'none' });
    await env.jobs.idle();
    expect((await klmy.get(`/api/v1/jobs/${job.id}`)).statusCode).toBe(200);
    const leader = await signedIn(env.app, 'leader', '10.13.2.5');
    expect((await leader.get(`/api/v1/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await leader.get(`/api/v1/visit-letters/${job.id}`)).statusCode).toBe(404);
  });
});

describe('job files at rest (item 4)', () => {
  const filesOf = (id: string) =>
    fs.readdirSync(path.join(env.dataDir, 'jobs')).filter((f) => f.startsWith(id) && !f.endsWith('.tmp'));

  it('seals uploads and error reports with the database key, readable by the service user only', async () => {
    const id = await upload(klmy, roster());
    const dir = path.join(env.dataDir, 'jobs');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const files = filesOf(id);
    // the dry run's checked rows (the commit's plan, decisions/0064) are personal data too
    expect(files.sort()).toEqual([`${id}.errors.xlsx`, `${id}.plan.jsonl`, `${id}.upload`]);
    for (const f of files) {
      const data = fs.readFileSync(path.join(dir, f));
      expect(fs.statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
      expect(data.subarray(0, 4).toString(), f).toBe('SYF1');
      for (const secret of [VALID, BAD, '13912348896', '友谊社区3栋101'])
        expect(data.includes(Buffer.from(secret)), `${f} holds ${secret}`).toBe(false);
      expect(data.includes(Buffer.from('PK\u0003\u0004', 'latin1')), f).toBe(false);
    }
    // still usable: the report opens, the commit reads the sealed roster
    const report = await klmy.get(`/api/v1/jobs/${id}/error-report`);
    expect(report.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await klmy.post(`/api/v1/jobs/${id}/commit`)).statusCode).toBe(202);
    await env.jobs.idle();
    const done = (await klmy.get(`/api/v1/jobs/${id}`)).json();
    expect(done.status).toBe('succeeded');
    expect(done.result.created).toBe(1);
  });

  it('refuses a sealed file that was changed', async () => {
    const id = await upload(klmy, roster());
    const file = path.join(env.dataDir, 'jobs', `${id}.errors.xlsx`);
    const data = fs.readFileSync(file);
    data[data.length - 40] = (data[data.length - 40] ?? 0) ^ 1;
    fs.writeFileSync(file, data);
    expect((await klmy.get(`/api/v1/jobs/${id}/error-report`)).statusCode).toBe(500);
  });

  it('deletes job files after files.retentionDays (default 7, set in the security settings)', async () => {
    const id = await upload(klmy, roster());
    expect(filesOf(id)).toHaveLength(3);
    const day = 86_400_000;
    await env.jobs.sweep(new Date(Date.now() + 6 * day));
    expect(filesOf(id)).toHaveLength(3);
    const admin = await signedIn(env.app, 'admin', '10.13.2.6');
    expect((await admin.get('/api/v1/settings/security')).json().files).toEqual({ retentionDays: 7 });
    const res = await admin.patch('/api/v1/settings/security', { files: { retentionDays: 2 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().files.retentionDays).toBe(2);
    await env.jobs.sweep(new Date(Date.now() + 3 * day));
    expect(filesOf(id)).toEqual([]);
    // the job row stays; its report is gone
    expect((await klmy.get(`/api/v1/jobs/${id}`)).statusCode).toBe(200);
    expect((await klmy.get(`/api/v1/jobs/${id}/error-report`)).statusCode).toBe(404);
    expect(env.timers.some((t) => t.name === 'job files sweep')).toBe(true);
    await admin.patch('/api/v1/settings/security', { files: { retentionDays: 7 } });
  });
});
