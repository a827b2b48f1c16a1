import type { AssignmentDetail, CampaignDetail, CampaignTask } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijing, pngWithLocation, springFestivalBody } from './campaigns-fixtures.js';
import { NO_ITEMS, SPRING_FESTIVAL } from './fixtures/notices.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

/**
 * The whole life of a campaign on both dialects: parse → create → issue → report → return →
 * resubmit → accept; overdue and reminders with a chosen clock; scope between districts; 409s with
 * the allowed actions; the leader reads only. Dashboard, exports, supervision and templates follow
 * in campaigns-dashboard.test.ts.
 */
let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
let unit1: Client;
let jyj: Client;
let leader: Client;
let campaign: CampaignDetail;

const tasksOf = (c: CampaignDetail): CampaignTask[] => c.items.flatMap((i) => i.tasks);
const byOrg = (tk: CampaignTask, name: string) => tk.assignments.find((a) => a.orgName === name)!;
const KLMY = '克拉玛依区退役军人事务局';
const DSZ = '独山子区退役军人事务局';

beforeAll(async () => {
  env = await testEnv();
  env.services.campaigns.clock.now = () => beijing('2025-01-12T10:00:00');
  const users = await Promise.all(
    ['city', 'klmy', 'dsz', 'unit1', 'jyj', 'leader'].map((u, i) => signedIn(env.app, u, `10.9.0.${i + 1}`)),
  );
  [city, klmy, dsz, unit1, jyj, leader] = users as [Client, Client, Client, Client, Client, Client];
  // one 烈士遗属 in 克拉玛依区 for the bound metric
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, '650200/650203/650203001/650203001001/'),
    name: '张桂兰',
    idNumber: makeId('650203', '1948-03-03', 5, 'female'),
    categories: martyrSurvivor(),
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => env?.close());

describe('creating a campaign from a notice', () => {
  it('parses the notice into a proposal the issuer can edit', async () => {
    const res = await city.post('/api/v1/campaigns/parse-notice', { text: SPRING_FESTIVAL });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.docNumber).toBe('克退役军人发〔2025〕3号');
    expect(p.items).toHaveLength(4);
    expect(p.warnings).toEqual([]);
    const plain = (await city.post('/api/v1/campaigns/parse-notice', { text: NO_ITEMS })).json();
    expect(plain.items).toHaveLength(1);
    expect(plain.warnings[0]).toContain('未识别到编号的工作事项');
  });

  it('refuses an empty or oversized notice with a Chinese message', async () => {
    const empty = await city.post('/api/v1/campaigns/parse-notice', { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].message).toBe('通知内容不能为空');
    const long = await city.post('/api/v1/campaigns/parse-notice', { text: '双'.repeat(60_000) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].message).toContain('通知内容过长');
    const huge = await city.post('/api/v1/campaigns/parse-notice', { text: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().detail).toContain('提交的内容过大');
    expect((await leader.post('/api/v1/campaigns/parse-notice', { text: SPRING_FESTIVAL })).statusCode).toBe(403);
  });

  it('creates a draft with tasks for all districts, all units and a chosen department', async () => {
    const proposal = (await city.post('/api/v1/campaigns/parse-notice', { text: SPRING_FESTIVAL })).json();
    const body = springFestivalBody(proposal, await orgId(env.p, '650200/jyj/'));
    const res = await city.post('/api/v1/campaigns', body);
    expect(res.statusCode).toBe(201);
    campaign = res.json();
    expect(campaign).toMatchObject({ status: 'draft', kind: 'spring_festival', issuerView: true });
    expect(campaign.issuers).toEqual(['克拉玛依市退役军人事务局', '克拉玛依军分区政治工作部']);
    const [t1, t2, t4] = tasksOf(campaign);
    expect(t1!.assignments.map((a) => a.orgName)).toEqual([
      DSZ,
      KLMY,
      '白碱滩区退役军人事务局',
      '乌尔禾区退役军人事务局',
    ]);
    expect(t2!.assignments.map((a) => a.orgName).sort()).toEqual(
      ['市教育局', '驻市部队丙', '驻市部队乙', '驻市部队甲'].sort(),
    );
    expect(t4!.assignments).toHaveLength(4);
    expect(campaign.counts).toMatchObject({ assigned: 12, accepted: 0, completion: 0 });
    // a draft stays with the issuer
    expect((await klmy.get(`/api/v1/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await klmy.get('/api/v1/campaigns')).json().total).toBe(0);
  });

  it('refuses unknown recipients and tasks without any', async () => {
    const bad = springFestivalBody(
      (await city.post('/api/v1/campaigns/parse-notice', { text: SPRING_FESTIVAL })).json(),
      '0190d2c4-0000-7000-8000-000000000000',
    );
    const res = await city.post('/api/v1/campaigns', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe('所选承办单位不存在或已停用');
    const none = await city.post('/api/v1/campaigns', {
      title: '空任务',
      issuers: ['市局'],
      items: [{ ordinal: 1, title: '事项', tasks: [{ title: '任务', deadline: '2025-01-20', assignTo: {} }] }],
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].message).toContain('请选择承办单位');
  });

  it('issues the campaign; issuing twice is a 409 naming the allowed actions', async () => {
    const res = await city.post(`/api/v1/campaigns/${campaign.id}/actions`, {
      version: campaign.version,
      action: 'issue',
    });
    expect(res.statusCode).toBe(200);
    campaign = res.json();
    expect(campaign.status).toBe('issued');
    const again = await city.post(`/api/v1/campaigns/${campaign.id}/actions`, {
      version: campaign.version,
      action: 'issue',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'illegal_transition', allowed: ['close'] });
    expect(again.json().detail).toBe('工作部署当前状态为「已下发」，不能执行「下发」');
    const stale = await city.patch(`/api/v1/campaigns/${campaign.id}`, { version: 1, title: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    // recipients are told
    const notes = (await klmy.get('/api/v1/notifications')).json();
    expect(notes.items.map((n: { kind: string }) => n.kind)).toContain('campaign.issued');
  });
});

describe('scope', () => {
  it('a district sees its own tasks of the campaign and nothing of another district', async () => {
    const mine = (await klmy.get(`/api/v1/campaigns/${campaign.id}`)).json() as CampaignDetail;
    expect(mine.issuerView).toBe(false);
    const tasks = tasksOf(mine);
    expect(tasks.map((t) => t.title)).toEqual(['报送双拥宣传活动开展情况', '报送走访慰问优抚对象情况']);
    expect(tasks.flatMap((t) => t.assignments.map((a) => a.orgName))).toEqual([KLMY, KLMY]);
    expect(mine.counts.assigned).toBe(2);
    const list = (await klmy.get('/api/v1/assignments')).json();
    expect(list.items.map((a: { orgName: string }) => a.orgName)).toEqual([KLMY, KLMY]);
  });

  it('a unit and a department see only the task given to them', async () => {
    const u = tasksOf((await unit1.get(`/api/v1/campaigns/${campaign.id}`)).json());
    expect(u.map((t) => [t.title, t.assignments.map((a) => a.orgName)])).toEqual([
      ['报送部队急难愁盼问题解决情况', ['驻市部队甲']],
    ]);
    const d = tasksOf((await jyj.get(`/api/v1/campaigns/${campaign.id}`)).json());
    expect(d.flatMap((t) => t.assignments.map((a) => a.orgName))).toEqual(['市教育局']);
  });

  it('another district’s assignment answers 404 to reading and to every write', async () => {
    const foreign = byOrg(tasksOf(campaign)[0]!, DSZ).id;
    expect((await klmy.get(`/api/v1/assignments/${foreign}`)).statusCode).toBe(404);
    expect((await klmy.request('PUT', `/api/v1/assignments/${foreign}/draft`, { version: 1 })).statusCode).toBe(404);
    const submit = await klmy.post(`/api/v1/assignments/${foreign}/submit`, {
      version: 1,
      narrative: '冒名',
      figures: { events: 1 },
    });
    expect(submit.statusCode).toBe(404);
    expect((await dsz.get(`/api/v1/assignments/${foreign}`)).statusCode).toBe(200);
  });
});

describe('reporting and review', () => {
  let id: string;
  let a: AssignmentDetail;

  it('saves a draft, uploads a photo without its location, and checks what must be reported', async () => {
    id = byOrg(tasksOf(campaign)[0]!, KLMY).id;
    a = (await klmy.get(`/api/v1/assignments/${id}`)).json();
    expect(a).toMatchObject({ status: 'not_started', allowed: ['save', 'submit'] });
    const draft = await klmy.request('PUT', `/api/v1/assignments/${id}/draft`, {
      version: a.version,
      narrative: '已组织军地联谊',
      figures: { events: 2 },
    });
    expect(draft.statusCode).toBe(200);
    a = draft.json();
    expect(a).toMatchObject({ status: 'in_progress', draft: { narrative: '已组织军地联谊', figures: { events: 2 } } });
    const up = await klmy.request('POST', `/api/v1/assignments/${id}/files?fileName=联谊现场.png`, pngWithLocation(), {
      'content-type': 'application/octet-stream',
    });
    expect(up.statusCode).toBe(201);
    const file = await klmy.get(`/api/v1/campaign-files/${up.json().id}`);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.includes(Buffer.from('GPS'))).toBe(false);
    const missing = await klmy.post(`/api/v1/assignments/${id}/submit`, { version: a.version, narrative: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { message: string }) => e.message)).toEqual([
      '请填写「开展军地联谊等活动」',
      '请填写工作开展情况',
    ]);
    const res = await klmy.post(`/api/v1/assignments/${id}/submit`, {
      version: a.version,
      narrative: '组织军地联谊 2 场、书画展 1 场。',
      figures: { events: 3 },
      fileIds: [up.json().id],
    });
    expect(res.statusCode).toBe(200);
    a = res.json();
    expect(a).toMatchObject({ status: 'submitted', draft: null, allowed: [] });
    expect(a.reports[0]).toMatchObject({ figures: { events: 3 }, late: false, review: null });
    expect(a.reports[0]!.files.map((f) => f.name)).toEqual(['联谊现场.png']);
  });

  it('the issuer returns it with a reason; the district resubmits; the issuer accepts', async () => {
    const issuerView = (await city.get(`/api/v1/assignments/${id}`)).json();
    expect(issuerView.allowed).toEqual(['accept', 'return']);
    const early = await city.post(`/api/v1/assignments/${id}/nudge`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().allowed).toEqual(['accept', 'return']);
    const noReason = await city.post(`/api/v1/assignments/${id}/review`, { version: a.version, decision: 'return' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toMatchObject({ path: 'body.reason', message: '退回修改须写明原因' });
    const returned = await city.post(`/api/v1/assignments/${id}/review`, {
      version: a.version,
      decision: 'return',
      reason: '请补充活动照片说明',
    });
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '请补充活动照片说明' });
    a = (await klmy.get(`/api/v1/assignments/${id}`)).json();
    expect(a.allowed).toEqual(['save', 'submit']);
    expect(a.reports[0]).toMatchObject({
      review: 'returned',
      reviewReason: '请补充活动照片说明',
      reviewedBy: '市局工作人员',
    });
    const again = await klmy.post(`/api/v1/assignments/${id}/submit`, {
      version: a.version,
      narrative: '组织军地联谊 2 场、书画展 1 场，照片为联谊现场。',
      figures: { events: 3 },
    });
    expect(again.json().status).toBe('submitted');
    const accepted = await city.post(`/api/v1/assignments/${id}/review`, {
      version: again.json().version,
      decision: 'accept',
    });
    expect(accepted.json()).toMatchObject({ status: 'accepted', displayStatus: 'accepted' });
    expect(accepted.json().reports.map((r: { review: string }) => r.review)).toEqual(['returned', 'accepted']);
    const twice = await city.post(`/api/v1/assignments/${id}/review`, {
      version: accepted.json().version,
      decision: 'accept',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ allowed: [], detail: '任务当前状态为「已通过」，不能执行「审核通过」' });
    expect((await klmy.get('/api/v1/notifications')).json().items.map((n: { kind: string }) => n.kind)).toEqual(
      expect.arrayContaining(['campaign.returned', 'campaign.accepted']),
    );
  });

  it('a district cannot review, the leader cannot write at all, but both can read', async () => {
    expect((await klmy.post(`/api/v1/assignments/${id}/review`, { version: 9, decision: 'accept' })).statusCode).toBe(
      403,
    );
    for (const [method, url, body] of [
      ['POST', '/api/v1/campaigns', {}],
      ['PATCH', `/api/v1/campaigns/${campaign.id}`, { version: 1 }],
      ['POST', `/api/v1/campaigns/${campaign.id}/actions`, { version: 1, action: 'close' }],
      ['POST', `/api/v1/assignments/${id}/review`, { version: 1, decision: 'accept' }],
      ['POST', `/api/v1/assignments/${id}/nudge`, {}],
      ['POST', `/api/v1/assignments/${id}/submit`, { version: 1 }],
    ] as const)
      expect((await leader.request(method, url, body)).statusCode, `${method} ${url}`).toBe(403);
    expect((await leader.get(`/api/v1/campaigns/${campaign.id}/dashboard`)).statusCode).toBe(200);
    expect((await leader.get(`/api/v1/assignments/${id}`)).json().allowed).toEqual([]);
  });

  it('shows the live metric the task is bound to, for the org’s own region', async () => {
    const mine = (await klmy.get(`/api/v1/assignments/${byOrg(tasksOf(campaign)[2]!, KLMY).id}`)).json();
    expect(mine.metric).toEqual({ key: 'registry.martyr_survivors.active', label: '辖区在册烈士遗属（人）', value: 1 });
    const theirs = (await dsz.get(`/api/v1/assignments/${byOrg(tasksOf(campaign)[2]!, DSZ).id}`)).json();
    expect(theirs.metric.value).toBe(0);
  });
});

describe('deadlines and reminders', () => {
  it('reminds before the deadline once, then when overdue, and shows the overdue status', async () => {
    const svc = env.services.campaigns;
    expect(await svc.remind(beijing('2025-01-12T10:00:00'))).toEqual({ dueSoon: 0, overdue: 0 });
    // 16 Jan: the 18 Jan task is within the two lead days for the four districts
    expect(await svc.remind(beijing('2025-01-16T08:00:00'))).toEqual({ dueSoon: 4, overdue: 0 });
    expect(await svc.remind(beijing('2025-01-16T20:00:00'))).toEqual({ dueSoon: 0, overdue: 0 });
    // 18 Jan: the 20 Jan tasks: 3 districts (klmy's is accepted) + 3 units + 1 department
    expect(await svc.remind(beijing('2025-01-18T08:00:00'))).toEqual({ dueSoon: 7, overdue: 0 });
    // 19 Jan (Beijing; still the 18th in UTC): the 18 Jan task is overdue
    expect(await svc.remind(beijing('2025-01-19T01:00:00'))).toEqual({ dueSoon: 0, overdue: 4 });
    svc.clock.now = () => beijing('2025-01-19T09:00:00');
    const mine = (await klmy.get(`/api/v1/assignments/${byOrg(tasksOf(campaign)[2]!, KLMY).id}`)).json();
    expect(mine).toMatchObject({ status: 'not_started', displayStatus: 'overdue', overdue: true });
    expect(mine.reminders.map((r: { kind: string }) => r.kind)).toEqual(['due_soon', 'overdue']);
    const kinds = (await klmy.get('/api/v1/notifications?pageSize=50'))
      .json()
      .items.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['campaign.due_soon', 'campaign.overdue']));
    const overdueList = (await klmy.get('/api/v1/assignments?status=overdue')).json();
    expect(overdueList.total).toBe(1);
  });

  it('a late report is accepted and marked late', async () => {
    const id = byOrg(tasksOf(campaign)[2]!, DSZ).id;
    const a = (await dsz.get(`/api/v1/assignments/${id}`)).json();
    const res = await dsz.post(`/api/v1/assignments/${id}/submit`, {
      version: a.version,
      narrative: '走访慰问烈士遗属、老复员军人 36 户。',
      figures: { households_visited: 36, cash_yuan: 18000 },
    });
    expect(res.json().reports[0].late).toBe(true);
    expect(res.json().status).toBe('submitted');
  });

  it('the issuer nudges one assignee, or all overdue ones; an accepted task cannot be nudged', async () => {
    const target = byOrg(tasksOf(campaign)[2]!, '白碱滩区退役军人事务局').id;
    const res = await city.post(`/api/v1/assignments/${target}/nudge`, { message: '请于今日下班前报送走访情况' });
    expect(res.statusCode).toBe(200);
    expect(res.json()[0]).toMatchObject({
      kind: 'nudge',
      message: '请于今日下班前报送走访情况',
      createdBy: '市局工作人员',
    });
    const accepted = byOrg(tasksOf(campaign)[0]!, KLMY).id;
    const refused = await city.post(`/api/v1/assignments/${accepted}/nudge`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().allowed).toEqual([]);
    const all = await city.post(`/api/v1/campaigns/${campaign.id}/nudge-overdue`, {});
    expect(all.json().filter((r: { kind: string }) => r.kind === 'nudge')).toHaveLength(1 + 3);
    // klmy sees only its own reminders in the log
    const log = (await klmy.get(`/api/v1/campaigns/${campaign.id}/reminders`)).json();
    expect(new Set(log.map((r: { orgName: string }) => r.orgName))).toEqual(new Set([KLMY]));
  });
});
