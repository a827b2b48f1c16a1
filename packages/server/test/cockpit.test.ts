import { cockpitCharts } from '@shuangyong/shared';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankLeague } from '../src/modules/cockpit/cockpit.service.js';
import { needCountsRepo } from '../src/modules/needs/counts.repo.js';
import { slaBounds, slaLevel } from '../src/modules/needs/needs.cockpit.js';
import { seedDemoCampaign } from '../src/seed/demo-campaign.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { pdfText } from './pdf-text.js';
import { unzip, visitBody, visitsRegistry } from './visits-fixtures.js';

/**
 * The cockpit's API (issue 18): city, 军分区 and leader see the whole city's aggregates; a district
 * sees its own; the leader only reads; no person-level data and no military-only field leaves it.
 */
let env: TestEnv;
let city: Client;
let jfq: Client;
let leader: Client;
let klmy: Client;
let dsz: Client;
let unit1: Client;
let demo: string;
/** When the test's two visits happened: an hour ago, as the visit fixtures record. */
const visitedAt = Date.now() - 3600_000;
/** The day of an instant in the display zone (the cockpit's trend counts visits by it). */
const localDay = (t: number) => new Date(t).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests
type Json = Record<string, any>;

async function confirmedPlan(c: Client, campaignId: string, categories: string[]) {
  const res = await c.post('/api/v1/visit-plans', { campaignId, title: '春节走访', rules: [{ categories }] });
  expect(res.statusCode, res.body).toBe(201);
  expect((await c.post(`/api/v1/visit-plans/${res.json().id}/confirm`, { version: 1 })).statusCode).toBe(200);
  return (await c.get(`/api/v1/visit-plans/${res.json().id}/targets`)).json().items as { id: string; name: string }[];
}

beforeAll(async () => {
  env = await testEnv();
  demo = await seedDemoCampaign(env.p);
  let n = 1;
  const login = (u: string) => signedIn(env.app, u, `10.18.0.${n++}`);
  city = await login('city');
  jfq = await login('jfq');
  leader = await login('leader');
  klmy = await login('klmy');
  dsz = await login('dsz');
  unit1 = await login('unit1');
  await visitsRegistry(env, klmy, dsz);
  // klmy plans its 烈士遗属 and 老复员军人 and visits two households; dsz plans and visits none
  const targets = await confirmedPlan(klmy, demo, ['martyr_survivor', 'demobilized_veteran']);
  expect(targets.length).toBeGreaterThan(2);
  const line = (await klmy.get(`/api/v1/visit-budget-lines?campaignId=${demo}`)).json().items[0];
  for (const tg of targets.slice(0, 2)) {
    const v = await klmy.post(
      '/api/v1/visits',
      visitBody(tg.id, {
        visitedAt: new Date(visitedAt).toISOString(),
        cashFen: 30_000,
        goods: [],
        budgetLineId: line.id,
      }),
    );
    expect(v.statusCode, v.body).toBe(201);
  }
  // klmy reports on the campaign's task and the city accepts: klmy's completion is 100 %
  const dash = (await city.get(`/api/v1/campaigns/${demo}/dashboard`)).json();
  const assignmentId = dash.rows.find((r: Json) => r.orgName === '克拉玛依区退役军人事务局').cells[0].assignmentId;
  const a = (await klmy.get(`/api/v1/assignments/${assignmentId}`)).json();
  const sent = await klmy.post(`/api/v1/assignments/${assignmentId}/submit`, {
    version: a.version,
    narrative: '已完成走访',
  });
  expect(sent.statusCode, sent.body).toBe(200);
  const ok = await city.post(`/api/v1/assignments/${assignmentId}/review`, {
    version: sent.json().version,
    decision: 'accept',
  });
  expect(ok.statusCode, ok.body).toBe(200);
  await confirmedPlan(dsz, demo, ['martyr_survivor', 'demobilized_veteran', 'serving_member_family']);
  // a unit's need with military-only detail, accepted and assigned to the education bureau
  const need = await unit1.post('/api/v1/needs', {
    title: '军人子女秋季入学',
    description: '两名军人子女需在开学前安排就近入学',
    category: 'schooling',
    militaryDetail: '机密细节不得外传',
  });
  expect(need.statusCode, need.body).toBe(201);
  const assigned = await city.post(`/api/v1/needs/${need.json().id}/accept-assign`, {
    version: need.json().version,
    leadOrgId: await orgId(env.p, '650200/jyj/'),
    deadlineDays: 5,
  });
  expect(assigned.statusCode, assigned.body).toBe(200);
  const road = await unit1.post('/api/v1/needs', {
    title: '营区周边道路维修',
    description: '营区门前道路破损',
    category: 'barracks_surroundings',
  });
  expect(road.statusCode, road.body).toBe(201);
});
afterAll(async () => env?.close());

const get = async (c: Client) => {
  const res = await c.get(`/api/v1/cockpit?campaignId=${demo}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Json;
};

describe('cockpit aggregates', () => {
  it('gives the city every district: completion, coverage by district × category, visits per day, needs, spending, league', async () => {
    const c = await get(city);
    expect(c.campaign.id).toBe(demo);
    const districts = c.completion.filter((r: Json) => r.group === 'district');
    expect(districts).toHaveLength(4);
    // coverage: klmy visited 2 of its planned, dsz none
    const klmyId = await orgId(env.p, '650200/650203/');
    const dszId = await orgId(env.p, '650200/650202/');
    const cells = (d: string) => c.coverage.cells.filter((x: Json) => x.district === d);
    const sum = (xs: Json[], k: string) => xs.reduce((s, x) => s + x[k], 0);
    expect(sum(cells(klmyId), 'visited')).toBe(2);
    expect(sum(cells(klmyId), 'planned')).toBeGreaterThan(2);
    expect(sum(cells(dszId), 'visited')).toBe(0);
    expect(c.coverage.districts.map((d: Json) => d.label)).toContain('克拉玛依区退役军人事务局');
    expect(c.coverage.categories.map((k: Json) => k.label)).toContain('烈士遗属');
    expect(c.headline.visited).toBe(2);
    // the trend sums to the visits recorded, on their local date (not today's: an hour ago may be yesterday)
    expect(c.trend).toEqual([{ day: localDay(visitedAt), visits: 2, moneyFen: 60_000 }]);
    expect(c.headline.visits).toBe(2);
    // spending per budget line (one per district in the demo campaign)
    expect(c.spending).toHaveLength(4);
    expect(c.spending.find((l: Json) => l.orgName === '克拉玛依区退役军人事务局').spentFen).toBe(60_000);
    // needs: one assigned to 教育局 within its time limit, one submitted (not timed)
    expect(c.needs.byStatus.find((s: Json) => s.status === 'assigned')).toMatchObject({ total: 1, ok: 1 });
    expect(c.needs.byStatus.find((s: Json) => s.status === 'submitted')).toMatchObject({ total: 1, none: 1 });
    expect(c.needs.byDepartment).toEqual([
      expect.objectContaining({ orgName: '市教育局', total: 1, ok: 1, dueSoon: 0, overdue: 0 }),
    ]);
    expect(c.headline.needsOpen).toBe(2);
    expect(districts.find((r: Json) => r.orgName === '克拉玛依区退役军人事务局').completion).toBe(100);
    expect(c.headline).toMatchObject({ assigned: 4, accepted: 1, completion: 25 });
    // league: klmy leads; the three others share second place (并列)
    expect(c.league).toHaveLength(4);
    expect(c.league[0]).toMatchObject({ rank: 1, tied: false, orgName: '克拉玛依区退役军人事务局' });
    expect(c.league.slice(1).map((r: Json) => [r.rank, r.tied])).toEqual([
      [2, true],
      [2, true],
      [2, true],
    ]);
  });

  it('gives a district its own district only', async () => {
    const c = await get(klmy);
    const klmyId = await orgId(env.p, '650200/650203/');
    expect(c.coverage.districts.map((d: Json) => d.key)).toEqual([klmyId]);
    expect(c.completion.map((r: Json) => r.orgName)).toEqual(['克拉玛依区退役军人事务局']);
    expect(c.spending.map((l: Json) => l.orgName)).toEqual(['克拉玛依区退役军人事务局']);
    expect(c.trend[0].visits).toBe(2);
    // the needs of units are not the district's
    expect(c.needs.byStatus).toEqual([]);
    const d = await get(dsz);
    expect(d.trend).toEqual([]);
    expect(d.coverage.cells.every((x: Json) => x.district === (d.coverage.districts[0] as Json).key)).toBe(true);
  });

  it('gives the 军分区 and the leader the same aggregates as the city, without names of persons or military-only text', async () => {
    const [c, j, l] = [await get(city), await get(jfq), await get(leader)];
    expect(l.headline).toEqual(c.headline);
    expect(j.headline).toEqual(c.headline);
    const body = JSON.stringify(l);
    for (const secret of ['王秀英', '张建国', '机密细节', '650203194002']) expect(body).not.toContain(secret);
    expect(body).not.toMatch(/militaryDetail|idNumber|phone/);
  });

  it('refuses roles without the dashboard permission, and campaigns outside the caller’s sight', async () => {
    expect((await unit1.get(`/api/v1/cockpit?campaignId=${demo}`)).statusCode).toBe(403);
    expect((await city.get('/api/v1/cockpit?campaignId=no-such-campaign')).statusCode).toBe(404);
  });

  it('keeps the per-day counters equal to a rebuild from the visits', async () => {
    const before = (await get(city)).trend;
    const modules = env.services as Json;
    await modules.visits.read.rebuildDaily(demo);
    expect((await get(city)).trend).toEqual(before);
  });
});

/** The total of the list a chart's link opens, asked of the API the web page asks (page size 1). */
async function linkedTotal(c: Client, link: string, extra: Record<string, string> = {}): Promise<number> {
  const [path, query] = link.split('?');
  const params = new URLSearchParams(query);
  const api =
    path === '/campaign-tasks'
      ? '/api/v1/assignments'
      : path === '/needs'
        ? '/api/v1/needs'
        : path === '/visits/coverage'
          ? params.has('day')
            ? '/api/v1/visits'
            : '/api/v1/visit-targets'
          : null;
  expect(api, link).not.toBeNull();
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  params.set('pageSize', '1');
  const res = await c.get(`${api}?${params}`);
  expect(res.statusCode, `${link}: ${res.body}`).toBe(200);
  return res.json().total;
}

describe('click-through: every chart element opens the filtered list of its number', () => {
  const chart = (c: Json, id: string) => cockpitCharts(c as never).find((d) => d.id === id)!;

  it('completion bar → the campaign’s assignments of that org (任务数, and 已通过 with status=accepted)', async () => {
    for (const who of [city, klmy]) {
      const def = chart(await get(who), 'completion');
      expect(def.table.rows.length).toBeGreaterThan(0);
      for (const [i, row] of def.table.rows.entries()) {
        const link = def.link(0, i)!;
        expect(link).toMatch(/^\/campaign-tasks\?campaignId=.+&orgId=/);
        expect(await linkedTotal(who, link)).toBe(row.assigned);
        expect(await linkedTotal(who, link, { status: 'accepted' })).toBe(row.accepted);
      }
    }
  });

  it('coverage cell → the district’s targets of that category (应走访, and 已走访 with unvisited=false)', async () => {
    const def = chart(await get(city), 'coverage');
    expect(def.table.rows.length).toBeGreaterThan(2);
    for (const [i, row] of def.table.rows.entries()) {
      const link = def.link(0, i)!;
      expect(link).toMatch(/^\/visits\/coverage\?campaignId=.+&orgId=.+&category=/);
      expect(await linkedTotal(city, link)).toBe(row.planned);
      expect(await linkedTotal(city, link, { unvisited: 'false' })).toBe(row.visited);
    }
  });

  it('trend point → the visits recorded on that local day', async () => {
    for (const who of [city, klmy]) {
      const def = chart(await get(who), 'trend');
      expect(def.table.rows.length).toBeGreaterThan(0);
      for (const [i, row] of def.table.rows.entries()) expect(await linkedTotal(who, def.link(0, i)!)).toBe(row.visits);
    }
    // a day without visits lists none
    const dayBefore = localDay(visitedAt - 86_400_000);
    expect(await linkedTotal(city, `/visits/coverage?campaignId=${demo}&day=${dayBefore}`)).toBe(0);
  });

  it('needs segment (status or department × SLA colour) → the needs list with that status or department and colour', async () => {
    const db = env.p.handle.db;
    const assigned = await db.selectFrom('needs').select(['id', 'deadline']).where('status', '=', 'assigned').execute();
    expect(assigned).toHaveLength(1);
    const c0 = await get(city);
    const { today, soonUntil } = slaBounds(c0.today);
    const shift = (days: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    // the deadline walks from 3 days ago to 15 days ahead: SQL's colour is the working-day rule's
    for (let d = -3; d <= 15; d++) {
      const deadline = shift(d);
      await db.updateTable('needs').set({ deadline }).where('id', '=', assigned[0]!.id).execute();
      // written past the workflow: the maintained counter is rebuilt, as after any bulk load (0050)
      await needCountsRepo.rebuild(db);
      const c = await get(city);
      const level = slaLevel('assigned', deadline, today);
      expect(
        c.needs.byStatus.find((s: Json) => s.status === 'assigned'),
        deadline,
      ).toMatchObject({ [level]: 1, total: 1 });
      expect(level === 'dueSoon').toBe(deadline >= today && deadline <= soonUntil);
      for (const id of ['needsStatus', 'needsDepartment']) {
        const def = chart(c, id);
        for (const [i, row] of def.table.rows.entries())
          for (const [s, key] of ['ok', 'dueSoon', 'overdue', 'none'].entries())
            expect(
              await linkedTotal(city, def.link(s, i)!),
              `${id} ${row.label ?? row.orgName} ${key} ${deadline}`,
            ).toBe(row[key]);
      }
    }
    await db.updateTable('needs').set({ deadline: assigned[0]!.deadline }).where('id', '=', assigned[0]!.id).execute();
    await needCountsRepo.rebuild(db);
  });

  it('spending bar → the campaign’s money page, whose budget line shows the same budget and spent, the sum of its visits', async () => {
    for (const who of [city, klmy]) {
      const c = await get(who);
      const def = chart(c, 'spending');
      expect(def.table.rows.length).toBe(c.spending.length);
      expect(c.spending.some((l: Json) => l.spentFen > 0)).toBe(true);
      const visits = (await who.get(`/api/v1/visits?campaignId=${demo}&pageSize=100`)).json();
      expect(visits.total).toBeLessThanOrEqual(100);
      for (const [i, row] of def.table.rows.entries()) {
        const link = def.link(0, i)!;
        expect(link).toMatch(/^\/visit-money\?campaignId=.+&budgetLineId=/);
        const params = new URLSearchParams(link.split('?')[1]);
        expect(params.get('campaignId')).toBe(demo);
        // the page the link opens lists the campaign's budget lines with what they spent
        const money = await who.get(`/api/v1/visit-spending?campaignId=${params.get('campaignId')}`);
        expect(money.statusCode, money.body).toBe(200);
        const line = money.json().budgetLines.find((l: Json) => l.id === params.get('budgetLineId'));
        const bar = c.spending[i];
        expect(line, link).toMatchObject({ budgetFen: bar.budgetFen, spentFen: bar.spentFen });
        expect(row).toMatchObject({ budget: bar.budgetFen / 100, spent: bar.spentFen / 100 });
        // and what the line spent is the money of the visits charged to it
        const charged = visits.items.filter((v: Json) => v.budgetLineId === line.id);
        expect(charged.reduce((s: number, v: Json) => s + v.cashFen + v.goodsFen, 0)).toBe(bar.spentFen);
      }
    }
  });
});

describe('league ranking', () => {
  it('uses competition ranking: equal keys share a place, the next takes the place after them', () => {
    const row = (orgName: string, completion: number, coverage = 0, overdue = 0) => ({
      orgId: orgName,
      orgName,
      completion,
      coverage,
      overdue,
    });
    const ranked = rankLeague([row('甲', 50), row('乙', 80), row('丙', 50), row('丁', 10), row('戊', 50, 0, 1)]);
    expect(ranked.map((r) => [r.orgName, r.rank, r.tied])).toEqual([
      ['乙', 1, false],
      ['丙', 2, true],
      ['甲', 2, true],
      ['戊', 4, false],
      ['丁', 5, false],
    ]);
  });
});

/** Pixels of a PNG that are clearly coloured (bars, lines, heat cells), not white, grey or black text. */
function colouredPixels(png: Buffer): number {
  const img = PNG.sync.read(png);
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
  }
  return n;
}

// each brief renders six charts: tens of seconds on a loaded machine
describe('daily brief', { timeout: 180_000 }, () => {
  let briefId: string;

  it('makes the brief as DOCX and PDF with the campaign figures and the charts as images', async () => {
    const res = await city.post('/api/v1/cockpit/briefs', { campaignId: demo });
    expect(res.statusCode, res.body).toBe(201);
    briefId = res.json().id;
    const c = await get(city);
    expect(res.json()).toMatchObject({ day: c.today, public: false, orgName: '克拉玛依市退役军人事务局' });

    const docx = await city.get(`/api/v1/cockpit/briefs/${briefId}/file?format=docx`);
    expect(docx.statusCode).toBe(200);
    const files = unzip(docx.rawPayload);
    const xml = files.get('word/document.xml')!.toString('utf8');
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain(`${c.campaign.title} 每日简报`);
    expect(text).toContain(`走访覆盖率 ${c.headline.coverage}%（已走访 2 / 应走访 ${c.headline.planned} 户）`);
    expect(text).toContain('任务完成率 25%（已通过 1 / 共 4 项）');
    expect(text).toContain('并列第 2 名');
    const media = [...files.entries()].filter(([name]) => name.startsWith('word/media/'));
    expect(media).toHaveLength(6);
    // every chart has drawn data, not an empty frame
    for (const [name, png] of media) expect(colouredPixels(png), name).toBeGreaterThan(200);

    const pdf = await city.get(`/api/v1/cockpit/briefs/${briefId}/file?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pdfStr = await pdfText(pdf.rawPayload);
    expect(pdfStr).toContain(`走访覆盖率 ${c.headline.coverage}%`);
    expect(pdfStr).toContain('任务完成率 25%');
    expect(pdfStr).toContain('超过办理时限的问题');
    expect(pdf.rawPayload.toString('latin1').match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(6);

    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_id', '=', briefId)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['cockpit.brief.create', 'file.download', 'file.download']);
  });

  it('keeps one brief per day: making it again replaces it; the list shows it to the city and the leader', async () => {
    const again = await city.post('/api/v1/cockpit/briefs', { campaignId: demo });
    expect(again.json().id).toBe(briefId);
    const list = (await leader.get(`/api/v1/cockpit/briefs?campaignId=${demo}`)).json().items;
    expect(list.map((b: Json) => b.id)).toEqual([briefId]);
    expect((await leader.get(`/api/v1/cockpit/briefs/${briefId}/file?format=pdf`)).statusCode).toBe(200);
  });

  it('lets the leader read but not make a brief; a district sees only its own briefs', async () => {
    expect((await leader.post('/api/v1/cockpit/briefs', { campaignId: demo })).statusCode).toBe(403);
    expect((await klmy.get(`/api/v1/cockpit/briefs/${briefId}/file?format=docx`)).statusCode).toBe(404);
    const own = await klmy.post('/api/v1/cockpit/briefs', { campaignId: demo });
    expect(own.statusCode, own.body).toBe(201);
    const mine = (await klmy.get(`/api/v1/cockpit/briefs?campaignId=${demo}`)).json().items;
    expect(mine.map((b: Json) => b.id)).toEqual([own.json().id]);
  });

  it('makes a public brief when the confidentiality checks find nothing', async () => {
    const ok = await city.post('/api/v1/cockpit/briefs', { campaignId: demo, public: true });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ public: true, findings: 0 });
  });

  it('makes the scheduled brief once a day from the set hour (8:00 local), as the issuing org', async () => {
    const briefs = (env.services as Json).cockpit.briefs;
    const count = async () => (await city.get(`/api/v1/cockpit/briefs?campaignId=${demo}`)).json().items.length;
    const before = await count();
    // tomorrow 07:30 and 09:00 in Beijing
    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    expect(await briefs.scheduled(new Date(`${tomorrow}T07:30:00+08:00`))).toBe(0);
    // every issued campaign (the demo's and the visits fixtures' one) gets its brief, once
    expect(await briefs.scheduled(new Date(`${tomorrow}T09:00:00+08:00`))).toBe(2);
    expect(await briefs.scheduled(new Date(`${tomorrow}T15:00:00+08:00`))).toBe(0);
    const items = (await city.get(`/api/v1/cockpit/briefs?campaignId=${demo}`)).json().items;
    expect(items).toHaveLength(before + 1);
    expect(items[0]).toMatchObject({ day: tomorrow, public: false, orgName: '克拉玛依市退役军人事务局' });
  });

  it('lists the needs past their deadline, and refuses a public brief that names a unit designation', async () => {
    // a case whose deadline has passed, its title naming a designation (as a unit might write it)
    await env.p.handle.db
      .updateTable('needs')
      .set({ deadline: '2020-01-03', title: '第81集团军某旅军人子女入学' })
      .where('status', '=', 'assigned')
      .execute();
    await needCountsRepo.rebuild(env.p.handle.db);
    const c = await get(city);
    expect(c.breached).toEqual([
      expect.objectContaining({ title: '第81集团军某旅军人子女入学', leadOrgName: '市教育局', deadline: '2020-01-03' }),
    ]);
    expect(c.breached[0].workingDaysOver).toBeGreaterThan(100);
    expect(c.needs.byDepartment[0]).toMatchObject({ overdue: 1, ok: 0 });
    expect(c.headline.needsOverdue).toBe(1);
    const refused = await city.post('/api/v1/cockpit/briefs', { campaignId: demo, public: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('部队番号');
    const internal = await city.post('/api/v1/cockpit/briefs', { campaignId: demo });
    expect(internal.statusCode).toBe(201);
    const pdf = await city.get(`/api/v1/cockpit/briefs/${internal.json().id}/file?format=pdf`);
    expect(await pdfText(pdf.rawPayload)).toContain('第81集团军某旅军人子女入学');
  });
});
