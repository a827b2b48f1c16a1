import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameIndexDoctor, registryDoctor } from '../src/modules/registry/doctor.js';
import { idBlindIndex } from '../src/modules/registry/personal-data.js';
import {
  countDifferences,
  countsRepo,
  nameIndexRepo,
  registryRepo,
  TOTAL_CAP,
} from '../src/modules/registry/registry.repo.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { type Actor, type RequestCtx, systemActor } from '../src/platform/auth/actor.js';
import { seededRandom } from '../src/platform/random.js';
import { signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * The maintained totals (decisions/0029) equal a rebuild from the base tables after a randomised
 * mix of creates, updates (status, categories, org, name), transfers, merges (and undos) and
 * deactivations (deceased / moved out — the registry never deletes a person), through the services
 * in their own transactions like the routes call them. 10^4 operations by default.
 */
const OPS = Number(process.env.COUNTS_MIX_OPS ?? 10_000);

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

const CATEGORY_SETS = [
  [{ code: 'veteran' }],
  [{ code: 'veteran' }, { code: 'combat_veteran' }],
  [{ code: 'demobilized_veteran' }],
  [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }],
  [{ code: 'serving_member_family' }, { code: 'veteran' }],
] as const;
const STATUSES = ['active', 'active', 'suspended', 'deceased', 'moved_out'] as const;
const SURNAMES = '王李张刘陈杨黄赵吴周';
const GIVEN = '建国军华明英秀兰伟芳';

function ctxOf(actor: Actor): RequestCtx {
  return { actor, requestId: 'counts-test', ip: '127.0.0.1' };
}

describe('maintained registry counts', () => {
  it(`equal a rebuild after a randomised mix of ${OPS} writes, and answer the list's totals`, async () => {
    const db = env.p.handle.db;
    const { registry, transfers, merges } = env.services.registry;
    const orgs = await db
      .selectFrom('orgs')
      .select(['id', 'path', 'name'])
      .where('type', 'in', ['veterans_bureau', 'service_station'])
      .orderBy('path')
      .execute();
    const root = orgs[0]!;
    const requester = ctxOf(systemActor(root, 'counts-requester'));
    const decider = ctxOf({ ...systemActor(root, 'counts-decider'), userId: 'counts-decider' });
    const rand = seededRandom(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const live: { id: string; idNumber: string; orgId: string }[] = [];
    const version = async (id: string) =>
      (await db.selectFrom('beneficiaries').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
    const done = { create: 0, update: 0, transfer: 0, merge: 0, unmerge: 0, deactivate: 0 };
    let serial = 0;

    for (let i = 0; i < OPS; i++) {
      const r = rand();
      if (live.length < 40 || r < 0.4) {
        serial++;
        const birth = new Date(Date.UTC(1930, 0, 1) + serial * 86_400_000).toISOString().slice(0, 10);
        const idNumber = makeId('650203', birth, 2 * (serial % 400) + 1);
        const org = pick(orgs);
        const d = await registry.create(requester, {
          orgId: org.id,
          name: pick([...SURNAMES]) + pick([...GIVEN]) + pick([...GIVEN]),
          idNumber,
          categories: [...pick(CATEGORY_SETS)].map((c) => ({ ...c })) as never,
          status: pick(STATUSES),
        });
        live.push({ id: d.id, idNumber, orgId: org.id });
        done.create++;
      } else if (r < 0.7) {
        const p = pick(live);
        const what = rand();
        const body: Record<string, unknown> = { version: await version(p.id) };
        if (what < 0.35) body.status = pick(STATUSES);
        else if (what < 0.65) body.categories = [...pick(CATEGORY_SETS)].map((c) => ({ ...c }));
        else if (what < 0.85) {
          const org = pick(orgs);
          body.orgId = org.id;
          p.orgId = org.id;
        } else {
          body.name = pick([...SURNAMES]) + pick([...GIVEN]);
          body.status = pick(STATUSES);
        }
        await registry.update(requester, p.id, body as never);
        done.update++;
      } else if (r < 0.8) {
        const p = pick(live);
        const to = pick(orgs.filter((o) => o.id !== p.orgId));
        const t = await transfers.request(
          requester,
          { idNumber: p.idNumber, toOrgId: to.id, reason: '随机迁移' },
          idBlindIndex(env.p.crypto, p.idNumber),
        );
        const accept = rand() < 0.8;
        await transfers.decide(decider, t.id, accept);
        if (accept) p.orgId = to.id;
        done.transfer++;
      } else if (r < 0.9) {
        const a = Math.floor(rand() * live.length);
        let b = Math.floor(rand() * live.length);
        if (b === a) b = (b + 1) % live.length;
        const survivor = live[a]!;
        const merged = live[b]!;
        const m = await merges.merge(requester, survivor.id, merged.id);
        live.splice(live.indexOf(merged), 1);
        done.merge++;
        if (rand() < 0.25) {
          await merges.undo(requester, m.id);
          live.push(merged);
          done.unmerge++;
        }
      } else {
        const p = pick(live);
        await registry.update(requester, p.id, {
          version: await version(p.id),
          status: rand() < 0.5 ? 'deceased' : 'moved_out',
        } as never);
        done.deactivate++;
      }
    }
    expect(
      done.create + done.update + done.transfer + done.merge + done.unmerge + done.deactivate,
    ).toBeGreaterThanOrEqual(OPS);
    expect(Math.min(done.update, done.transfer, done.merge, done.unmerge, done.deactivate)).toBeGreaterThan(0);

    // the maintained rows are exactly what a rebuild from the base tables writes
    const [stored, expected] = await Promise.all([
      countsRepo.stored(db, SYSTEM_SCOPE),
      countsRepo.expected(db, SYSTEM_SCOPE),
    ]);
    expect(countDifferences(stored, expected)).toEqual([]);
    expect(stored.length).toBeGreaterThan(50);

    // and every covered total equals a count of the rows, under each kind of scope
    const district = { kind: 'subtree' as const, path: '650200/650203/' };
    const street = { kind: 'subtree' as const, path: '650200/650203/650203001/' };
    const bureau = { kind: 'org' as const, orgId: root.id, path: root.path };
    for (const scope of [{ kind: 'all' as const }, district, street, bureau])
      for (const f of [
        {},
        { category: 'veteran' as const },
        { category: 'veteran' as const, status: 'deceased' as const },
      ])
        expect(await countsRepo.total(db, scope, f)).toBe(await rowCount(scope, f));
  }, 3_600_000); // 10^4 writes through the services: minutes on a loaded machine, never a time limit

  it('are checked by `doctor`, which finds a broken row and rebuilds', async () => {
    const db = env.p.handle.db;
    expect((await registryDoctor(db, false)).ok).toBe(true);
    const row = await db.selectFrom('beneficiary_counts').selectAll().where('n', '>', 0).executeTakeFirstOrThrow();
    await db
      .updateTable('beneficiary_counts')
      .set({ n: row.n + 3 })
      .where('org_id', '=', row.org_id)
      .where('code', '=', row.code)
      .where('status', '=', row.status)
      .execute();
    const broken = await registryDoctor(db, false);
    expect(broken.ok).toBe(false);
    expect(broken.lines.join('\n')).toContain(`${row.code}|${row.status}`);
    expect((await registryDoctor(db, true)).ok).toBe(true);
    expect((await registryDoctor(db, false)).ok).toBe(true);
  });

  it('leave the name index equal to the names, which `doctor` checks and rebuilds (decisions/0087)', async () => {
    const db = env.p.handle.db;
    // after the randomised mix above: renames, org changes, transfers, merges
    expect(await nameIndexDoctor(db, false)).toMatchObject({ ok: true });
    const [a] = await nameIndexRepo.namesAfter(db, SYSTEM_SCOPE, '', 1);
    await registryRepo.setNameIndex(db, SYSTEM_SCOPE, {
      id: a!.id,
      name_simplified: '错名',
      org_path: a!.district_path,
    });
    // and an entry of nobody (what a VACUUM that renumbered rowids would leave on SQLite)
    if (env.p.handle.dialect === 'sqlite')
      await sql`INSERT INTO beneficiary_name_index (rowid, tokens) VALUES (999999999, '孤')`.execute(db);
    else
      await sql`INSERT INTO beneficiary_name_index (beneficiary_id, tokens) VALUES ('nobody', ARRAY['孤'])`.execute(db);
    const broken = await nameIndexDoctor(db, false);
    expect(broken.ok).toBe(false);
    expect(broken.lines[0]).toContain('1 人的条目缺失或不符，1 条多余');
    expect((await nameIndexDoctor(db, true)).ok).toBe(true);
    expect(await nameIndexDoctor(db, false)).toMatchObject({ ok: true });
    expect((await nameIndexRepo.entries(db, SYSTEM_SCOPE, [a!.id]))[0]!.tokens).not.toContain('错名');
  });

  it('give the list an exact total, cap what they do not cover, and page deep by keyset', async () => {
    const klmy = await signedIn(env.app, 'klmy', '10.15.0.1');
    const list = (await klmy.get('/api/v1/beneficiaries?category=veteran&status=active&pageSize=7')).json();
    expect(list.totalCapped).toBe(false);
    expect(list.total).toBe(
      await rowCount({ kind: 'subtree', path: '650200/650203/' }, { category: 'veteran', status: 'active' }),
    );
    // walking by cursor visits every row once, in the same order as offsets do
    const byCursor: string[] = [];
    let after: string | null = null;
    do {
      const url: string = `/api/v1/beneficiaries?category=veteran&status=active&pageSize=7${after ? `&after=${after}` : ''}`;
      const page = (await klmy.get(url)).json();
      byCursor.push(...page.items.map((x: { id: string }) => x.id));
      after = page.nextCursor;
    } while (after);
    expect(byCursor.length).toBe(list.total);
    expect(new Set(byCursor).size).toBe(list.total);
    const third = (await klmy.get('/api/v1/beneficiaries?category=veteran&status=active&pageSize=7&page=3')).json();
    expect(third.items.map((x: { id: string }) => x.id)).toEqual(byCursor.slice(14, 21));
    // descending by cursor too
    const desc = (await klmy.get('/api/v1/beneficiaries?pageSize=5&order=desc')).json();
    const next = (await klmy.get(`/api/v1/beneficiaries?pageSize=5&order=desc&after=${desc.nextCursor}`)).json();
    const offset = (await klmy.get('/api/v1/beneficiaries?pageSize=5&order=desc&page=2')).json();
    expect(next.items.map((x: { id: string }) => x.id)).toEqual(offset.items.map((x: { id: string }) => x.id));

    // a filter the counts do not cover (age) is counted, exactly below the cap
    const aged = (await klmy.get('/api/v1/beneficiaries?ageMin=60')).json();
    expect(aged.totalCapped).toBe(false);
    const exact = (await klmy.get('/api/v1/beneficiaries?ageMin=60&exact=1')).json();
    expect(aged.total).toBe(exact.total);
    expect(exact.total).toBeGreaterThan(0);
  });

  it('stop counting an uncovered filter at the cap and count it exactly on demand', async () => {
    // a scope of its own: the cap is reached with a page of rows whose filter the counts do not cover
    const db = env.p.handle.db;
    const city = { kind: 'all' as const };
    const f = { birthTo: '2100-01-01' };
    const all = await countsRepo.total(db, city, {});
    if (all <= TOTAL_CAP) {
      // below the cap the count is exact; the cap itself is proven on a smaller cap below
      expect(await registryRepo.cappedCount(db, city, f)).toEqual({ n: all, capped: false });
    }
    const capped = await registryRepo.cappedCount(db, city, f, 100);
    expect(capped).toEqual({ n: 100, capped: true });
    expect(await registryRepo.count(db, city, f)).toBe(all);
  });
});

/** The rows a list would count, counted the slow way (what the maintained totals replace). */
async function rowCount(
  scope: Parameters<typeof countsRepo.total>[1],
  f: { category?: string; status?: string },
): Promise<number> {
  const db = env.p.handle.db;
  let qb = f.category
    ? db
        .selectFrom('beneficiary_categories as bc')
        .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
        .where('bc.code', '=', f.category)
    : db.selectFrom('beneficiaries as b');
  qb = f.status ? qb.where('b.status', '=', f.status) : qb.where('b.status', '!=', 'merged');
  if (scope.kind === 'subtree') qb = qb.where('b.org_path', 'like', `${scope.path}%`);
  if (scope.kind === 'org') qb = qb.where('b.org_id', '=', scope.orgId);
  const r = await qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
