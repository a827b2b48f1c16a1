import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineFrom } from '../src/modules/needs/needs.machine.js';
import { MemoryTransport } from '../src/modules/notifications/notifications.service.js';
import { hashPassword } from '../src/platform/auth/password.js';
import { insertUser } from '../src/seed/demo.js';
import { type Client, DEMO_PASSWORD, orgId, signedIn, type TestEnv, testEnv, userId } from './helpers.js';

/** Text only the military side may ever receive; searched for in raw response bodies. */
const SECRET = '机密-营区东门岗哨调整-7731';
const CONTACT = '联络参谋-密线-8842';
const SECRET_NOTE = '机密-内部说明-5519';

let env: TestEnv;
let memory: MemoryTransport;
let unit1: Client;
let unit2: Client;
let city: Client;
let jfq: Client;
let jyj: Client;
let rsj: Client;
let klmy: Client;
let dsz: Client;
let jyjOrg: string;
let rsjOrg: string;

type Res = Awaited<ReturnType<Client['get']>>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests
const json = (r: Res) => r.json() as Record<string, any>;

beforeAll(async () => {
  env = await testEnv();
  memory = new MemoryTransport();
  env.services.notifications.transport = memory;
  const hash = await hashPassword(DEMO_PASSWORD);
  await env.p.handle.db.transaction().execute(async (trx) => {
    await insertUser(trx, {
      username: 'unit2',
      displayName: '部队乙联络员',
      orgPath: '650200/jfq/unit-b/',
      roles: ['unit_liaison'],
      passwordHash: hash,
      mustChange: false,
    });
    await insertUser(trx, {
      username: 'rsj',
      displayName: '人社局经办人',
      orgPath: '650200/rsj/',
      roles: ['department_handler'],
      passwordHash: hash,
      mustChange: false,
    });
  });
  let n = 1;
  const login = (u: string) => signedIn(env.app, u, `10.6.0.${n++}`);
  unit1 = await login('unit1');
  unit2 = await login('unit2');
  city = await login('city');
  jfq = await login('jfq');
  jyj = await login('jyj');
  rsj = await login('rsj');
  klmy = await login('klmy');
  dsz = await login('dsz');
  jyjOrg = await orgId(env.p, '650200/jyj/');
  rsjOrg = await orgId(env.p, '650200/rsj/');
});
afterAll(async () => env?.close());

async function raise(c: Client = unit1, extra: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/needs', {
    title: '军人子女秋季入学',
    description: '两名军人子女需在开学前安排就近入学',
    category: 'schooling',
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

async function act(c: Client, id: string, action: string, body: Record<string, unknown> = {}) {
  const cur = json(await city.get(`/api/v1/needs/${id}`));
  return c.post(`/api/v1/needs/${id}/${action}`, { version: cur.version, ...body });
}

async function step(c: Client, id: string, action: string, body: Record<string, unknown> = {}) {
  const res = await act(c, id, action, body);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return json(res);
}

/** Runs a new need up to `until` (accept, assign to 教育局, start, resolve). */
async function runTo(until: 'accept' | 'assign' | 'start' | 'resolve', extra: Record<string, unknown> = {}) {
  const need = await raise(unit1, extra);
  const steps = [
    () => step(city, need.id, 'accept'),
    () => step(city, need.id, 'assign', { leadOrgId: jyjOrg }),
    () => step(jyj, need.id, 'start'),
    () => step(jyj, need.id, 'resolve', { resolution: '已协调第一小学安排入学' }),
  ];
  let last = need;
  for (const s of steps.slice(0, ['accept', 'assign', 'start', 'resolve'].indexOf(until) + 1)) last = await s();
  return last;
}

async function raiseTitle(id: string) {
  return (await env.p.handle.db.selectFrom('needs').select('title').where('id', '=', id).executeTakeFirst())?.title;
}

async function notificationsOf(c: Client) {
  const res = await c.get('/api/v1/notifications?pageSize=200');
  expect(res.statusCode).toBe(200);
  return { raw: res.body, body: json(res) };
}

async function xlsxCells(res: Res): Promise<string[][]> {
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe('intake and the military-only channel', () => {
  let id: string;

  it('a unit raises a need with military-only details; the military side sees them', async () => {
    const need = await raise(unit1, { militaryDetail: SECRET, militaryContact: CONTACT, tags: ['focus_frontline'] });
    id = need.id;
    expect(need).toMatchObject({ status: 'submitted', source: 'unit', militaryDetail: SECRET, redacted: false });
    expect(need.militaryContact).toBe(CONTACT);
    expect(need.tags).toEqual(['focus_frontline']);
    const mil = await jfq.get(`/api/v1/needs/${id}`);
    expect(mil.body).toContain(SECRET);
    expect(mil.body).toContain(CONTACT);
  });

  it('the civilian view leaves the military-only fields out (not blanked)', async () => {
    const res = await city.get(`/api/v1/needs/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain(CONTACT);
    const body = json(res);
    expect(body.redacted).toBe(true);
    expect('militaryDetail' in body).toBe(false);
    expect('militaryContact' in body).toBe(false);
    const list = await city.get('/api/v1/needs?pageSize=200');
    expect(list.body).toContain(id);
    expect(list.body).not.toContain(SECRET);
    expect((await jfq.get('/api/v1/needs?pageSize=200')).body).toContain(SECRET);
  });

  it('refuses military-only content from the civilian side', async () => {
    const res = await city.post('/api/v1/needs', {
      title: '测试',
      description: '测试',
      category: 'medical',
      militaryDetail: 'x',
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).code).toBe('military_field_not_allowed');
    expect(json(res).title).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses unknown categories and control characters', async () => {
    expect(json(await unit1.post('/api/v1/needs', { title: 'a', description: 'b', category: 'nope' })).code).toBe(
      'unknown_category',
    );
    expect(
      (await unit1.post('/api/v1/needs', { title: 'a\u0000', description: 'b', category: 'other' })).statusCode,
    ).toBe(400);
  });
});

describe('the whole life cycle', () => {
  let id: string;

  it('runs submitted → accepted → assigned → in_progress → resolved → confirmed → closed', async () => {
    const need = await raise(unit1, { militaryDetail: SECRET });
    id = need.id;
    // illegal transitions: 409 listing what the status allows, nothing changed
    const early = await unit1.post(`/api/v1/needs/${id}/confirm`, { version: 1, rating: 5 });
    expect(early.statusCode).toBe(409);
    expect(json(early).allowed).toEqual(['accept', 'decline', 'merge']);
    expect(json(early).detail).toContain('已提交');
    expect(json(await city.get(`/api/v1/needs/${id}`)).version).toBe(1);

    const accepted = await step(city, id, 'accept', { note: '属实，予以受理' });
    expect(accepted.status).toBe('accepted');
    expect(accepted.deadlineDays).toBe(10);
    expect(accepted.deadline).toBe(deadlineFrom(env.services.needs.today(), 10));
    expect((await jyj.get(`/api/v1/needs/${id}`)).statusCode).toBe(404); // not assigned yet

    const assigned = await step(city, id, 'assign', { leadOrgId: jyjOrg, coOrgIds: [rsjOrg] });
    expect(assigned.status).toBe('assigned');
    expect(assigned.handlers.map((h: { orgName: string; role: string }) => `${h.role}:${h.orgName}`)).toEqual([
      'lead:市教育局',
      'co:市人力资源和社会保障局',
    ]);

    const seen = await jyj.get(`/api/v1/needs/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain(SECRET);
    expect(json(seen).actions).toContain('start');
    const tooSoon = await act(jyj, id, 'resolve', { resolution: '已办' });
    expect(tooSoon.statusCode).toBe(409);
    expect(json(tooSoon).allowed).toEqual(['assign', 'start']);
    const co = await act(rsj, id, 'start');
    expect(co.statusCode).toBe(403);
    expect(json(co).detail).toContain('牵头');

    expect((await step(jyj, id, 'start')).status).toBe('in_progress');
    const resolved = await step(jyj, id, 'resolve', { resolution: '已协调第一小学安排两名子女入学' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedOnTime: true });

    const stale = await unit1.post(`/api/v1/needs/${id}/confirm`, { version: 1, rating: 5 });
    expect(json(stale).code).toBe('version_conflict');
    for (const rating of [0, 6, 4.5, '5']) {
      const bad = await act(unit1, id, 'confirm', { rating });
      expect(bad.statusCode, String(rating)).toBe(400);
      expect(json(bad).title).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(json(await city.get(`/api/v1/needs/${id}`)).status).toBe('resolved');
    expect((await act(jyj, id, 'confirm', { rating: 5 })).statusCode).toBe(403); // a department cannot rate

    const confirmed = await step(unit1, id, 'confirm', { rating: 5, comment: '解决及时' });
    expect(confirmed).toMatchObject({ status: 'confirmed', rating: 5 });
    const closed = await step(city, id, 'close');
    expect(closed.status).toBe('closed');
    expect(closed.actions).toEqual([]);
    const after = await act(city, id, 'assign', { leadOrgId: jyjOrg });
    expect(after.statusCode).toBe(409);
    expect(json(after).allowed).toEqual([]);
    expect(closed.events.map((e: { kind: string }) => e.kind)).toEqual([
      'submitted',
      'accept',
      'assign',
      'start',
      'resolve',
      'confirm',
      'close',
    ]);
  });

  it('audits every transition without copying military-only text', async () => {
    const rows = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual([
      'need.create',
      'need.accept',
      'need.assign',
      'need.start',
      'need.resolve',
      'need.confirm',
      'need.close',
    ]);
    const all = await env.p.handle.db.selectFrom('audit_log').select('changes').execute();
    for (const r of all) expect(r.changes ?? '').not.toContain(SECRET);
  });

  it('notifies every party of every transition, civilians without military-only text', async () => {
    const kinds = async (c: Client) =>
      (await notificationsOf(c)).body.items
        .filter((x: { entityId: string }) => x.entityId === id)
        .map((x: { kind: string }) => x.kind)
        .sort();
    expect(await kinds(unit1)).toEqual(
      ['need.accept', 'need.assign', 'need.close', 'need.resolve', 'need.start'].sort(),
    );
    expect(await kinds(jyj)).toEqual(['need.assign', 'need.close', 'need.confirm']);
    expect(await kinds(rsj)).toEqual(['need.assign']);
    expect(await kinds(city)).toEqual(['need.confirm', 'need.submitted']);
    for (const c of [jyj, city, rsj]) expect((await notificationsOf(c)).raw).not.toContain(SECRET);
    // each party's text is written for it: the requester is not told "分派给本部门"
    const assignText = async (c: Client) => {
      const n = (await notificationsOf(c)).body.items.find(
        (x: { entityId: string; kind: string }) => x.entityId === id && x.kind === 'need.assign',
      );
      return `${n.title}｜${n.body}`;
    };
    const title = (await raiseTitle(id))!;
    expect(await assignText(unit1)).toBe(
      `本单位提出的问题已分派承办部门｜本单位提出的问题「${title}」已分派市教育局牵头办理`,
    );
    expect(await assignText(jyj)).toMatch(
      new RegExp(`^有问题分派本部门牵头办理｜问题「${title}」分派本部门牵头办理，办理时限至 \\d{4}-\\d{2}-\\d{2}$`),
    );
    expect(await assignText(rsj)).toMatch(
      new RegExp(
        `^有问题需本部门协办｜问题「${title}」由市教育局牵头办理，本部门协办，办理时限至 \\d{4}-\\d{2}-\\d{2}$`,
      ),
    );
    for (const n of (await notificationsOf(unit1)).body.items) expect(`${n.title}${n.body}`).not.toContain('本部门');
    // the outbound channel got the same messages after each commit, none with military-only text
    expect(memory.sent.some((m) => m.entityId === id && m.kind === 'need.assign')).toBe(true);
    for (const m of memory.sent) expect(`${m.title}${m.body}`).not.toContain(SECRET);
  });

  it('counts unread notifications and marks them read (only one’s own)', async () => {
    const before = (await notificationsOf(jyj)).body;
    expect(before.unread).toBeGreaterThan(0);
    const first = before.items[0].id;
    const read = await jyj.post(`/api/v1/notifications/${first}/read`);
    expect(json(read)).toEqual({ read: true, unread: before.unread - 1 });
    // city sees every org, but jyj's notification is jyj's alone: 404 (issue 13, item 12)
    expect((await city.post(`/api/v1/notifications/${first}/read`)).statusCode).toBe(404);
    expect((await unit1.post(`/api/v1/notifications/${first}/read`)).statusCode).toBe(404);
    expect(json(await jyj.post('/api/v1/notifications/read-all')).unread).toBe(0);
    expect((await notificationsOf(jyj)).body.unread).toBe(0);
  });
});

describe('decline, merge, reopen', () => {
  it('declines with a reason only', async () => {
    const need = await raise();
    expect((await act(city, need.id, 'decline', {})).statusCode).toBe(400);
    const declined = await step(city, need.id, 'decline', { reason: '属于部队内部事务，不予受理' });
    expect(declined).toMatchObject({ status: 'declined', declineReason: '属于部队内部事务，不予受理' });
    const notes = (await notificationsOf(unit1)).body.items.filter((x: { entityId: string }) => x.entityId === need.id);
    expect(notes.map((x: { kind: string }) => x.kind)).toEqual(['need.decline']);
    expect(notes[0].body).toContain('不予受理');
  });

  it('merges a duplicate into the case that goes on', async () => {
    const a = await raise(unit1, { title: '营区门口公交站设置' });
    const b = await raise(unit2, { title: '营区门口增设公交站' });
    expect((await act(city, b.id, 'merge', { intoId: b.id })).statusCode).toBe(400);
    const merged = await step(city, b.id, 'merge', { intoId: a.id });
    expect(merged).toMatchObject({ status: 'merged', mergedInto: a.id });
    const target = json(await city.get(`/api/v1/needs/${a.id}`));
    expect(target.duplicates).toEqual([b.id]);
    expect(target.events.map((e: { kind: string }) => e.kind)).toContain('merged_in');
    // a closed case cannot take duplicates
    const c = await raise();
    await step(city, c.id, 'decline', { reason: '无效' });
    const d = await raise();
    expect(json(await act(city, d.id, 'merge', { intoId: c.id })).code).toBe('merge_target');
  });

  it('lets the requester reopen once, with a reason', async () => {
    const need = await runTo('resolve');
    expect((await act(unit1, need.id, 'reopen', {})).statusCode).toBe(400);
    const reopened = await step(unit1, need.id, 'reopen', { reason: '学校距离营区过远，请再协调' });
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, rating: null });
    expect(reopened.reopenReason).toContain('过远');
    await step(jyj, need.id, 'resolve', { resolution: '已改为营区旁的第二小学' });
    const again = await act(unit1, need.id, 'reopen', { reason: '还是不行' });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('reopen_once');
    expect(json(again).allowed).toEqual(['confirm']);
    expect(json(again).detail).toContain('只能重新办理一次');
    expect(json(await city.get(`/api/v1/needs/${need.id}`)).actions).not.toContain('reopen');
    expect((await step(unit1, need.id, 'confirm', { rating: 3 })).rating).toBe(3);
  });
});

describe('deadlines: escalation and reminders', () => {
  it('escalates an overdue case once to the department and the city', async () => {
    const need = await runTo('start');
    const deadline: string = need.deadline;
    const later = new Date(`${deadline}T04:00:00Z`);
    later.setUTCDate(later.getUTCDate() + 3);
    const first = await env.services.needs.escalateOverdue(later);
    expect(first.escalated).toContain(need.id);
    const second = await env.services.needs.escalateOverdue(later);
    expect(second.escalated).not.toContain(need.id);
    const detail = json(await city.get(`/api/v1/needs/${need.id}`));
    expect(detail.escalatedAt).not.toBeNull();
    expect(detail.events.filter((e: { kind: string }) => e.kind === 'escalated')).toHaveLength(1);
    for (const c of [jyj, city, jfq]) {
      const mine = (await notificationsOf(c)).body.items.filter(
        (x: { entityId: string; kind: string }) => x.entityId === need.id && x.kind === 'need.escalated',
      );
      expect(mine).toHaveLength(1);
    }
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', need.id)
      .where('action', '=', 'need.escalate')
      .execute();
    expect(audit).toEqual([{ action: 'need.escalate', actor_name: 'system' }]);
  });

  it('reminds the department shortly before the deadline', async () => {
    const need = await runTo('assign');
    const deadline: string = need.deadline;
    // the working day before the deadline (at noon in Beijing)
    let day = new Date(`${deadline}T04:00:00Z`);
    do day = new Date(day.getTime() - 86_400_000);
    while ([0, 6].includes(day.getUTCDay()));
    const early = await env.services.needs.escalateOverdue(new Date(`${env.services.needs.today()}T04:00:00Z`));
    expect(early.reminded).not.toContain(need.id);
    const res = await env.services.needs.escalateOverdue(day);
    expect(res.reminded).toContain(need.id);
    expect(res.escalated).not.toContain(need.id);
    const mine = (await notificationsOf(jyj)).body.items.filter(
      (x: { entityId: string; kind: string }) => x.entityId === need.id && x.kind === 'need.reminded',
    );
    expect(mine).toHaveLength(1);
  });
});

describe('scope and bad input', () => {
  it('a department sees and acts only on cases assigned to it', async () => {
    const need = await runTo('accept');
    await step(city, need.id, 'assign', { leadOrgId: rsjOrg });
    const before = json(await city.get(`/api/v1/needs/${need.id}`));
    for (const res of [await jyj.get(`/api/v1/needs/${need.id}`), await act(jyj, need.id, 'start')]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(json(res).title).toMatch(/[\u4e00-\u9fff]/);
    }
    // assigning itself: the department has no triage right
    const self = await jyj.post(`/api/v1/needs/${need.id}/assign`, { version: before.version, leadOrgId: jyjOrg });
    expect(self.statusCode).toBe(403);
    expect(json(self).title).toMatch(/[\u4e00-\u9fff]/);
    expect(json(await city.get(`/api/v1/needs/${need.id}`)).version).toBe(before.version);
    expect((await jyj.get('/api/v1/needs?pageSize=200')).body).not.toContain(need.id);
    expect((await rsj.get('/api/v1/needs?inbox=true&pageSize=200')).body).toContain(need.id);
  });

  it('a unit sees its own needs, a district its area, the city all', async () => {
    const mine = await raise(unit1);
    const community = await orgId(env.p, '650200/650202/650202001/650202001001/');
    const family = await raise(dsz, { title: '烈属家庭就医困难', category: 'medical', orgId: community });
    expect(family.source).toBe('visit');
    expect((await unit2.get(`/api/v1/needs/${mine.id}`)).statusCode).toBe(404);
    expect((await klmy.get(`/api/v1/needs/${family.id}`)).statusCode).toBe(404);
    expect((await klmy.get(`/api/v1/needs/${mine.id}`)).statusCode).toBe(404);
    expect((await unit1.get(`/api/v1/needs/${family.id}`)).statusCode).toBe(404);
    expect((await dsz.get(`/api/v1/needs/${family.id}`)).statusCode).toBe(200);
    const unitList = (await unit2.get('/api/v1/needs?pageSize=200')).body;
    expect(unitList).not.toContain(mine.id);
    for (const c of [city, jfq]) {
      expect((await c.get(`/api/v1/needs/${family.id}`)).statusCode).toBe(200);
      expect((await c.get(`/api/v1/needs/${mine.id}`)).statusCode).toBe(200);
    }
    // acting for an org outside one's scope
    const unitB = await orgId(env.p, '650200/jfq/unit-b/');
    const other = await unit1.post('/api/v1/needs', { title: 'x', description: 'y', category: 'other', orgId: unitB });
    expect(other.statusCode).toBe(403);
    expect((await jyj.post('/api/v1/needs', { title: 'x', description: 'y', category: 'other' })).statusCode).toBe(403);
    expect((await klmy.post(`/api/v1/needs/${family.id}/accept`, { version: 1 })).statusCode).toBe(403);
  });
});

describe('military-only content everywhere a civilian looks', () => {
  let id: string;
  let hidden: string;

  beforeAll(async () => {
    const need = await runTo('start', { militaryDetail: SECRET, militaryContact: CONTACT });
    id = need.id;
    const note = await unit1.post(`/api/v1/needs/${id}/comments`, { note: SECRET_NOTE, militaryOnly: true });
    expect(note.statusCode, note.body).toBe(200);
    expect((await jyj.post(`/api/v1/needs/${id}/comments`, { note: '正在协调', militaryOnly: true })).statusCode).toBe(
      400,
    );
    await jyj.post(`/api/v1/needs/${id}/comments`, { note: '正在与学校协调' });
    const upload = await unit1.request(
      'POST',
      `/api/v1/needs/${id}/attachments?fileName=${encodeURIComponent('部署图.pdf')}&militaryOnly=true`,
      Buffer.from('%PDF-1.4\nsecret'),
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(upload.statusCode, upload.body).toBe(201);
    hidden = json(upload).id;
    const open = await unit1.request(
      'POST',
      `/api/v1/needs/${id}/attachments?fileName=a.pdf`,
      Buffer.from('%PDF-1.4\nok'),
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(open.statusCode).toBe(201);
    const exe = await unit1.request(
      'POST',
      `/api/v1/needs/${id}/attachments?fileName=a.pdf`,
      Buffer.from('MZ\x90\x00'),
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(exe.statusCode).toBe(415);
  });

  it('detail and timeline', async () => {
    for (const c of [jyj, city]) {
      const res = await c.get(`/api/v1/needs/${id}`);
      for (const s of [SECRET, CONTACT, SECRET_NOTE, hidden, '部署图']) expect(res.body, s).not.toContain(s);
      expect(json(res).events.map((e: { kind: string }) => e.kind)).toContain('comment');
      expect(json(res).attachments).toHaveLength(1);
      expect((await c.get(`/api/v1/needs/${id}/attachments/${hidden}`)).statusCode).toBe(404);
    }
    for (const c of [unit1, jfq]) {
      const res = await c.get(`/api/v1/needs/${id}`);
      for (const s of [SECRET, CONTACT, SECRET_NOTE, hidden]) expect(res.body).toContain(s);
      const file = await c.get(`/api/v1/needs/${id}/attachments/${hidden}`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
    }
  });

  it('lists, exports, notifications and the audit trail', async () => {
    for (const c of [jyj, city]) {
      expect((await c.get('/api/v1/needs?pageSize=200')).body).not.toContain(SECRET);
      const cells = (await xlsxCells(await c.get('/api/v1/needs/export'))).flat().join('\n');
      expect(cells).toContain('军人子女秋季入学');
      expect(cells).not.toContain(SECRET);
      expect(cells).not.toContain('仅军方可见');
      expect((await notificationsOf(c)).raw).not.toContain(SECRET);
    }
    const milCells = (await xlsxCells(await jfq.get('/api/v1/needs/export'))).flat().join('\n');
    expect(milCells).toContain(SECRET);
    expect(milCells).toContain('仅军方可见内容');
    const audit = await env.p.handle.db.selectFrom('audit_log').select('changes').execute();
    for (const r of audit)
      for (const s of [SECRET, CONTACT, SECRET_NOTE, '部署图']) expect(r.changes ?? '').not.toContain(s);
  });
});

describe('categories, tags, statistics', () => {
  it('keeps the category list and deadlines configurable', async () => {
    const list = json(await unit1.get('/api/v1/need-categories')).items;
    expect(list.map((c: { label: string }) => c.label)).toEqual([
      '子女入学入托',
      '随军家属就业',
      '医疗',
      '住房',
      '交通出行',
      '训练场地保障',
      '营区周边环境',
      '法律援助',
      '其他',
    ]);
    const medical = list.find((c: { code: string }) => c.code === 'medical');
    expect(medical.deadlineDays).toBe(5);
    expect((await unit1.patch('/api/v1/need-categories/medical', { version: 1, deadlineDays: 3 })).statusCode).toBe(
      403,
    );
    const changed = await city.patch('/api/v1/need-categories/medical', { version: 1, deadlineDays: 3 });
    expect(json(changed).deadlineDays).toBe(3);
    expect(json(await city.patch('/api/v1/need-categories/medical', { version: 1, deadlineDays: 4 })).code).toBe(
      'version_conflict',
    );
    const need = await raise(unit1, { category: 'medical' });
    expect((await step(city, need.id, 'accept')).deadline).toBe(deadlineFrom(env.services.needs.today(), 3));
    const created = await city.post('/api/v1/need-categories', { code: 'water', label: '营区供水', deadlineDays: 7 });
    expect(created.statusCode).toBe(201);
    expect(
      (await city.post('/api/v1/need-categories', { code: 'water', label: 'x', deadlineDays: 7 })).statusCode,
    ).toBe(409);
  });

  it('tags cases for special campaigns and reports on them separately', async () => {
    const need = await raise();
    const cur = json(await city.get(`/api/v1/needs/${need.id}`));
    const tagged = await city.request('PUT', `/api/v1/needs/${need.id}/tags`, {
      version: cur.version,
      tags: ['solve_difficulties', 'focus_frontline'],
    });
    expect(json(tagged).tags).toEqual(['focus_frontline', 'solve_difficulties']);
    expect((await unit1.request('PUT', `/api/v1/needs/${need.id}/tags`, { version: 2, tags: [] })).statusCode).toBe(
      403,
    );
    const list = json(await city.get('/api/v1/needs?tag=solve_difficulties&pageSize=200'));
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([need.id]);
    const report = json(await city.get('/api/v1/needs/statistics?tag=solve_difficulties'));
    expect(report.total).toBe(1);
    expect(report.byTag.find((x: { key: string }) => x.key === 'solve_difficulties').count).toBe(1);
    const frontline = json(await city.get('/api/v1/needs/statistics?tag=focus_frontline'));
    expect(frontline.total).toBe(2); // the first need of this file and this one
  });

  it('computes counts, on-time rate, median days, satisfaction and the department league', async () => {
    const s = json(await city.get('/api/v1/needs/statistics'));
    const all = json(await city.get('/api/v1/needs?pageSize=200'));
    expect(s.total).toBe(all.total);
    const sum = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);
    expect(sum(s.byStatus)).toBe(s.total);
    expect(sum(s.byCategory)).toBe(s.total);
    expect(s.byStatus.find((x: { key: string }) => x.key === 'closed')).toMatchObject({ label: '已办结' });
    expect(s.byCategory.find((x: { key: string }) => x.key === 'schooling').label).toBe('子女入学入托');
    expect(s.resolved).toBe(2); // the closed case and the reopened one, resolved again
    expect(s.onTimeRate).toBe(1);
    expect(s.medianDaysToResolve).toBeGreaterThanOrEqual(0);
    expect(s.satisfaction.rated).toBe(2);
    expect(s.satisfaction.average).toBe(4);
    expect(s.satisfaction.distribution).toEqual([0, 0, 1, 0, 1]);
    const edu = s.league.find((x: { orgName: string }) => x.orgName === '市教育局');
    expect(edu).toMatchObject({ rank: 1, onTimeRate: 1, averageRating: 4 });
    expect(edu.assigned).toBeGreaterThanOrEqual(edu.resolved);
    expect(s.byDepartment.find((x: { key: string }) => x.key === jyjOrg).count).toBe(edu.assigned);
    const xlsx = await xlsxCells(await city.get('/api/v1/needs/statistics/export'));
    expect(xlsx[0]).toContain('牵头部门');
    expect(xlsx.some((row) => row.includes('市教育局'))).toBe(true);
    // a department's statistics cover only its own cases
    const mine = json(await jyj.get('/api/v1/needs/statistics'));
    expect(mine.league.map((x: { orgName: string }) => x.orgName)).toEqual(['市教育局']);
  });

  it('counts statistics per window of submission dates', async () => {
    const s = json(await city.get('/api/v1/needs/statistics?from=2020-01-01&to=2020-12-31'));
    expect(s.total).toBe(0);
    expect(s.onTimeRate).toBeNull();
  });
});

describe('user ids in notifications are the recipients’ own', () => {
  it('lists only the caller’s notifications', async () => {
    const jyjId = await userId(env.p, 'jyj');
    const rows = await env.p.handle.db.selectFrom('notifications').select('id').where('user_id', '=', jyjId).execute();
    const theirs = (await notificationsOf(unit1)).body.items.map((x: { id: string }) => x.id);
    for (const r of rows) expect(theirs).not.toContain(r.id);
  });
});
