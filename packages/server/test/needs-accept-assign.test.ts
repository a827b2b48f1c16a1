import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineFrom } from '../src/modules/needs/needs.machine.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
let unit1: Client;
let city: Client;
let jyj: Client;
let klmy: Client;
let jyjOrg: string;
let rsjOrg: string;

type Res = Awaited<ReturnType<Client['get']>>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests
const json = (r: Res) => r.json() as Record<string, any>;

beforeAll(async () => {
  env = await testEnv();
  let n = 1;
  const login = (u: string) => signedIn(env.app, u, `10.17.0.${n++}`);
  unit1 = await login('unit1');
  city = await login('city');
  jyj = await login('jyj');
  klmy = await login('klmy');
  jyjOrg = await orgId(env.p, '650200/jyj/');
  rsjOrg = await orgId(env.p, '650200/rsj/');
});
afterAll(async () => env?.close());

async function raise(title = '军人子女秋季入学') {
  const res = await unit1.post('/api/v1/needs', {
    title,
    description: '两名军人子女需在开学前安排就近入学',
    category: 'schooling',
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

describe('accept and assign in one step (city staff)', () => {
  it('accepts, names lead and co-handlers and a time limit in working days, in one transaction', async () => {
    const need = await raise();
    const res = await city.post(`/api/v1/needs/${need.id}/accept-assign`, {
      version: need.version,
      leadOrgId: jyjOrg,
      coOrgIds: [rsjOrg],
      deadlineDays: 5,
      note: '属实，予以受理',
    });
    expect(res.statusCode, res.body).toBe(200);
    const done = json(res);
    expect(done.status).toBe('assigned');
    expect(done.deadlineDays).toBe(5);
    expect(done.deadline).toBe(deadlineFrom(env.services.needs.today(), 5));
    expect(done.handlers.map((h: { role: string; orgName: string }) => `${h.role}:${h.orgName}`)).toEqual([
      'lead:市教育局',
      'co:市人力资源和社会保障局',
    ]);
    // the timeline and the audit trail read as the two steps
    expect(done.events.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'accept', 'assign']);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', need.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['need.create', 'need.accept', 'need.assign']);
    // the lead department sees it and may start
    const seen = await jyj.get(`/api/v1/needs/${need.id}`);
    expect(seen.statusCode).toBe(200);
    expect(json(seen).actions).toContain('start');
  });

  it("uses the category's time limit when none is given", async () => {
    const need = await raise('军属就业');
    const res = await city.post(`/api/v1/needs/${need.id}/accept-assign`, { version: need.version, leadOrgId: jyjOrg });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).deadlineDays).toBe(10);
  });

  it('changes nothing when the assignment is refused', async () => {
    const need = await raise('重复分派');
    const res = await city.post(`/api/v1/needs/${need.id}/accept-assign`, {
      version: need.version,
      leadOrgId: jyjOrg,
      coOrgIds: [jyjOrg],
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).code).toBe('lead_also_co');
    const after = json(await city.get(`/api/v1/needs/${need.id}`));
    expect(after.status).toBe('submitted');
    expect(after.version).toBe(need.version);
    expect(after.events.map((e: { kind: string }) => e.kind)).toEqual(['submitted']);
  });

  it('is refused to those who do not triage, on a stale version and outside the machine', async () => {
    const need = await raise('权限检查');
    const body = { version: need.version, leadOrgId: jyjOrg };
    expect((await klmy.post(`/api/v1/needs/${need.id}/accept-assign`, body)).statusCode).toBe(403);
    expect((await unit1.post(`/api/v1/needs/${need.id}/accept-assign`, body)).statusCode).toBe(403);
    expect((await city.post(`/api/v1/needs/${need.id}/accept-assign`, { ...body, version: 9 })).statusCode).toBe(409);
    expect((await city.post(`/api/v1/needs/${need.id}/accept-assign`, { ...body, deadlineDays: 0 })).statusCode).toBe(
      400,
    );
    expect((await city.post(`/api/v1/needs/${need.id}/accept-assign`, body)).statusCode).toBe(200);
    // accepted already: the one step is no longer allowed, the two-step path goes on
    const again = await city.post(`/api/v1/needs/${need.id}/accept-assign`, { ...body, version: need.version + 2 });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('illegal_transition');
  });
});

describe('marking several notifications read', () => {
  it('marks the chosen ones of the caller only, and audits it', async () => {
    await raise('通知批量已读');
    const list = json(await unit1.get('/api/v1/notifications?pageSize=200'));
    const mine = json(await city.get('/api/v1/notifications?pageSize=200&unread=true'));
    expect(mine.items.length).toBeGreaterThan(1);
    const two = mine.items.slice(0, 2).map((n: { id: string }) => n.id);
    const res = await city.post('/api/v1/notifications/read', { ids: two });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ read: true, unread: mine.unread - 2 });
    const after = json(await city.get('/api/v1/notifications?pageSize=200'));
    for (const id of two) expect(after.items.find((n: { id: string }) => n.id === id).read).toBe(true);
    // someone else's ids change nothing of theirs
    const others = list.items.filter((n: { read: boolean }) => !n.read).map((n: { id: string }) => n.id);
    expect(others.length).toBeGreaterThan(0);
    expect(json(await city.post('/api/v1/notifications/read', { ids: others })).read).toBe(true);
    expect(json(await unit1.get('/api/v1/notifications?pageSize=200')).unread).toBe(list.unread);
    const audited = await env.p.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'notification.read_many')
      .execute();
    expect(audited.length).toBe(1);
    expect((await city.post('/api/v1/notifications/read', { ids: [] })).statusCode).toBe(400);
  });
});
