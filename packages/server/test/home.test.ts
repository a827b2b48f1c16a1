import type { Home } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLivingCity } from '../src/seed/living.js';
import { type Client, signedIn, type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
const clients = new Map<string, Client>();
const homes = new Map<string, Home>();

type Res = Awaited<ReturnType<Client['get']>>;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests
const json = (r: Res) => r.json() as Record<string, any>;

const USERS = ['city', 'jfq', 'klmy', 'dsz', 'unit1', 'jyj', 'leader'] as const;

beforeAll(async () => {
  env = await testEnv();
  await seedLivingCity(env.p);
  let n = 1;
  for (const u of USERS) {
    const c = await signedIn(env.app, u, `10.18.0.${n++}`);
    clients.set(u, c);
    const res = await c.get('/api/v1/home');
    expect(res.statusCode).toBe(200);
    homes.set(u, res.json() as Home);
  }
  // seeding the living city takes a while on a loaded machine
}, 300_000);
afterAll(async () => env?.close());

const todo = (u: string, key: string) => homes.get(u)!.todos.find((x) => x.key === key);

/** The API list behind a to-do's web link: same filter, page size 1, its total. */
async function listTotal(u: string, link: string): Promise<number> {
  const [path, query = ''] = link.split('?');
  const c = clients.get(u)!;
  const api: Record<string, (q: string) => Promise<number>> = {
    '/campaign-tasks': async (q) => json(await c.get(`/api/v1/assignments?pageSize=1&${q}`)).total,
    '/needs': async (q) => {
      const res = await c.get(`/api/v1/needs?pageSize=1&${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return json(res).total;
    },
    '/needs-inbox': async () => json(await c.get('/api/v1/needs?pageSize=1&inbox=true&open=true')).total,
    '/citations': async (q) => json(await c.get(`/api/v1/citations?pageSize=1&${q}`)).total,
    '/transfers': async () => json(await c.get('/api/v1/transfers?pageSize=1&status=pending')).total,
    '/visit-money': async () => json(await c.get('/api/v1/visits?pageSize=1&approval=pending')).total,
    '/notifications': async () => json(await c.get('/api/v1/notifications?pageSize=1')).unread,
    '/beneficiaries/import': async () => {
      const res = await c.get('/api/v1/beneficiaries/imports?pageSize=1');
      expect(res.statusCode, res.body).toBe(200);
      return json(res).total;
    },
  };
  const f = api[path!];
  if (!f) throw new Error(`no list for ${link}`);
  return f(query);
}

describe('home page of the living demo city', () => {
  it('gives every demo role non-empty to-dos whose counts are the totals of the lists they link to', async () => {
    for (const u of USERS) {
      const h = homes.get(u)!;
      expect(h.todos.length, u).toBeGreaterThan(0);
      for (const x of h.todos) expect(await listTotal(u, x.link), `${u} ${x.key}`).toBe(x.count);
    }
  });

  it('shows each role the work that waits for it', () => {
    expect(todo('city', 'reportsToReview')?.count).toBeGreaterThan(0);
    expect(todo('city', 'needsToAccept')?.count).toBeGreaterThan(0);
    expect(todo('city', 'visitApprovals')?.count).toBeGreaterThan(0);
    expect(todo('klmy', 'tasksOverdue')?.count).toBeGreaterThan(0);
    expect(todo('klmy', 'citationsDue')?.count).toBeGreaterThan(0);
    expect(todo('unit1', 'needsToRate')?.count).toBeGreaterThan(0);
    expect(todo('jyj', 'needsToHandle')?.count).toBeGreaterThan(0);
  });

  it('has transfers waiting in both districts of the living city', () => {
    expect(todo('klmy', 'transfersToDecide')?.count).toBeGreaterThanOrEqual(2);
    expect(todo('dsz', 'transfersToDecide')?.count).toBeGreaterThanOrEqual(3);
  });

  it('makes the user’s checked or failed imports a to-do that opens the list of them', async () => {
    const klmy = clients.get('klmy')!;
    const district = json(await klmy.get('/api/v1/auth/me')).org.id as string;
    const csv = Buffer.from('\uFEFF姓名,公民身份号码\n张三,650203194001011234\n', 'utf8');
    const up = await klmy.request('POST', `/api/v1/beneficiaries/imports?orgId=${district}&fileName=roster.csv`, csv, {
      'content-type': 'application/octet-stream',
    });
    expect(up.statusCode, up.body).toBe(202);
    await env.jobs.idle();
    const job = json(await klmy.get(`/api/v1/jobs/${up.json().id}`));
    expect(['validated', 'failed']).toContain(job.status);
    const home = json(await klmy.get('/api/v1/home'));
    const item = home.todos.find((x: { key: string }) => x.key === 'importsFinished');
    expect(item).toMatchObject({ count: 1, link: '/beneficiaries/import?recent=true' });
    expect(await listTotal('klmy', item.link)).toBe(1);
    const list = json(await klmy.get('/api/v1/beneficiaries/imports'));
    expect(list.items.map((j: { id: string }) => j.id)).toEqual([job.id]);
    // another user's imports are not this user's to-do
    const city = json(await clients.get('city')!.get('/api/v1/home'));
    expect(city.todos.find((x: { key: string }) => x.key === 'importsFinished')).toBeUndefined();
    // once committed it waits on nobody
    if (job.status === 'validated') {
      expect((await klmy.post(`/api/v1/jobs/${job.id}/commit`)).statusCode).toBe(202);
      await env.jobs.idle();
      const after = json(await klmy.get('/api/v1/home'));
      expect(after.todos.find((x: { key: string }) => x.key === 'importsFinished')?.count ?? 0).toBe(
        json(await klmy.get(`/api/v1/jobs/${job.id}`)).status === 'failed' ? 1 : 0,
      );
    }
  });

  it('keeps a district to its own area', async () => {
    // the citations are 克拉玛依区's: 独山子区 has none to register
    expect(todo('dsz', 'citationsDue')).toBeUndefined();
    const klmy = clients.get('klmy')!;
    const overdue = json(await klmy.get('/api/v1/assignments?pageSize=100&status=overdue'));
    expect(overdue.items.length).toBe(todo('klmy', 'tasksOverdue')!.count);
    for (const a of overdue.items) expect(a.orgName).toBe('克拉玛依区退役军人事务局');
    const kf = homes.get('klmy')!.figures;
    const cf = homes.get('city')!.figures;
    expect(kf.visits!.planned).toBeGreaterThan(0);
    expect(kf.visits!.planned).toBeLessThan(cf.visits!.planned);
    expect(kf.needs!.open).toBeLessThan(cf.needs!.open);
    // about 40 % of the city's priority households visited
    expect(cf.visits!.coveragePercent).toBeGreaterThan(30);
    expect(cf.visits!.coveragePercent).toBeLessThan(50);
    expect(cf.campaign!.accepted).toBeGreaterThan(0);
    expect(cf.needs!.closedThisWeek).toBeGreaterThan(0);
    expect(cf.needs!.averageRating).not.toBeNull();
  });

  it('gives the unit no registry figures and no registry to-dos', async () => {
    const h = homes.get('unit1')!;
    expect(h.figures.visits).toBeNull();
    for (const x of h.todos) expect(['transfersToDecide', 'citationsDue', 'visitApprovals']).not.toContain(x.key);
    expect((await clients.get('unit1')!.get('/api/v1/beneficiaries')).statusCode).toBe(403);
  });

  it('lets the leader read needs and their statistics, civil view only, and change nothing', async () => {
    const leader = clients.get('leader')!;
    const h = homes.get('leader')!;
    expect(h.figures.needs!.open).toBe(homes.get('city')!.figures.needs!.open);
    expect(h.todos.map((x) => x.key).sort()).toEqual(
      h.todos
        .map((x) => x.key)
        .filter((k) => k === 'needsOverdue' || k === 'notificationsUnread')
        .sort(),
    );
    const res = await leader.get('/api/v1/needs?pageSize=100');
    expect(res.statusCode, res.body).toBe(200);
    const list = json(res);
    expect(list.total).toBeGreaterThan(0);
    const one = json(await leader.get(`/api/v1/needs/${list.items[0].id}`));
    expect(one.militaryDetail).toBeUndefined();
    expect(one.actions).toEqual([]);
    expect((await leader.get('/api/v1/needs/statistics')).statusCode).toBe(200);
    const open = list.items.find((x: { status: string }) => x.status === 'submitted');
    expect((await leader.post(`/api/v1/needs/${open.id}/comments`, { note: '领导批示' })).statusCode).toBe(403);
    expect((await leader.get('/api/v1/beneficiaries')).statusCode).toBe(403);
  });
});
