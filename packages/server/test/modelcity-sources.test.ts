import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLivingCity } from '../src/seed/living.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { visitBody } from './visits-fixtures.js';

// Issue 22 items 2, 3, 6: evidence that files itself from visits, campaigns, needs and honours (the
// owners' services, never their tables), on the living demo city; responsibility per item.

let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
let jyj: Client;

interface Element {
  id: string;
  code: string;
  score: number;
  status: string;
  kinds: string[];
  evidence: {
    id: string;
    title: string;
    orgName: string;
    sourceKind: string;
    sourceId: string | null;
    docType: string | null;
  }[];
}
interface Item {
  id: string;
  code: string;
  score: number;
  points: number;
  owners: { orgName: string; role: string; deadline: string; taskId: string | null }[];
  elements: Element[];
}
interface Readiness {
  score: number;
  points: number;
  standards: { items: Item[] }[];
  gaps: { code: string; status: string }[];
}

const readiness = async (c: Client): Promise<Readiness> => {
  const res = await c.get('/api/v1/modelcity/readiness');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const elements = (r: Readiness) => r.standards.flatMap((s) => s.items.flatMap((i) => i.elements));
const element = (r: Readiness, code: string) => elements(r).find((e) => e.code === code)!;
const item = (r: Readiness, code: string) => r.standards.flatMap((s) => s.items).find((i) => i.code === code)!;
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

beforeAll(async () => {
  env = await testEnv();
  await seedLivingCity(env.p);
  [city, klmy, dsz, jyj] = await Promise.all([
    signedIn(env.app, 'city', '10.29.0.1'),
    signedIn(env.app, 'klmy', '10.29.0.2'),
    signedIn(env.app, 'dsz', '10.29.0.3'),
    signedIn(env.app, 'jyj', '10.29.0.4'),
  ]);
});
afterAll(async () => env?.close());

describe('the living demo city files its own evidence', () => {
  it('shows a readiness computed from its visits, reports, needs, citations and documents', async () => {
    const r = await readiness(city);
    expect(r.score).toBeGreaterThan(0);
    const kinds = new Set(elements(r).flatMap((e) => e.evidence.map((x) => x.sourceKind)));
    for (const k of ['visit', 'campaign', 'need', 'honour', 'document']) expect(kinds).toContain(k);
    // a visit plan proves 节日走访慰问部队, an accepted report 成员单位年度计划, a delivered 喜报 its element
    expect(element(r, '2.1.1').evidence.some((e) => e.sourceKind === 'visit')).toBe(true);
    expect(element(r, '1.3.2').evidence.some((e) => e.sourceKind === 'campaign')).toBe(true);
    expect(element(r, '3.2.1').evidence.some((e) => e.sourceKind === 'honour')).toBe(true);
    expect(element(r, '2.2.1').evidence.some((e) => e.sourceKind === 'need')).toBe(true);
    // the binder goes to inspectors: a citation names the community and year, never the family
    const honour = element(r, '3.2.1').evidence.find((e) => e.sourceKind === 'honour')!;
    expect(honour.title).toMatch(/年度立功喜报送达$/);
    // everything the rules suggest has been confirmed by the seed
    expect((await city.get('/api/v1/modelcity/suggestions')).json().items).toEqual([]);
  });

  it('a district sees only its own part: 独山子区 its report and voucher, not 克拉玛依区’s citations', async () => {
    const own = await readiness(dsz);
    const orgs = new Set(elements(own).flatMap((e) => e.evidence.map((x) => x.orgName)));
    expect([...orgs].every((o) => o.startsWith('独山子'))).toBe(true);
    expect(element(own, '3.2.1').evidence).toEqual([]);
    expect(element(own, '1.5.1').evidence.map((e) => e.title)).toContain('独山子区八一慰问部队经费支付凭证');
    expect(own.score).toBeLessThan((await readiness(city)).score);
  });

  it('deleting the leading-group minutes takes their points away and lists the gap', async () => {
    const before = await readiness(city);
    const minutes = element(before, '1.2.1').evidence.find((e) => e.docType === 'minutes')!;
    expect(element(before, '1.2.1').status).toBe('met');
    expect(before.gaps.map((g) => g.code)).not.toContain('1.2.1');
    const res = await city.post(`/api/v1/modelcity/evidence/${minutes.id}/remove`, { reason: '纪要版本有误' });
    expect(res.statusCode).toBe(204);
    const after = await readiness(city);
    expect(element(after, '1.2.1')).toMatchObject({ status: 'missing', score: 0 });
    expect(after.gaps.find((g) => g.code === '1.2.1')).toMatchObject({ status: 'missing' });
    expect(after.score).toBe(before.score - 50);
  });
});

describe('records of other modules through their services', () => {
  it('refuses a case not yet closed (409) and another district’s case (404)', async () => {
    const r = await readiness(city);
    const target = element(r, '2.2.1');
    const open = (await klmy.get('/api/v1/needs?open=true&pageSize=5')).json().items[0];
    expect(open).toBeTruthy();
    const early = await city.post('/api/v1/modelcity/evidence', {
      elementId: target.id,
      sourceKind: 'need',
      sourceId: open.id,
    });
    expect(early.statusCode, early.body).toBe(409);
    const foreign = await dsz.post('/api/v1/modelcity/evidence', {
      elementId: target.id,
      sourceKind: 'need',
      sourceId: open.id,
    });
    expect(foreign.statusCode).toBe(404);
    // a kind the element does not accept
    const wrong = await city.post('/api/v1/modelcity/evidence', {
      elementId: element(r, '1.1.1').id,
      sourceKind: 'need',
      sourceId: open.id,
    });
    expect(wrong.statusCode).toBe(400);
  });
});

describe('plaques and budget lines file themselves (through honours and visits read models)', () => {
  const byKind = (r: Readiness, kind: string) => elements(r).find((e) => e.kinds[0] === kind)!;
  const suggested = async (c: Client, kind: string) =>
    ((await c.get('/api/v1/modelcity/suggestions')).json().items as Suggestion[]).filter((x) => x.sourceKind === kind);
  interface Suggestion {
    sourceKind: string;
    sourceId: string;
    title: string;
    orgName: string;
    elementId: string;
  }

  it('a plaque hung in 克拉玛依区 is suggested for 光荣牌悬挂记录, confirmed, and raises the score', async () => {
    const before = await readiness(klmy);
    const target = byKind(before, 'plaque');
    expect(target.kinds).toContain('honour');
    const hh = (await klmy.get('/api/v1/households?plaqueStatus=none&pageSize=1')).json().items[0];
    expect(hh).toBeTruthy();
    const hung = await klmy.post(`/api/v1/households/${hh.id}/plaque-events`, {
      kind: 'issued',
      eventDate: '2026-06-01',
      hungBy: '区局张科长',
    });
    expect(hung.statusCode, hung.body).toBe(200);
    const event = hung.json().plaqueEvents.at(-1);
    const mine = (await suggested(klmy, 'plaque')).filter((x) => x.sourceId === event.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.elementId).toBe(target.id);
    // a household: the community, never the family
    expect(mine[0]!.title).toBe(`${hh.orgName}悬挂光荣牌 1 户`);
    for (const name of hh.members as string[]) expect(mine[0]!.title).not.toContain(name);
    // 独山子区 does not see 克拉玛依区's plaque, nor may it file it
    expect((await suggested(dsz, 'plaque')).some((x) => x.sourceId === event.id)).toBe(false);
    const foreign = await dsz.post('/api/v1/modelcity/evidence', {
      elementId: target.id,
      sourceKind: 'plaque',
      sourceId: event.id,
    });
    expect(foreign.statusCode).toBe(404);
    const tag = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: target.id,
      sourceKind: 'plaque',
      sourceId: event.id,
    });
    expect(tag.statusCode, tag.body).toBe(201);
    const after = await readiness(klmy);
    expect(byKind(after, 'plaque').evidence.some((e) => e.sourceKind === 'plaque')).toBe(true);
    expect(byKind(after, 'plaque').score).toBeGreaterThan(byKind(before, 'plaque').score);
    expect(after.score).toBeGreaterThan(before.score);
    expect((await suggested(klmy, 'plaque')).some((x) => x.sourceId === event.id)).toBe(false);
    expect(elements(await readiness(dsz)).some((e) => e.evidence.some((x) => x.sourceId === event.id))).toBe(false);
  });

  it('a budget line with spending is suggested for 经费列入预算并有支付凭证, confirmed, and raises the score', async () => {
    const before = await readiness(klmy);
    const target = byKind(before, 'budget');
    expect(target.kinds).toContain('document');
    // 克拉玛依区 pays a visit of its confirmed plan from one of its budget lines
    const plans = (await klmy.get('/api/v1/visit-plans?pageSize=50')).json().items as {
      id: string;
      status: string;
      campaignId: string;
    }[];
    const plan = plans.find((x) => x.status === 'confirmed')!;
    expect(plan).toBeTruthy();
    const lines = (await klmy.get(`/api/v1/visit-budget-lines?campaignId=${plan.campaignId}`)).json().items;
    const line = lines.find((l: { orgName: string; spentFen: number }) => l.orgName.startsWith('克拉玛依区'));
    expect(line).toBeTruthy();
    const targets = (await klmy.get(`/api/v1/visit-plans/${plan.id}/targets?pageSize=50`)).json().items as {
      id: string;
    }[];
    let paid = false;
    for (const tg of targets) {
      const v = await klmy.post(
        '/api/v1/visits',
        visitBody(tg.id, { cashFen: 30_000, goods: [], budgetLineId: line.id }),
      );
      if (v.statusCode === 201) {
        paid = true;
        break;
      }
    }
    expect(paid).toBe(true);
    const mine = (await suggested(klmy, 'budget')).filter((x) => x.sourceId === line.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.elementId).toBe(target.id);
    expect(mine[0]!.title).toMatch(/经费科目「.+」：预算 \d+\.\d{2} 元，已支出 \d+\.\d{2} 元$/);
    // 独山子区 is not offered 克拉玛依区's line, nor may it file it
    expect((await suggested(dsz, 'budget')).some((x) => x.sourceId === line.id)).toBe(false);
    const foreign = await dsz.post('/api/v1/modelcity/evidence', {
      elementId: target.id,
      sourceKind: 'budget',
      sourceId: line.id,
    });
    expect(foreign.statusCode).toBe(404);
    const tag = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: target.id,
      sourceKind: 'budget',
      sourceId: line.id,
    });
    expect(tag.statusCode, tag.body).toBe(201);
    const after = await readiness(klmy);
    expect(byKind(after, 'budget').evidence.some((e) => e.sourceId === line.id)).toBe(true);
    expect(byKind(after, 'budget').score).toBeGreaterThan(byKind(before, 'budget').score);
    expect(after.score).toBeGreaterThan(before.score);
    expect(elements(await readiness(dsz)).some((e) => e.evidence.some((x) => x.sourceId === line.id))).toBe(false);
  });
});

describe('responsibility per item', () => {
  it('the city assigns 1.3 to 市教育局 with 独山子区 as co-owner; it lands in their to-do', async () => {
    const r = await readiness(city);
    const members = item(r, '1.3');
    const jyjOrg = (
      await env.p.handle.db.selectFrom('orgs').select('id').where('code', '=', 'jyj').executeTakeFirstOrThrow()
    ).id;
    const dszOrg = await orgId(env.p, '650200/650202/');
    const res = await city.post(`/api/v1/modelcity/items/${members.id}/owners`, {
      leadOrgId: jyjOrg,
      coOrgIds: [dszOrg],
      deadline: '2026-12-20',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().items.map((o: { role: string; orgName: string }) => `${o.role} ${o.orgName}`)).toEqual([
      'lead 市教育局',
      expect.stringMatching(/^co 独山子区/),
    ]);
    const again = await city.post(`/api/v1/modelcity/items/${members.id}/owners`, {
      leadOrgId: jyjOrg,
      deadline: '2026-12-20',
    });
    expect(again.statusCode).toBe(409);
    // a district may not hand out the city's items
    expect(
      (
        await klmy.post(`/api/v1/modelcity/items/${item(r, '1.4').id}/owners`, {
          leadOrgId: jyjOrg,
          deadline: '2026-12-20',
        })
      ).statusCode,
    ).toBeGreaterThanOrEqual(403);

    const owners = item(await readiness(city), '1.3').owners;
    expect(owners).toHaveLength(2);
    expect(owners[0]).toMatchObject({ orgName: '市教育局', role: 'lead', deadline: '2026-12-20' });
    // the to-do of 市教育局 is the campaigns' to-do: the task is there, with its deadline
    const todo = (await jyj.get('/api/v1/assignments?pageSize=50')).json().items;
    const task = todo.find((a: { taskId: string }) => a.taskId === owners[0]!.taskId);
    expect(task).toMatchObject({ deadline: '2026-12-20', orgName: '市教育局' });
    const mine = (await jyj.get('/api/v1/modelcity/responsibilities')).json().items;
    expect(mine).toEqual([expect.objectContaining({ code: '1.3', role: 'lead', orgName: '市教育局', score: 0 })]);
    expect(
      (await dsz.get('/api/v1/modelcity/responsibilities')).json().items.map((x: { role: string }) => x.role),
    ).toEqual(['co']);
  });

  it('市教育局 uploads a plan to its item: its part of the score rises; the accepted report files itself', async () => {
    const r = await readiness(jyj);
    const plan = element(r, '1.3.2');
    const q = new URLSearchParams({
      elementId: plan.id,
      docType: 'plan',
      date: '2026-03-01',
      title: '市教育局2026年双拥工作计划',
      fileName: 'plan.pdf',
    });
    const up = await jyj.request('POST', `/api/v1/modelcity/evidence/upload?${q}`, pdf('plan'), {
      'content-type': 'application/pdf',
    });
    expect(up.statusCode, up.body).toBe(201);
    const mine = (await jyj.get('/api/v1/modelcity/responsibilities')).json().items[0];
    expect(mine.score).toBeGreaterThan(0);

    // the task's report, accepted by the city, is suggested as 成员单位 evidence and files itself
    const owners = item(await readiness(city), '1.3').owners;
    const a = (await jyj.get('/api/v1/assignments?pageSize=50'))
      .json()
      .items.find((x: { taskId: string }) => x.taskId === owners[0]!.taskId);
    const submitted = await jyj.post(`/api/v1/assignments/${a.id}/submit`, {
      version: a.version,
      narrative: '已制定年度计划并报送。',
      figures: {},
      fileIds: [],
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const reviewed = await city.post(`/api/v1/assignments/${a.id}/review`, {
      version: submitted.json().version,
      decision: 'accept',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    const suggested = (await city.get('/api/v1/modelcity/suggestions')).json().items;
    const s = suggested.find((x: { sourceId: string }) => x.sourceId === a.id);
    expect(s).toMatchObject({ sourceKind: 'campaign', orgName: '市教育局' });
    const tagged = await city.post('/api/v1/modelcity/evidence', {
      elementId: s.elementId,
      sourceKind: 'campaign',
      sourceId: a.id,
    });
    expect(tagged.statusCode, tagged.body).toBe(201);
    expect(tagged.json()).toMatchObject({ orgName: '市教育局', sourceKind: 'campaign' });
  });

  it('the city changes the owners and the deadline of 1.3 on its campaign task; a leaving owner means a new task', async () => {
    const r = await readiness(city);
    const members = item(r, '1.3');
    const jyjOrg = (
      await env.p.handle.db.selectFrom('orgs').select('id').where('code', '=', 'jyj').executeTakeFirstOrThrow()
    ).id;
    const dszOrg = await orgId(env.p, '650200/650202/');
    const klmyOrg = await orgId(env.p, '650200/650203/');
    const before = members.owners[0]!.taskId;

    // an owner added and the deadline moved: the same task, every assignment on the new deadline
    const moved = await city.request('PUT', `/api/v1/modelcity/items/${members.id}/owners`, {
      leadOrgId: jyjOrg,
      coOrgIds: [dszOrg, klmyOrg],
      deadline: '2026-12-28',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().items).toHaveLength(3);
    expect(new Set(moved.json().items.map((o: { taskId: string }) => o.taskId))).toEqual(new Set([before]));
    const jyjTask = (await jyj.get('/api/v1/assignments?pageSize=50'))
      .json()
      .items.find((a: { taskId: string }) => a.taskId === before);
    expect(jyjTask).toMatchObject({ deadline: '2026-12-28' });
    const klmyTask = (await klmy.get('/api/v1/assignments?pageSize=50'))
      .json()
      .items.find((a: { taskId: string }) => a.taskId === before);
    expect(klmyTask).toMatchObject({ deadline: '2026-12-28' });

    // 独山子区 leaves and 克拉玛依区 leads: the old campaign is closed, a new task is issued to the new owners
    const changed = await city.request('PUT', `/api/v1/modelcity/items/${members.id}/owners`, {
      leadOrgId: klmyOrg,
      coOrgIds: [jyjOrg],
      deadline: '2026-12-28',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const owners = item(await readiness(city), '1.3').owners;
    expect(owners.map((o) => `${o.role} ${o.orgName}`)).toEqual([
      expect.stringMatching(/^lead 克拉玛依区/),
      'co 市教育局',
    ]);
    const after = owners[0]!.taskId;
    expect(after).not.toBe(before);
    expect((await dsz.get('/api/v1/modelcity/responsibilities')).json().items).toEqual([]);
    expect(
      (await klmy.get('/api/v1/modelcity/responsibilities')).json().items.map((x: { role: string }) => x.role),
    ).toEqual(['lead']);
    const newTask = (await klmy.get('/api/v1/assignments?pageSize=50'))
      .json()
      .items.find((a: { taskId: string }) => a.taskId === after);
    expect(newTask).toMatchObject({ deadline: '2026-12-28' });
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('action', 'in', ['modelcity.item.reassign', 'campaign.close', 'campaign.task.update'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'campaign.close',
      'campaign.task.update',
      'modelcity.item.reassign',
      'modelcity.item.reassign',
    ]);
    const reassigns = audit
      .filter((a) => a.action === 'modelcity.item.reassign')
      .map((a) => JSON.parse(String(a.changes)));
    expect(reassigns.filter((c) => c.closed)).toHaveLength(1);

    // an item nobody answers for yet is assigned, not re-assigned; a district may not re-assign
    const free = item(r, '1.5');
    expect(
      (
        await city.request('PUT', `/api/v1/modelcity/items/${free.id}/owners`, {
          leadOrgId: jyjOrg,
          deadline: '2026-12-28',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await klmy.request('PUT', `/api/v1/modelcity/items/${members.id}/owners`, {
          leadOrgId: klmyOrg,
          deadline: '2026-12-28',
        })
      ).statusCode,
    ).toBe(403);
  });
});
