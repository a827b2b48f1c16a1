import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../src/platform/calendar/dates.js';
import { imageMetadata } from '../src/platform/files/image.js';
import { seedDemoCampaign } from '../src/seed/demo-campaign.js';
import { campaignWithTask, taskRefused } from './atmosphere-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { gradientJpeg, withExif } from './photo-fixtures.js';

/**
 * 双拥活动 (issue 19 item 4, decisions/0043): who sees an event, the state flow, the checks on the
 * notice, the budget line's warning, the campaign figure and the model-city tag — on both dialects.
 */
let env: TestEnv;
let klmy: Client;
let dsz: Client;
let city: Client;
let jfq: Client;
let unit1: Client;
let campaign: string;
let unitA: string;
let community: string;
let dszCommunity: string;
let today: string;

beforeAll(async () => {
  env = await testEnv();
  campaign = await seedDemoCampaign(env.p);
  [klmy, dsz, city, jfq, unit1] = await Promise.all([
    signedIn(env.app, 'klmy', '10.43.0.1'),
    signedIn(env.app, 'dsz', '10.43.0.2'),
    signedIn(env.app, 'city', '10.43.0.3'),
    signedIn(env.app, 'jfq', '10.43.0.4'),
    signedIn(env.app, 'unit1', '10.43.0.5'),
  ]);
  unitA = await orgId(env.p, '650200/jfq/unit-a/');
  community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  dszCommunity = await orgId(env.p, '650200/650202/650202001/650202001001/');
  today = localDate(new Date(), env.p.config.tzDisplay);
});
afterAll(async () => env?.close());

const plan = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'lianyi',
  title,
  date: today,
  startTime: '15:00',
  endTime: '17:00',
  place: '克拉玛依区文化馆',
  campaignId: campaign,
  ...extra,
});

async function create(c: Client, body: unknown) {
  const res = await c.post('/api/v1/events', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);

const ids = async (c: Client, q = '') =>
  (await c.get(`/api/v1/events?campaignId=${campaign}${q}`)).json().items.map((e: { id: string }) => e.id);

describe('scope', () => {
  it('a district manages its own; another district and the 军分区 do not see a civilian event', async () => {
    const e = await create(klmy, plan('社区迎新春联欢会', { type: 'performance' }));
    expect(e).toMatchObject({ status: 'planned', involvesTroops: false, orgName: '克拉玛依区退役军人事务局' });
    expect(e.actions).toEqual(['edit', 'invite', 'notice', 'hold', 'cancel']);
    for (const c of [dsz, jfq, unit1]) {
      expect((await c.get(`/api/v1/events/${e.id}`)).statusCode).toBe(404);
      expect(await ids(c)).not.toContain(e.id);
    }
    expect(await ids(city)).toContain(e.id);
    expect((await put(dsz, `/api/v1/events/${e.id}`, { ...plan('改'), version: 1 })).statusCode).toBe(404);
  });

  it('an invited unit and the 军分区 see an event once a unit is invited; a district sees what its community is invited to', async () => {
    const e = await create(klmy, plan('军民迎春座谈会', { type: 'symposium' }));
    const inv = await put(klmy, `/api/v1/events/${e.id}/invitations`, {
      version: e.version,
      orgIds: [unitA, community, dszCommunity],
    });
    expect(inv.statusCode, inv.body).toBe(200);
    expect(inv.json().involvesTroops).toBe(true);
    expect(
      inv
        .json()
        .invitations.map((v: { side: string }) => v.side)
        .sort(),
    ).toEqual(['civilian', 'civilian', 'military']);
    for (const c of [jfq, unit1, dsz]) expect(await ids(c)).toContain(e.id);
    // they see it; they do not manage it
    const seen = (await unit1.get(`/api/v1/events/${e.id}`)).json();
    expect(seen.actions).toEqual([]);
    const hold = await unit1.post(`/api/v1/events/${e.id}/hold`, { version: seen.version });
    expect(hold.statusCode).toBe(403);
    // uninvited again: the 军分区 and the unit no longer see it
    const back = await put(klmy, `/api/v1/events/${e.id}/invitations`, {
      version: inv.json().version,
      orgIds: [community],
    });
    expect(back.json().involvesTroops).toBe(false);
    for (const c of [jfq, unit1, dsz]) expect((await c.get(`/api/v1/events/${e.id}`)).statusCode).toBe(404);
  });

  it('a unit organises with a civilian partner; the partner sees it; organisers must be on two sides', async () => {
    const e = await create(unit1, plan('军营开放日电影放映', { type: 'film', partnerOrgId: community }));
    expect(e).toMatchObject({ involvesTroops: true, partnerOrgName: '友谊社区退役军人服务站' });
    expect(await ids(klmy)).toContain(e.id);
    expect(await ids(jfq)).toContain(e.id);
    expect(await ids(dsz)).not.toContain(e.id);
    const same = await klmy.post('/api/v1/events', plan('同侧', { partnerOrgId: dszCommunity }));
    expect(same.statusCode).toBe(400);
    // a district never plans in another district's name
    const foreign = await klmy.post('/api/v1/events', plan('冒名', { orgId: dszCommunity }));
    expect(foreign.statusCode).toBe(403);
  });
});

describe('state flow', () => {
  it('planned → held → closed, with attendance per invited org and the note; audited', async () => {
    const e = await create(klmy, plan('八一军地联谊会', { partnerOrgId: unitA }));
    const tomorrow = new Date(`${today}T00:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    const later = await create(klmy, plan('明天的活动', { date: tomorrow.toISOString().slice(0, 10) }));
    const early = await klmy.post(`/api/v1/events/${later.id}/hold`, { version: later.version });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('not_yet');

    let d = (await put(klmy, `/api/v1/events/${e.id}/invitations`, { version: e.version, orgIds: [community] })).json();
    expect((await klmy.post(`/api/v1/events/${e.id}/attendance`, { version: d.version, items: [] })).statusCode).toBe(
      409,
    );
    d = (await klmy.post(`/api/v1/events/${e.id}/hold`, { version: d.version })).json();
    expect(d).toMatchObject({ status: 'held', actions: ['record', 'close'] });
    expect((await put(klmy, `/api/v1/events/${e.id}`, { ...plan('改'), version: d.version })).statusCode).toBe(409);
    const stranger = await klmy.post(`/api/v1/events/${e.id}/attendance`, {
      version: d.version,
      items: [{ orgId: dszCommunity, attended: true }],
    });
    expect(stranger.statusCode).toBe(400);
    // the partner unit records attendance too
    const partnerView = (await unit1.get(`/api/v1/events/${e.id}`)).json();
    expect(partnerView.actions).toEqual(['record']);
    const att = await unit1.post(`/api/v1/events/${e.id}/attendance`, {
      version: d.version,
      items: [{ orgId: community, attended: true, headcount: 35 }],
    });
    expect(att.statusCode, att.body).toBe(200);
    d = att.json();
    expect(d.invitations).toMatchObject([{ orgId: community, attended: true, headcount: 35 }]);
    expect((await unit1.post(`/api/v1/events/${e.id}/close`, { version: d.version })).statusCode).toBe(409);
    const noNote = await klmy.post(`/api/v1/events/${e.id}/close`, { version: d.version });
    expect(noNote.json().code).toBe('note_required');
    d = (
      await klmy.post(`/api/v1/events/${e.id}/note`, { version: d.version, note: '官兵和居民共 80 余人参加。' })
    ).json();
    d = (await klmy.post(`/api/v1/events/${e.id}/close`, { version: d.version })).json();
    expect(d).toMatchObject({ status: 'closed', note: '官兵和居民共 80 余人参加。', actions: [] });
    expect(d.closedAt).toBeTruthy();
    const cancel = await klmy.post(`/api/v1/events/${e.id}/cancel`, { version: d.version, reason: '天气' });
    expect(cancel.statusCode).toBe(409);

    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'event')
      .where('entity_id', '=', e.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'event.create',
      'event.invite',
      'event.hold',
      'event.attendance',
      'event.note',
      'event.close',
    ]);
  });

  it('cancels a planned event with a reason; a stale version is refused', async () => {
    const e = await create(klmy, plan('书画展'));
    expect(
      (await klmy.post(`/api/v1/events/${e.id}/cancel`, { version: e.version + 1, reason: '场地' })).statusCode,
    ).toBe(409);
    const d = (await klmy.post(`/api/v1/events/${e.id}/cancel`, { version: e.version, reason: '场地检修' })).json();
    expect(d).toMatchObject({ status: 'cancelled', cancelReason: '场地检修', actions: [] });
  });
});

describe('photos go through the confidentiality checks', () => {
  it('flags the GPS of the original and stores the photo without it; a caption with a designation is refused', async () => {
    const e = await create(klmy, plan('书画展开幕', { type: 'exhibition' }));
    const d = (await klmy.post(`/api/v1/events/${e.id}/hold`, { version: e.version })).json();
    const upload = (query: string, file: Buffer) =>
      klmy.request('POST', `/api/v1/events/${e.id}/photos?${query}`, file, {
        'content-type': 'application/octet-stream',
      });
    expect(d.status).toBe('held');
    const res = await upload('fileName=a.jpg&caption=%E5%B1%95%E5%8E%85', withExif(gradientJpeg(32, 32)));
    expect(res.statusCode, res.body).toBe(200);
    const photo = res.json().photos[0];
    expect(photo).toMatchObject({ fileName: 'a.jpg', caption: '展厅', gps: true });
    expect(res.json().photoFindings).toMatchObject([
      { where: 'photo', photoId: photo.id, rule: 'image.gps', severity: 'block' },
    ]);
    const stored = (await klmy.get(`/api/v1/events/${e.id}/photos/${photo.id}`)).rawPayload;
    expect(imageMetadata(stored).gps).toBe(false);
    const caption = encodeURIComponent('驻克61234部队官兵');
    expect((await upload(`fileName=b.jpg&caption=${caption}`, gradientJpeg(16, 16))).statusCode).toBe(400);
    expect((await dsz.get(`/api/v1/events/${e.id}/photos/${photo.id}`)).statusCode).toBe(404);
  });
});

describe('the notice passes the confidentiality checks before it is published', () => {
  it('flags a designation in the notice, refuses it, publishes the fixed one, and withdraws it after an edit', async () => {
    const bad = '欢迎居民观看驻克61234部队官兵文艺演出。';
    const e = await create(klmy, plan('迎春文艺演出', { type: 'performance', notice: bad }));
    expect(e.noticeFindings).toMatchObject([{ category: 'designation', match: '61234部队', severity: 'block' }]);
    const refused = await klmy.post(`/api/v1/events/${e.id}/notice/publish`, { version: e.version });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('notice_findings');
    expect((await klmy.get(`/api/v1/events/${e.id}`)).json().noticePublished).toBe(false);

    const fixed = '欢迎居民观看驻地部队官兵文艺演出。';
    let d = (
      await put(klmy, `/api/v1/events/${e.id}`, { ...plan('迎春文艺演出', { notice: fixed }), version: e.version })
    ).json();
    expect(d.noticeFindings).toEqual([]);
    d = (await klmy.post(`/api/v1/events/${e.id}/notice/publish`, { version: d.version })).json();
    expect(d.noticePublished).toBe(true);
    // same words: stays published; another place: must be checked again
    d = (
      await put(klmy, `/api/v1/events/${e.id}`, { ...plan('迎春文艺演出', { notice: fixed }), version: d.version })
    ).json();
    expect(d.noticePublished).toBe(true);
    d = (
      await put(klmy, `/api/v1/events/${e.id}`, {
        ...plan('迎春文艺演出', { notice: fixed, place: '营区东门广场，北纬45.6度' }),
        version: d.version,
      })
    ).json();
    expect(d.noticePublished).toBe(false);
    expect(d.noticeFindings.length).toBeGreaterThan(0);
  });

  it('an empty notice cannot be published', async () => {
    const e = await create(klmy, plan('无通知'));
    const res = await klmy.post(`/api/v1/events/${e.id}/notice/publish`, { version: e.version });
    expect(res.statusCode).toBe(400);
  });
});

describe('budget line under the campaign, campaign figure, model-city evidence', () => {
  let lineId: string;

  it('warns when the events planned on a line exceed what is left on it', async () => {
    const klmyOrg = await orgId(env.p, '650200/650203/');
    const line = await city.post('/api/v1/visit-budget-lines', {
      campaignId: campaign,
      orgId: klmyOrg,
      name: '双拥活动经费',
      budgetFen: 100_000,
    });
    expect(line.statusCode, line.body).toBe(201);
    lineId = line.json().id;
    const a = await create(klmy, plan('联谊晚会', { budgetFen: 80_000, budgetLineId: lineId }));
    expect(a).toMatchObject({ budgetFen: 80_000, budgetLineName: '双拥活动经费', warnings: [] });
    const b = await create(klmy, plan('电影放映', { type: 'film', budgetFen: 30_000, budgetLineId: lineId }));
    expect(b.warnings).toMatchObject([{ code: 'budgetLineOver', level: 'warning' }]);
    expect(b.warnings[0].message).toContain('超出 100 元');
    // cancelling the first frees its share
    await klmy.post(`/api/v1/events/${a.id}/cancel`, { version: a.version, reason: '合并举办' });
    expect((await klmy.get(`/api/v1/events/${b.id}`)).json().warnings).toEqual([]);
    const none = await create(klmy, plan('没有科目', { budgetFen: 5_000 }));
    expect(none.warnings).toMatchObject([{ code: 'noBudgetLine' }]);
    // a line of another org's scope, or without its campaign, is refused
    expect((await dsz.post('/api/v1/events', plan('借用', { budgetFen: 1, budgetLineId: lineId }))).statusCode).toBe(
      400,
    );
    expect(
      (await klmy.post('/api/v1/events', plan('无部署', { campaignId: null, budgetFen: 1, budgetLineId: lineId })))
        .statusCode,
    ).toBe(400);
  });

  it('counts held events in the campaign figure of the organiser’s region', async () => {
    const metric = env.services.campaigns.metrics.get('atmosphere.events.held')!;
    const db = env.p.handle.db;
    const before = await metric.compute(db, '650200/650203/', campaign);
    const e = await create(klmy, plan('座谈会', { type: 'symposium' }));
    await klmy.post(`/api/v1/events/${e.id}/hold`, { version: e.version });
    expect(await metric.compute(db, '650200/650203/', campaign)).toBe(before + 1);
    expect(await metric.compute(db, '650200/650202/', campaign)).toBe(0);
    const byType = env.services.campaigns.metrics.get('atmosphere.events.symposium')!;
    expect(await byType.compute(db, '650200/650203/', campaign)).toBeGreaterThanOrEqual(1);
  });

  it('a held event is tagged to a model-city element as its organiser’s evidence; a planned one is refused', async () => {
    const readiness = (await klmy.get('/api/v1/modelcity/readiness')).json();
    const elements = readiness.standards.flatMap((s: { items: { elements: unknown[] }[] }) =>
      s.items.flatMap((i) => i.elements),
    ) as { id: string; kinds: string[] }[];
    const el = elements.find((x) => x.kinds.includes('event'))!;
    const planned = await create(klmy, plan('待办活动'));
    const refused = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: el.id,
      sourceKind: 'event',
      sourceId: planned.id,
    });
    expect(refused.statusCode).toBe(409);
    const held = (await klmy.post(`/api/v1/events/${planned.id}/hold`, { version: planned.version })).json();
    const tag = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: el.id,
      sourceKind: 'event',
      sourceId: held.id,
    });
    expect(tag.statusCode, tag.body).toBeLessThan(300);
    expect(tag.json()).toMatchObject({
      sourceKind: 'event',
      title: '军地联谊：待办活动',
      orgName: '克拉玛依区退役军人事务局',
    });
    // another district cannot tag it
    const other = await dsz.post('/api/v1/modelcity/evidence', {
      elementId: el.id,
      sourceKind: 'event',
      sourceId: held.id,
    });
    expect(other.statusCode).toBe(404);
  });

  it('the detail says who may tag it: the organiser once held, never an invited unit it is out of scope for', async () => {
    const readiness = (await klmy.get('/api/v1/modelcity/readiness')).json();
    const el = (
      readiness.standards.flatMap((s: { items: { elements: unknown[] }[] }) => s.items.flatMap((i) => i.elements)) as {
        id: string;
        kinds: string[];
      }[]
    ).find((x) => x.kinds.includes('event'))!;
    const e = await create(klmy, plan('军民共建联谊会'));
    expect(e.abilities).toEqual({ modelcityTag: false });
    const inv = await put(klmy, `/api/v1/events/${e.id}/invitations`, { version: e.version, orgIds: [unitA] });
    expect(inv.statusCode, inv.body).toBe(200);
    const held = await klmy.post(`/api/v1/events/${e.id}/hold`, { version: inv.json().version });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json().abilities).toEqual({ modelcityTag: true });
    expect((await klmy.get(`/api/v1/events/${e.id}`)).json().abilities).toEqual({ modelcityTag: true });
    // the invited unit sees the event and holds modelcity:write, but the event is not in its scope
    const seen = await unit1.get(`/api/v1/events/${e.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().abilities).toEqual({ modelcityTag: false });
    const refused = await unit1.post('/api/v1/modelcity/evidence', {
      elementId: el.id,
      sourceKind: 'event',
      sourceId: e.id,
    });
    expect(refused.statusCode).toBe(404);
    const tag = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: el.id,
      sourceKind: 'event',
      sourceId: e.id,
    });
    expect(tag.statusCode, tag.body).toBe(201);
  });
});

describe('the campaign task an event serves', () => {
  it('must be a task of the event’s campaign, on create and on edit', async () => {
    const a = await campaignWithTask(city, '军地联谊月');
    const b = await campaignWithTask(city, '双拥宣传周');
    const e = await create(klmy, plan('联谊会', a));
    expect(e).toMatchObject({ campaignId: a.campaignId, taskId: a.taskId });
    taskRefused(await klmy.post('/api/v1/events', plan('错配', { campaignId: a.campaignId, taskId: b.taskId })));
    taskRefused(await klmy.post('/api/v1/events', plan('无部署', { campaignId: null, taskId: a.taskId })));
    taskRefused(
      await put(klmy, `/api/v1/events/${e.id}`, { ...plan('改', { ...a, taskId: b.taskId }), version: e.version }),
    );
    const moved = await put(klmy, `/api/v1/events/${e.id}`, { ...plan('改', b), version: e.version });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ campaignId: b.campaignId, taskId: b.taskId });
  });
});
