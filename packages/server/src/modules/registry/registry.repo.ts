import {
  type BeneficiaryListItem,
  type BeneficiaryStatus,
  CATEGORIES,
  type CategoryAssignment,
  type CategoryCode,
} from '@shuangyong/shared';
import {
  type CompiledQuery,
  type Expression,
  type ExpressionBuilder,
  expressionBuilder,
  type Insertable,
  type RawBuilder,
  type Selectable,
  sql,
} from 'kysely';
import { districtOf, prefixEnd, type Scope, SYSTEM_SCOPE, scopeWhere } from '../../platform/access/scope.js';
import {
  bulkInsertFlat,
  type FlatRows,
  flatStatements,
  type PgInsert,
  pgInserts,
  toFlatRows,
} from '../../platform/db/bulk.js';
import { type DbHandle, type Dialect, dialectOfQueryable, type Queryable, toNumber } from '../../platform/db/index.js';
import { nameIndexStatement } from '../../platform/db/name-index.js';
import type {
  BeneficiariesTable,
  BeneficiaryCategoriesTable,
  Database,
  MergesTable,
} from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import { inWriter, writerBatch } from '../../platform/db/writer.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';

export type BeneficiaryRow = Selectable<BeneficiariesTable>;
export const BENEFICIARY_SCOPE = { path: 'b.org_path', orgId: 'b.org_id', owner: 'b.created_by' } as const;
/** Statuses a list shows; 'merged' rows are hidden everywhere but in the merge history. */
export const LISTED_STATUSES = ['active', 'deceased', 'moved_out', 'suspended'] as const;

export interface ListFilter {
  q?: { kind: 'han'; text: string } | { kind: 'latin'; text: string };
  orgPath?: string;
  category?: CategoryCode;
  status?: BeneficiaryStatus;
  birthFrom?: string;
  birthTo?: string;
  plaque?: string;
  /** Only these people (an export of the rows chosen on the list). */
  ids?: readonly string[];
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/** True for a district's own path ('650200/650203/'): lists of it use the district index. */
const isDistrictPath = (path: string) => path.split('/').length === 3;

/**
 * The list query. With a category filter it is driven from `beneficiary_categories` (which carries
 * the person's status, path, district and sort name), so "district + category + status, page in
 * name order" is a walk along one index and its total a count over that index's range; without one
 * it is driven from `beneficiaries` by the same shape of index. Personal columns come from `b`.
 */
// biome-ignore lint/suspicious/noExplicitAny: two FROM shapes share the filters below
function listQuery(db: Queryable, scope: Scope, f: ListFilter, forPage = true): any {
  const q = f.q;
  // Which table drives the query: a name search starts from its few candidates (the name index or the
  // pinyin indexes), a category filter from the category table, anything else from the people.
  // CROSS JOIN keeps SQLite from turning it around (PostgreSQL plans joins freely either way).
  const mode = q ? 'name' : f.category !== undefined ? 'category' : 'person';
  const t = mode === 'category' ? 'bc' : 'b';
  // a count driven from the category table needs the person row only for filters that live there
  const needPerson =
    forPage ||
    mode !== 'category' ||
    scope.kind === 'org' ||
    scope.kind === 'own' ||
    !!(f.birthFrom || f.birthTo || f.plaque || f.ids);
  const district = scope.kind === 'subtree' && isDistrictPath(scope.path) ? scope.path : undefined;
  // biome-ignore lint/suspicious/noExplicitAny: several FROM shapes share the filters below
  let qb: any;
  if (q?.kind === 'han') {
    // the person's first gram of the query, behind the district in a district's search (decisions/0087)
    const gram = [...q.text.replace(/[·\s]/g, '')].slice(0, 2).join('');
    qb = db
      .selectFrom(tokenHits(db, gram, district).as('g'))
      .crossJoin('beneficiaries as b')
      .where(dialectOfQueryable(db) === 'sqlite' ? sql<boolean>`b.rowid = g.r` : sql<boolean>`b.id = g.r`)
      .where('b.name_simplified', 'like', `%${escapeLike(q.text)}%`);
  } else if (q?.kind === 'latin') {
    qb = db
      .selectFrom((eb) =>
        eb
          .selectFrom('beneficiaries as n1')
          .select('n1.id')
          .where('n1.name_initials', '>=', q.text)
          .where('n1.name_initials', '<', `${q.text}\uffff`)
          .union(
            eb
              .selectFrom('beneficiaries as n2')
              .select('n2.id')
              .where('n2.name_pinyin', '>=', q.text)
              .where('n2.name_pinyin', '<', `${q.text}\uffff`),
          )
          .as('m'),
      )
      .crossJoin('beneficiaries as b')
      .whereRef('b.id', '=', 'm.id');
  } else if (mode === 'category') {
    qb = db.selectFrom('beneficiary_categories as bc').where('bc.code', '=', f.category!);
    if (needPerson) qb = qb.innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id');
  } else qb = db.selectFrom('beneficiaries as b');
  if (mode === 'name' && f.category !== undefined) {
    const code = f.category;
    // biome-ignore lint/suspicious/noExplicitAny: see above
    qb = qb.where((eb: any) =>
      eb.exists(
        eb
          .selectFrom('beneficiary_categories as bc')
          .select('bc.beneficiary_id')
          .whereRef('bc.beneficiary_id', '=', 'b.id')
          .where('bc.code', '=', code),
      ),
    );
  }
  // The scope, applied here for every list: a district's subtree is exactly its district_path
  // (kept equal to the first two segments of org_path by every writer and by org moves), which the
  // list indexes lead with; any other scope becomes the usual path range or org filter.
  if (district) qb = qb.where(`${t}.district_path`, '=', district);
  else {
    const cols = { path: `${t}.org_path`, orgId: 'b.org_id', owner: 'b.created_by' };
    qb = qb.where((eb: Parameters<typeof scopeWhere>[0]) => scopeWhere(eb, scope, cols));
  }
  if (f.orgPath && isDistrictPath(f.orgPath)) qb = qb.where(`${t}.district_path`, '=', f.orgPath);
  else if (f.orgPath) qb = qb.where(`${t}.org_path`, '>=', f.orgPath).where(`${t}.org_path`, '<', prefixEnd(f.orgPath));
  qb = f.status ? qb.where(`${t}.status`, '=', f.status) : qb.where(`${t}.status`, 'in', [...LISTED_STATUSES]);
  if (f.ids) qb = qb.where('b.id', 'in', [...f.ids]);
  if (f.birthFrom) qb = qb.where('b.birth_date', '>=', f.birthFrom);
  if (f.birthTo) qb = qb.where('b.birth_date', '<=', f.birthTo);
  if (f.plaque) {
    const status = f.plaque;
    // biome-ignore lint/suspicious/noExplicitAny: see above
    qb = qb.where((eb: any) =>
      eb.exists(
        eb
          .selectFrom('households as h')
          .select('h.id')
          .whereRef('h.id', '=', 'b.household_id')
          .where('h.plaque_status', '=', status),
      ),
    );
  }
  return qb;
}

/** A list query's rows with their station's name as `org_name` (every row: the export and `scan`). */
// biome-ignore lint/suspicious/noExplicitAny: listQuery's several FROM shapes
const withOrgName = (qb: any): any => qb.innerJoin('orgs as o', 'o.id', 'b.org_id').select('o.name as org_name');

const SORT = { name: 'b.name_pinyin', birthDate: 'b.birth_date', updatedAt: 'b.updated_at' } as const;
/** The row field each sort reads (a cursor carries its value and the id). */
const SORT_FIELD = { name: 'name_pinyin', birthDate: 'birth_date', updatedAt: 'updated_at' } as const;
/** Beyond this many rows, a total the maintained counts do not cover is shown as "10,000+". */
export const TOTAL_CAP = 10_000;

/** A page cursor: the last row's sort value and id, base64url JSON (opaque to the browser). */
export function encodeCursor(v: [string, string]): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

export function decodeCursor(c: string): [string, string] | null {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
      ? [v[0], v[1]]
      : null;
  } catch {
    return null;
  }
}

/** Sort columns when the list is driven from the category table (its own copy keeps the index order). */
const SORT_VIA_CATEGORY = { name: 'bc.sort_name', birthDate: 'b.birth_date', updatedAt: 'b.updated_at' } as const;

export function toListItem(r: BeneficiaryRow & { org_name: string }): BeneficiaryListItem {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex as 'male' | 'female',
    birthDate: r.birth_date,
    idMasked: r.id_masked,
    phoneMasked: r.phone_masked,
    categories: (r.categories ? r.categories.split(',') : []) as CategoryCode[],
    status: r.status as BeneficiaryStatus,
    orgId: r.org_id,
    orgName: r.org_name,
    householdId: r.household_id,
    version: r.version,
  };
}

/** The 1- and 2-character pieces of a simplified name (middle dots and spaces dropped), without repeats. */
export function nameGrams(simplified: string): string[] {
  const chars = [...simplified.replace(/[·\s]/g, '')];
  const grams = new Set<string>();
  chars.forEach((c, i) => {
    grams.add(c);
    if (i + 1 < chars.length) grams.add(c + chars[i + 1]);
  });
  return [...grams];
}

/**
 * The name index's tokens of a person (decisions/0087): each gram of the name as it is (found by a
 * search of the whole city) and behind the person's district path (found by a search of that
 * district: `650200/650203/建国`). Names have no digits and no '/', so neither form can be mistaken
 * for the other; the database makes the same tokens set-wise (`nameIndexStatement`).
 */
export function nameTokens(simplified: string, districtPath: string): string[] {
  const grams = nameGrams(simplified);
  return [...grams, ...grams.map((g) => districtPath + g)];
}

/**
 * ASCII characters the SQLite name index's tokenizer splits on (ascii, with '-', '_', '.', '/' kept
 * as token characters: migration 0043). No name holds one, so a search gram with one finds nobody.
 */
const splitsToken = (token: string) => [...token].some((c) => c.charCodeAt(0) < 128 && !/[\w./-]/.test(c));

/** `scope` on the people `b` of a name index statement (a raw SQL condition). */
const personInScope = (scope: Scope) => scopeWhere(expressionBuilder<Database, never>(), scope, BENEFICIARY_SCOPE);

/**
 * The people of a name search's token, as a derived table `g` with their key `r` (the person's
 * rowid on SQLite, where the index is an FTS5 table; the person's id on PostgreSQL, where it is a
 * text[] column under a GIN index).
 */
function tokenHits(db: Queryable, gram: string, district: string | undefined): RawBuilder<{ r: string | number }> {
  const token = `${district ?? ''}${gram}`;
  if (dialectOfQueryable(db) === 'postgres')
    return sql`(SELECT beneficiary_id AS r FROM beneficiary_name_index WHERE tokens @> ARRAY[${token}]::text[])`;
  if (!gram || splitsToken(token)) return sql`(SELECT NULL AS r WHERE 0)`;
  return sql`(SELECT rowid AS r FROM beneficiary_name_index WHERE beneficiary_name_index MATCH ${`"${token}"`})`;
}

/** The name index (decisions/0087): its entries, their number, a rebuild of all of them. */
export const nameIndexRepo = {
  /** The entries of the people `ids`, or of everyone: each person's tokens, sorted. */
  async entries(db: Queryable, scope: Scope, ids?: readonly string[]) {
    const sqlite = dialectOfQueryable(db) === 'sqlite';
    const inScope = personInScope(scope);
    const which = ids ? sql`WHERE ${inScope} AND b.id IN (${sql.join(ids)})` : sql`WHERE ${inScope}`;
    const { rows } = sqlite
      ? await sql<{ id: string; tokens: string }>`SELECT b.id, g.tokens FROM beneficiary_name_index AS g
          JOIN beneficiaries AS b ON b.rowid = g.rowid ${which}`.execute(db)
      : await sql<{ id: string; tokens: string[] }>`SELECT b.id, g.tokens FROM beneficiary_name_index AS g
          JOIN beneficiaries AS b ON b.id = g.beneficiary_id ${which}`.execute(db);
    return rows.map((r) => ({
      id: r.id,
      tokens: (typeof r.tokens === 'string' ? r.tokens.split(' ') : r.tokens).sort(),
    }));
  },

  /** The names and districts of the next `limit` people after the id `after`, by id (a walk over everyone). */
  namesAfter(db: Queryable, scope: Scope, after: string, limit: number) {
    return db
      .selectFrom('beneficiaries as b')
      .select(['b.id', 'b.name_simplified', 'b.district_path'])
      .where((eb) => scopeWhere(eb, scope, BENEFICIARY_SCOPE))
      .where('b.id', '>', after)
      .orderBy('b.id')
      .limit(limit)
      .execute();
  },

  async count(db: Queryable): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM beneficiary_name_index`.execute(db);
    return toNumber(rows[0]!.n);
  },

  /**
   * Rewrites the entries of the people below `prefix`: their district tokens follow their
   * district_path (run by an org move after it has rewritten the paths).
   */
  async reindexBelow(trx: Queryable, prefix: string) {
    const where = sql`b.org_path >= ${prefix} AND b.org_path < ${prefixEnd(prefix)}`;
    await nameIndexStatement(dialectOfQueryable(trx), { from: sql`beneficiaries AS b`, where }, true).execute(trx);
  },

  /** Every entry made again from the people's names (`shuangyong doctor --rebuild`). */
  async rebuild(db: Queryable): Promise<void> {
    await sql`DELETE FROM beneficiary_name_index`.execute(db);
    await nameIndexStatement(dialectOfQueryable(db), { from: sql`beneficiaries AS b`, where: sql`1 = 1` }).execute(db);
  },
};

/** The name index of the people `ids` just inserted, in `scope` (the import passes SYSTEM_SCOPE: the rows it has just written). */
function nameIndexOf(dialect: Dialect, scope: Scope, ids: readonly string[]) {
  const inScope = personInScope(scope);
  return nameIndexStatement(
    dialect,
    dialect === 'sqlite'
      ? {
          from: sql`json_each(${JSON.stringify(ids)}) AS j CROSS JOIN beneficiaries AS b`,
          where: sql`b.id = j.value AND ${inScope}`,
        }
      : { from: sql`beneficiaries AS b`, where: sql`b.id = ANY(${[...ids]}::text[]) AND ${inScope}` },
  );
}

/** The stage's tables (`PeopleLoad`), by the registry table whose rows they hold. */
const STAGE = {
  beneficiaries: 'import_stage_beneficiaries',
  beneficiary_categories: 'import_stage_categories',
} as const;

/**
 * The order each staged table is written in (decisions/0088). `finish` indexes the stage on it
 * first, so the write reads the stage in that index's order: sorting the whole rows instead took
 * the writer ~64 MB more (decisions/0093).
 */
const STAGE_ORDER = {
  beneficiaries: ['name_pinyin', 'id'],
  beneficiary_categories: ['code', 'sort_name', 'beneficiary_id'],
} as const satisfies Record<keyof typeof STAGE, readonly string[]>;

/** The statements that write a staged table into its registry table, in STAGE_ORDER. */
export function stageWrites(table: keyof typeof STAGE): RawBuilder<unknown>[] {
  const stage = STAGE[table];
  const order = sql.join(STAGE_ORDER[table].map((c) => sql.ref(c)));
  return [
    sql`CREATE INDEX ${sql.id(`${stage}_order`)} ON ${sql.table(stage)} (${order})`,
    sql`INSERT INTO ${sql.table(table)} SELECT * FROM ${sql.table(stage)} ORDER BY ${order}`,
  ];
}

/** New people as flat rows (`importRepo.insertPeopleFlat`): households, people, category rows, the people's ids and count deltas. */
export interface PeopleRows {
  households: FlatRows;
  people: FlatRows;
  categories: FlatRows;
  ids: readonly string[];
  deltas: readonly CountDelta[];
}

/** A batch of `PeopleLoad` ready to add: on PostgreSQL with its one statement. */
export interface PreparedPeople {
  rows: PeopleRows;
  statement?: CompiledQuery;
}

/** The tables the stage stands in for (`insertPeopleFlat` without `stage`). */
const REGISTERED = { beneficiaries: 'beneficiaries', beneficiary_categories: 'beneficiary_categories' } as const;

/** Runs `statements` in order in `trx`: as one message in a transaction of the writer worker. */
async function runAll(trx: Queryable, statements: readonly RawBuilder<unknown>[]) {
  if (inWriter(trx))
    await writerBatch(
      trx,
      statements.map((s) => s.compile(trx)),
    );
  else for (const s of statements) await s.execute(trx);
}

/**
 * New people written in many batches in one transaction (the import commit, decisions/0088), then
 * finished: their name index entries written at once.
 * - On SQLite the people and their category rows wait in a stage — temporary tables without
 *   indexes, made in the transaction (a rollback leaves nothing behind) — and `finish` writes each
 *   table in one statement, sorted by name (then code and name): most of their indexes lead with
 *   those, so the inserts walk them in order instead of landing on a random page each (at 10^6,
 *   the people's random inserts thrashed the writer's page cache).
 * - On PostgreSQL, whose buffers hold the indexes, the rows go in directly (a stage measured slower).
 */
export class PeopleLoad {
  private readonly ids: string[] = [];
  private constructor(
    private readonly handle: DbHandle,
    private readonly trx: Queryable,
    private readonly staged: boolean,
  ) {}

  static async open(handle: DbHandle, trx: Queryable): Promise<PeopleLoad> {
    const staged = handle.dialect === 'sqlite';
    if (staged)
      await runAll(
        trx,
        Object.entries(STAGE).map(
          ([table, stage]) => sql`CREATE TEMP TABLE ${sql.table(stage)} AS SELECT * FROM ${sql.table(table)} WHERE 0`,
        ),
      );
    return new PeopleLoad(handle, trx, staged);
  }

  /**
   * A batch of new people (`insertPeopleFlat`'s rows) made ready to `add`: on PostgreSQL one
   * statement for all of its tables and counts (`pgInserts`), compiled with its values written out,
   * so it is made while the previous batch is still being written and sent at once when it is done.
   */
  async prepare(rows: PeopleRows): Promise<PreparedPeople> {
    if (this.staged) return { rows };
    const statement = await pgInserts(this.handle, this.trx, [
      { table: 'households', rows: rows.households },
      { table: 'beneficiaries', rows: rows.people },
      { table: 'beneficiary_categories', rows: rows.categories },
      countsRepo.pgUpsert(rows.deltas),
    ]);
    return { rows, statement: statement?.compile(this.trx) };
  }

  /** A batch of new people, as `prepare` made it ready. */
  async add({ rows, statement }: PreparedPeople) {
    if (!this.staged) for (const id of rows.ids) this.ids.push(id);
    if (statement) await this.trx.executeQuery(statement);
    else await importRepo.insertPeopleFlat(this.handle, this.trx, rows, { stage: this.staged, names: false });
  }

  /**
   * Writes what is staged, sorted, and the name index entries of every person added in `scope`
   * (the import passes SYSTEM_SCOPE: the rows it has just written); drops the stage.
   */
  async finish(scope: Scope) {
    if (!this.staged) {
      if (this.ids.length) await nameIndexOf(this.handle.dialect, scope, this.ids).execute(this.trx);
      return;
    }
    const stage = STAGE.beneficiaries;
    await runAll(this.trx, [
      ...stageWrites('beneficiaries'),
      ...stageWrites('beneficiary_categories'),
      nameIndexStatement('sqlite', {
        from: sql`${sql.table(stage)} AS s CROSS JOIN beneficiaries AS b`,
        where: sql`b.id = s.id AND ${personInScope(scope)}`,
      }),
      ...Object.values(STAGE).map((t) => sql`DROP TABLE ${sql.table(t)}`),
    ]);
  }
}

/** What the import reads and writes: the importer's org subtree, the districts, people by blind index, bulk rows. */
export const importRepo = {
  async org(db: Queryable, id: string) {
    return db.selectFrom('orgs').select(['id', 'path', 'name']).where('id', '=', id).executeTakeFirstOrThrow();
  },

  /** The active bureaus and stations of a subtree (where imported people may belong). */
  async placesUnder(db: Queryable, path: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'path', 'name', 'depth', 'code', 'region_code'])
      .where('path', '>=', path)
      .where('path', '<', prefixEnd(path))
      .where('active', '=', 1)
      .where('type', 'in', ['veterans_bureau', 'service_station'])
      .execute();
  },

  async districts(db: Queryable) {
    return db
      .selectFrom('orgs')
      .select(['id', 'path', 'name', 'region_code'])
      .where('depth', '=', 1)
      .where('type', '=', 'veterans_bureau')
      .execute();
  },

  /** City-wide on purpose (an ID number is one person in the whole city; callers pass SYSTEM_SCOPE): the people of these blind indexes. */
  async byBlindIndexes(db: Queryable, scope: Scope, bis: readonly string[]) {
    if (!bis.length) return [];
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'id_bi', 'org_id', 'org_path', 'status', 'phone_enc', 'address_enc', 'note'])
      .where('id_bi', 'in', [...bis])
      .execute();
  },

  /**
   * New people in bulk (the import commit and the synthetic seeder, decisions/0069): households,
   * people and category rows as flat rows, each table in multi-row statements
   * (platform/db/bulk.ts), then their name index entries made set-wise from the rows just written and the
   * maintained counts (`deltas`: `countDeltas` of each new person, any order, summed or not;
   * decisions/0029). `PeopleLoad` (the import) puts the people and their category rows in its
   * stage (`stage`) and writes the name index entries itself (`names: false`). In a transaction of
   * the writer worker all of them go in one message (decisions/0076): the worker writes them back
   * to back without waiting for the event loop.
   */
  async insertPeopleFlat(handle: DbHandle, trx: Queryable, rows: PeopleRows, { stage = false, names = true } = {}) {
    if (!rows.ids.length) return;
    const into = stage ? STAGE : REGISTERED;
    if (inWriter(trx)) {
      await writerBatch(trx, [
        ...flatStatements('households', rows.households),
        ...flatStatements(into.beneficiaries, rows.people),
        ...flatStatements(into.beneficiary_categories, rows.categories),
        ...(names ? [nameIndexOf('sqlite', SYSTEM_SCOPE, rows.ids).compile(trx)] : []),
        ...countsRepo.statements(trx, rows.deltas),
      ]);
      return;
    }
    await bulkInsertFlat(handle, 'households', rows.households, trx);
    await bulkInsertFlat(handle, into.beneficiaries, rows.people, trx);
    await bulkInsertFlat(handle, into.beneficiary_categories, rows.categories, trx);
    if (names) await nameIndexOf(handle.dialect, SYSTEM_SCOPE, rows.ids).execute(trx);
    await countsRepo.apply(trx, rows.deltas);
  },

  /**
   * Changed phone / address / note of many people in one statement per 500 (UPDATE … FROM VALUES;
   * a NULL in a column keeps the stored value), each person's version + 1.
   */
  async applyChanges(
    trx: Queryable,
    changes: readonly {
      id: string;
      phone_enc: string | null;
      phone_masked: string | null;
      address_enc: string | null;
      address_masked: string | null;
      note: string | null;
    }[],
    now: string,
  ) {
    for (let i = 0; i < changes.length; i += 500) {
      const values = sql.join(
        changes
          .slice(i, i + 500)
          .map(
            (c) => sql`(${c.id}, ${c.phone_enc}, ${c.phone_masked}, ${c.address_enc}, ${c.address_masked}, ${c.note})`,
          ),
      );
      await sql`
        UPDATE beneficiaries SET
          phone_enc = COALESCE(v.column2, beneficiaries.phone_enc),
          phone_masked = COALESCE(v.column3, beneficiaries.phone_masked),
          address_enc = COALESCE(v.column4, beneficiaries.address_enc),
          address_masked = COALESCE(v.column5, beneficiaries.address_masked),
          note = COALESCE(v.column6, beneficiaries.note),
          version = beneficiaries.version + 1,
          updated_at = ${now}
        FROM (VALUES ${values}) AS v
        WHERE beneficiaries.id = v.column1`.execute(trx);
    }
  },
};

/** The categories that carry a disability grade. */
const GRADED_CODES = CATEGORIES.filter((c) => c.requiresDisabilityGrade).map((c) => c.code);

/**
 * The export's grade columns (decisions/0065): the grade and 性质 in force (the first graded
 * category) and the last grade decision's date and number — one index probe each, for graded people only.
 */
function gradeColumns(scope: Scope) {
  return (eb: ExpressionBuilder<Database & { b: BeneficiariesTable }, 'b'>) => {
    // only people who hold a graded category (disabled_veteran, disabled_person) have a grade: the
    // four lookups run for them alone, not for every row of an export (decisions/0091)
    const holdsGrade = sql.join(
      GRADED_CODES.map((c) => sql`(',' || ${sql.ref('b.categories')} || ',') LIKE ${`%,${c},%`}`),
      sql` OR `,
    );
    const ifGraded = <T>(e: Expression<T>) => sql<T | null>`CASE WHEN ${holdsGrade} THEN (${e}) END`;
    const graded = (col: 'disability_grade' | 'disability_cause') =>
      eb
        .selectFrom('beneficiary_categories as cx')
        .select(`cx.${col}`)
        .whereRef('cx.beneficiary_id', '=', 'b.id')
        .where('cx.disability_grade', 'is not', null)
        .where((e2) => scopeWhere(e2, scope, { path: 'cx.org_path' }))
        .orderBy('cx.code')
        .limit(1);
    const decision = (col: 'effective_date' | 'document_no') =>
      eb
        .selectFrom('beneficiary_grade_changes as gx')
        .select(`gx.${col}`)
        .whereRef('gx.beneficiary_id', '=', 'b.id')
        .orderBy('gx.effective_date', 'desc')
        .limit(1);
    return [
      ifGraded(graded('disability_grade')).as('disability_grade'),
      ifGraded(graded('disability_cause')).as('disability_cause'),
      ifGraded(decision('effective_date')).as('grade_decision_date'),
      ifGraded(decision('document_no')).as('grade_document_no'),
    ];
  };
}

export const registryRepo = {
  /** Sets the name index entry of one person (new, renamed or in a new district: decisions/0087), written before in this transaction. */
  async setNameIndex(db: Queryable, scope: Scope, p: { id: string; name_simplified: string; org_path: string }) {
    const tokens = nameTokens(p.name_simplified, districtOf(p.org_path));
    const inScope = personInScope(scope);
    if (dialectOfQueryable(db) === 'sqlite')
      await sql`INSERT OR REPLACE INTO beneficiary_name_index (rowid, tokens)
                SELECT b.rowid, ${tokens.join(' ')} FROM beneficiaries AS b WHERE b.id = ${p.id} AND ${inScope}`.execute(
        db,
      );
    else
      await sql`INSERT INTO beneficiary_name_index (beneficiary_id, tokens)
                SELECT b.id, ${tokens}::text[] FROM beneficiaries AS b WHERE b.id = ${p.id} AND ${inScope}
                ON CONFLICT (beneficiary_id) DO UPDATE SET tokens = excluded.tokens`.execute(db);
  },

  /**
   * One page of the list and its total. The page is an offset into the sort order, or — given
   * `after`, the cursor of the previous page's last row — the next rows by keyset along the same
   * index (deep pages cost what the first does). The total is exact when the maintained counts
   * cover the filters (or `exact` is asked for); otherwise it is counted up to TOTAL_CAP and
   * `totalCapped` says there are more.
   */
  async page(
    db: Queryable,
    scope: Scope,
    f: ListFilter,
    o: {
      page: number;
      pageSize: number;
      sort: keyof typeof SORT;
      order: 'asc' | 'desc';
      after?: string | undefined;
      exact?: boolean | undefined;
    },
  ) {
    const via = f.category !== undefined && !f.q; // the same choice of driving table as listQuery
    const key = via ? SORT_VIA_CATEGORY[o.sort] : SORT[o.sort];
    const tie = via ? 'bc.beneficiary_id' : 'b.id';
    const cursor = o.after ? decodeCursor(o.after) : null;
    let qb = listQuery(db, scope, f).selectAll('b');
    if (cursor)
      qb = qb.where(
        sql`(${sql.ref(key)}, ${sql.ref(tie)}) ${sql.raw(o.order === 'asc' ? '>' : '<')} (${cursor[0]}, ${cursor[1]})`,
      );
    else qb = qb.offset((o.page - 1) * o.pageSize);
    // the station's name is joined to the page's rows only: joined before the sort, PostgreSQL
    // misjudged a name search's hits (a few estimated, thousands found) and compared each with
    // every org (surname search at 10^6: 60 → 31 ms)
    const page = qb.orderBy(sql.ref(key), o.order).orderBy(sql.ref(tie), o.order).limit(o.pageSize);
    const field = SORT_FIELD[o.sort];
    const [rows, counted] = await Promise.all([
      db
        .selectFrom(page.as('p'))
        .innerJoin('orgs as o', 'o.id', 'p.org_id')
        .selectAll('p')
        .select('o.name as org_name')
        .orderBy(`p.${field}`, o.order)
        .orderBy('p.id', o.order)
        .execute() as Promise<(BeneficiaryRow & { org_name: string })[]>,
      o.exact ? this.count(db, scope, f).then((n) => ({ n, capped: false })) : this.cappedCount(db, scope, f),
    ]);
    const last = rows.length === o.pageSize ? rows[rows.length - 1] : undefined;
    return {
      items: rows.map(toListItem),
      total: counted.n,
      totalCapped: counted.capped,
      nextCursor: last ? encodeCursor([String(last[SORT_FIELD[o.sort]]), last.id]) : null,
    };
  },

  /** The exact total of a filter: from the maintained counts when they cover it, else counted. */
  async count(db: Queryable, scope: Scope, f: ListFilter): Promise<number> {
    if (countsCover(scope, f)) return countsRepo.total(db, scope, f);
    const r = await listQuery(db, scope, f, false).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  /** The total, exact when the counts cover the filter, else counted up to TOTAL_CAP. */
  async cappedCount(
    db: Queryable,
    scope: Scope,
    f: ListFilter,
    cap = TOTAL_CAP,
  ): Promise<{ n: number; capped: boolean }> {
    if (countsCover(scope, f)) return { n: await countsRepo.total(db, scope, f), capped: false };
    const sub = listQuery(db, scope, f, false)
      .select(sql<number>`1`.as('one'))
      .limit(cap + 1);
    const r = await db.selectFrom(sub.as('x')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const n = toNumber(r.n);
    return n > cap ? { n: cap, capped: true } : { n, capped: false };
  },

  /**
   * Streams every row of a filter in pages, by keyset along the list's own index order
   * (sort name, id), so each page is an index range — never a re-sort of the whole district.
   */
  async *scan(db: Queryable, scope: Scope, f: ListFilter, batch = 2000) {
    const via = f.category !== undefined && !f.q;
    const [key, tie] = via ? ['bc.sort_name', 'bc.beneficiary_id'] : ['b.name_pinyin', 'b.id'];
    let after: [string, string] | null = null;
    for (;;) {
      let qb = withOrgName(listQuery(db, scope, f))
        .selectAll('b')
        .select(gradeColumns(scope));
      if (after) qb = qb.where(sql`(${sql.ref(key)}, ${sql.ref(tie)}) > (${after[0]}, ${after[1]})`);
      const rows: (BeneficiaryRow & { org_name: string })[] = await qb
        .orderBy(sql.ref(key))
        .orderBy(sql.ref(tie))
        .limit(batch)
        .execute();
      if (!rows.length) return;
      yield rows;
      const last = rows[rows.length - 1]!;
      after = [last.name_pinyin, last.id];
      if (rows.length < batch) return;
    }
  },

  /**
   * The one statement of an export: the given columns of `b` (and the station's name as
   * `org_name`) of every row of the filter, in the list's order (sort name, id) — the export
   * worker steps through it on a connection of its own (platform/files/table-export.ts).
   */
  exportQuery(db: Queryable, scope: Scope, f: ListFilter, columns: readonly (keyof BeneficiaryRow)[]) {
    const via = f.category !== undefined && !f.q;
    const [key, tie] = via ? ['bc.sort_name', 'bc.beneficiary_id'] : ['b.name_pinyin', 'b.id'];
    return withOrgName(listQuery(db, scope, f))
      .select(columns.map((c) => `b.${c}`))
      .select(gradeColumns(scope))
      .orderBy(sql.ref(key))
      .orderBy(sql.ref(tie))
      .compile() as CompiledQuery;
  },

  /** Names of the persons in scope among `ids` (the audit log's labels; the caller masks them). */
  names(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('beneficiaries as b')
      .select(['b.id', 'b.name'])
      .where('b.id', 'in', ids)
      .where((eb) => scopeWhere(eb, scope, BENEFICIARY_SCOPE))
      .execute();
  },

  async get(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('beneficiaries as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select('o.name as org_name')
      .where('b.id', '=', id)
      .where('b.status', '!=', 'merged')
      .where((eb) => scopeWhere(eb, scope, BENEFICIARY_SCOPE))
      .executeTakeFirst();
  },

  /** City-wide on purpose (callers pass SYSTEM_SCOPE): an ID number is one person in the whole city (duplicate detection). */
  async byBlindIndex(db: Queryable, scope: Scope, idBi: string) {
    return db
      .selectFrom('beneficiaries as b')
      .where((eb) => scopeWhere(eb, scope, BENEFICIARY_SCOPE))
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select('o.name as org_name')
      .where('b.id_bi', '=', idBi)
      .executeTakeFirst();
  },

  async assignments(db: Queryable, scope: Scope, beneficiaryId: string) {
    return db
      .selectFrom('beneficiary_categories')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('created_at')
      .orderBy('code')
      .execute();
  },

  async setCategories(
    db: Queryable,
    b: { id: string; status: string; org_path: string; name_pinyin: string },
    cats: CategoryAssignment[],
  ) {
    await db.deleteFrom('beneficiary_categories').where('beneficiary_id', '=', b.id).execute();
    if (!cats.length) return;
    const now = nowIso();
    await db
      .insertInto('beneficiary_categories')
      .values(
        cats.map((c) => ({
          id: uuidv7(),
          beneficiary_id: b.id,
          code: c.code,
          start_date: c.startDate ?? null,
          end_date: c.endDate ?? null,
          disability_grade: c.disabilityGrade ?? null,
          disability_cause: c.disabilityCause ?? null,
          relation: c.relation ?? null,
          certificate_no: c.certificateNo ?? null,
          status: b.status,
          org_path: b.org_path,
          district_path: districtOf(b.org_path),
          sort_name: b.name_pinyin,
          created_at: now,
        })),
      )
      .execute();
  },

  /** Keeps the denormalised status and path of the category rows in step with the person. */
  async syncCategoryRows(db: Queryable, id: string, status: string, orgPath: string, sortName?: string) {
    await db
      .updateTable('beneficiary_categories')
      .set({
        status,
        org_path: orgPath,
        district_path: districtOf(orgPath),
        ...(sortName ? { sort_name: sortName } : {}),
      })
      .where('beneficiary_id', '=', id)
      .execute();
  },

  async insert(db: Queryable, row: Insertable<BeneficiariesTable>) {
    await db.insertInto('beneficiaries').values(row).execute();
  },

  async update(db: Queryable, id: string, version: number, set: Partial<BeneficiaryRow>): Promise<boolean> {
    return updateVersioned(db, 'beneficiaries', id, version, { ...set, updated_at: nowIso() });
  },

  async householdMemberCategories(db: Queryable, scope: Scope, householdId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('beneficiary_categories as bc')
      .where((eb) => scopeWhere(eb, scope, { path: 'bc.org_path' }))
      .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
      .select('bc.code')
      .where('b.household_id', '=', householdId)
      .where('b.status', 'in', ['active'])
      .execute();
    return rows.map((r) => r.code);
  },
};

// ---------------------------------------------------------------------------------------------
// Maintained totals (decisions/0029): `beneficiary_counts` holds, per (org, code, status), how many
// persons (code PERSONS) and how many category rows (code = the category) there are. Every write
// that changes a person's org, status or categories applies the difference of the person's count
// keys before and after, in the same transaction; a list whose filters these keys cover reads its
// exact total as a sum over the orgs in scope.

/** The code of the per-person rows of `beneficiary_counts` (every other code is a category). */
export const PERSONS = '*';

/** What of a person the maintained counts depend on. */
export interface CountState {
  org_id: string;
  org_path: string;
  status: string;
  /** Category codes (the `categories` column's list, or an array). */
  categories: string | readonly string[];
}

export interface CountDelta {
  org_id: string;
  org_path: string;
  code: string;
  status: string;
  n: number;
}

const codesOf = (c: string | readonly string[]) => [
  ...new Set((typeof c === 'string' ? c.split(',') : c).filter((x) => x && x !== PERSONS)),
];

/** The count rows a person adds (sign 1) or removes (sign -1). */
export function countDeltas(s: CountState, sign: 1 | -1): CountDelta[] {
  const base = { org_id: s.org_id, org_path: s.org_path, status: s.status, n: sign };
  return [{ ...base, code: PERSONS }, ...codesOf(s.categories).map((code) => ({ ...base, code }))];
}

/** The change of the counts when a person goes from `before` (null: new) to `after` (null: gone). */
export function countChange(before: CountState | null, after: CountState | null): CountDelta[] {
  return [...(before ? countDeltas(before, -1) : []), ...(after ? countDeltas(after, 1) : [])];
}

const COUNT_ROWS_PER_STATEMENT = 500;

/** Deltas of one key summed, zero sums dropped. */
function summed(deltas: readonly CountDelta[]): CountDelta[] {
  const sum = new Map<string, CountDelta>();
  for (const d of deltas) {
    const k = `${d.org_id}\u0000${d.code}\u0000${d.status}`;
    const cur = sum.get(k);
    if (cur) cur.n += d.n;
    else sum.set(k, { ...d });
  }
  return [...sum.values()].filter((d) => d.n !== 0);
}

/**
 * Filters a maintained total answers exactly: anything but a name search, age, plaque or a list of
 * ids, under any scope but `own` (which filters on the creating user).
 */
export function countsCover(scope: Scope, f: ListFilter): boolean {
  return scope.kind !== 'own' && !f.q && !f.birthFrom && !f.birthTo && !f.plaque && !f.ids;
}

export const countsRepo = {
  /**
   * Adds deltas to the maintained counts, set-wise: deltas of one key are summed, zero sums dropped,
   * and the rest upserted a few hundred rows a statement (the bulk import and the seeder pass all
   * their new persons' deltas at once). Call it inside the transaction of the change.
   */
  async apply(db: Queryable, deltas: readonly CountDelta[]) {
    for (const q of countsRepo.statements(db, deltas)) await db.executeQuery(q);
  },

  /** The deltas' upsert as a part of one PostgreSQL statement (`pgInserts`). */
  pgUpsert(deltas: readonly CountDelta[]): PgInsert {
    return {
      table: 'beneficiary_counts',
      rows: toFlatRows(summed(deltas)),
      suffix: sql`ON CONFLICT (org_id, code, status) DO UPDATE SET n = beneficiary_counts.n + excluded.n, org_path = excluded.org_path`,
    };
  },

  /**
   * `apply`'s statements, compiled (a bulk load in the writer worker sends them with its rows in one
   * message: `importRepo.insertPeopleFlat`).
   */
  statements(db: Queryable, deltas: readonly CountDelta[]): CompiledQuery[] {
    const rows = summed(deltas);
    const out: CompiledQuery[] = [];
    for (let i = 0; i < rows.length; i += COUNT_ROWS_PER_STATEMENT)
      out.push(
        db
          .insertInto('beneficiary_counts')
          .values(rows.slice(i, i + COUNT_ROWS_PER_STATEMENT))
          .onConflict((oc) =>
            oc.columns(['org_id', 'code', 'status']).doUpdateSet((eb) => ({
              n: eb('beneficiary_counts.n', '+', eb.ref('excluded.n')),
              org_path: eb.ref('excluded.org_path'),
            })),
          )
          .compile(),
      );
    return out;
  },

  /** The exact total of a covered filter: a sum over the count rows of the orgs in scope. */
  async total(db: Queryable, scope: Scope, f: ListFilter): Promise<number> {
    let qb = db
      .selectFrom('beneficiary_counts as c')
      .select(sql<number>`coalesce(sum(c.n), 0)`.as('n'))
      .where('c.code', '=', f.category ?? PERSONS)
      .where((eb) => scopeWhere(eb, scope, { path: 'c.org_path', orgId: 'c.org_id' }));
    if (f.orgPath) qb = qb.where('c.org_path', '>=', f.orgPath).where('c.org_path', '<', prefixEnd(f.orgPath));
    qb = f.status ? qb.where('c.status', '=', f.status) : qb.where('c.status', 'in', [...LISTED_STATUSES]);
    const r = await qb.executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  /** The counts as the base tables say they should be (what `rebuild` writes). */
  async expected(db: Queryable, scope: Scope): Promise<CountDelta[]> {
    const persons = await db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['org_id', 'org_path', 'status', sql<number>`count(*)`.as('n')])
      .groupBy(['org_id', 'org_path', 'status'])
      .execute();
    const cats = await db
      .selectFrom('beneficiary_categories as bc')
      .where((eb) => scopeWhere(eb, scope, { path: 'bc.org_path' }))
      .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
      .select(['b.org_id', 'b.org_path', 'bc.code', 'b.status', sql<number>`count(*)`.as('n')])
      .groupBy(['b.org_id', 'b.org_path', 'bc.code', 'b.status'])
      .execute();
    return [
      ...persons.map((r) => ({ ...r, code: PERSONS, n: toNumber(r.n) })),
      ...cats.map((r) => ({ ...r, n: toNumber(r.n) })),
    ];
  },

  /** The maintained rows (zero rows left by changes dropped). */
  async stored(db: Queryable, scope: Scope): Promise<CountDelta[]> {
    const rows = await db
      .selectFrom('beneficiary_counts')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('n', '!=', 0)
      .execute();
    return rows.map((r) => ({ ...r, n: toNumber(r.n) }));
  },

  /** Rewrites the counts from the base tables (after a repair, or a load that bypassed them). */
  async rebuild(db: Queryable) {
    const rows = await this.expected(db, SYSTEM_SCOPE);
    await db.deleteFrom('beneficiary_counts').execute();
    for (let i = 0; i < rows.length; i += COUNT_ROWS_PER_STATEMENT)
      await db
        .insertInto('beneficiary_counts')
        .values(rows.slice(i, i + COUNT_ROWS_PER_STATEMENT))
        .execute();
    return rows.length;
  },
};

/**
 * Differences between the maintained counts and a rebuild: one line per key whose stored value is
 * not the expected one (empty when they agree).
 */
export function countDifferences(stored: readonly CountDelta[], expected: readonly CountDelta[]) {
  const key = (d: CountDelta) => `${d.org_id}|${d.org_path}|${d.code}|${d.status}`;
  const want = new Map(expected.filter((d) => d.n !== 0).map((d) => [key(d), d.n]));
  const have = new Map(stored.filter((d) => d.n !== 0).map((d) => [key(d), d.n]));
  const out: { key: string; stored: number; expected: number }[] = [];
  for (const [k, n] of want) if (have.get(k) !== n) out.push({ key: k, stored: have.get(k) ?? 0, expected: n });
  for (const [k, n] of have) if (!want.has(k)) out.push({ key: k, stored: n, expected: 0 });
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** The SQL of merges (merges.service.ts holds the rules). */
export const mergesRepo = {
  async visible(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('merges as m')
      .innerJoin('beneficiaries as b', 'b.id', 'm.survivor_id')
      .selectAll('m')
      .where('m.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, BENEFICIARY_SCOPE))
      .executeTakeFirst();
  },

  async person(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  },

  /** The survivor gains the absorbed record's category rows it lacked (with its own status and path). */
  async copyAssignments(
    db: Queryable,
    survivor: BeneficiaryRow,
    added: Selectable<BeneficiaryCategoriesTable>[],
    now: string,
  ) {
    if (!added.length) return;
    await db
      .insertInto('beneficiary_categories')
      .values(
        added.map((a) => ({
          ...a,
          id: uuidv7(),
          beneficiary_id: survivor.id,
          status: survivor.status,
          org_path: survivor.org_path,
          district_path: survivor.district_path,
          sort_name: survivor.name_pinyin,
          created_at: now,
        })),
      )
      .execute();
  },

  async dropAssignments(db: Queryable, beneficiaryId: string, codes: string[]) {
    if (!codes.length) return;
    await db
      .deleteFrom('beneficiary_categories')
      .where('beneficiary_id', '=', beneficiaryId)
      .where('code', 'in', codes)
      .execute();
  },

  async setPerson(
    db: Queryable,
    id: string,
    set: Pick<Partial<BeneficiaryRow>, 'categories' | 'status' | 'merged_into'> & { version: number },
    now: string,
  ) {
    await db
      .updateTable('beneficiaries')
      .set({ ...set, updated_at: now })
      .where('id', '=', id)
      .execute();
  },

  async insert(db: Queryable, row: Insertable<MergesTable>) {
    await db.insertInto('merges').values(row).execute();
  },

  async markUndone(db: Queryable, id: string, now: string) {
    await db.updateTable('merges').set({ undone_at: now }).where('id', '=', id).execute();
  },
};
