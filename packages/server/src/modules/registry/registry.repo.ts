import type { BeneficiaryListItem, BeneficiaryStatus, CategoryAssignment, CategoryCode } from '@shuangyong/shared';
import { type Selectable, sql } from 'kysely';
import { districtOf, prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { BeneficiariesTable } from '../../platform/db/schema.js';
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
  // Which table drives the query: a name search starts from its few candidates (the gram index or the
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
    const gram = [...q.text.replace(/[·\s]/g, '')].slice(0, 2).join('');
    qb = db
      .selectFrom('beneficiary_name_grams as g')
      .crossJoin('beneficiaries as b')
      .whereRef('b.id', '=', 'g.beneficiary_id')
      .where('g.gram', '=', gram)
      .where('b.name_simplified', 'like', `%${escapeLike(q.text)}%`);
    if (district) qb = qb.where('g.district_path', '=', district);
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
  if (forPage) qb = qb.innerJoin('orgs as o', 'o.id', 'b.org_id');
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

const SORT = { name: 'b.name_pinyin', birthDate: 'b.birth_date', updatedAt: 'b.updated_at' } as const;
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

export function gramRows(p: { id: string; name_simplified: string; org_path: string }) {
  const district_path = districtOf(p.org_path);
  return nameGrams(p.name_simplified).map((gram) => ({
    gram,
    district_path,
    beneficiary_id: p.id,
    org_path: p.org_path,
  }));
}

export const registryRepo = {
  async setGrams(db: Queryable, p: { id: string; name_simplified: string; org_path: string }) {
    await db.deleteFrom('beneficiary_name_grams').where('beneficiary_id', '=', p.id).execute();
    await db.insertInto('beneficiary_name_grams').values(gramRows(p)).execute();
  },

  async page(
    db: Queryable,
    scope: Scope,
    f: ListFilter,
    page: number,
    pageSize: number,
    sort: keyof typeof SORT,
    order: 'asc' | 'desc',
  ) {
    const via = f.category !== undefined && !f.q; // the same choice of driving table as listQuery
    const key = via ? SORT_VIA_CATEGORY[sort] : SORT[sort];
    const tie = via ? 'bc.beneficiary_id' : 'b.id';
    const [rows, total] = await Promise.all([
      listQuery(db, scope, f)
        .selectAll('b')
        .select('o.name as org_name')
        .orderBy(sql.ref(key), order)
        .orderBy(sql.ref(tie), order)
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute() as Promise<(BeneficiaryRow & { org_name: string })[]>,
      this.count(db, scope, f),
    ]);
    return { items: rows.map(toListItem), total };
  },

  /** The exact total of a filter, counted without the org join (from the list index when it can). */
  async count(db: Queryable, scope: Scope, f: ListFilter): Promise<number> {
    const r = await listQuery(db, scope, f, false).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return toNumber(r.n);
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
      let qb = listQuery(db, scope, f).selectAll('b').select('o.name as org_name');
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

  /** Unscoped on purpose: an ID number is one person in the whole city (duplicate detection). */
  async byBlindIndex(db: Queryable, idBi: string) {
    return db
      .selectFrom('beneficiaries as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select('o.name as org_name')
      .where('b.id_bi', '=', idBi)
      .executeTakeFirst();
  },

  async assignments(db: Queryable, beneficiaryId: string) {
    return db
      .selectFrom('beneficiary_categories')
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

  async update(db: Queryable, id: string, version: number, set: Partial<BeneficiaryRow>): Promise<boolean> {
    const res = await db
      .updateTable('beneficiaries')
      .set({ ...set, version: version + 1, updated_at: nowIso() })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async householdMemberCategories(db: Queryable, householdId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('beneficiary_categories as bc')
      .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
      .select('bc.code')
      .where('b.household_id', '=', householdId)
      .where('b.status', 'in', ['active'])
      .execute();
    return rows.map((r) => r.code);
  },
};
