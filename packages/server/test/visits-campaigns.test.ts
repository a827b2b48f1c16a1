import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCampaign } from '../src/modules/visits/synthetic.js';
import { hashPassword } from '../src/platform/auth/password.js';
import { insertUser } from '../src/seed/demo.js';
import { demoFestivalYear, seedDemoCampaign } from '../src/seed/demo-campaign.js';
import { Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

/**
 * The campaign picker of the visits pages (GET /visit-campaigns) and the demo Spring Festival
 * campaign that `serve --demo` seeds for it.
 */
let env: TestEnv;
let city: Client;
let klmy: Client;
let station: Client;
let unit1: Client;
let demoId: string;

const ids = async (c: Client) => {
  const res = await c.get('/api/v1/visit-campaigns');
  expect(res.statusCode).toBe(200);
  return (res.json().items as { id: string }[]).map((x) => x.id);
};

beforeAll(async () => {
  env = await testEnv();
  await env.p.handle.db.transaction().execute(async (trx) =>
    insertUser(trx, {
      username: 'station1',
      displayName: '天山路站工作人员',
      orgPath: '650200/650203/650203001/',
      roles: ['station_worker'],
      passwordHash: await hashPassword('Station#Pass2025'),
      mustChange: false,
    }),
  );
  demoId = await seedDemoCampaign(env.p, new Date('2026-11-29T08:00:00Z'));
  city = await signedIn(env.app, 'city', '10.9.0.1');
  klmy = await signedIn(env.app, 'klmy', '10.9.0.2');
  unit1 = await signedIn(env.app, 'unit1', '10.9.0.3');
  station = new Client(env.app, '10.9.0.4');
  expect((await station.login('station1', 'Station#Pass2025')).statusCode).toBe(200);
});
afterAll(async () => env?.close());

describe('demo campaign', () => {
  it('is the coming Spring Festival notice, issued to the four districts, with caps and budget lines', async () => {
    expect(demoFestivalYear(new Date('2026-11-29T08:00:00Z'))).toBe(2027);
    expect(demoFestivalYear(new Date('2027-01-15T08:00:00Z'))).toBe(2027);
    const detail = (await city.get(`/api/v1/campaigns/${demoId}`)).json();
    expect(detail).toMatchObject({
      title: '关于做好2027年元旦春节期间双拥工作的通知',
      kind: 'spring_festival',
      status: 'issued',
      orgName: '克拉玛依市退役军人事务局',
    });
    expect(detail.counts.assigned).toBe(4);
    const caps = (await klmy.get(`/api/v1/visit-caps?campaignId=${demoId}`)).json();
    expect(caps).toMatchObject({ cashPerVisitWarnFen: 80_000, cashPerVisitMaxFen: 100_000 });
    const lines = (await city.get(`/api/v1/visit-budget-lines?campaignId=${demoId}`)).json().items;
    expect(lines).toHaveLength(4);
    // a district sees its own line only
    const own = (await klmy.get(`/api/v1/visit-budget-lines?campaignId=${demoId}`)).json().items;
    expect(own.map((l: { orgName: string; budgetFen: number }) => [l.orgName, l.budgetFen])).toEqual([
      ['克拉玛依区退役军人事务局', 20_000_000],
    ]);
  });

  it('takes plans: klmy builds one in it at once', async () => {
    const res = await klmy.post('/api/v1/visit-plans', { campaignId: demoId, title: '克拉玛依区春节走访' });
    expect(res.statusCode).toBe(201);
    expect(res.json().campaignId).toBe(demoId);
  });
});

describe('GET /visit-campaigns', () => {
  let dszOnly: string;
  let draft: string;
  let orphan: string;

  beforeAll(async () => {
    const body = (title: string, orgIds: string[]) => ({
      title,
      kind: 'spring_festival',
      issuers: ['克拉玛依市退役军人事务局'],
      items: [
        { ordinal: 1, title: '走访', tasks: [{ title: '走访慰问', deadline: '2030-01-20', assignTo: { orgIds } }] },
      ],
    });
    const dsz = await city.post(
      '/api/v1/campaigns',
      body('只给独山子区的部署', [await orgId(env.p, '650200/650202/')]),
    );
    expect(dsz.statusCode).toBe(201);
    dszOnly = dsz.json().id;
    expect((await city.post(`/api/v1/campaigns/${dszOnly}/actions`, { version: 1, action: 'issue' })).statusCode).toBe(
      200,
    );
    const d = await city.post('/api/v1/campaigns', body('尚未下发的部署', [await orgId(env.p, '650200/650203/')]));
    draft = d.json().id;
    // a campaign without assignments (as migration 0006 makes for orphan ids), where klmy plans visits
    orphan = 'legacy-spring';
    await ensureCampaign(env.p.handle.db, orphan, '旧编号春节走访');
    expect((await klmy.post('/api/v1/visit-plans', { campaignId: orphan, title: '旧计划' })).statusCode).toBe(201);
  });

  it('gives a district the issued campaigns assigned to it and those it plans in, newest first', async () => {
    const list = await ids(klmy);
    expect(list).toContain(demoId);
    expect(list).toContain(orphan);
    expect(list).not.toContain(dszOnly);
    expect(list).not.toContain(draft);
    const items = (await klmy.get('/api/v1/visit-campaigns')).json().items as { createdAt: string }[];
    expect(items.map((x) => x.createdAt)).toEqual(
      items
        .map((x) => x.createdAt)
        .sort()
        .reverse(),
    );
  });

  it('gives a station the campaigns of the district above it, though it has no campaign:read', async () => {
    expect((await station.get('/api/v1/campaigns')).statusCode).toBe(403);
    const list = await ids(station);
    expect(list).toContain(demoId);
    expect(list).toContain(orphan);
    expect(list).not.toContain(dszOnly);
  });

  it('gives the city every issued campaign but no drafts, and a unit none of the districts’ ones', async () => {
    const list = await ids(city);
    expect(list).toEqual(expect.arrayContaining([demoId, dszOnly, orphan]));
    expect(list).not.toContain(draft);
    const units = await ids(unit1);
    expect(units).not.toContain(demoId);
    expect(units).not.toContain(dszOnly);
  });

  it('carries what the picker shows', async () => {
    const item = (await klmy.get('/api/v1/visit-campaigns')).json().items.find((x: { id: string }) => x.id === demoId);
    expect(item).toMatchObject({
      kind: 'spring_festival',
      status: 'issued',
      orgName: '克拉玛依市退役军人事务局',
      issueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });
});
