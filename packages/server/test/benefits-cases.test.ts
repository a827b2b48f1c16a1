import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/platform/auth/password.js';
import { isWorkingDay } from '../src/platform/calendar/working-days.js';
import { insertUser } from '../src/seed/demo.js';
import { reconcileReturn, returnCsv } from './benefits-fixtures.js';
import { Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Reconciliation discrepancies as cases (decisions/0055), on the storage of the run: each new
 * discrepancy is owned by the roster's district office with a working-day deadline; the owner hears
 * of it and sees it among its to-dos; the district or the city reassigns it; the deadline sweep
 * (the needs' one, platform/cases) escalates an overdue one to the owner and the city; closing
 * takes the outcome and a note; a district sees only its own.
 */
let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
let jfq: Client;
let helper: Client;
let helperId: string;
const KLMY = '650200/650203/650203001/650203001001/';
const DSZ = '650200/650202/650202001/650202001001/';
const KLMY_OFFICE = '650200/650203/';
const CITY_OFFICE = '650200/';

const now = new Date();
const P1 = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
let seq = 0;
const people: Record<string, { id: string; idNumber: string }> = {};

async function person(c: Client, org: string, key: string) {
  const idNumber = makeId(org.split('/')[1]!, '1951-04-01', 500 + seq++ * 2);
  const res = await c.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, org),
    name: `案件${key}`,
    idNumber,
    categories: [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }],
  });
  expect(res.statusCode, res.body).toBe(201);
  people[key] = { id: res.json().id, idNumber };
}

async function release(c: Client, period: string) {
  const created = await c.post('/api/v1/benefit-rosters', { period });
  expect(created.statusCode, created.body).toBe(201);
  const r = created.json();
  expect((await c.post(`/api/v1/benefit-rosters/${r.id}/request`, { version: r.version })).statusCode).toBe(200);
  const ok = await city.post(`/api/v1/benefit-rosters/${r.id}/decision`, { version: 2, decision: 'approve' });
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json() as { id: string };
}

const csv = returnCsv;

const reconcile = async (c: Client, rosterId: string, file: Buffer) =>
  (await reconcileReturn(env, c, rosterId, file)).discrepancies;

type Case = {
  id: string;
  kind: string;
  version: number;
  deadline: string;
  ownerOrgId: string;
  ownerOrgName: string;
  ownerUserId: string | null;
  ownerUserName: string | null;
  overdue: boolean;
  status: string;
  abilities: { close: boolean; reassign: boolean };
};
const list = async (c: Client, q = '') =>
  (await c.get(`/api/v1/benefit-discrepancies?pageSize=50${q}`)).json() as { items: Case[]; total: number };
const notices = async (c: Client, kind: string, entityId?: string) =>
  (await c.get('/api/v1/notifications?pageSize=100'))
    .json()
    .items.filter(
      (n: { kind: string; entityId: string }) => n.kind === kind && (!entityId || n.entityId === entityId),
    ) as { title: string; body: string }[];
const todos = async (c: Client) =>
  Object.fromEntries(
    ((await c.get('/api/v1/home')).json().todos as { key: string; count: number }[]).map((x) => [x.key, x.count]),
  );
/** Noon in Beijing on `date` shifted by `days` calendar days. */
const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T04:00:00Z`) + days * 86_400_000);

let klmyRoster: string;

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.55.0.1');
  klmy = await signedIn(env.app, 'klmy', '10.55.0.2');
  dsz = await signedIn(env.app, 'dsz', '10.55.0.3');
  jfq = await signedIn(env.app, 'jfq', '10.55.0.4');
  // a second payment clerk of 克拉玛依区's office, to be named owner
  const hash = await hashPassword('Tianshan#Road2026');
  await env.p.handle.db.transaction().execute((trx) =>
    insertUser(trx, {
      username: 'klmypay',
      displayName: '克拉玛依区发放经办人',
      orgPath: KLMY_OFFICE,
      roles: ['district_staff'],
      passwordHash: hash,
      mustChange: false,
    }),
  );
  helperId = (
    await env.p.handle.db.selectFrom('users').select('id').where('username', '=', 'klmypay').executeTakeFirstOrThrow()
  ).id;
  helper = new Client(env.app, '10.55.0.6');
  expect((await helper.login('klmypay', 'Tianshan#Road2026')).statusCode).toBe(200);
  await person(klmy, KLMY, 'A');
  await person(klmy, KLMY, 'B');
  await person(dsz, DSZ, 'F');
  const std = await city.post('/api/v1/benefit-standards', {
    layer: 'national',
    docNo: '民发〔2025〕9号',
    benefitType: 'survivor_pension',
    category: 'martyr_survivor',
    amountFen: 200_000,
    validFrom: '2025-01',
  });
  expect(std.statusCode, std.body).toBe(201);
  await env.jobs.idle();
  klmyRoster = (await release(klmy, P1)).id;
  // A paid right; B absent (missing); an ID the register does not know (unknown_id)
  const found = await reconcile(
    klmy,
    klmyRoster,
    csv([
      [people.A!.idNumber, '案件A', '2000.00', '成功'],
      [makeId('650204', '1961-06-06', 31), '查无此人', '500.00', '成功'],
    ]),
  );
  expect(found).toEqual({ missing: 1, unknown_id: 1 });
  const dszRoster = (await release(dsz, P1)).id;
  expect(await reconcile(dsz, dszRoster, csv([]))).toEqual({ missing: 1 });
});

afterAll(async () => {
  await env?.close();
});

/** Working days after `from` up to and including `to` (both YYYY-MM-DD). */
function workingDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let t = Date.parse(from) + 86_400_000; t <= Date.parse(to); t += 86_400_000)
    if (isWorkingDay(new Date(t).toISOString().slice(0, 10))) n++;
  return n;
}

describe('discrepancies are cases of the district office', () => {
  it('each new discrepancy is owned by the roster’s district office, with a deadline; the owner is told and has it to do', async () => {
    const { items } = await list(klmy);
    expect(items).toHaveLength(2);
    const office = await orgId(env.p, KLMY_OFFICE);
    const today = env.services.benefits.discrepancies.today();
    for (const d of items) {
      expect(d).toMatchObject({
        status: 'open',
        ownerOrgId: office,
        ownerOrgName: '克拉玛依区退役军人事务局',
        ownerUserId: null,
        overdue: false,
        abilities: { close: true, reassign: true },
      });
      // 10 working days ahead: the deadline is the 10th working day after today (weekends, holidays
      // and make-up working days as the calendar has them)
      expect(d.deadline > today).toBe(true);
      expect(isWorkingDay(d.deadline)).toBe(true);
      expect(workingDaysBetween(today, d.deadline)).toBe(10);
    }
    // one notice per reconciliation, not one per discrepancy; no ID number in it
    const told = await notices(klmy, 'benefit.discrepancy.created', klmyRoster);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain('2 个问题');
    expect(told[0]!.body).toContain(items[0]!.deadline);
    expect(told[0]!.body).not.toContain(people.A!.idNumber.slice(0, 10));
    expect(await notices(dsz, 'benefit.discrepancy.created', klmyRoster)).toHaveLength(0);
    expect((await todos(klmy)).discrepanciesToHandle).toBe(2);
    expect((await todos(dsz)).discrepanciesToHandle).toBe(1);
    expect((await list(klmy, '&mine=true')).total).toBe(2);
  });

  it('a district sees and acts on its own only; units never see them', async () => {
    const mine = await list(klmy);
    expect(mine.items.every((d) => d.ownerOrgName === '克拉玛依区退役军人事务局')).toBe(true);
    const theirs = await list(dsz);
    expect(theirs.total).toBe(1);
    const other = mine.items[0]!;
    expect((await dsz.get(`/api/v1/benefit-discrepancies/${other.id}`)).statusCode).toBe(404);
    expect(
      (
        await dsz.post(`/api/v1/benefit-discrepancies/${other.id}/assign`, {
          version: other.version,
          ownerOrgId: await orgId(env.p, '650200/650202/'),
        })
      ).statusCode,
    ).toBe(404);
    expect((await dsz.get(`/api/v1/benefit-discrepancies/${other.id}/owners`)).statusCode).toBe(404);
    // the city sees every district's
    expect((await list(city)).total).toBe(3);
    // a military unit has no way in (decisions/0006: never a need)
    const unit = await signedIn(env.app, 'unit1', '10.55.0.7');
    expect((await unit.get('/api/v1/benefit-discrepancies')).statusCode).toBe(403);
  });

  it('the district reassigns to one of its payment staff; the city takes one over; an owner outside is refused', async () => {
    const [first, second] = (await list(klmy)).items;
    const owners = (await klmy.get(`/api/v1/benefit-discrepancies/${first!.id}/owners`)).json();
    // the district office only (the city's bureau is outside the district's scope); its payment staff
    expect(owners.orgs.map((o: { name: string }) => o.name)).toEqual(['克拉玛依区退役军人事务局']);
    expect(owners.users.map((u: { id: string }) => u.id)).toContain(helperId);
    const office = await orgId(env.p, KLMY_OFFICE);
    const toHelper = await klmy.post(`/api/v1/benefit-discrepancies/${first!.id}/assign`, {
      version: first!.version,
      ownerOrgId: office,
      ownerUserId: helperId,
      note: '请核实后补发',
    });
    expect(toHelper.statusCode, toHelper.body).toBe(200);
    expect(toHelper.json()).toMatchObject({
      ownerOrgId: office,
      ownerUserId: helperId,
      ownerUserName: '克拉玛依区发放经办人',
      version: first!.version + 1,
      deadline: first!.deadline,
    });
    expect(await notices(helper, 'benefit.discrepancy.assigned', first!.id)).toHaveLength(1);
    // the named user has it to do (and the office's unnamed one, as everyone of the office); the rest of the office no longer
    expect((await todos(helper)).discrepanciesToHandle).toBe(2);
    expect((await todos(klmy)).discrepanciesToHandle).toBe(1);
    // a stale version, another district's office, a military org: refused, nothing changed
    expect(
      (
        await klmy.post(`/api/v1/benefit-discrepancies/${first!.id}/assign`, {
          version: first!.version,
          ownerOrgId: office,
        })
      ).statusCode,
    ).toBe(409);
    for (const path of ['650200/650202/', '650200/jfq/', CITY_OFFICE]) {
      const res = await klmy.post(`/api/v1/benefit-discrepancies/${second!.id}/assign`, {
        version: second!.version,
        ownerOrgId: await orgId(env.p, path),
      });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().code).toBe('invalid_owner');
    }
    // a user of another office: refused
    const dszUser = await env.p.handle.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'dsz')
      .executeTakeFirstOrThrow();
    expect(
      (
        await klmy.post(`/api/v1/benefit-discrepancies/${second!.id}/assign`, {
          version: second!.version,
          ownerOrgId: office,
          ownerUserId: dszUser.id,
        })
      ).statusCode,
    ).toBe(400);
    // the city takes the second one over itself
    const cityOffice = await orgId(env.p, CITY_OFFICE);
    const taken = await city.post(`/api/v1/benefit-discrepancies/${second!.id}/assign`, {
      version: second!.version,
      ownerOrgId: cityOffice,
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json()).toMatchObject({ ownerOrgId: cityOffice, ownerOrgName: '克拉玛依市退役军人事务局' });
    expect(await notices(city, 'benefit.discrepancy.assigned', second!.id)).toHaveLength(0); // the actor is not told
    // the district still sees it (it stays the district's case) and the audit names both owners
    expect((await klmy.get(`/api/v1/benefit-discrepancies/${second!.id}`)).statusCode).toBe(200);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('entity_id', 'in', [first!.id, second!.id])
      .where('action', '=', 'benefit.discrepancy.assign')
      .execute();
    expect(audit).toHaveLength(2);
  });

  it('the sweep reminds the owner before the deadline and escalates an overdue one to the owner and the city, once', async () => {
    const d = (await list(dsz)).items[0]!;
    const sweep = (at: Date) => env.services.benefits.discrepancies.sweep(at);
    // today: nothing due
    const early = await sweep(dayAfter(env.services.benefits.discrepancies.today(), 0));
    expect(early.escalated).not.toContain(d.id);
    expect(early.reminded).not.toContain(d.id);
    // the working day before the deadline: one reminder to the owner
    let before = dayAfter(d.deadline, -1);
    while ([0, 6].includes(before.getUTCDay())) before = new Date(before.getTime() - 86_400_000);
    expect((await sweep(before)).reminded).toContain(d.id);
    expect((await sweep(before)).reminded).not.toContain(d.id);
    expect(await notices(dsz, 'benefit.discrepancy.reminded', d.id)).toHaveLength(1);
    expect(await notices(city, 'benefit.discrepancy.reminded', d.id)).toHaveLength(0);
    // three days after: escalated once, to the owner (the district office) and the city's bureau
    const later = dayAfter(d.deadline, 3);
    const first = await sweep(later);
    expect(first.escalated).toContain(d.id);
    expect((await sweep(later)).escalated).not.toContain(d.id);
    const toOwner = await notices(dsz, 'benefit.discrepancy.escalated', d.id);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]!.body).toContain(d.deadline);
    expect(await notices(city, 'benefit.discrepancy.escalated', d.id)).toHaveLength(1);
    // not another district, not the military side
    expect(await notices(klmy, 'benefit.discrepancy.escalated', d.id)).toHaveLength(0);
    expect(await notices(jfq, 'benefit.discrepancy.escalated', d.id)).toHaveLength(0);
    const escalated = (await dsz.get(`/api/v1/benefit-discrepancies/${d.id}`)).json();
    expect(escalated.escalatedAt).not.toBeNull();
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', d.id)
      .where('action', 'like', 'benefit.discrepancy.%')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'benefit.discrepancy.remind', actor_name: 'system' },
      { action: 'benefit.discrepancy.escalate', actor_name: 'system' },
    ]);
  });

  it('an overdue case shows as overdue in the list, the to-dos and the totals per district and kind', async () => {
    const d = (await list(dsz)).items[0]!;
    // make it overdue today: the deadline moved to a past day
    await env.p.handle.db
      .updateTable('benefit_discrepancies')
      .set({ deadline: '2020-01-02' })
      .where('id', '=', d.id)
      .execute();
    expect((await dsz.get(`/api/v1/benefit-discrepancies/${d.id}`)).json().overdue).toBe(true);
    expect((await list(dsz, '&overdue=true')).total).toBe(1);
    expect((await list(klmy, '&overdue=true')).total).toBe(0);
    expect((await todos(dsz)).discrepanciesOverdue).toBe(1);
    const totals = (await city.get(`/api/v1/benefit-totals?from=${P1}&to=${P1}`)).json();
    expect(totals.byKind).toContainEqual({
      orgName: '独山子区退役军人事务局',
      period: P1,
      kind: 'missing',
      open: 1,
      overdue: 1,
      closed: 0,
    });
    expect(totals.byKind).toContainEqual({
      orgName: '克拉玛依区退役军人事务局',
      period: P1,
      kind: 'unknown_id',
      open: 1,
      overdue: 0,
      closed: 0,
    });
    // a district's totals are its own
    const own = (await dsz.get(`/api/v1/benefit-totals?from=${P1}&to=${P1}`)).json();
    expect(own.byKind.map((k: { orgName: string }) => k.orgName)).toEqual(['独山子区退役军人事务局']);
  });

  it('closing takes the outcome and a note, is audited, and counts as closed', async () => {
    const d = (await list(dsz)).items[0]!;
    expect(
      (await dsz.post(`/api/v1/benefit-discrepancies/${d.id}/close`, { version: d.version, resolution: 'paid' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await dsz.post(`/api/v1/benefit-discrepancies/${d.id}/close`, {
          version: d.version,
          resolution: 'refunded',
          note: '已处理',
        })
      ).statusCode,
    ).toBe(400);
    const closed = await dsz.post(`/api/v1/benefit-discrepancies/${d.id}/close`, {
      version: d.version,
      resolution: 'paid',
      note: '已于次月补发',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      resolution: 'paid',
      resolutionNote: '已于次月补发',
      overdue: false,
      abilities: { close: false, reassign: false },
    });
    const again = await dsz.post(`/api/v1/benefit-discrepancies/${d.id}/close`, {
      version: closed.json().version,
      resolution: 'explained',
      note: '再次办结',
    });
    expect(again.statusCode).toBe(409);
    expect(
      (
        await dsz.post(`/api/v1/benefit-discrepancies/${d.id}/assign`, {
          version: closed.json().version,
          ownerOrgId: await orgId(env.p, '650200/650202/'),
        })
      ).statusCode,
    ).toBe(409);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes'])
      .where('entity_id', '=', d.id)
      .where('action', '=', 'benefit.discrepancy.close')
      .execute();
    expect(audit).toHaveLength(1);
    expect(String(audit[0]!.changes)).toContain('已于次月补发');
    // a closed case is no longer escalated or counted as to do
    expect((await env.services.benefits.discrepancies.sweep(dayAfter('2030-01-01', 0))).escalated).not.toContain(d.id);
    expect((await todos(dsz)).discrepanciesOverdue).toBeUndefined();
    const totals = (await dsz.get(`/api/v1/benefit-totals?from=${P1}&to=${P1}`)).json();
    expect(totals.byKind).toEqual([
      { orgName: '独山子区退役军人事务局', period: P1, kind: 'missing', open: 0, overdue: 0, closed: 1 },
    ]);
  });
});
