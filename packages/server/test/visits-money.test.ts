import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCampaign } from '../src/modules/visits/synthetic.js';
import { seedDemoCampaign } from '../src/seed/demo-campaign.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { visitBody, visitsRegistry } from './visits-fixtures.js';

/**
 * The money page's API: approvals of visits above the hard cap (the pending list, the decision)
 * and spending per district against the budget of its lines, on the demo campaign's caps
 * (hard cap 1000 元 cash per visit) and lines (200 000 元 per district).
 */
let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
let demo: string;

type Cell = {
  label: string;
  cashFen: number;
  goodsFen: number;
  visits: number;
  budgetFen: number | null;
  over: boolean;
};
const district = (cells: Cell[], label: string) => cells.find((c) => c.label === label);

/** A confirmed plan of klmy over its 烈士遗属 in `campaignId`; its targets by name. */
async function plan(campaignId: string) {
  const res = await klmy.post('/api/v1/visit-plans', {
    campaignId,
    title: '克拉玛依区春节走访',
    rules: [{ categories: ['martyr_survivor'] }],
  });
  expect(res.statusCode).toBe(201);
  expect((await klmy.post(`/api/v1/visit-plans/${res.json().id}/confirm`, { version: 1 })).statusCode).toBe(200);
  const items = (await klmy.get(`/api/v1/visit-plans/${res.json().id}/targets`)).json().items as {
    id: string;
    name: string;
  }[];
  return new Map(items.map((x) => [x.name, x.id]));
}

beforeAll(async () => {
  env = await testEnv();
  demo = await seedDemoCampaign(env.p);
  city = await signedIn(env.app, 'city', '10.9.1.1');
  klmy = await signedIn(env.app, 'klmy', '10.9.1.2');
  dsz = await signedIn(env.app, 'dsz', '10.9.1.3');
  await visitsRegistry(env, klmy, dsz);
});
afterAll(async () => env?.close());

describe('approvals and spending', () => {
  it('lists a visit above the cap as pending until the city decides, and charges its budget line', async () => {
    const targets = await plan(demo);
    const line = (await klmy.get(`/api/v1/visit-budget-lines?campaignId=${demo}`)).json().items[0];
    expect(line).toMatchObject({ orgName: '克拉玛依区退役军人事务局', budgetFen: 20_000_000, spentFen: 0 });
    const visit = await klmy.post(
      '/api/v1/visits',
      visitBody(targets.get('王秀英')!, { cashFen: 120_000, goods: [], budgetLineId: line.id }),
    );
    expect(visit.json()).toMatchObject({
      approvalStatus: 'pending',
      budgetLineId: line.id,
      districtName: '克拉玛依区退役军人事务局',
    });
    const small = await klmy.post('/api/v1/visits', visitBody(targets.get('张建国')!, { cashFen: 30_000, goods: [] }));
    expect(small.json().approvalStatus).toBe('none');

    const pending = (await city.get(`/api/v1/visits?campaignId=${demo}&approval=pending`)).json();
    expect(pending.items.map((v: { id: string }) => v.id)).toEqual([visit.json().id]);
    const approved = await city.post(`/api/v1/visits/${visit.json().id}/approval`, {
      version: 1,
      decision: 'approve',
      note: '高龄独居，同意',
    });
    expect(approved.json()).toMatchObject({ approvalStatus: 'approved', approvedBy: '市局工作人员' });
    expect((await city.get(`/api/v1/visits?campaignId=${demo}&approval=pending`)).json().total).toBe(0);
    expect((await city.get(`/api/v1/visits?campaignId=${demo}&approval=approved`)).json().total).toBe(1);

    const spending = (await city.get(`/api/v1/visit-spending?campaignId=${demo}`)).json();
    expect(district(spending.byOrg, '克拉玛依区退役军人事务局')).toMatchObject({
      visits: 2,
      cashFen: 150_000,
      goodsFen: 0,
      budgetFen: 20_000_000,
      over: false,
    });
    // a district with a budget and nothing spent yet is listed too
    expect(district(spending.byOrg, '白碱滩区退役军人事务局')).toMatchObject({ visits: 0, budgetFen: 20_000_000 });
    const charged = spending.budgetLines.find((l: { id: string }) => l.id === line.id);
    expect(charged).toMatchObject({ spentFen: 120_000, over: false });
    // a district sees its own figures only
    const own = (await klmy.get(`/api/v1/visit-spending?campaignId=${demo}`)).json();
    expect(own.byOrg.map((c: Cell) => c.label)).toEqual(['克拉玛依区退役军人事务局']);
  });

  it('marks a district and a line over their budget, and a district without lines as having none', async () => {
    await ensureCampaign(env.p.handle.db, 'money-2027', '经费测试部署');
    const targets = await plan('money-2027');
    const street = await orgId(env.p, '650200/650203/650203001/');
    const line = await city.post('/api/v1/visit-budget-lines', {
      campaignId: 'money-2027',
      orgId: street,
      name: '街道慰问经费',
      budgetFen: 10_000,
    });
    expect(line.statusCode).toBe(201);
    expect(line.json()).toMatchObject({
      orgName: '天山路街道退役军人服务站',
      budgetFen: 10_000,
      spentFen: 0,
      over: false,
    });
    const res = await klmy.post(
      '/api/v1/visits',
      visitBody(targets.get('王秀英')!, { cashFen: 50_000, goods: [], budgetLineId: line.json().id }),
    );
    expect(res.statusCode).toBe(201);
    const spending = (await city.get('/api/v1/visit-spending?campaignId=money-2027')).json();
    expect(district(spending.byOrg, '克拉玛依区退役军人事务局')).toMatchObject({
      cashFen: 50_000,
      budgetFen: 10_000,
      over: true,
    });
    expect(spending.budgetLines[0]).toMatchObject({ spentFen: 50_000, over: true });
    // raising the budget clears the overrun; what was spent stays
    const raised = await city.patch(`/api/v1/visit-budget-lines/${line.json().id}`, {
      version: line.json().version,
      name: '街道春节慰问经费',
      budgetFen: 80_000,
    });
    expect(raised.statusCode).toBe(200);
    expect(raised.json()).toMatchObject({ name: '街道春节慰问经费', budgetFen: 80_000, spentFen: 50_000, over: false });
    const after = (await city.get('/api/v1/visit-spending?campaignId=money-2027')).json();
    expect(district(after.byOrg, '克拉玛依区退役军人事务局')).toMatchObject({ budgetFen: 80_000, over: false });
    // a stale version, a negative budget, a district without the right: refused, nothing changed
    const stale = await city.patch(`/api/v1/visit-budget-lines/${line.json().id}`, {
      version: line.json().version,
      budgetFen: 1,
    });
    expect(stale.statusCode).toBe(409);
    const negative = await city.patch(`/api/v1/visit-budget-lines/${line.json().id}`, {
      version: raised.json().version,
      budgetFen: -1,
    });
    expect(negative.statusCode).toBe(400);
    const denied = await klmy.patch(`/api/v1/visit-budget-lines/${line.json().id}`, {
      version: raised.json().version,
      budgetFen: 1,
    });
    expect(denied.statusCode).toBe(403);
    const kept = (await city.get('/api/v1/visit-budget-lines?campaignId=money-2027')).json().items[0];
    expect(kept).toMatchObject({ budgetFen: 80_000, version: raised.json().version });
    await ensureCampaign(env.p.handle.db, 'money-none', '无经费部署');
    const none = await plan('money-none');
    await klmy.post('/api/v1/visits', visitBody(none.get('王秀英')!, { cashFen: 10_000, goods: [] }));
    const unbudgeted = (await city.get('/api/v1/visit-spending?campaignId=money-none')).json();
    expect(district(unbudgeted.byOrg, '克拉玛依区退役军人事务局')).toMatchObject({ budgetFen: null, over: false });
  });

  it('refuses a rejection without a reason, then records it with one', async () => {
    await ensureCampaign(env.p.handle.db, 'money-reject', '审批测试部署');
    const caps = await city.request('PUT', '/api/v1/visit-caps', {
      campaignId: 'money-reject',
      cashPerVisitMaxFen: 100_000,
    });
    expect(caps.statusCode).toBe(200);
    const targets = await plan('money-reject');
    const visit = await klmy.post('/api/v1/visits', visitBody(targets.get('王秀英')!, { cashFen: 150_000, goods: [] }));
    expect(visit.json()).toMatchObject({ approvalStatus: 'pending' });
    const url = `/api/v1/visits/${visit.json().id}/approval`;
    const bare = await city.post(url, { version: 1, decision: 'reject' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().detail).toBe('请填写不批准的理由');
    const rejected = await city.post(url, { version: 1, decision: 'reject', note: '超出标准，请按规定补办手续' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ approvalStatus: 'rejected', approvedBy: '市局工作人员' });
    const listed = (await city.get('/api/v1/visits?campaignId=money-reject&approval=rejected')).json();
    expect(listed.items.map((v: { id: string }) => v.id)).toEqual([visit.json().id]);
    // decided once: a second decision is refused
    expect((await city.post(url, { version: 2, decision: 'approve' })).statusCode).toBe(409);
  });

  it('a campaign without caps of its own applies the city’s standing caps, which the city edits', async () => {
    await ensureCampaign(env.p.handle.db, 'money-standing', '未设标准的部署');
    const targets = await plan('money-standing');
    // never uncapped: the defaults hold before anyone sets the standing caps
    const inherited = (await klmy.get('/api/v1/visit-caps?campaignId=money-standing')).json();
    expect(inherited).toMatchObject({ inherited: true, version: 0, cashPerVisitMaxFen: 100_000 });
    const big = await klmy.post('/api/v1/visits', visitBody(targets.get('王秀英')!, { cashFen: 150_000, goods: [] }));
    expect(big.json().approvalStatus).toBe('pending');
    expect(big.json().warnings.map((w: { message: string }) => w.message)).toContain(
      '本次慰问金 1500 元，超过上限 1000 元，需上级审批',
    );
    // the city raises the standing caps; a district may read them but not set them
    const body = { cashPerVisitWarnFen: 120_000, cashPerVisitMaxFen: 200_000, goodsPerVisitMaxFen: 50_000 };
    expect((await klmy.request('PUT', '/api/v1/visit-caps/standing', body)).statusCode).toBe(403);
    const set = await city.request('PUT', '/api/v1/visit-caps/standing', body);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({
      cashPerVisitWarnFen: 120_000,
      cashPerVisitMaxFen: 200_000,
      goodsPerVisitWarnFen: null,
      goodsPerVisitMaxFen: 50_000,
      cashPerTargetMaxFen: null,
      goodsPerTargetMaxFen: null,
    });
    expect((await klmy.get('/api/v1/visit-caps/standing')).json()).toEqual(set.json());
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'visit_caps.standing')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.changes!).cashPerVisitMaxFen).toEqual([100_000, 200_000]);
    const warned = await klmy.post(
      '/api/v1/visits',
      visitBody(targets.get('张建国')!, { cashFen: 150_000, goods: [] }),
    );
    expect(warned.json()).toMatchObject({ approvalStatus: 'none' });
    expect(warned.json().warnings.map((w: { level: string }) => w.level)).toEqual(['warning']);
    // caps of its own replace the standing ones for this campaign only
    const own = await city.request('PUT', '/api/v1/visit-caps', {
      campaignId: 'money-standing',
      cashPerVisitMaxFen: 30_000,
    });
    expect(own.json()).toMatchObject({
      inherited: false,
      version: 1,
      cashPerVisitMaxFen: 30_000,
      cashPerVisitWarnFen: null,
    });
    expect((await klmy.get('/api/v1/visit-caps/standing')).json().cashPerVisitMaxFen).toBe(200_000);
  });
});
