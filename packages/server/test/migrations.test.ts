import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { nameIndexRepo, nameTokens } from '../src/modules/registry/registry.repo.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform, type Platform } from '../src/platform/context.js';
import { migrateToLatest } from '../src/platform/db/index.js';
import { migrationProvider } from '../src/platform/db/migrations/index.js';
import { freshDatabase } from './helpers.js';

let p: Platform;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  p = createPlatform(loadConfig({ databaseUrl: fresh.url, dataDir: fresh.dataDir, demo: true, logLevel: 'silent' }));
});
afterAll(async () => {
  await p?.handle.close();
  await drop?.();
});

describe('0006: visit plans, caps and budget lines belong to a campaign', () => {
  const now = '2026-11-29T00:00:00.000Z';
  const plan = (id: string, campaign: string) => sql`
    INSERT INTO visit_plans (id, campaign_id, title, org_id, org_path, status, rules, target_count, created_by,
      version, created_at, updated_at)
    VALUES (${id}, ${campaign}, '旧计划', 'o-city', '650200/', 'draft', '[]', 0, 'u', 1, ${now}, ${now})`;

  it('gives ids written before it a campaign of their own, then refuses ids that name none', async () => {
    const db = p.handle.db;
    const migrator = new Migrator({ db, provider: migrationProvider(p.handle.dialect) });
    const to5 = await migrator.migrateTo('0005_visits');
    expect(to5.error).toBeUndefined();
    await sql`
      INSERT INTO orgs (id, parent_id, code, name, type, side, path, depth, active, version, created_at, updated_at)
      VALUES ('o-city', NULL, '650200', '克拉玛依市', 'veterans_bureau', 'civil', '650200/', 0, 1, 1, ${now}, ${now}),
             ('o-klmy', 'o-city', '650203', '克拉玛依区', 'veterans_bureau', 'civil', '650200/650203/', 1, 1, 1, ${now}, ${now})`.execute(
      db,
    );
    await plan('p-old', 'spring-2026').execute(db);
    await sql`INSERT INTO visit_caps (campaign_id, version, updated_by, updated_at)
      VALUES ('caps-only', 1, 'u', ${now})`.execute(db);
    await sql`INSERT INTO visit_budget_lines (id, campaign_id, org_id, org_path, name, budget_fen, spent_fen, version, created_at)
      VALUES ('b-old', 'spring-2026', 'o-klmy', '650200/650203/', '区财政', 100, 0, 1, ${now})`.execute(db);

    expect(await migrateToLatest(p.handle)).toContain('0006_visit_campaigns');

    const made = await db
      .selectFrom('campaigns')
      .select(['id', 'org_id', 'org_path', 'status', 'kind'])
      .orderBy('id')
      .execute();
    expect(made).toEqual([
      { id: 'caps-only', org_id: 'o-city', org_path: '650200/', status: 'issued', kind: 'spring_festival' },
      { id: 'spring-2026', org_id: 'o-city', org_path: '650200/', status: 'issued', kind: 'spring_festival' },
    ]);
    // the old rows are still there and still point at their (now real) campaigns
    expect(await db.selectFrom('visit_plans').select(['id', 'campaign_id']).execute()).toEqual([
      { id: 'p-old', campaign_id: 'spring-2026' },
    ]);

    await expect(plan('p-new', 'no-such-campaign').execute(db)).rejects.toThrow(/foreign key/i);
    await expect(
      sql`UPDATE visit_budget_lines SET campaign_id = 'no-such-campaign' WHERE id = 'b-old'`.execute(db),
    ).rejects.toThrow(/foreign key/i);
    await expect(
      sql`INSERT INTO visit_caps (campaign_id, version, updated_by, updated_at) VALUES ('nope', 1, 'u', ${now})`.execute(
        db,
      ),
    ).rejects.toThrow(/foreign key/i);
    await expect(sql`DELETE FROM campaigns WHERE id = 'spring-2026'`.execute(db)).rejects.toThrow(/foreign key/i);
    // a plan of an existing campaign is accepted
    await plan('p-new', 'spring-2026').execute(db);
    expect(Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM visit_plans`.execute(db)).rows[0]!.n)).toBe(2);
  });

  it('0007: money sums past 2^31 fen are stored and read back as numbers', async () => {
    const db = p.handle.db;
    const big = 5_000_000_000; // 5,000 万元: a city budget line, or a community's campaign total
    await sql`INSERT INTO visit_budget_lines (id, campaign_id, org_id, org_path, name, budget_fen, spent_fen, version, created_at)
      VALUES ('b-big', 'spring-2026', 'o-city', '650200/', '市财政', ${big}, ${big - 1}, 1, ${now})`.execute(db);
    await sql`INSERT INTO visit_coverage (campaign_id, plan_id, team_id, category, org_id, org_path, planned, visited, visits, cash_fen, goods_fen)
      VALUES ('spring-2026', 'p-old', '', 'martyr_survivor', 'o-klmy', '650200/650203/', 1, 1, 1, ${big}, ${big})`.execute(
      db,
    );
    const line = await db
      .selectFrom('visit_budget_lines')
      .select(['budget_fen', 'spent_fen'])
      .where('id', '=', 'b-big')
      .executeTakeFirstOrThrow();
    expect(line).toEqual({ budget_fen: big, spent_fen: big - 1 });
    const sum = await sql<{ n: number }>`SELECT SUM(cash_fen) + SUM(goods_fen) AS n FROM visit_coverage`.execute(db);
    expect(Number(sum.rows[0]!.n)).toBe(2 * big);
  });

  it('0008: draft targets stay out of the campaign-wide indexes, which the planned-target queries reach', async () => {
    const db = p.handle.db;
    const defs =
      p.handle.dialect === 'sqlite'
        ? (
            await sql<{ name: string; def: string }>`SELECT name, sql AS def FROM sqlite_master
              WHERE type = 'index' AND tbl_name IN ('visit_targets', 'beneficiaries')`.execute(db)
          ).rows
        : (
            await sql<{ name: string; def: string }>`SELECT indexname AS name, indexdef AS def FROM pg_indexes
              WHERE tablename IN ('visit_targets', 'beneficiaries')`.execute(db)
          ).rows;
    const def = (name: string) => defs.find((d) => d.name === name)?.def ?? '';
    expect(def('visit_targets_priority')).toMatch(/WHERE \(?status = 'planned'/i);
    expect(def('visit_targets_path')).toMatch(/WHERE \(?status = 'planned'/i);
    expect(def('visit_targets_plan_key')).toMatch(/plan_id.*target_key/);
    expect(def('visit_targets_key')).toBe('');
    expect(def('beneficiaries_status_path_birth')).toMatch(/status.*org_path.*birth_date/);
    // the covering index replaces the narrow one (PostgreSQL in 0008, SQLite in 0040)
    expect(def('beneficiaries_status_path')).toBe('');
    if (p.handle.dialect === 'sqlite') {
      // the not-yet-visited list (status bound as a parameter) is served by the partial index
      const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM visit_targets
        WHERE campaign_id = ${'c'} AND status = ${'planned'} AND visit_count = 0
        ORDER BY priority_rank, oldest_birth LIMIT 20`.execute(db);
      expect(plan.rows.map((r) => r.detail).join(' | ')).toContain('visit_targets_priority');
    }
  });
});

describe('0040: beneficiaries keep the indexes their statements read', () => {
  it('drops the unused ones and reads birth dates of a district from its list index', async () => {
    await migrateToLatest(p.handle);
    const db = p.handle.db;
    const names = (
      p.handle.dialect === 'sqlite'
        ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'beneficiaries'
            AND sql IS NOT NULL`.execute(db)
        : await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'beneficiaries'
            AND indexname NOT IN ('beneficiaries_pkey', 'beneficiaries_id_bi_key')`.execute(db)
    ).rows.map((r) => r.name);
    expect(names.sort()).toEqual([
      'beneficiaries_district_name',
      'beneficiaries_household',
      'beneficiaries_initials',
      'beneficiaries_name_order',
      'beneficiaries_org_name',
      'beneficiaries_status_path_birth',
    ]);
    if (p.handle.dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT count(*) FROM beneficiaries
        WHERE district_path = ${'650200/650203/'} AND status IN ('active', 'deceased') AND birth_date >= ${'1950-01-01'}`.execute(
        db,
      );
      expect(plan.rows.map((r) => r.detail).join(' | ')).toContain('COVERING INDEX beneficiaries_district_name');
    }
  });
});

describe('0043: the name grams become an inverted index (decisions/0087)', () => {
  it('indexes the people registered before it and drops the grams', async () => {
    // a database of its own: the tests above have migrated theirs to the latest
    const fresh = await freshDatabase();
    const p = createPlatform(loadConfig({ databaseUrl: fresh.url, dataDir: fresh.dataDir, logLevel: 'silent' }));
    onTestFinished(async () => {
      await p.handle.close();
      await fresh.drop();
    });
    const db = p.handle.db;
    const migrator = new Migrator({ db, provider: migrationProvider(p.handle.dialect) });
    expect((await migrator.migrateTo('0042_name_grams_no_fk')).error).toBeUndefined();
    const now = '2026-12-05T00:00:00.000Z';
    await sql`
      INSERT INTO orgs (id, parent_id, code, name, type, side, path, depth, active, version, created_at, updated_at)
      VALUES ('o-0043', NULL, 'm43', '迁移测试', 'community', 'civil', 'm43/x/y/', 2, 1, 1, ${now}, ${now})`.execute(
      db,
    );
    const people = [
      { id: 'b-0043-1', name: '张建国', district: 'm43/x/' },
      { id: 'b-0043-2', name: '阿依古丽·买买提', district: 'm43/x/' },
    ];
    for (const b of people)
      await sql`
        INSERT INTO beneficiaries (id, org_id, org_path, district_path, name, name_simplified, name_pinyin,
          name_initials, id_enc, id_bi, id_masked, birth_date, sex, categories, status, version, created_at, updated_at)
        VALUES (${b.id}, 'o-0043', 'm43/x/y/', ${b.district}, ${b.name}, ${b.name}, 'p', 'i', 'e', ${`bi-${b.id}`},
          'm', '1950-01-01', 'male', '', 'active', 1, ${now}, ${now})`.execute(db);
    await migrateToLatest(p.handle);
    const entries = await nameIndexRepo.entries(db, SYSTEM_SCOPE, ['b-0043-1', 'b-0043-2']);
    expect(entries.sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(
      people.map((b) => ({ id: b.id, tokens: nameTokens(b.name, b.district).sort() })),
    );
    expect(entries[1]!.tokens).toContain('m43/x/古丽');
    expect(entries[1]!.tokens).not.toContain('丽·');
    expect(await db.introspection.getTables().then((t) => t.map((x) => x.name))).not.toContain(
      'beneficiary_name_grams',
    );
  });
});
