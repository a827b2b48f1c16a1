import { troopCharts } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { troopsRepo } from '../src/modules/troops/troops.repo.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

/**
 * 抢险救灾 support requests (issue 20 item 4): the state machine (409 outside the allowed
 * transitions), who decides (the 军分区, never the requesting organisation — decisions/0012),
 * who sees what (the requesting side, the 军分区, the dispatched units; military-only notes stay
 * military), the after-action record and the thanks letter, the timeline and the audit.
 */
let env: TestEnv;
let unit1: Client;
let jfq: Client;
let klmy: Client;
let dsz: Client;
let city: Client;
let leader: Client;
let unitA: string;
let unitB: string;

beforeAll(async () => {
  env = await testEnv();
  [unit1, jfq, klmy, dsz, city, leader] = await Promise.all([
    signedIn(env.app, 'unit1', '10.21.0.1'),
    signedIn(env.app, 'jfq', '10.21.0.2'),
    signedIn(env.app, 'klmy', '10.21.0.3'),
    signedIn(env.app, 'dsz', '10.21.0.4'),
    signedIn(env.app, 'city', '10.21.0.5'),
    signedIn(env.app, 'leader', '10.21.0.6'),
  ]);
  unitA = await orgId(env.p, '650200/jfq/unit-a/');
  unitB = await orgId(env.p, '650200/jfq/unit-b/');
});
afterAll(async () => env?.close());

const request = (extra: Record<string, unknown> = {}) => ({
  title: '白杨河洪水险情',
  situation: '连日降雨，白杨河水位上涨，沿岸农田和两个村受到威胁。',
  location: '克拉玛依区白杨河沿岸',
  needs: '加固堤坝、转移群众和物资',
  peopleNeeded: 60,
  equipment: '冲锋舟、沙袋',
  fromAt: '2026-11-21T08:00:00+08:00',
  ...extra,
});

async function ask(c: Client, extra: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/troop-emergencies', request(extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);

describe('emergency support: the whole flow', () => {
  let id: string;

  it('a district requests support; the clock runs in hours; the civil side cannot decide', async () => {
    const e = await ask(klmy);
    id = e.id;
    expect(e).toMatchObject({ status: 'requested', orgName: '克拉玛依区退役军人事务局', overdue: false });
    expect(Date.parse(e.respondBy) - Date.parse(e.createdAt)).toBe(2 * 3_600_000);
    expect(e.actions).toEqual(['withdraw']);
    expect(e.events.map((x: { kind: string }) => x.kind)).toEqual(['requested']);
    // the 军分区 sees it with the decision; the other district and the units (not yet dispatched) do not
    const seen = (await jfq.get(`/api/v1/troop-emergencies/${id}`)).json();
    expect(seen.actions).toEqual(['decide']);
    expect((await dsz.get(`/api/v1/troop-emergencies/${id}`)).statusCode).toBe(404);
    expect((await unit1.get(`/api/v1/troop-emergencies/${id}`)).statusCode).toBe(404);
    expect(ids((await dsz.get('/api/v1/troop-emergencies')).json().items)).not.toContain(id);
    expect(ids((await unit1.get('/api/v1/troop-emergencies')).json().items)).not.toContain(id);
    // a unit may not ask, a civilian city user may not decide (military side only)
    expect((await unit1.post('/api/v1/troop-emergencies', request())).statusCode).toBe(403);
    const byCity = await city.post(`/api/v1/troop-emergencies/${id}/decision`, {
      version: 1,
      decision: 'decline',
      reason: '不需要',
    });
    expect(byCity.statusCode).toBe(403);
    expect((await klmy.post(`/api/v1/troop-emergencies/${id}/arrive`, { version: 1 })).statusCode).toBe(403);
  });

  it('the 军分区 dispatches two units; only units of the command can be sent', async () => {
    const bad = await jfq.post(`/api/v1/troop-emergencies/${id}/decision`, {
      version: 1,
      decision: 'dispatch',
      units: [{ orgId: await orgId(env.p, '650200/650203/'), people: 10 }],
    });
    expect(bad.statusCode).toBe(400);
    const stale = await jfq.post(`/api/v1/troop-emergencies/${id}/decision`, {
      version: 9,
      decision: 'dispatch',
      units: [{ orgId: unitA, people: 40 }],
    });
    expect(stale.statusCode).toBe(409);
    const res = await jfq.post(`/api/v1/troop-emergencies/${id}/decision`, {
      version: 1,
      decision: 'dispatch',
      units: [
        { orgId: unitA, people: 40 },
        { orgId: unitB, people: 20 },
      ],
      note: '两支部队立即出发',
    });
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json();
    expect(e.status).toBe('dispatched');
    expect(e.decisionHours).toBeGreaterThanOrEqual(0);
    expect(e.dispatches.map((d: { orgName: string; status: string }) => [d.orgName, d.status])).toEqual([
      ['驻市部队甲', 'dispatched'],
      ['驻市部队乙', 'dispatched'],
    ]);
    // deciding twice is not a transition: 409
    const again = await jfq.post(`/api/v1/troop-emergencies/${id}/decision`, {
      version: e.version,
      decision: 'decline',
      reason: '重复',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('invalid_transition');
    // the requester can no longer withdraw
    const w = await klmy.post(`/api/v1/troop-emergencies/${id}/withdraw`, { version: e.version, reason: '不需要了' });
    expect(w.statusCode).toBe(409);
  });

  it('a dispatched unit sees the request and records arrival, then work and return; not before arriving', async () => {
    const seen = (await unit1.get(`/api/v1/troop-emergencies/${id}`)).json();
    expect(seen.actions).toEqual(['arrive']);
    const mine = seen.dispatches.find((d: { orgId: string }) => d.orgId === unitA);
    expect(mine.actions).toEqual(['arrive']);
    expect(seen.dispatches.find((d: { orgId: string }) => d.orgId === unitB).actions).toEqual([]);
    expect(ids((await unit1.get('/api/v1/troop-emergencies')).json().items)).toContain(id);
    const early = await unit1.post(`/api/v1/troop-emergencies/${id}/return`, {
      version: mine.version,
      workDone: '加固堤坝',
      serviceMinutes: 60,
      peopleHelped: 1,
    });
    expect(early.statusCode).toBe(409);
    // a unit cannot act for another unit
    const other = seen.dispatches.find((d: { orgId: string }) => d.orgId === unitB);
    expect(
      (await unit1.post(`/api/v1/troop-emergencies/${id}/arrive`, { version: other.version, orgId: unitB })).statusCode,
    ).toBe(403);
    const arrived = await unit1.post(`/api/v1/troop-emergencies/${id}/arrive`, { version: mine.version });
    expect(arrived.statusCode, arrived.body).toBe(200);
    const d1 = arrived.json().dispatches.find((d: { orgId: string }) => d.orgId === unitA);
    expect(d1.status).toBe('arrived');
    expect((await unit1.post(`/api/v1/troop-emergencies/${id}/arrive`, { version: d1.version })).json().code).toBe(
      'invalid_transition',
    );
    // public text passes the confidentiality checks
    const leak = await unit1.post(`/api/v1/troop-emergencies/${id}/return`, {
      version: d1.version,
      workDone: '营区位于友谊路12号东侧',
      serviceMinutes: 60,
      peopleHelped: 1,
    });
    expect(leak.statusCode).toBe(400);
    const back = await unit1.post(`/api/v1/troop-emergencies/${id}/return`, {
      version: d1.version,
      workDone: '加固堤坝 800 米，转移群众 120 人',
      serviceMinutes: 40 * 8 * 60,
      peopleHelped: 120,
      resources: '沙袋 3000 个',
      militaryNote: '军方备注：兵力部署细节',
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().status).toBe('dispatched'); // the other unit is still out
  });

  it('the 军分区 records for the other unit; the last return completes the after-action record', async () => {
    let e = (await jfq.get(`/api/v1/troop-emergencies/${id}`)).json();
    const d2 = e.dispatches.find((d: { orgId: string }) => d.orgId === unitB);
    e = (await jfq.post(`/api/v1/troop-emergencies/${id}/arrive`, { version: d2.version, orgId: unitB })).json();
    const d2b = e.dispatches.find((d: { orgId: string }) => d.orgId === unitB);
    const res = await jfq.post(`/api/v1/troop-emergencies/${id}/return`, {
      version: d2b.version,
      orgId: unitB,
      workDone: '转移物资',
      serviceMinutes: 20 * 6 * 60,
      peopleHelped: 30,
    });
    expect(res.statusCode, res.body).toBe(200);
    e = res.json();
    expect(e).toMatchObject({
      status: 'completed',
      peopleHelped: 150,
      serviceMinutes: 40 * 8 * 60 + 20 * 6 * 60,
      resources: '驻市部队甲：沙袋 3000 个',
    });
    expect(e.dispatches[0].militaryNote).toBe('军方备注：兵力部署细节');
  });

  it('the requesting side sees the after-action record without military-only notes and sends the thanks letter', async () => {
    const res = await klmy.get(`/api/v1/troop-emergencies/${id}`);
    expect(res.body).not.toContain('兵力部署细节');
    const e = res.json();
    expect(e.dispatches.every((d: object) => !('militaryNote' in d))).toBe(true);
    expect(e.actions).toEqual(['letter']);
    expect(e.dispatches[0].workDone).toBe('加固堤坝 800 米，转移群众 120 人');
    expect((await klmy.get(`/api/v1/troop-emergencies/${id}/letter`)).statusCode).toBe(409);
    // the 军分区 cannot thank itself
    expect((await jfq.post(`/api/v1/troop-emergencies/${id}/letter`, { version: e.version })).statusCode).toBe(403);
    const sent = await klmy.post(`/api/v1/troop-emergencies/${id}/letter`, { version: e.version });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().status).toBe('thanked');
    expect(sent.json().letter).toContain('共出动 60 人');
    expect(sent.json().letter).toContain('帮助群众 150 人');
    const docx = await klmy.get(`/api/v1/troop-emergencies/${id}/letter?format=docx`);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await unit1.get(`/api/v1/troop-emergencies/${id}/letter?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // the timeline shows every step to both sides' leaders
    const byLeader = (await leader.get(`/api/v1/troop-emergencies/${id}`)).json();
    expect(byLeader.events.map((x: { kind: string }) => x.kind)).toEqual([
      'requested',
      'dispatched',
      'arrived',
      'returned',
      'arrived',
      'returned',
      'completed',
      'thanked',
    ]);
    expect(byLeader.actions).toEqual([]);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'troops.emergency.request',
      'troops.emergency.dispatch',
      'troops.emergency.arrive',
      'troops.emergency.return',
      'troops.emergency.arrive',
      'troops.emergency.return',
      'troops.emergency.letter',
      'file.download',
      'file.download',
    ]);
    // a second letter is not a transition
    const twice = await klmy.post(`/api/v1/troop-emergencies/${id}/letter`, { version: sent.json().version });
    expect(twice.statusCode).toBe(409);
  });
});

describe('emergency support: declines, withdrawals, the city’s own requests', () => {
  it('the 军分区 declines with a reason; nothing is dispatched afterwards', async () => {
    const e = await ask(klmy, { title: '道路积雪清理' });
    const no = await jfq.post(`/api/v1/troop-emergencies/${e.id}/decision`, {
      version: 1,
      decision: 'decline',
      reason: '地方力量可以处置',
    });
    expect(no.statusCode, no.body).toBe(200);
    expect(no.json()).toMatchObject({ status: 'declined', declineReason: '地方力量可以处置', actions: [] });
    const late = await jfq.post(`/api/v1/troop-emergencies/${e.id}/decision`, {
      version: no.json().version,
      decision: 'dispatch',
      units: [{ orgId: unitA, people: 5 }],
    });
    expect(late.statusCode).toBe(409);
  });

  it('the requester withdraws a pending request; the 军分区 then cannot decide it', async () => {
    const e = await ask(klmy, { title: '误报险情' });
    const w = await klmy.post(`/api/v1/troop-emergencies/${e.id}/withdraw`, { version: 1, reason: '误报' });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().status).toBe('withdrawn');
    const d = await jfq.post(`/api/v1/troop-emergencies/${e.id}/decision`, {
      version: w.json().version,
      decision: 'decline',
      reason: '已撤回',
    });
    expect(d.statusCode).toBe(409);
    // the other district cannot withdraw someone else's request (it does not see it)
    const e2 = await ask(klmy, { title: '另一险情' });
    expect(
      (await dsz.post(`/api/v1/troop-emergencies/${e2.id}/withdraw`, { version: 1, reason: 'x' })).statusCode,
    ).toBe(404);
  });

  it('a request of the city’s own bureau is decided by the 军分区 (nobody above the city), never by its author', async () => {
    const e = await ask(city, { title: '城区供暖管道抢修' });
    expect((await jfq.get(`/api/v1/troop-emergencies/${e.id}`)).json().actions).toEqual(['decide']);
    expect((await city.get(`/api/v1/troop-emergencies/${e.id}`)).json().actions).toEqual(['withdraw']);
    const d = await jfq.post(`/api/v1/troop-emergencies/${e.id}/decision`, {
      version: 1,
      decision: 'dispatch',
      units: [{ orgId: unitA, people: 10 }],
    });
    expect(d.statusCode, d.body).toBe(200);
    // a district sees the city's request? no: it is not its own
    expect((await klmy.get(`/api/v1/troop-emergencies/${e.id}`)).statusCode).toBe(404);
  });

  it('an undecided request past the clock is overdue', async () => {
    const e = await ask(dsz, { title: '超时未审批' });
    await env.p.handle.db
      .updateTable('troop_emergencies')
      .set({ respond_by: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', e.id)
      .execute();
    const seen = (await jfq.get('/api/v1/troop-emergencies?status=requested')).json();
    expect(seen.items.find((x: { id: string }) => x.id === e.id).overdue).toBe(true);
  });
});

describe('statistics (from the maintained aggregates, by scope)', () => {
  it('counts activities by type, unit, district and month, people reached by group, and the emergencies', async () => {
    const youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
    const made = await unit1.post('/api/v1/troop-activities', {
      type: 'education_aid',
      occurredOn: '2026-10-15',
      durationMinutes: 120,
      placeKind: 'school',
      placeOrgId: youyi,
      placeName: '友谊小学',
      participants: 5,
      reached: { students: 40, children: 6 },
      serviceMinutes: 600,
    });
    expect(made.statusCode, made.body).toBe(201);
    const mine = (await klmy.get('/api/v1/troop-statistics')).json();
    expect(mine.totals).toMatchObject({ activities: 1, serviceMinutes: 600, participants: 5, reached: 46 });
    expect(mine.byType).toEqual([
      { key: 'education_aid', name: '助学兴教', activities: 1, serviceMinutes: 600, participants: 5, reached: 46 },
    ]);
    expect(mine.byUnit.map((r: { name: string }) => r.name)).toEqual(['驻市部队甲']);
    expect(mine.byDistrict.map((r: { name: string }) => r.name)).toEqual(['克拉玛依区退役军人事务局']);
    expect(mine.byMonth.map((r: { key: string }) => r.key)).toEqual(['2026-10']);
    expect(mine.byGroup.find((g: { group: string }) => g.group === 'students').reached).toBe(40);
    // klmy's requests: the flood (thanked), the declined, the withdrawn, and the other one
    expect(mine.emergencies.requests).toBe(4);
    expect(mine.emergencies.byStatus).toMatchObject({ thanked: 1, declined: 1, withdrawn: 1, requested: 1 });
    expect(mine.emergencies.avgDecisionHours).toBeGreaterThanOrEqual(0);
    // another district sees none of it; a month range outside leaves it out
    const other = (await dsz.get('/api/v1/troop-statistics')).json();
    expect(other.totals.activities).toBe(0);
    expect(other.byType).toEqual([]);
    expect((await klmy.get('/api/v1/troop-statistics?fromMonth=2026-11')).json().totals.activities).toBe(0);
    // the unit sees its own; the 军分区 everything
    expect((await unit1.get('/api/v1/troop-statistics')).json().totals.activities).toBe(1);
    expect((await jfq.get('/api/v1/troop-statistics')).json().totals.activities).toBe(1);
  });

  it("keeps the whole city's coarse rows equal to a rebuild from the activities, and the 军分区's view equal to the units' own", async () => {
    const youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
    const body = (extra: Record<string, unknown>) => ({
      type: 'free_clinic',
      occurredOn: '2026-09-03',
      durationMinutes: 90,
      placeKind: 'community',
      placeOrgId: youyi,
      participants: 4,
      reached: { elderly: 12, low_income: 3 },
      serviceMinutes: 360,
      patientsSeen: 15,
      ...extra,
    });
    const a = (await unit1.post('/api/v1/troop-activities', body({}))).json();
    const b = (
      await unit1.post('/api/v1/troop-activities', body({ type: 'customs_reform', occurredOn: '2026-08-20' }))
    ).json();
    const c = (await unit1.post('/api/v1/troop-activities', body({ occurredOn: '2025-12-31' }))).json();
    // an edit moves figures between types and months; a withdrawal takes them out
    const moved = await unit1.patch(`/api/v1/troop-activities/${a.id}`, {
      version: 1,
      type: 'education_aid',
      occurredOn: '2026-07-01',
      participants: 9,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const gone = await unit1.post(`/api/v1/troop-activities/${b.id}/withdraw`, { version: 1, reason: '重复录入' });
    expect(gone.statusCode, gone.body).toBe(200);
    expect(c.id).toBeTruthy();

    const db = env.p.handle.db;
    const norm = (rows: Record<string, unknown>[]) =>
      rows
        .map((r) =>
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [k, k === 'dim' || k === 'key' || k === 'month' ? v : Number(v)]),
          ),
        )
        .sort((x, y) => `${x.dim}|${x.key}|${x.month}`.localeCompare(`${y.dim}|${y.key}|${y.month}`));
    const kept = norm(await troopsRepo.cityStats(db));
    const rebuilt = norm(await troopsRepo.cityStatsRebuilt(db, SYSTEM_SCOPE));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(rebuilt);

    // the 军分区 reads the coarse rows, a unit its own (unit × district × type × month) rows: the same figures
    const city = (await jfq.get('/api/v1/troop-statistics')).json();
    const own = (await unit1.get('/api/v1/troop-statistics')).json();
    expect(city.totals).toEqual(own.totals);
    expect(city.byType).toEqual(own.byType);
    expect(city.byMonth).toEqual(own.byMonth);
    expect(city.byUnit).toEqual(own.byUnit);
    expect(city.byDistrict).toEqual(own.byDistrict);
    expect(city.byGroup).toEqual(own.byGroup);
    expect(city.byType.find((r: { key: string }) => r.key === 'education_aid').participants).toBe(5 + 9);
    expect(city.byType.some((r: { key: string }) => r.key === 'customs_reform')).toBe(false);
    const year = (await jfq.get('/api/v1/troop-statistics?fromMonth=2026-01&toMonth=2026-12')).json();
    expect(year.totals.activities).toBe(city.totals.activities - 1);
  });

  it('every troops chart of the cockpit opens a list whose total is its number (decisions/0047)', async () => {
    const pending: Promise<void>[] = [];
    for (const who of [jfq, klmy, leader]) {
      const stats = (await who.get('/api/v1/troop-statistics')).json();
      const charts = troopCharts(stats);
      let checked = 0;
      for (const def of charts) {
        const series = (def.option.series as { data: number[] }[])[0]!;
        series.data.forEach((n, i) => {
          const to = def.link(0, i);
          expect(to).toBeTruthy();
          if (to === '/troop-stats') {
            // people reached: the statistics page's 服务对象 table shows the same figure
            expect(stats.byGroup.map((g: { reached: number }) => g.reached)).toContain(n);
            return;
          }
          checked++;
          const api = to!
            .replace(/^\/troops\?/, '/api/v1/troop-activities?')
            .replace(/^\/troop-emergencies\?/, '/api/v1/troop-emergencies?');
          pending.push(
            who.get(`${api}&pageSize=1`).then((r) => {
              expect(r.statusCode, r.body).toBe(200);
              expect([def.id, i, r.json().total]).toEqual([def.id, i, n]);
            }),
          );
        });
      }
      await Promise.all(pending.splice(0));
      expect(checked).toBeGreaterThan(3);
    }
  });
});
