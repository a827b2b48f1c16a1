// The naive SQL of each benchmarked request (DESIGN.md §5): the base tables, filters as plain
// predicates, the page and an exact COUNT, and whichever single index the planner picks. This is
// the first registry repository's SQL, kept fixed here as the yardstick; the platform may answer
// the same request with smarter SQL (its statements are traced separately, lib/sql-trace.cjs).
// The reference server and the in-process timings run exactly these statements.

export const LISTED_STATUSES = ['active', 'deceased', 'moved_out', 'suspended'];

/** `path >= p AND path < prefixEnd(p)`: the subtree of p as an index range (platform/access/scope.ts). */
export const prefixEnd = (p) => `${p.slice(0, -1)}0`;

const FROM = `from "beneficiaries" as "b" inner join "orgs" as "o" on "o"."id" = "b"."org_id"`;
const PAGE_SELECT = `select "b".*, "o"."name" as "org_name"`;
const ORDER = `order by "b"."name_pinyin" asc, "b"."id" limit ? offset ?`;

/**
 * Filters as listQuery() builds them: the caller's scope range first, then status (or the listed
 * statuses), the org filter's range, the category EXISTS, the name search.
 */
function where(f) {
  const parts = [`("b"."org_path" >= ? and "b"."org_path" < ?)`];
  const params = [f.scopePath, prefixEnd(f.scopePath)];
  if (f.status) {
    parts.push(`"b"."status" = ?`);
    params.push(f.status);
  } else {
    parts.push(`"b"."status" in (${LISTED_STATUSES.map(() => '?').join(', ')})`);
    params.push(...LISTED_STATUSES);
  }
  if (f.orgPath) {
    parts.push(`"b"."org_path" >= ?`, `"b"."org_path" < ?`);
    params.push(f.orgPath, prefixEnd(f.orgPath));
  }
  if (f.category) {
    parts.push(
      `exists (select "bc"."beneficiary_id" from "beneficiary_categories" as "bc" where "bc"."beneficiary_id" = "b"."id" and "bc"."code" = ?)`,
    );
    params.push(f.category);
  }
  if (f.latin) {
    parts.push(
      `(("b"."name_initials" >= ? and "b"."name_initials" < ?) or ("b"."name_pinyin" >= ? and "b"."name_pinyin" < ?))`,
    );
    params.push(f.latin, `${f.latin}\uffff`, f.latin, `${f.latin}\uffff`);
  }
  if (f.han) {
    parts.push(`"b"."name_simplified" like ?`);
    params.push(`%${f.han.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  }
  return { sql: `where ${parts.join(' and ')}`, params };
}

/** The page query and the exact-total query of one list request. */
export function listSql(f, page = 1, pageSize = 20) {
  const w = where(f);
  return {
    page: { sql: `${PAGE_SELECT} ${FROM} ${w.sql} ${ORDER}`, params: [...w.params, pageSize, (page - 1) * pageSize] },
    count: { sql: `select count(*) as "n" ${FROM} ${w.sql}`, params: w.params },
  };
}

/** The three queries of a detail request (registryRepo.get, assignments, household). */
export function detailSql(scopePath, id, householdId) {
  return {
    get: {
      sql: `${PAGE_SELECT} ${FROM} where "b"."id" = ? and "b"."status" != ? and ("b"."org_path" >= ? and "b"."org_path" < ?)`,
      params: [id, 'merged', scopePath, prefixEnd(scopePath)],
    },
    assignments: {
      sql: `select * from "beneficiary_categories" where "beneficiary_id" = ? order by "created_at", "code"`,
      params: [id],
    },
    household: { sql: `select * from "households" where "id" = ?`, params: [householdId] },
  };
}

/** `?` placeholders to `$1, $2, …` for PostgreSQL. */
export function toPg(sqlText) {
  let i = 0;
  return sqlText.replace(/\?/g, () => `$${++i}`);
}

/** The JSON list item the API returns (registry.repo toListItem), so both servers serialise the same. */
export function toListItem(r) {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    idMasked: r.id_masked,
    phoneMasked: r.phone_masked,
    categories: r.categories ? r.categories.split(',') : [],
    status: r.status,
    orgId: r.org_id,
    orgName: r.org_name,
    householdId: r.household_id,
    version: r.version,
  };
}

/**
 * The list and search scenarios: the API query string and the filter the server turns it into.
 * `scopePath` is the district user's subtree; `districtPath` the org filter of the list scenario.
 */
export function listScenarios(scopePath, districtOrgId) {
  return [
    {
      key: 'list',
      label: 'Registry list (district + category + status, page 20, exact total)',
      query: `page=1&pageSize=20&category=veteran&status=active&orgId=${districtOrgId}`,
      // the district filter is the user's own scope: one path range
      filter: { scopePath, status: 'active', category: 'veteran' },
    },
    {
      key: 'search_surname',
      label: 'Name search, 1-char surname (q=张)',
      query: `page=1&pageSize=20&q=${encodeURIComponent('张')}`,
      filter: { scopePath, han: '张' },
    },
    {
      key: 'search_substring',
      label: 'Name search, 2-char substring (q=建国)',
      query: `page=1&pageSize=20&q=${encodeURIComponent('建国')}`,
      filter: { scopePath, han: '建国' },
    },
    {
      key: 'search_initials',
      label: 'Name search, pinyin initials (q=zjg)',
      query: 'page=1&pageSize=20&q=zjg',
      filter: { scopePath, latin: 'zjg' },
    },
  ];
}

/**
 * The naive coverage dashboard of a campaign (走访覆盖): planned vs visited per category and
 * community, computed from the base tables — every planned target of the scope and its visits
 * (5·10^6 rows at full size) grouped on each request. `scopePath` null = the whole city. The
 * platform answers the same request from its maintained counters (visit_coverage).
 */
export function coverageSql(campaignId, scopePath) {
  const scope = scopePath ? ` and "t"."org_path" >= ? and "t"."org_path" < ?` : '';
  return {
    page: {
      sql: `select "t"."category", "t"."org_id", "t"."team_id", count(distinct "t"."id") as "planned", count(distinct "v"."target_id") as "visited", count("v"."id") as "visits", coalesce(sum("v"."cash_fen"), 0) as "cash_fen", coalesce(sum("v"."goods_fen"), 0) as "goods_fen" from "visit_targets" as "t" left join "visits" as "v" on "v"."target_id" = "t"."id" where "t"."campaign_id" = ? and "t"."status" = 'planned'${scope} group by "t"."category", "t"."org_id", "t"."team_id"`,
      params: [campaignId, ...(scopePath ? [scopePath, prefixEnd(scopePath)] : [])],
    },
  };
}

/** The naive "not yet visited" list: planned targets without a visit, alone first, oldest first, with the total. */
export function unvisitedSql(campaignId, scopePath) {
  const w = `where "t"."campaign_id" = ? and "t"."status" = 'planned' and "t"."org_path" >= ? and "t"."org_path" < ? and not exists (select 1 from "visits" as "v" where "v"."target_id" = "t"."id")`;
  const params = [campaignId, scopePath, prefixEnd(scopePath)];
  return {
    page: {
      sql: `select "t".*, "o"."name" as "org_name" from "visit_targets" as "t" inner join "orgs" as "o" on "o"."id" = "t"."org_id" ${w} order by "t"."priority_rank", "t"."oldest_birth", "t"."id" limit 20`,
      params,
    },
    count: { sql: `select count(*) as "n" from "visit_targets" as "t" ${w}`, params },
  };
}

/** True for a district's own path ('650200/650203/'): its rows carry it as `district_path`. */
const isDistrictPath = (p) => p.split('/').length === 3;

/**
 * The best bare statements of one list request (issue 15 item 5): the same page and exact COUNT as
 * `listSql`, each written to walk the covering index that serves it best — a category filter from
 * `beneficiary_categories` (page along (code, district_path, sort_name, …) with the status read from
 * the index; count over the (code, status, org_path) index range), a Chinese search from the name
 * index's token of the district (decisions/0087: FTS5 on SQLite, GIN on PostgreSQL — `dialect`), a
 * Latin one from the union of the initials and pinyin ranges. No
 * maintained counts: this is what a bare handler with the right indexes does, and what the
 * platform's maintained totals (decisions/0029) are measured against.
 */
export function bestListSql(f, page = 1, pageSize = 20, dialect = 'sqlite') {
  const statuses = f.status ? [f.status] : LISTED_STATUSES;
  const st = (col) => `${col} in (${statuses.map(() => '?').join(', ')})`;
  const district = isDistrictPath(f.scopePath);
  const limit = [pageSize, (page - 1) * pageSize];
  if (f.category && !f.han && !f.latin) {
    const scope = district ? `"bc"."district_path" = ?` : `"bc"."org_path" >= ? and "bc"."org_path" < ?`;
    const scopeParams = district ? [f.scopePath] : [f.scopePath, prefixEnd(f.scopePath)];
    const org = f.orgPath ? ` and "bc"."org_path" >= ? and "bc"."org_path" < ?` : '';
    const orgParams = f.orgPath ? [f.orgPath, prefixEnd(f.orgPath)] : [];
    return {
      page: {
        sql: `${PAGE_SELECT} from "beneficiary_categories" as "bc" cross join "beneficiaries" as "b" inner join "orgs" as "o" on "o"."id" = "b"."org_id" where "b"."id" = "bc"."beneficiary_id" and "bc"."code" = ? and ${scope}${org} and ${st('"bc"."status"')} order by "bc"."sort_name" asc, "bc"."beneficiary_id" asc limit ? offset ?`,
        params: [f.category, ...scopeParams, ...orgParams, ...statuses, ...limit],
      },
      count: {
        sql: `select count(*) as "n" from "beneficiary_categories" as "bc" where "bc"."code" = ? and ${st('"bc"."status"')} and "bc"."org_path" >= ? and "bc"."org_path" < ?${org}`,
        params: [f.category, ...statuses, f.scopePath, prefixEnd(f.scopePath), ...orgParams],
      },
    };
  }
  let tables;
  let where;
  let params;
  if (f.han) {
    const gram = [...f.han.replace(/[·\s]/g, '')].slice(0, 2).join('');
    const token = district ? `${f.scopePath}${gram}` : gram;
    tables =
      dialect === 'sqlite'
        ? `(select rowid as r from beneficiary_name_index where beneficiary_name_index match ?) as "g" cross join "beneficiaries" as "b"`
        : `(select beneficiary_id as r from beneficiary_name_index where tokens @> array[?]::text[]) as "g" cross join "beneficiaries" as "b"`;
    where = `${dialect === 'sqlite' ? '"b".rowid' : '"b"."id"'} = "g"."r" and ${district ? '"b"."district_path" = ?' : '"b"."org_path" >= ? and "b"."org_path" < ?'} and "b"."name_simplified" like ?`;
    params = [
      dialect === 'sqlite' ? `"${token}"` : token,
      ...(district ? [f.scopePath] : [f.scopePath, prefixEnd(f.scopePath)]),
      `%${f.han.replace(/[%_\\]/g, (c) => `\\${c}`)}%`,
    ];
  } else if (f.latin) {
    tables = `(select "n1"."id" from "beneficiaries" as "n1" where "n1"."name_initials" >= ? and "n1"."name_initials" < ? union select "n2"."id" from "beneficiaries" as "n2" where "n2"."name_pinyin" >= ? and "n2"."name_pinyin" < ?) as "m" cross join "beneficiaries" as "b"`;
    where = `"b"."id" = "m"."id" and "b"."org_path" >= ? and "b"."org_path" < ?`;
    params = [f.latin, `${f.latin}\uffff`, f.latin, `${f.latin}\uffff`, f.scopePath, prefixEnd(f.scopePath)];
  } else {
    tables = `"beneficiaries" as "b"`;
    where = district ? `"b"."district_path" = ?` : `"b"."org_path" >= ? and "b"."org_path" < ?`;
    params = district ? [f.scopePath] : [f.scopePath, prefixEnd(f.scopePath)];
  }
  if (f.category) {
    where += ` and exists (select 1 from "beneficiary_categories" as "bc" where "bc"."beneficiary_id" = "b"."id" and "bc"."code" = ?)`;
    params.push(f.category);
  }
  where += ` and ${st('"b"."status"')}`;
  params.push(...statuses);
  const join = `from ${tables} inner join "orgs" as "o" on "o"."id" = "b"."org_id" where ${where}`;
  const from = `from ${tables} where ${where}`;
  return {
    page: {
      sql: `${PAGE_SELECT} ${join} order by "b"."name_pinyin" asc, "b"."id" asc limit ? offset ?`,
      params: [...params, ...limit],
    },
    count: { sql: `select count(*) as "n" ${from}`, params },
  };
}
