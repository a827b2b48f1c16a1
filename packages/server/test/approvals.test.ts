import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_KINDS, APPROVAL_POLICY, type ApprovalKind } from '../src/platform/access/approval-policy.js';
import { hashPassword } from '../src/platform/auth/password.js';
import type { RouteEntry } from '../src/platform/http/pipeline.js';
import { insertUser } from '../src/seed/demo.js';
import { Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

/**
 * Generated from the route table (issue 13, item 1; decisions/0012): every route that declares
 * `approves` is called, for a fresh request made by 克拉玛依区, by every actor of 克拉玛依区 and of
 * the orgs below it — the author, a district administrator, a station worker. None may approve;
 * then the side the policy names does, which proves the request was approvable at all.
 */
let env: TestEnv;
let klmy: Client;
let dsz: Client;
let city: Client;
let requesterSide: [string, Client][];
let seq = 0;
const COMMUNITY = '650200/650203/650203001/650203001001/';
const DSZ_COMMUNITY = '650200/650202/650202001/650202001001/';

interface Pending {
  /** The id in the route's `:id`, and the body that would approve it. */
  id: string;
  body: (route: RouteEntry) => unknown;
  /** Still undecided? */
  pending: () => Promise<boolean>;
  /** The deciding side approves (the request was approvable). */
  decide: (route: RouteEntry) => Promise<number>;
}

const person = async (c: Client, org: string, name: string) => {
  seq += 2;
  const idNumber = makeId(org.split('/')[1]!, '1950-01-01', 100 + seq);
  const res = await c.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, org),
    name,
    idNumber,
    categories: martyrSurvivor(),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, idNumber };
};

const transferPending = (id: string) => async () =>
  (await dsz.get('/api/v1/transfers?status=pending')).json().items.some((t: { id: string }) => t.id === id);

/** A fresh request of each kind, made by 克拉玛依区 (klmy). */
const SCENARIOS: Record<Exclude<ApprovalKind, 'merge'>, () => Promise<Pending>> = {
  // klmy registers someone 独山子区 holds: the request to take the person over
  transfer: async () => {
    const held = await person(dsz, DSZ_COMMUNITY, '迁移对象');
    const res = await klmy.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, COMMUNITY),
      name: '迁移对象',
      idNumber: held.idNumber,
      categories: martyrSurvivor(),
    });
    expect(res.statusCode).toBe(409);
    const id = res.json().allowed[0] as string;
    return {
      id,
      body: () => ({}),
      pending: transferPending(id),
      decide: async () => (await dsz.post(`/api/v1/transfers/${id}/accept`, {})).statusCode,
    };
  },
  'visit.over_cap': async () => {
    const visit = await visitOverCap();
    return {
      id: visit,
      body: () => ({ version: 1, decision: 'approve' }),
      pending: async () => (await city.get(`/api/v1/visits/${visit}`)).json().approvalStatus === 'pending',
      decide: async () =>
        (await city.post(`/api/v1/visits/${visit}/approval`, { version: 1, decision: 'approve' })).statusCode,
    };
  },
  'campaign.report': async () => {
    const assignment = await submittedReport();
    return {
      id: assignment,
      body: () => ({ version: 2, decision: 'accept' }),
      pending: async () => (await city.get(`/api/v1/assignments/${assignment}`)).json().status === 'submitted',
      decide: async () =>
        (await city.post(`/api/v1/assignments/${assignment}/review`, { version: 2, decision: 'accept' })).statusCode,
    };
  },
  'benefit.roster': async () => {
    if (!standardMade) {
      const res = await city.post('/api/v1/benefit-standards', {
        benefitType: 'survivor_pension',
        category: 'martyr_survivor',
        layer: 'national',
        amountFen: 250_000,
        validFrom: '2020-01',
        docNo: '审批〔2025〕1号',
      });
      expect(res.statusCode, res.body).toBe(201);
      standardMade = true;
    }
    const period = `2024-${String(++rosterMonth).padStart(2, '0')}`;
    const created = await klmy.post('/api/v1/benefit-rosters', { period });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await klmy.post(`/api/v1/benefit-rosters/${id}/request`, { version: 1 })).statusCode).toBe(200);
    return {
      id,
      body: () => ({ version: 2, decision: 'approve' }),
      pending: async () => (await city.get(`/api/v1/benefit-rosters/${id}`)).json().status === 'pending',
      decide: async () =>
        (await city.post(`/api/v1/benefit-rosters/${id}/decision`, { version: 2, decision: 'approve' })).statusCode,
    };
  },
  'need.handover': async () => {
    const need = await klmy.post('/api/v1/needs', {
      title: '审批测试',
      description: '家属就医需要协调',
      category: 'medical',
      orgId: await orgId(env.p, COMMUNITY),
    });
    expect(need.statusCode, need.body).toBe(201);
    const id = need.json().id as string;
    return {
      id,
      body: (r) =>
        r.url.endsWith('accept-assign')
          ? { version: 1, leadOrgId: await0(), deadlineDays: 5 }
          : r.url.endsWith('assign')
            ? { version: 1, leadOrgId: await0() }
            : { version: 1 },
      pending: async () => (await city.get(`/api/v1/needs/${id}`)).json().status === 'submitted',
      decide: async () => (await city.post(`/api/v1/needs/${id}/accept`, { version: 1 })).statusCode,
    };
  },
  // 抢险救灾: klmy asks for troops; the 军分区 dispatches
  'troop.emergency': async () => {
    const res = await klmy.post('/api/v1/troop-emergencies', {
      title: '审批测试险情',
      situation: '山洪',
      location: '克拉玛依区',
      needs: '转移群众',
      peopleNeeded: 20,
      fromAt: '2026-11-21T08:00:00+08:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const body = { version: 1, decision: 'dispatch', units: [{ orgId: unitA, people: 20 }] };
    return {
      id,
      body: () => body,
      pending: async () => (await jfq.get(`/api/v1/troop-emergencies/${id}`)).json().status === 'requested',
      decide: async () => (await jfq.post(`/api/v1/troop-emergencies/${id}/decision`, body)).statusCode,
    };
  },
};
let jfq: Client;
let unitA = '';

let standardMade = false;
let rosterMonth = 0;
let jyjOrg = '';
const await0 = () => jyjOrg;
let campaignId = '';

async function visitOverCap(): Promise<string> {
  const plan = await klmy.post('/api/v1/visit-plans', {
    campaignId,
    title: `审批测试走访${seq++}`,
    rules: [{ categories: ['martyr_survivor'] }],
  });
  expect(plan.statusCode, plan.body).toBe(201);
  const confirmed = await klmy.post(`/api/v1/visit-plans/${plan.json().id}/confirm`, { version: 1 });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const targets = (await klmy.get(`/api/v1/visit-plans/${plan.json().id}/targets`)).json().items;
  const visit = await klmy.post('/api/v1/visits', {
    clientKey: crypto.randomUUID(),
    targetId: targets[0].id,
    visitedAt: new Date(Date.now() - 60_000).toISOString(),
    visitors: { staff: ['审批测试'] },
    cashFen: 200_000,
  });
  expect(visit.statusCode, visit.body).toBe(201);
  expect(visit.json().approvalStatus).toBe('pending');
  return visit.json().id;
}

async function submittedReport(): Promise<string> {
  const issued = await city.post('/api/v1/campaigns', {
    title: `审批测试部署${seq++}`,
    issuers: ['克拉玛依市退役军人事务局'],
    items: [
      {
        ordinal: 1,
        title: '审批事项',
        tasks: [
          { title: '审批任务', deadline: '2030-01-20', assignTo: { orgIds: [await orgId(env.p, '650200/650203/')] } },
        ],
      },
    ],
  });
  expect(issued.statusCode, issued.body).toBe(201);
  await city.post(`/api/v1/campaigns/${issued.json().id}/actions`, { version: 1, action: 'issue' });
  const assignment = issued.json().items[0].tasks[0].assignments[0].id as string;
  const submit = await klmy.post(`/api/v1/assignments/${assignment}/submit`, { version: 1, narrative: '已完成' });
  expect(submit.statusCode, submit.body).toBe(200);
  return assignment;
}

beforeAll(async () => {
  env = await testEnv();
  const hash = await hashPassword('Approve#Pass2025');
  await env.p.handle.db.transaction().execute(async (trx) => {
    for (const [username, orgPath, role] of [
      ['a_district_admin', '650200/650203/', 'district_admin'],
      ['a_station_worker', '650200/650203/650203001/', 'station_worker'],
    ] as const)
      await insertUser(trx, {
        username,
        displayName: username,
        orgPath,
        roles: [role],
        passwordHash: hash,
        mustChange: false,
      });
  });
  klmy = await signedIn(env.app, 'klmy', '10.12.0.1');
  dsz = await signedIn(env.app, 'dsz', '10.12.0.2');
  city = await signedIn(env.app, 'city', '10.12.0.3');
  jfq = await signedIn(env.app, 'jfq', '10.12.0.6');
  unitA = await orgId(env.p, '650200/jfq/unit-a/');
  const admin = new Client(env.app, '10.12.0.4');
  expect((await admin.login('a_district_admin', 'Approve#Pass2025')).statusCode).toBe(200);
  const station = new Client(env.app, '10.12.0.5');
  expect((await station.login('a_station_worker', 'Approve#Pass2025')).statusCode).toBe(200);
  requesterSide = [
    ['klmy (author)', klmy],
    ['district_admin of 克拉玛依区', admin],
    ['station_worker below it', station],
  ];
  jyjOrg = await orgId(env.p, '650200/jyj/');
  await person(klmy, COMMUNITY, '走访对象甲');
  await person(klmy, COMMUNITY, '走访对象乙');
  const campaign = await city.post('/api/v1/campaigns', {
    title: '审批测试走访部署',
    issuers: ['克拉玛依市退役军人事务局'],
    items: [
      {
        ordinal: 1,
        title: '走访',
        tasks: [
          { title: '走访', deadline: '2030-01-20', assignTo: { orgIds: [await orgId(env.p, '650200/650203/')] } },
        ],
      },
    ],
  });
  campaignId = campaign.json().id;
  await city.post(`/api/v1/campaigns/${campaignId}/actions`, { version: 1, action: 'issue' });
  const caps = await city.request('PUT', '/api/v1/visit-caps', { campaignId, cashPerVisitMaxFen: 100_000 });
  expect(caps.statusCode, caps.body).toBe(200);
});
afterAll(async () => env?.close());

const approving = () => env.routes.filter((r) => !r.access.public && r.access.approves);

describe('approval policy (generated from the route table)', () => {
  it('every request/approve pair has a deciding rule, and the deciding routes declare theirs', () => {
    const declared = new Set(approving().map((r) => (r.access.public ? '' : r.access.approves)));
    for (const kind of ['transfer', 'visit.over_cap', 'campaign.report', 'need.handover', 'troop.emergency'] as const)
      expect(declared.has(kind), kind).toBe(true);
    for (const kind of APPROVAL_KINDS) expect(APPROVAL_POLICY[kind].deciders.length, kind).toBeGreaterThan(0);
  });

  it('no actor of the requesting organisation approves its request; the side the policy names does', async () => {
    const failures: string[] = [];
    let proved = 0;
    for (const r of approving()) {
      const kind = (r.access.public ? undefined : r.access.approves)!;
      if (APPROVAL_POLICY[kind].requesterMayDecide === 'own-act') continue; // no request: the holder's own act
      const make = SCENARIOS[kind as keyof typeof SCENARIOS];
      if (!make) {
        failures.push(`${r.method} ${r.url}: no scenario for '${kind}'`);
        continue;
      }
      const req = await make();
      for (const [who, c] of requesterSide) {
        const res = await c.request(r.method as 'POST', r.url.replace(':id', req.id), req.body(r));
        if (res.statusCode < 400) failures.push(`${who} ${r.method} ${r.url} → ${res.statusCode}`);
        if (!(await req.pending())) failures.push(`${who} decided ${kind} through ${r.url}`);
      }
      const decided = await req.decide(r);
      if (decided !== 200) failures.push(`the deciding side could not decide ${kind}: ${decided}`);
      else proved++;
    }
    expect(failures).toEqual([]);
    expect(proved).toBeGreaterThanOrEqual(5);
  });
});

describe('transfers (issue 13, item 1)', () => {
  it('the side that asked sees no accept, the holder accepts; the 409 names no district', async () => {
    const held = await person(dsz, DSZ_COMMUNITY, '接管对象');
    const res = await klmy.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, COMMUNITY),
      name: '接管对象',
      idNumber: held.idNumber,
      categories: martyrSurvivor(),
    });
    expect(res.json().code).toBe('registered_elsewhere');
    expect(res.body).not.toContain('独山子');
    const id = res.json().allowed[0];
    const seen = (c: Client) =>
      c.get('/api/v1/transfers?status=pending').then((x) => x.json().items.find((t: { id: string }) => t.id === id));
    expect((await seen(klmy)).abilities).toEqual({ accept: false, reject: true });
    expect((await seen(dsz)).abilities).toEqual({ accept: true, reject: true });
    expect((await seen(city)).abilities).toEqual({ accept: true, reject: true });
    expect((await klmy.post(`/api/v1/transfers/${id}/accept`, {})).statusCode).toBe(403);
    // the person stays 独山子区's, unrevealable to klmy
    expect((await klmy.post(`/api/v1/beneficiaries/${held.id}/reveal`, { reason: '接管' })).statusCode).toBe(404);
    // the holder sends a person: now the receiving side decides, the sender only withdraws
    const own = await person(klmy, COMMUNITY, '外迁对象');
    const push = await klmy.post('/api/v1/transfers', {
      idNumber: own.idNumber,
      toOrgId: await orgId(env.p, DSZ_COMMUNITY),
      reason: '随子女迁居',
    });
    expect(push.statusCode).toBe(201);
    expect(push.json().abilities).toEqual({ accept: false, reject: true });
    expect((await klmy.post(`/api/v1/transfers/${push.json().id}/accept`, {})).statusCode).toBe(403);
    expect((await dsz.post(`/api/v1/transfers/${push.json().id}/accept`, {})).json().status).toBe('accepted');
    // the holder accepts the request to take its person over
    expect((await dsz.post(`/api/v1/transfers/${id}/accept`, { note: '已核实' })).json().status).toBe('accepted');
  });
});
