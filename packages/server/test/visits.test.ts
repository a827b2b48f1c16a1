import { inflateSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rebuildCoverage } from '../src/modules/visits/coverage.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { CAMPAIGN, jpegWithGps, unzip, visitBody, visitsRegistry, YEAR } from './visits-fixtures.js';

/**
 * Hand-counted fixture (克拉玛依区 = klmy, 独山子区 = dsz):
 *   HA 王秀英 烈士遗属, lives alone (天山路/友谊)      — rule r1
 *   HB 张建国 在乡老复员军人 88 岁 + 刘烈属 烈士遗属 (天山路/油建) — rules r1 and r2, one target
 *   HC 李老兵 在乡老复员军人 66 岁 (胜利路)           — matched by nothing
 *   HD 赵军属, 立功喜报 this year (胜利路)            — rule r3
 *   HF 独山子烈属 (dsz)                               — outside klmy; on the city's list
 * klmy's plan: HA, HB, HD + the unit 驻市部队甲 by hand = 4 targets.
 */
let env: TestEnv;
let klmy: Client;
let dsz: Client;
let city: Client;
let unit1: Client;

let plan: { id: string; version: number };
let cityPlan: { id: string; version: number };
const targets = new Map<string, { id: string; name: string; reasons: { ruleId: string; detail: string }[] }>();
const visits: Record<string, { id: string; version: number }> = {};

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.8.0.1');
  dsz = await signedIn(env.app, 'dsz', '10.8.0.2');
  city = await signedIn(env.app, 'city', '10.8.0.3');
  unit1 = await signedIn(env.app, 'unit1', '10.8.0.4');
  await visitsRegistry(env, klmy, dsz);
});
afterAll(async () => env?.close());

describe('plans from rules', () => {
  it('builds one target per household and explains which rules put it there', async () => {
    // on a SQLite file the build runs in the writer worker, not on the event loop (decisions/0080)
    const { sqlite, writer } = env.p.handle;
    const onMain = sqlite ? vi.spyOn(sqlite, 'prepare') : null;
    const inWriter = writer ? vi.spyOn(writer.connection, 'executeQuery') : null;
    const res = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '2027年春节走访慰问',
      rules: [
        { id: 'r1', categories: ['martyr_survivor'] },
        { id: 'r2', categories: ['demobilized_veteran'], minAge: 80 },
        { id: 'r3', kind: 'merit_citation', meritCitationYear: YEAR },
      ],
    });
    expect(res.statusCode).toBe(201);
    if (env.p.handle.dialect === 'sqlite') {
      const hits = (calls: unknown[][]) =>
        calls.filter(([q]) => JSON.stringify(q).includes('visit_target_hits')).length;
      expect(hits(inWriter!.mock.calls)).toBeGreaterThan(0);
      expect(hits(onMain!.mock.calls)).toBe(0);
    }
    onMain?.mockRestore();
    inWriter?.mockRestore();
    plan = res.json();
    expect(res.json().rules.map((r: { label: string; matched: number }) => [r.label, r.matched])).toEqual([
      ['烈士遗属', 2],
      ['在乡老复员军人 · 80 岁以上', 1],
      [`${YEAR} 年有立功喜报的家庭`, 1],
    ]);
    const unit = await klmy.post(`/api/v1/visit-plans/${plan.id}/targets`, {
      kind: 'unit',
      unitOrgId: await orgId(env.p, '650200/jfq/unit-a/'),
    });
    expect(unit.statusCode).toBe(201);
    const list = (await klmy.get(`/api/v1/visit-plans/${plan.id}/targets?pageSize=50`)).json();
    expect(list.total).toBe(4);
    for (const t of list.items) targets.set(t.name, t);
    expect([...targets.keys()].sort()).toEqual(['张建国', '王秀英', '赵军属', '驻市部队甲'].sort());
    const hb = targets.get('张建国')!;
    expect(hb.reasons.map((r) => r.ruleId)).toEqual(['r1', 'r2']);
    expect(hb.reasons[0]!.detail).toContain('刘烈属');
    expect(hb.reasons[1]!.detail).toMatch(/张建国（8\d 岁，在乡老复员军人）/);
    expect(targets.get('赵军属')!.reasons[0]!.detail).toBe('赵立功 获二等功');
    expect(targets.get('驻市部队甲')!.reasons[0]!.ruleId).toBe('manual');
    expect(list.items.find((t: { name: string }) => t.name === '王秀英').livesAlone).toBe(true);
    expect(hb).toMatchObject({ livesAlone: false });
  });

  it('refuses a rule whose org lies outside the plan', async () => {
    const res = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '越界',
      rules: [{ categories: ['martyr_survivor'], orgId: await orgId(env.p, '650200/650202/') }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('管辖范围');
  });

  it('shows the overlap between two departments’ lists and keeps one owner per household', async () => {
    const res = await city.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '市局春节走访',
      rules: [{ id: 'c1', categories: ['martyr_survivor'] }],
    });
    cityPlan = res.json();
    expect(cityPlan).toMatchObject({ targetCount: 3 });
    const before = (await klmy.get(`/api/v1/visit-plans/${plan.id}/conflicts`)).json();
    expect(before.items.map((c: { name: string; otherOrgName: string }) => [c.name, c.otherOrgName]).sort()).toEqual([
      ['张建国', '克拉玛依市退役军人事务局'],
      ['王秀英', '克拉玛依市退役军人事务局'],
    ]);
    const ok = await klmy.post(`/api/v1/visit-plans/${plan.id}/confirm`, { version: plan.version });
    expect(ok.statusCode).toBe(200);
    plan = ok.json();
    const refused = await city.post(`/api/v1/visit-plans/${cityPlan.id}/confirm`, { version: cityPlan.version });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('2 个对象');
    const dropped = await city.post(`/api/v1/visit-plans/${cityPlan.id}/confirm`, {
      version: cityPlan.version,
      dropConflicts: true,
    });
    expect(dropped.statusCode).toBe(200);
    const cityTargets = (await city.get(`/api/v1/visit-plans/${cityPlan.id}/targets`)).json().items;
    expect(
      cityTargets.filter((t: { status: string }) => t.status === 'planned').map((t: { name: string }) => t.name),
    ).toEqual(['独山子烈属']);
  });

  it('assigns a street to a team and groups 独山子区 as a trip of its own', async () => {
    const team = await klmy.post(`/api/v1/visit-plans/${plan.id}/teams`, {
      name: '第一组',
      staff: ['张科长'],
      leaders: ['王局长'],
      plannedDate: `${YEAR}-12-20`,
    });
    expect(team.statusCode).toBe(201);
    const street = await orgId(env.p, '650200/650203/650203001/');
    const res = await klmy.post(`/api/v1/visit-plans/${plan.id}/assign`, {
      teamId: team.json().id,
      streetOrgId: street,
    });
    expect(res.json()).toEqual({ assigned: 2 });
    const groups = (await klmy.get(`/api/v1/visit-plans/${plan.id}/groups`)).json().items;
    expect(
      groups.map((g: { streetName: string; targets: number; unassigned: number }) => [
        g.streetName,
        g.targets,
        g.unassigned,
      ]),
    ).toEqual([
      ['单位及其他', 1, 1],
      ['天山路街道退役军人服务站', 2, 0],
      ['胜利路街道退役军人服务站', 1, 1],
    ]);
    const cityGroups = (await city.get(`/api/v1/visit-plans/${cityPlan.id}/groups`)).json().items;
    expect(cityGroups.at(-1)).toMatchObject({
      separateTrip: true,
      districtName: '独山子区退役军人事务局（单独安排行程）',
    });
  });

  it('refuses a campaign that does not exist, for plans, caps and budget lines, storing nothing', async () => {
    const before = (await klmy.get('/api/v1/visit-plans')).json().total;
    const plan = await klmy.post('/api/v1/visit-plans', {
      campaignId: 'no-such-campaign',
      title: '无部署的计划',
      rules: [{ categories: ['martyr_survivor'] }],
    });
    expect(plan.statusCode).toBe(400);
    expect(plan.json().detail).toBe('所选工作部署不存在，请先在“工作部署”中创建或选择已有的部署');
    expect((await klmy.get('/api/v1/visit-plans')).json().total).toBe(before);
    const caps = await city.request('PUT', '/api/v1/visit-caps', {
      campaignId: 'no-such-campaign',
      cashPerVisitMaxFen: 100,
    });
    expect(caps.statusCode).toBe(400);
    const line = await city.post('/api/v1/visit-budget-lines', {
      campaignId: 'no-such-campaign',
      name: '区财政',
      budgetFen: 100,
    });
    expect(line.statusCode).toBe(400);
    expect(line.json().detail).toBe('所选工作部署不存在，请先在“工作部署”中创建或选择已有的部署');
    expect((await city.get('/api/v1/visit-budget-lines?campaignId=no-such-campaign')).json().items).toEqual([]);
  });
});

describe('visit records', () => {
  it('warns while typing and asks for approval above the hard cap', async () => {
    const caps = await city.request('PUT', '/api/v1/visit-caps', {
      campaignId: CAMPAIGN,
      cashPerVisitWarnFen: 50_000,
      cashPerVisitMaxFen: 100_000,
      goodsPerVisitMaxFen: 50_000,
      cashPerTargetMaxFen: 150_000,
    });
    expect(caps.statusCode).toBe(200);
    expect((await klmy.request('PUT', '/api/v1/visit-caps', { campaignId: CAMPAIGN })).statusCode).toBe(403);
    const check = (cashFen: number) =>
      klmy.post('/api/v1/visits/check', { targetId: targets.get('王秀英')!.id, cashFen, goodsFen: 0 });
    expect((await check(40_000)).json()).toMatchObject({ warnings: [], needsApproval: false });
    const warn = (await check(60_000)).json();
    expect(warn.needsApproval).toBe(false);
    expect(warn.warnings[0].message).toBe('本次慰问金 600 元，超过提醒标准 500 元');
    expect((await check(120_000)).json().needsApproval).toBe(true);
  });

  it('records a visit once per client key, however often it is retried', async () => {
    const body = visitBody(targets.get('王秀英')!.id);
    const first = await klmy.post('/api/v1/visits', body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ repeatVisit: false, approvalStatus: 'none', goodsFen: 20_000 });
    const again = await klmy.post('/api/v1/visits', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const all = await Promise.all([1, 2, 3].map(() => klmy.post('/api/v1/visits', body)));
    expect(new Set(all.map((r) => r.json().id))).toEqual(new Set([first.json().id]));
    expect((await klmy.get(`/api/v1/visits?targetId=${body.targetId}`)).json().total).toBe(1);
    expect((await city.post('/api/v1/visits', body)).statusCode).toBe(409);
    visits.ha = first.json();
  });

  it('answers 409 to an edit made on a stale version', async () => {
    const url = `/api/v1/visits/${visits.ha!.id}`;
    const ok = await klmy.patch(url, { version: 1, cashFen: 40_000, notes: '老人身体尚好' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, cashFen: 40_000 });
    const stale = await klmy.patch(url, { version: 1, notes: '离线时的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toBe('该记录已被他人修改，请刷新后重试');
    expect((await klmy.get(url)).json().notes).toBe('老人身体尚好');
  });

  it('flags a second visit to the same target in the campaign', async () => {
    const res = await klmy.post('/api/v1/visits', visitBody(targets.get('王秀英')!.id, { cashFen: 10_000, goods: [] }));
    expect(res.json().repeatVisit).toBe(true);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toContain('repeat');
  });

  it('holds a visit above the cap for approval by a higher role, never by its author', async () => {
    const res = await klmy.post(
      '/api/v1/visits',
      visitBody(targets.get('张建国')!.id, { cashFen: 120_000, goods: [] }),
    );
    expect(res.json()).toMatchObject({ approvalStatus: 'pending' });
    expect(res.json().approvalReasons[0]).toContain('超过上限 1000 元');
    const url = `/api/v1/visits/${res.json().id}/approval`;
    expect((await klmy.post(url, { version: 1, decision: 'approve' })).statusCode).toBe(403);
    const approved = await city.post(url, { version: 1, decision: 'approve', note: '高龄老人，同意' });
    expect(approved.json()).toMatchObject({ approvalStatus: 'approved', approvedBy: '市局工作人员' });
    const unit = await klmy.post('/api/v1/visits', visitBody(targets.get('驻市部队甲')!.id, { cashFen: 0 }));
    expect(unit.statusCode).toBe(201);
    visits.unit = unit.json();
    const own = await city.post('/api/v1/visits', visitBody((await cityTarget()).id, { cashFen: 200_000, goods: [] }));
    expect(own.json().approvalStatus).toBe('pending');
    expect(
      (await city.post(`/api/v1/visits/${own.json().id}/approval`, { version: 1, decision: 'approve' })).statusCode,
    ).toBe(403);
  });

  it('refuses bad input with a Chinese message and stores nothing', async () => {
    const before = (await klmy.get('/api/v1/visits')).json().total;
    const t = targets.get('赵军属')!.id;
    const future = await klmy.post(
      '/api/v1/visits',
      visitBody(t, { visitedAt: new Date(Date.now() + 86_400_000).toISOString() }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().detail).toBe('走访时间不能晚于当前时间');
    expect((await klmy.post('/api/v1/visits', visitBody(t, { cashFen: -1 }))).statusCode).toBe(400);
    expect((await klmy.post('/api/v1/visits', visitBody(t, { cashFen: 1e12 }))).statusCode).toBe(400);
    const outside = await klmy.post('/api/v1/visits', visitBody((await cityTarget()).id));
    expect(outside.statusCode).toBe(404);
    expect((await klmy.get('/api/v1/visits')).json().total).toBe(before);
  });

  it('strips EXIF and GPS from photos and refuses files that are not images', async () => {
    const jpeg = jpegWithGps();
    expect(jpeg.includes(Buffer.from('GPSLatitude'))).toBe(true);
    const url = `/api/v1/visits/${visits.ha!.id}/photos`;
    const up = await klmy.request('POST', url, jpeg, { 'content-type': 'image/jpeg' });
    expect(up.statusCode).toBe(201);
    const photo = await klmy.get(`/api/v1/visit-photos/${up.json().id}`);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.rawPayload.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(photo.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
    expect(photo.rawPayload.includes(Buffer.alloc(65, 7))).toBe(true);
    const bad = await klmy.request('POST', url, Buffer.from('%PDF-1.7 not a photo'), { 'content-type': 'image/jpeg' });
    expect(bad.statusCode).toBe(415);
    expect(bad.json().detail).toBe('照片须为 JPEG 或 PNG 图片');
    expect((await klmy.get(`/api/v1/visits/${visits.ha!.id}`)).json().photos).toHaveLength(1);
  });
});

async function cityTarget() {
  return (await city.get(`/api/v1/visit-plans/${cityPlan.id}/targets`))
    .json()
    .items.find((t: { name: string }) => t.name === '独山子烈属') as { id: string };
}

describe('coverage', () => {
  const cells = (xs: { label: string; planned: number; visited: number }[]) =>
    xs.map((c) => [c.label, c.planned, c.visited]);

  it('matches the hand count, from the maintained counters', async () => {
    const cov = (await klmy.get(`/api/v1/visit-coverage?campaignId=${CAMPAIGN}`)).json();
    expect(cov.total).toMatchObject({ planned: 4, visited: 3, visits: 4, cashFen: 40_000 + 10_000 + 120_000 + 0 });
    const byCat = Object.fromEntries(
      cov.byCategory.map((c: { key: string; planned: number; visited: number }) => [c.key, [c.planned, c.visited]]),
    );
    expect(byCat).toEqual({ martyr_survivor: [2, 2], serving_member_family: [1, 0], unit: [1, 1] });
    expect(cells(cov.byStreet)).toEqual([
      ['单位及其他', 1, 1],
      ['天山路街道退役军人服务站', 2, 2],
      ['胜利路街道退役军人服务站', 1, 0],
    ]);
    expect(cells(cov.byTeam)).toEqual([
      ['未分组', 2, 1],
      ['第一组', 2, 2],
    ]);
    const all = (await city.get(`/api/v1/visit-coverage?campaignId=${CAMPAIGN}`)).json();
    expect(cells(all.byDistrict)).toEqual([
      ['独山子区退役军人事务局', 1, 1],
      ['克拉玛依区退役军人事务局', 4, 3],
    ]);
    const unvisited = (await klmy.get(`/api/v1/visit-coverage/unvisited?campaignId=${CAMPAIGN}`)).json();
    expect(unvisited.items.map((t: { name: string }) => t.name)).toEqual(['赵军属']);
  });

  it('reads the dashboards and the long lists in the reader threads, none on the server’s connection', async () => {
    // a district's targets and visits run to 10^5 and 10^6 rows: their statements must not hold
    // the event loop (decisions/0082)
    const { sqlite } = env.p.handle;
    if (!sqlite) return; // PostgreSQL: every statement already waits on the pool, off the loop
    const onMain = vi.spyOn(sqlite, 'prepare');
    try {
      const reads = [
        `/api/v1/visit-coverage?campaignId=${CAMPAIGN}`,
        `/api/v1/visit-coverage/unvisited?campaignId=${CAMPAIGN}`,
        `/api/v1/visit-spending?campaignId=${CAMPAIGN}`,
        `/api/v1/visit-plans/${plan.id}/targets?pageSize=50`,
        `/api/v1/visit-plans/${plan.id}/conflicts`,
        `/api/v1/visits?campaignId=${CAMPAIGN}`,
      ];
      for (const url of reads) {
        const res = await klmy.get(url);
        expect(res.statusCode, url).toBe(200);
      }
      expect((await klmy.get(reads[5]!)).json().total).toBeGreaterThan(0);
      const visitTables = onMain.mock.calls
        .map(([q]) => String(q))
        .filter((q) => /"(visit_targets|visit_coverage|visits|visit_budget_lines)"/.test(q));
      expect(visitTables).toEqual([]);
    } finally {
      onMain.mockRestore();
    }
  });

  it('feeds campaign tasks through the metric registry', async () => {
    const m = env.services.campaigns.metrics;
    expect(await m.get('visits.visited')!.compute(env.p.handle.db, '650200/650203/', CAMPAIGN)).toBe(3);
    expect(await m.get('visits.coverage_percent')!.compute(env.p.handle.db, '650200/650203/', CAMPAIGN)).toBe(75);
  });

  it('equals a recomputation from the base tables', async () => {
    const snapshot = async () =>
      (await env.p.handle.db.selectFrom('visit_coverage').selectAll().execute())
        .filter((r) => r.planned || r.visited || r.visits || r.cash_fen || r.goods_fen)
        .map((r) => ({
          ...r,
          planned: Number(r.planned),
          visited: Number(r.visited),
          visits: Number(r.visits),
          cash_fen: Number(r.cash_fen),
          goods_fen: Number(r.goods_fen),
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const maintained = await snapshot();
    await rebuildCoverage(env.p.handle.db, SYSTEM_SCOPE, CAMPAIGN);
    expect(await snapshot()).toEqual(maintained);
  });
});

describe('letters and scope', () => {
  it('merges the name into a DOCX letter, and bundles a plan’s letters as a job', async () => {
    // the festival and year come from the campaign (元旦春节 2027), not from the plan's title
    await sql`UPDATE campaigns SET period_start = '2026-12-20', period_end = '2027-02-28' WHERE id = ${CAMPAIGN}`.execute(
      env.p.handle.db,
    );
    const res = await klmy.get(`/api/v1/visit-targets/${targets.get('王秀英')!.id}/letter`);
    expect(res.statusCode).toBe(200);
    const xml = unzip(res.rawPayload).get('word/document.xml')!.toString('utf8');
    expect(xml).toContain('尊敬的王秀英同志及家人：');
    expect(xml).toContain(
      '值此2027年元旦、春节来临之际，克拉玛依区退役军人事务局向您和您的家人致以节日的问候和新春的祝福！',
    );
    expect(xml).not.toContain('2027年春节走访慰问');
    expect((await klmy.get(`/api/v1/visit-plans/${plan.id}`)).json().letterTemplate).toMatch(/^值此\{活动\}来临之际/);
    // the same letter as PDF, with a Chinese font embedded: the name's characters are in its text map
    const pdf = await klmy.get(`/api/v1/visit-targets/${targets.get('王秀英')!.id}/letter?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const raw = pdf.rawPayload;
    expect(raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(raw.toString('latin1')).toMatch(/NotoS(erif|ans)CJK/);
    const streams: string[] = [];
    const text = raw.toString('latin1');
    for (let i = text.indexOf('stream'); i >= 0; i = text.indexOf('stream', i + 6)) {
      const start = text.indexOf('\n', i) + 1;
      const end = text.indexOf('endstream', start);
      if (end < 0) break;
      try {
        streams.push(inflateSync(raw.subarray(start, end)).toString('latin1'));
      } catch {}
      i = end;
    }
    const maps = streams.join('\n').toLowerCase();
    for (const ch of '王秀英') expect(maps).toContain(ch.codePointAt(0)!.toString(16));
    const job = await klmy.post(`/api/v1/visit-plans/${plan.id}/letters`);
    expect(job.statusCode).toBe(202);
    await env.jobs.idle();
    expect((await klmy.get(`/api/v1/jobs/${job.json().id}`)).json()).toMatchObject({
      status: 'succeeded',
      processed: 4,
      total: 4,
    });
    const zip = unzip((await klmy.get(`/api/v1/visit-letters/${job.json().id}`)).rawPayload);
    expect([...zip.keys()].sort()).toEqual(['张建国.docx', '王秀英.docx', '赵军属.docx', '驻市部队甲.docx'].sort());
    expect(unzip(zip.get('张建国.docx')!).get('word/document.xml')!.toString('utf8')).toContain('张建国');
  });

  it('keeps districts and units inside their scope', async () => {
    expect((await dsz.get(`/api/v1/visit-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await dsz.get(`/api/v1/visits/${visits.ha!.id}`)).statusCode).toBe(404);
    expect((await dsz.get('/api/v1/visit-plans')).json().total).toBe(0);
    const dszCov = (await dsz.get(`/api/v1/visit-coverage?campaignId=${CAMPAIGN}`)).json();
    expect(dszCov.total).toMatchObject({ planned: 1, visited: 1 });
    const unitVisits = (await unit1.get('/api/v1/visits')).json();
    expect(unitVisits.items.map((v: { id: string }) => v.id)).toEqual([visits.unit!.id]);
    expect((await unit1.get(`/api/v1/visits/${visits.ha!.id}`)).statusCode).toBe(404);
    expect((await unit1.post('/api/v1/visits', visitBody(targets.get('驻市部队甲')!.id))).statusCode).toBe(403);
    const leader = await signedIn(env.app, 'leader', '10.8.0.5');
    expect((await leader.get(`/api/v1/visit-coverage?campaignId=${CAMPAIGN}`)).json().total.planned).toBe(5);
    expect((await leader.post(`/api/v1/visit-plans/${plan.id}/confirm`, { version: 9 })).statusCode).toBe(403);
  });

  it('audits every write', async () => {
    const actions = (
      await env.p.handle.db.selectFrom('audit_log').select('action').where('action', 'like', 'visit%').execute()
    ).map((r) => r.action);
    for (const a of [
      'visit_plan.create',
      'visit_plan.confirm',
      'visit_target.add',
      'visit.create',
      'visit.update',
      'visit.approval',
      'visit.photo',
      'visit_caps.set',
    ])
      expect(actions).toContain(a);
  });
});

describe('synthetic visits (benchmarks)', () => {
  it('generates visits over the registry with consistent coverage counters', async () => {
    const { seedSyntheticVisits } = await import('../src/modules/visits/synthetic.js');
    const r = await seedSyntheticVisits(env.p, { count: 60, campaignId: 'bench', batch: 25 });
    expect(r).toMatchObject({ created: 60, targets: 5 }); // households HA, HB, HC, HD, HF
    const cov = (await city.get('/api/v1/visit-coverage?campaignId=bench')).json();
    expect(cov.total).toMatchObject({ planned: 5, visits: 60 });
    const repeats = await env.p.handle.db
      .selectFrom('visits')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('campaign_id', '=', 'bench')
      .where('repeat_visit', '=', 1)
      .executeTakeFirstOrThrow();
    expect(Number(repeats.n)).toBe(60 - cov.total.visited);
  });
});
