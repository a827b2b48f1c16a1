import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsCockpitRepo } from '../src/modules/needs/cockpit.repo.js';
import {
  needCountDifferences,
  needCountKeys,
  needCountsRepo,
  pathAncestors,
} from '../src/modules/needs/counts.repo.js';
import { needsDoctor } from '../src/modules/needs/doctor.js';
import { slaBounds } from '../src/modules/needs/needs.cockpit.js';
import type { NeedsService } from '../src/modules/needs/needs.service.js';
import type { OrgsService } from '../src/modules/orgs/orgs.module.js';
import { type Scope, SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { needCounts0031 } from '../src/platform/db/migrations/0031_need_counts.js';
import { type Client, dialect, orgId, signedIn, type TestEnv, testEnv, userId } from './helpers.js';

/**
 * The cockpit's maintained needs counter (decisions/0050): a randomised mix of the needs workflow
 * — create, accept, accept-and-assign, assign and reassign with co-handlers, start, resolve,
 * confirm, close, reopen, decline, merge, deadlines moved back, the deadline sweep, refused
 * actions, an org move — keeps it equal to a rebuild, and the widget's figures equal a count over
 * the cases themselves under every kind of scope.
 */
let env: TestEnv;
const clients: Record<string, Client> = {};
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in tests
type Json = Record<string, any>;

/** A small deterministic PRNG (mulberry32): the same mix on every run and both dialects. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let orgs: Record<string, { id: string; path: string }>;

beforeAll(async () => {
  env = await testEnv();
  let n = 1;
  for (const u of ['city', 'klmy', 'dsz', 'jfq', 'jyj', 'unit1'])
    clients[u] = await signedIn(env.app, u, `10.31.0.${n++}`);
  const at = async (path: string) => ({ id: await orgId(env.p, path), path });
  orgs = {
    jyj: await at('650200/jyj/'),
    rsj: await at('650200/rsj/'),
    klmy: await at('650200/650203/'),
    dsz: await at('650200/650202/'),
    jfq: await at('650200/jfq/'),
    rwb: await at('650200/jfq/rwb-650203/'),
    unitA: await at('650200/jfq/unit-a/'),
  };
});
afterAll(async () => env?.close());

async function differences() {
  const db = env.p.handle.db;
  return needCountDifferences(await needCountsRepo.stored(db), await needCountsRepo.expected(db, SYSTEM_SCOPE));
}

const sorted = (rows: Json[]) =>
  rows
    .map((r) => ({ status: r.status, lead: r.lead_org_id ?? null, level: r.level, n: Number(r.n) }))
    .filter((r) => r.n !== 0)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** The widget's groups from the counter and from the cases, under each kind of scope and several days. */
async function expectWidgetEqualsCases() {
  const db = env.p.handle.db;
  const scopes: Scope[] = [
    { kind: 'all' },
    { kind: 'subtree', path: orgs.klmy!.path },
    { kind: 'subtree', path: orgs.dsz!.path },
    { kind: 'subtree', path: orgs.jfq!.path },
    { kind: 'org', orgId: orgs.jyj!.id, path: orgs.jyj!.path },
    { kind: 'org', orgId: orgs.klmy!.id, path: orgs.klmy!.path },
    { kind: 'org', orgId: orgs.unitA!.id, path: orgs.unitA!.path },
    { kind: 'own', userId: await userId(env.p, 'unit1'), orgId: orgs.unitA!.id, path: orgs.unitA!.path },
  ];
  const today = (env.services.needs as NeedsService).today();
  const shift = (d: number) => new Date(Date.parse(`${today}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
  for (const day of [shift(-20), today, shift(3), shift(12), shift(40)]) {
    const bounds = slaBounds(day);
    for (const scope of scopes) {
      const counted = await needsCockpitRepo.groups(db, scope, bounds);
      const direct = await needsCockpitRepo.groupsOfCases(db, scope, bounds);
      expect(sorted(counted), `${JSON.stringify(scope)} on ${day}`).toEqual(sorted(direct));
    }
  }
}

describe('need_counts keys', () => {
  it('counts a case once per scope that sees it: ancestors of its org and its handlers, united', () => {
    expect(pathAncestors('650200/650203/s1/')).toEqual(['650200/', '650200/650203/', '650200/650203/s1/']);
    const keys = needCountKeys(
      {
        status: 'assigned',
        lead_org_id: 'L',
        deadline: '2026-12-10',
        org_path: '650200/650203/s1/',
        handler_paths: ['650200/650203/', '650200/jyj/', '650200/jyj/'],
      },
      1,
    );
    const at = (reach: string) =>
      keys
        .filter((k) => k.reach === reach)
        .map((k) => k.scope_path)
        .sort();
    expect(at('s')).toEqual(['', '650200/', '650200/650203/', '650200/650203/s1/', '650200/jyj/']);
    expect(at('o')).toEqual(['650200/650203/', '650200/650203/s1/', '650200/jyj/']);
    expect(keys.every((k) => k.deadline === '2026-12-10' && k.n === 1)).toBe(true);
    // untimed statuses keep no deadline; merged cases count nowhere
    const closed = needCountKeys(
      { status: 'closed', lead_org_id: null, deadline: '2026-12-10', org_path: '650200/', handler_paths: [] },
      -1,
    );
    expect(closed.map((k) => [k.reach, k.scope_path, k.lead_org_id, k.deadline, k.n])).toEqual([
      ['s', '', '', '', -1],
      ['s', '650200/', '', '', -1],
      ['o', '650200/', '', '', -1],
    ]);
    expect(
      needCountKeys({ status: 'merged', lead_org_id: null, deadline: null, org_path: '650200/', handler_paths: [] }, 1),
    ).toEqual([]);
  });
});

describe('need_counts under a randomised mix of the needs workflow', { timeout: 600_000 }, () => {
  it('equals a rebuild, and the widget equals a count over the cases, after every batch of operations', async () => {
    const random = rng(18_0050);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const needs = env.services.needs as NeedsService;
    const db = env.p.handle.db;
    const created: { id: string; by: string }[] = [];
    const leadClient: Record<string, string> = {
      [orgs.jyj!.id]: 'jyj',
      [orgs.klmy!.id]: 'klmy',
      [orgs.dsz!.id]: 'dsz',
      [orgs.jfq!.id]: 'jfq',
    };
    const leads = [orgs.jyj!, orgs.klmy!, orgs.dsz!, orgs.jfq!];
    const cos = [orgs.rsj!, orgs.rwb!, orgs.jyj!, orgs.klmy!, orgs.dsz!];
    const stations = (
      await db.selectFrom('orgs').select(['id', 'path']).where('path', 'like', '650200/650203/%').execute()
    ).map((o) => o.id);
    const tally: Record<string, number> = {};
    const current = async (id: string) => (await clients.city!.get(`/api/v1/needs/${id}`)).json() as Json;
    const handlersBody = () => {
      const lead = pick(leads);
      const co = [...new Set([pick(cos), pick(cos)])].filter((o) => o.id !== lead.id && random() < 0.7);
      return { leadOrgId: lead.id, coOrgIds: co.map((o) => o.id) };
    };

    const create = async () => {
      const by = pick(['unit1', 'klmy', 'dsz', 'unit1']);
      const body: Json = {
        title: `需求 ${created.length}`,
        description: '随机混合操作',
        category: pick(['schooling', 'barracks_surroundings']),
      };
      if (by === 'klmy' && random() < 0.6) body.orgId = pick(stations);
      const res = await clients[by]!.post('/api/v1/needs', body);
      expect(res.statusCode, res.body).toBe(201);
      created.push({ id: res.json().id, by });
    };
    for (let i = 0; i < 12; i++) await create();

    for (let op = 1; op <= 300; op++) {
      const roll = random();
      if (roll < 0.12) {
        await create();
        tally.create = (tally.create ?? 0) + 1;
      } else if (roll < 0.16) {
        // a deadline moved back (the demo's backdating) or the deadline sweep run some days ahead
        if (random() < 0.5) await needs.backdateForDemo(pick(created).id, Math.floor(random() * 30));
        else await needs.escalateOverdue(new Date(Date.now() + Math.floor(random() * 40) * 86_400_000));
        tally.dates = (tally.dates ?? 0) + 1;
      } else {
        const target = pick(created);
        const cur = await current(target.id);
        const version = random() < 0.05 ? cur.version - 1 : cur.version; // now and then a stale version
        const actions: Record<string, () => [string, string, Json]> = {
          accept: () => ['city', 'accept', {}],
          acceptAssign: () => [
            'city',
            'accept-assign',
            { ...handlersBody(), deadlineDays: 1 + Math.floor(random() * 20) },
          ],
          decline: () => ['city', 'decline', { reason: '不属于受理范围' }],
          merge: () => ['city', 'merge', { intoId: pick(created).id }],
          assign: () => ['city', 'assign', handlersBody()],
          start: () => [leadClient[cur.leadOrgId] ?? 'city', 'start', {}],
          resolve: () => [leadClient[cur.leadOrgId] ?? 'city', 'resolve', { resolution: '已办结' }],
          confirm: () => [target.by, 'confirm', { rating: 1 + Math.floor(random() * 5) }],
          close: () => ['city', 'close', {}],
          reopen: () => [target.by, 'reopen', { reason: '问题未解决' }],
        };
        const byStatus: Record<string, string[]> = {
          submitted: ['accept', 'acceptAssign', 'acceptAssign', 'decline', 'merge'],
          accepted: ['assign', 'merge'],
          assigned: ['assign', 'start', 'start'],
          in_progress: ['assign', 'resolve', 'resolve'],
          resolved: ['confirm', 'reopen'],
          confirmed: ['close', 'reopen'],
        };
        // mostly an action the machine allows; sometimes any action (refused: nothing may move)
        const allowed = byStatus[cur.status];
        const name = allowed && random() < 0.9 ? pick(allowed) : pick(Object.keys(actions));
        const [who, path, body] = actions[name]!();
        const res = await clients[who]!.post(`/api/v1/needs/${target.id}/${path}`, { version, ...body });
        const key = `${name}:${res.statusCode === 200 ? 'ok' : 'refused'}`;
        tally[key] = (tally[key] ?? 0) + 1;
      }
      if (op % 60 === 0) {
        expect(await differences(), `after operation ${op}`).toEqual([]);
        await expectWidgetEqualsCases();
      }
    }
    // the mix reached every step of the workflow, and refusals
    for (const k of [
      'create',
      'dates',
      'acceptAssign:ok',
      'assign:ok',
      'start:ok',
      'resolve:ok',
      'confirm:ok',
      'close:ok',
      'reopen:ok',
      'decline:ok',
      'merge:ok',
    ])
      expect(tally[k] ?? 0, `${k} in ${JSON.stringify(tally)}`).toBeGreaterThan(0);
    expect(Object.keys(tally).some((k) => k.endsWith(':refused'))).toBe(true);
    expect((await needCountsRepo.stored(db)).length).toBeGreaterThan(20);

    // an org move changes the ancestors: the counter is rebuilt in the move's transaction
    // a station of klmy's with cases in its subtree moves to dsz
    const inStation = await db
      .selectFrom('needs')
      .select('org_path')
      .where('org_path', 'like', '650200/650203/%/')
      .where('status', '!=', 'merged')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const stationPath = `${inStation.org_path.split('/').slice(0, 3).join('/')}/`;
    const station = await db
      .selectFrom('orgs')
      .select(['id', 'version'])
      .where('path', '=', stationPath)
      .executeTakeFirstOrThrow();
    // (as the system administrator, whose move needs a second factor over HTTP)
    const root = await db
      .selectFrom('orgs')
      .select(['id', 'path', 'name'])
      .where('depth', '=', 0)
      .executeTakeFirstOrThrow();
    const admin = { actor: systemActor(root), requestId: 'test', ip: '127.0.0.1' };
    await (env.services.orgs as OrgsService).move(admin, station.id, {
      version: station.version,
      parentId: orgs.dsz!.id,
    });
    expect(await db.selectFrom('orgs').select('path').where('id', '=', station.id).executeTakeFirstOrThrow()).toEqual({
      path: expect.stringMatching(/^650200\/650202\//),
    });
    expect(await differences()).toEqual([]);
    await expectWidgetEqualsCases();
  });

  it('is filled by its migration from the cases already there', async () => {
    const db = env.p.handle.db;
    const before = await needCountsRepo.stored(db);
    await db.schema.dropTable('need_counts').execute();
    await needCounts0031(dialect).up(db as never);
    expect(await differences()).toEqual([]);
    expect((await needCountsRepo.stored(db)).length).toBe(before.length);
  });

  it('is checked by `doctor`, which finds a broken row and rebuilds', async () => {
    const db = env.p.handle.db;
    expect((await needsDoctor(db, false)).ok).toBe(true);
    const row = (await needCountsRepo.stored(db))[0]!;
    await db
      .updateTable('need_counts')
      .set({ n: row.n + 5 })
      .where('reach', '=', row.reach)
      .where('scope_path', '=', row.scope_path)
      .where('status', '=', row.status)
      .where('lead_org_id', '=', row.lead_org_id)
      .where('deadline', '=', row.deadline)
      .execute();
    const broken = await needsDoctor(db, false);
    expect(broken.ok).toBe(false);
    expect(broken.lines.join('\n')).toContain(`存储 ${row.n + 5}，应为 ${row.n}`);
    expect((await needsDoctor(db, true)).ok).toBe(true);
    expect(await differences()).toEqual([]);
  });
});
