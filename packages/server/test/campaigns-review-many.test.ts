import type { AssignmentDetail, CampaignDetail, CampaignTask } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijing, springFestivalBody } from './campaigns-fixtures.js';
import { SPRING_FESTIVAL } from './fixtures/notices.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

/** Reviewing several reports at once: each row succeeds or fails alone, and says why. */
let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
let leader: Client;
let campaign: CampaignDetail;
const tasksOf = (c: CampaignDetail): CampaignTask[] => c.items.flatMap((i) => i.tasks);

beforeAll(async () => {
  env = await testEnv();
  env.services.campaigns.clock.now = () => beijing('2025-01-12T10:00:00');
  [city, klmy, dsz, leader] = (await Promise.all(
    ['city', 'klmy', 'dsz', 'leader'].map((u, i) => signedIn(env.app, u, `10.19.0.${i + 1}`)),
  )) as [Client, Client, Client, Client];
  const proposal = (await city.post('/api/v1/campaigns/parse-notice', { text: SPRING_FESTIVAL })).json();
  const created = await city.post('/api/v1/campaigns', springFestivalBody(proposal, await orgId(env.p, '650200/jyj/')));
  expect(created.statusCode).toBe(201);
  const issued = await city.post(`/api/v1/campaigns/${created.json().id}/actions`, {
    version: created.json().version,
    action: 'issue',
  });
  expect(issued.statusCode).toBe(200);
  campaign = issued.json();
});
afterAll(async () => env?.close());

async function submit(c: Client, id: string): Promise<AssignmentDetail> {
  const a = (await c.get(`/api/v1/assignments/${id}`)).json() as AssignmentDetail;
  const res = await c.post(`/api/v1/assignments/${id}/submit`, {
    version: a.version,
    narrative: '组织军地联谊 2 场。',
    figures: { events: 2 },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('reviewing several reports at once', () => {
  it('accepts the submitted ones and reports each refused row with its reason', async () => {
    const task = tasksOf(campaign)[0]!;
    const ofOrg = (name: string) => task.assignments.find((a) => a.orgName === name)!.id;
    const a1 = await submit(klmy, ofOrg('克拉玛依区退役军人事务局'));
    const a2 = await submit(dsz, ofOrg('独山子区退役军人事务局'));
    const untouched = ofOrg('白碱滩区退役军人事务局');
    const res = await city.post('/api/v1/assignments/review', {
      decision: 'accept',
      items: [
        { id: a1.id, version: a1.version },
        { id: a2.id, version: a2.version + 5 },
        { id: untouched, version: 1 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json().results as {
      id: string;
      ok: boolean;
      status?: string;
      code?: string;
      message?: string;
    }[];
    expect(results.map((r) => [r.ok, r.status ?? r.code])).toEqual([
      [true, 'accepted'],
      [false, 'version_conflict'],
      [false, 'illegal_transition'],
    ]);
    expect(results[1]!.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await city.get(`/api/v1/assignments/${a1.id}`)).json().status).toBe('accepted');
    expect((await city.get(`/api/v1/assignments/${a2.id}`)).json().status).toBe('submitted');
    const audited = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', 'in', ['campaign.report.accept', 'campaign.report.return'])
      .execute();
    expect(audited).toEqual([{ action: 'campaign.report.accept', entity_id: a1.id }]);
  });

  it('returns several with one reason, which is required', async () => {
    const task = tasksOf(campaign)[0]!;
    const id = task.assignments.find((a) => a.orgName === '独山子区退役军人事务局')!.id;
    const a = (await city.get(`/api/v1/assignments/${id}`)).json() as AssignmentDetail;
    const items = [{ id, version: a.version }];
    const missing = await city.post('/api/v1/assignments/review', { decision: 'return', items });
    expect(missing.statusCode).toBe(400);
    const res = await city.post('/api/v1/assignments/review', { decision: 'return', reason: '请补充照片', items });
    expect(res.json().results).toEqual([{ id, ok: true, status: 'returned' }]);
    expect((await dsz.get(`/api/v1/assignments/${id}`)).json().returnReason).toBe('请补充照片');
  });

  it('is for the issuer only: others are refused, or get "not found" per row', async () => {
    const task = tasksOf(campaign)[0]!;
    const id = task.assignments[0]!.id;
    const body = { decision: 'accept', items: [{ id, version: 1 }] };
    expect((await leader.post('/api/v1/assignments/review', body)).statusCode).toBe(403);
    expect((await klmy.post('/api/v1/assignments/review', body)).statusCode).toBe(403);
    expect((await city.post('/api/v1/assignments/review', { decision: 'accept', items: [] })).statusCode).toBe(400);
    const unknown = await city.post('/api/v1/assignments/review', {
      decision: 'accept',
      items: [{ id: '01900000-0000-7000-8000-000000000000', version: 1 }],
    });
    expect(unknown.json().results[0]).toMatchObject({ ok: false, code: 'not_found' });
  });
});
