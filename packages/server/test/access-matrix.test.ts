import { type Permission, ROLE_DEFINITIONS, ROLES, type Role } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/platform/auth/password.js';
import type { RouteEntry } from '../src/platform/http/pipeline.js';
import { insertUser } from '../src/seed/demo.js';
import { toJsonSchema, validQuery } from './fuzz.js';
import { Client, orgId, type TestEnv, testEnv, userId } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

/**
 * Generated from the route table: every authenticated route × every role, against records of
 * another district (独山子区) for a caller placed in 克拉玛依区 (or the role's natural home).
 * Routes that modules add later are covered as soon as they register; a route with `:id` must
 * name its target kind, and every kind must have a foreign record below.
 */
let env: TestEnv;
const clients = new Map<Role, Client>();
let foreign: Record<string, string>;

const HOME: Record<Role, string> = {
  sys_admin: '650200/',
  city_admin: '650200/',
  city_staff: '650200/',
  auditor: '650200/',
  leader: '650200/',
  district_admin: '650200/650203/',
  district_staff: '650200/650203/',
  station_worker: '650200/650203/650203001/',
  unit_liaison: '650200/jfq/unit-a/',
  department_handler: '650200/jyj/',
};

beforeAll(async () => {
  env = await testEnv();
  const hash = await hashPassword('Matrix#Pass2025');
  await env.p.handle.db.transaction().execute(async (trx) => {
    for (const role of ROLES)
      await insertUser(trx, {
        username: `m_${role}`,
        displayName: `矩阵${role}`,
        orgPath: HOME[role],
        roles: [role],
        passwordHash: hash,
        mustChange: false,
      });
  });
  let n = 1;
  for (const role of ROLES) {
    const c = new Client(env.app, `10.7.0.${n++}`);
    const res = await c.login(`m_${role}`, 'Matrix#Pass2025');
    expect(res.statusCode, role).toBe(200);
    clients.set(role, c);
  }
  // records of 独山子区, created the way its own staff would
  const dsz = new Client(env.app, '10.7.1.1');
  await dsz.login('dsz');
  const community = await orgId(env.p, '650200/650202/650202001/650202001001/');
  const idNumber = makeId('650202', '1950-01-01', 7);
  const person = await dsz.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '矩阵对象',
    idNumber,
    categories: martyrSurvivor(),
  });
  expect(person.statusCode).toBe(201);
  const transfer = await dsz.post('/api/v1/transfers', {
    idNumber,
    toOrgId: await orgId(env.p, '650200/650202/650202002/'),
    reason: '区内调整',
  });
  expect(transfer.statusCode).toBe(201);
  const householdId = person.json().household.id;
  const citation = await dsz.post('/api/v1/citations', {
    householdId,
    memberName: '矩阵军人',
    awardLevel: 'second_class',
    awardYear: 2026,
    receivedAt: '2026-03-02',
  });
  expect(citation.statusCode).toBe(201);
  const upload = await dsz.request(
    'POST',
    `/api/v1/beneficiaries/imports?orgId=${await orgId(env.p, '650200/650202/')}&fileName=m.csv`,
    Buffer.from('姓名,身份证号,类别\n矩阵二,110105194912310029,烈属\n'),
    { 'content-type': 'application/octet-stream' },
  );
  expect(upload.statusCode).toBe(202);
  await env.jobs.idle();
  const second = await dsz.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '矩阵对象',
    idNumber: makeId('650202', '1950-01-02', 9),
    categories: martyrSurvivor(),
  });
  const merge = await dsz.post(`/api/v1/beneficiaries/${person.json().id}/merge`, { mergedId: second.json().id });
  expect(merge.statusCode).toBe(200);
  // needs of 独山子区 (a family's need recorded by its staff) and a notification of its staff member
  const needBody = { title: '矩阵问题', description: '家属就医需要协调', category: 'medical', orgId: community };
  const need = await dsz.post('/api/v1/needs', needBody);
  expect(need.statusCode).toBe(201);
  const declined = await dsz.post('/api/v1/needs', needBody);
  const city = new Client(env.app, '10.7.1.2');
  await city.login('city');
  const decline = await city.post(`/api/v1/needs/${declined.json().id}/decline`, { version: 1, reason: '重复提交' });
  expect(decline.statusCode).toBe(200);
  const notice = await env.p.handle.db
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', await userId(env.p, 'dsz'))
    .executeTakeFirstOrThrow();
  // 工作部署: a campaign issued to 独山子区 only, its report file, an inspection with a rectification item
  const dszOrg = await orgId(env.p, '650200/650202/');
  const issued = await city.post('/api/v1/campaigns', {
    title: '矩阵工作部署',
    issuers: ['克拉玛依市退役军人事务局'],
    items: [
      {
        ordinal: 1,
        title: '矩阵事项',
        tasks: [{ title: '矩阵任务', deadline: '2030-01-20', assignTo: { orgIds: [dszOrg] } }],
      },
    ],
  });
  expect(issued.statusCode).toBe(201);
  await city.post(`/api/v1/campaigns/${issued.json().id}/actions`, { version: 1, action: 'issue' });
  // 走访慰问: a confirmed plan of 独山子区, a visit to one of its targets, a photo of it
  const visitPlan = await dsz.post('/api/v1/visit-plans', {
    campaignId: issued.json().id,
    title: '矩阵走访',
    rules: [{ categories: ['martyr_survivor'] }],
  });
  expect(visitPlan.statusCode).toBe(201);
  await dsz.post(`/api/v1/visit-plans/${visitPlan.json().id}/confirm`, { version: 1 });
  const visitTarget = (await dsz.get(`/api/v1/visit-plans/${visitPlan.json().id}/targets`)).json().items[0];
  const visit = await dsz.post('/api/v1/visits', {
    clientKey: '0190a0a0-0000-7000-8000-000000000001',
    targetId: visitTarget.id,
    visitedAt: new Date(Date.now() - 60_000).toISOString(),
    visitors: { staff: ['矩阵干部'] },
    cashFen: 10_000,
  });
  expect(visit.statusCode).toBe(201);
  const visitPhoto = await dsz.request(
    'POST',
    `/api/v1/visits/${visit.json().id}/photos`,
    Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 1, 2, 0xff, 0xd9]),
    { 'content-type': 'image/jpeg' },
  );
  expect(visitPhoto.statusCode).toBe(201);
  const budgetLine = await city.post('/api/v1/visit-budget-lines', {
    campaignId: issued.json().id,
    orgId: dszOrg,
    name: '矩阵经费',
    budgetFen: 100_000,
  });
  expect(budgetLine.statusCode).toBe(201);
  const campaignTask = issued.json().items[0].tasks[0];
  const assignmentId = campaignTask.assignments[0].id;
  const campaignFile = await dsz.request(
    'POST',
    `/api/v1/assignments/${assignmentId}/files?fileName=m.pdf`,
    Buffer.from('%PDF-1.4 matrix'),
    { 'content-type': 'application/octet-stream' },
  );
  expect(campaignFile.statusCode).toBe(201);
  const inspection = await city.post(`/api/v1/campaigns/${issued.json().id}/inspections`, {
    orgId: dszOrg,
    inspectedOn: '2030-01-10',
    inspectors: '矩阵督导组',
    findings: '矩阵问题',
    rectifications: [{ description: '矩阵整改' }],
  });
  expect(inspection.statusCode).toBe(201);
  // 每日简报: one made by 独山子区 of its own part of the campaign
  const brief = await dsz.post('/api/v1/cockpit/briefs', { campaignId: issued.json().id });
  expect(brief.statusCode, brief.body).toBe(201);
  const campaignFixtures = {
    campaign: issued.json().id,
    task: campaignTask.id,
    assignment: assignmentId,
    campaignFile: campaignFile.json().id,
    inspection: inspection.json().id,
    rectification: inspection.json().rectifications[0].id,
  };
  // 营造双拥氛围: a draft of 独山子区 (drafts never leave its scope); the rule list is city-wide
  const publicityItem = await dsz.post('/api/v1/publicity-items', {
    kind: 'article',
    title: '矩阵稿件',
    body: [{ type: 'paragraph', text: '社区为军属送春联。' }],
  });
  expect(publicityItem.statusCode).toBe(201);
  // 双拥先进典型: a draft nomination of 独山子区 (no unit named: the 军分区 does not see it either)
  const exemplar = await dsz.post('/api/v1/exemplars', {
    type: 'support_model',
    subject: 'person',
    name: '矩阵典型',
    year: 2026,
    summary: '常年照顾军属老人',
    deeds: [{ type: 'paragraph', text: '为社区军属送医送药。' }],
  });
  expect(exemplar.statusCode, exemplar.body).toBe(201);
  // 双拥活动: a civilian event of 独山子区 (no unit involved: the 军分区 does not see it either)
  const event = await dsz.post('/api/v1/events', {
    type: 'symposium',
    title: '矩阵座谈会',
    date: '2026-03-10',
    startTime: '09:00',
    place: '独山子区会议室',
  });
  expect(event.statusCode, event.body).toBe(201);
  // 创建双拥模范城: minutes 独山子区 filed as evidence (the table itself is city-wide)
  const readiness = (await dsz.get('/api/v1/modelcity/readiness')).json();
  const meetingElement = readiness.standards[0].items[1].elements[0].id;
  const evidenceQuery = new URLSearchParams({
    elementId: meetingElement,
    docType: 'minutes',
    date: '2026-03-10',
    title: '矩阵会议纪要',
    fileName: '矩阵会议纪要.pdf',
  });
  const modelEvidence = await dsz.request(
    'POST',
    `/api/v1/modelcity/evidence/upload?${evidenceQuery}`,
    Buffer.from('%PDF-1.4\n%%EOF\n'),
    { 'content-type': 'application/pdf' },
  );
  expect(modelEvidence.statusCode, modelEvidence.body).toBe(201);
  const checkRule = await env.p.handle.db
    .selectFrom('atmosphere_check_rules')
    .select('id')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  // 政策待遇落实: a reconciled roster of 独山子区 and a discrepancy of it (an ID the register does not know)
  const standard = await city.post('/api/v1/benefit-standards', {
    benefitType: 'survivor_pension',
    category: 'martyr_survivor',
    layer: 'national',
    amountFen: 250_000,
    validFrom: '2025-01',
    docNo: '矩阵〔2025〕1号',
  });
  expect(standard.statusCode, standard.body).toBe(201);
  const roster = await dsz.post('/api/v1/benefit-rosters', { period: '2026-01' });
  expect(roster.statusCode, roster.body).toBe(201);
  expect((await dsz.post(`/api/v1/benefit-rosters/${roster.json().id}/request`, { version: 1 })).statusCode).toBe(200);
  const released = await city.post(`/api/v1/benefit-rosters/${roster.json().id}/decision`, {
    version: 2,
    decision: 'approve',
  });
  expect(released.statusCode, released.body).toBe(200);
  const returned = await dsz.request(
    'POST',
    `/api/v1/benefit-rosters/${roster.json().id}/return?fileName=r.csv`,
    Buffer.from(`身份证号,姓名,金额\n${makeId('650204', '1961-01-01', 3)},查无此人,100.00\n`),
    { 'content-type': 'application/octet-stream' },
  );
  // reconciliation is a job: wait for it before reading its discrepancies
  expect(returned.statusCode, returned.body).toBe(202);
  await env.jobs.idle();
  expect((await dsz.get(`/api/v1/jobs/${returned.json().id}`)).json().status).toBe('succeeded');
  const discrepancy = (await dsz.get(`/api/v1/benefit-discrepancies?rosterId=${roster.json().id}`)).json().items[0];
  // 拥政爱民: an activity of 驻市部队乙 (not the matrix's unit) at a community of 独山子区
  const jfq = new Client(env.app, '10.7.1.3');
  await jfq.login('jfq');
  const troopActivity = await jfq.post('/api/v1/troop-activities', {
    orgId: await orgId(env.p, '650200/jfq/unit-b/'),
    type: 'free_clinic',
    occurredOn: '2026-11-20',
    durationMinutes: 120,
    placeKind: 'community',
    placeOrgId: community,
    participants: 5,
  });
  expect(troopActivity.statusCode, troopActivity.body).toBe(201);
  const troopPartnership = await jfq.post('/api/v1/troop-partnerships', {
    orgId: await orgId(env.p, '650200/jfq/unit-b/'),
    partnerKind: 'community',
    partnerName: '独山子区共建社区',
    placeOrgId: community,
    startsOn: '2026-01-01',
    plans: [{ year: 2026, type: 'free_clinic', planned: 2 }],
  });
  expect(troopPartnership.statusCode, troopPartnership.body).toBe(201);
  // 抢险救灾: a request of 独山子区, dispatched to 驻市部队乙
  const troopEmergency = await dsz.post('/api/v1/troop-emergencies', {
    title: '独山子区险情',
    situation: '山洪',
    location: '独山子区',
    needs: '转移群众',
    peopleNeeded: 20,
    fromAt: '2026-11-21T08:00:00+08:00',
  });
  expect(troopEmergency.statusCode, troopEmergency.body).toBe(201);
  const dispatched = await jfq.post(`/api/v1/troop-emergencies/${troopEmergency.json().id}/decision`, {
    version: 1,
    decision: 'dispatch',
    units: [{ orgId: await orgId(env.p, '650200/jfq/unit-b/'), people: 20 }],
  });
  expect(dispatched.statusCode, dispatched.body).toBe(200);
  foreign = {
    ...campaignFixtures,
    benefitRoster: roster.json().id,
    benefitDiscrepancy: discrepancy.id,
    benefitHousehold: householdId,
    publicityItem: publicityItem.json().id,
    event: event.json().id,
    exemplar: exemplar.json().id,
    modelEvidence: modelEvidence.json().id,
    modelItem: readiness.standards[0].items[1].id,
    troopActivity: troopActivity.json().id,
    troopEmergency: troopEmergency.json().id,
    troopPartnership: troopPartnership.json().id,
    cockpitBrief: brief.json().id,
    checkRule: checkRule.id,
    visitPlan: visitPlan.json().id,
    visitTarget: visitTarget.id,
    visit: visit.json().id,
    visitPhoto: visitPhoto.json().id,
    visitBudgetLine: budgetLine.json().id,
    need: need.json().id,
    notification: notice.id,
    merge: merge.json().id,
    job: upload.json().id,
    household: householdId,
    citation: citation.json().id,
    org: await orgId(env.p, '650200/650202/650202001/'),
    user: await userId(env.p, 'dsz'),
    beneficiary: person.json().id,
    transfer: transfer.json().id,
  };
});
afterAll(async () => env?.close());

/**
 * Kinds that belong to no district, in scope for every role that holds the route's permission: the
 * one rule list of the confidentiality checks, the items of the city's model-city assessment table.
 */
const CITY_WIDE = new Set(['checkRule', 'modelItem']);
/**
 * Lists that are city-wide by design: the civilian areas (names of the org tree, no records) where a
 * unit may act for the people — a unit records activities anywhere in the city (decisions/0038).
 */
const CITY_WIDE_ROUTES = new Set(['/api/v1/troop-places']);
const ID_ROUTE = (r: RouteEntry) => r.url.includes(':id');
/** Records of one person (the foreign one is dsz's): anyone else gets 404, whatever their scope. */
const PERSONAL_TARGETS = new Set(['notification']);
/** Targets that need a permission of their own: a job needs the permission of its kind (the fixture is an import). */
const TARGET_PERMISSION: Record<string, Permission> = { job: 'beneficiary:import' };
const authed = (r: RouteEntry) => !r.access.public;

/** The sweeps call every route as every role: their time grows with the routes, not a limit on any one. */
const SWEEP_TIMEOUT = 300_000;

describe('access matrix (generated from the route table)', () => {
  it('has routes to check, and every :id route names a target with a foreign record', () => {
    const routes = env.routes.filter(authed);
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes.filter(ID_ROUTE)) {
      const target = r.access.public ? undefined : r.access.target;
      expect(target, `${r.method} ${r.url} declares no target`).toBeTruthy();
      expect(foreign[target!], `no foreign fixture for target '${target}' (${r.method} ${r.url})`).toBeTruthy();
    }
  });

  it('answers 403 without the permission and 404 for a record outside the scope, for every :id route and role', {
    timeout: SWEEP_TIMEOUT,
  }, async () => {
    const failures: string[] = [];
    for (const r of env.routes.filter(authed).filter(ID_ROUTE)) {
      const access = r.access.public ? null : r.access;
      const url = r.url.replace(':id', foreign[access!.target!]!);
      for (const role of ROLES) {
        const def = ROLE_DEFINITIONS[role];
        const res = await clients.get(role)!.request(r.method as 'GET', url, r.method === 'GET' ? undefined : {});
        const hasPermission = !access!.permission || def.permissions.includes(access!.permission);
        const targetPermission = TARGET_PERMISSION[access!.target!];
        const inScope =
          (def.scope === 'all' || CITY_WIDE.has(access!.target!)) &&
          !PERSONAL_TARGETS.has(access!.target!) &&
          (!targetPermission || def.permissions.includes(targetPermission));
        const expected = !hasPermission ? [403] : !inScope ? [404] : null;
        const ok = expected
          ? expected.includes(res.statusCode)
          : res.statusCode < 500 && ![401, 403, 404].includes(res.statusCode);
        if (!ok) failures.push(`${role} ${r.method} ${r.url} → ${res.statusCode} (expected ${expected ?? 'allowed'})`);
        if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never lists another district’s records to a role scoped below the city, each route called with valid parameters', {
    timeout: SWEEP_TIMEOUT,
  }, async () => {
    const failures: string[] = [];
    let answered = 0;
    for (const r of env.routes.filter(authed).filter((x) => x.method === 'GET' && !ID_ROUTE(x))) {
      // required parameters from the route's schema (a campaignId is the other district's campaign)
      const query = new URLSearchParams(validQuery(toJsonSchema(r.schema?.querystring), foreign)).toString();
      const url = query ? `${r.url}?${query}` : r.url;
      for (const role of ROLES) {
        if (ROLE_DEFINITIONS[role].scope === 'all') continue;
        const res = await clients.get(role)!.get(url);
        // a 400 means the route was never really asked: the test would pass without checking anything
        if (res.statusCode === 400 || res.statusCode >= 500)
          failures.push(`${role} GET ${url} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        if (res.statusCode === 200) answered++;
        // an id the caller sent may be echoed (coverage names its campaign); any other is a leak
        for (const [kind, id] of Object.entries(foreign))
          if (!CITY_WIDE.has(kind) && !CITY_WIDE_ROUTES.has(r.url) && !query.includes(id) && res.body.includes(id))
            failures.push(`${role} GET ${url} leaks ${kind} ${id}`);
      }
    }
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(50);
  });

  it('audits permission denials', async () => {
    const before = await env.p.handle.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'access.denied')
      .execute();
    expect((await clients.get('leader')!.get('/api/v1/audit')).statusCode).toBe(403);
    const after = await env.p.handle.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'access.denied')
      .execute();
    expect(after.length).toBe(before.length + 1);
  });
});
