import { type CoverageCell, t } from '@shuangyong/shared';
import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import { coverageRows, teamNames, troopVisitedCells } from './coverage.repo.js';
import type { OutsideVisits } from './outside-visits.js';
import { categoryLabel } from './rules.js';
import { pathPrefix, visitsRepo } from './visits.repo.js';
import type { VisitCoverageTable } from './visits.schema.js';

/**
 * Coverage counters (DESIGN §5/§7): one row per (campaign, plan, team, category, owner org), changed
 * by `bumpCoverage` in the transaction of every confirmation, re-assignment and visit, so the
 * dashboard sums a few hundred rows instead of scanning visits. `rebuildCoverage` recomputes them
 * from the base tables (after bulk loads, and in the test that checks the two agree).
 */
export { bumpCoverage, coverageRows, rebuildCoverage } from './coverage.repo.js';

export type CoverageDims = Pick<
  VisitCoverageTable,
  'campaign_id' | 'plan_id' | 'team_id' | 'category' | 'org_id' | 'org_path'
>;
export interface CoverageDelta {
  planned?: number;
  visited?: number;
  visits?: number;
  cash_fen?: number;
  goods_fen?: number;
}

/** The coverage dimensions of a target row. */
export const dimsOf = (t: {
  campaign_id: string;
  plan_id: string;
  team_id: string;
  category: string;
  org_id: string;
  org_path: string;
}): CoverageDims => ({
  campaign_id: t.campaign_id,
  plan_id: t.plan_id,
  team_id: t.team_id,
  category: t.category,
  org_id: t.org_id,
  org_path: t.org_path,
});

/** A counter row, with the planned targets of its cell that units visited (read, not maintained). */
type Row = VisitCoverageTable & { troops?: number };

function add(map: Map<string, CoverageCell>, key: string, label: string, r: Row) {
  let c = map.get(key);
  if (!c) {
    c = { key, label, planned: 0, visited: 0, visits: 0, cashFen: 0, goodsFen: 0, visitedByTroops: 0 };
    map.set(key, c);
  }
  c.planned += Number(r.planned);
  c.visited += Number(r.visited);
  c.visits += Number(r.visits);
  c.cashFen += Number(r.cash_fen);
  c.goodsFen += Number(r.goods_fen);
  c.visitedByTroops += r.troops ?? 0;
}

/** Planned vs visited per category, district, street and team, summed from the counters. */
export async function readCoverage(
  db: Queryable,
  scope: Scope,
  campaignId: string,
  planId?: string,
  outside?: { campaigns: Campaigns; visits: OutsideVisits },
) {
  const counters = await coverageRows(db, scope, campaignId, planId);
  const rows: Row[] = outside ? await withTroopVisits(db, scope, campaignId, planId, counters, outside) : counters;
  const paths = rows.flatMap((r) => [pathPrefix(r.org_path, 2), pathPrefix(r.org_path, 3)]).filter((p) => !!p);
  const names = await visitsRepo.orgNamesByPath(db, paths as string[]);
  const teamIds = [...new Set(rows.map((r) => r.team_id).filter(Boolean))];
  const teams = await teamNames(db, SYSTEM_SCOPE, teamIds);
  const teamName = new Map(teams.map((x) => [x.id, x.name]));
  const total = new Map<string, CoverageCell>();
  const byCategory = new Map<string, CoverageCell>();
  const byDistrict = new Map<string, CoverageCell>();
  const byStreet = new Map<string, CoverageCell>();
  const byTeam = new Map<string, CoverageCell>();
  for (const r of rows) {
    add(total, 'total', '合计', r);
    add(byCategory, r.category, categoryLabel(r.category), r);
    const d = pathPrefix(r.org_path, 2) ?? r.org_path;
    add(byDistrict, d, names.get(d)?.name ?? d, r);
    const s = pathPrefix(r.org_path, 3);
    add(byStreet, s ?? '', s ? (names.get(s)?.name ?? s) : t('visits.noStreet'), r);
    add(byTeam, r.team_id, r.team_id ? (teamName.get(r.team_id) ?? r.team_id) : t('visits.noTeam'), r);
  }
  const sorted = (m: Map<string, CoverageCell>) => [...m.values()].sort((a, b) => a.key.localeCompare(b.key));
  return {
    campaignId,
    total: total.get('total') ?? {
      key: 'total',
      label: '合计',
      planned: 0,
      visited: 0,
      visits: 0,
      cashFen: 0,
      goodsFen: 0,
      visitedByTroops: 0,
    },
    byCategory: sorted(byCategory),
    byDistrict: sorted(byDistrict),
    byStreet: sorted(byStreet),
    byTeam: sorted(byTeam),
  };
}

const dimKey = (r: CoverageDims) => [r.campaign_id, r.plan_id, r.team_id, r.category, r.org_id].join('\u0000');

/**
 * Adds to each counter row the planned targets of its cell whose household a unit visited within
 * the campaign's period (the troops module's visits, through `outside`). Counted at read time from
 * the few linked visits, so the maintained counters (and their rebuild) never include them, and
 * a target a unit visited stays unvisited until district staff record their own visit.
 */
async function withTroopVisits(
  db: Queryable,
  scope: Scope,
  campaignId: string,
  planId: string | undefined,
  counters: VisitCoverageTable[],
  outside: { campaigns: Campaigns; visits: OutsideVisits },
): Promise<Row[]> {
  const range = await outside.campaigns.readModel.period(db, SYSTEM_SCOPE, campaignId);
  const households = range ? [...(await outside.visits.latest(db, range)).keys()] : [];
  const rows: Row[] = counters.map((c) => ({ ...c, troops: 0 }));
  if (!households.length) return rows;
  const byDims = new Map(rows.map((r) => [dimKey(r), r]));
  for (const cell of await troopVisitedCells(db, scope, campaignId, planId, households)) {
    const r = byDims.get(dimKey(cell));
    if (r) r.troops = (r.troops ?? 0) + Number(cell.n);
  }
  return rows;
}

/**
 * Campaign task metrics in the campaigns module's MetricProvider shape
 * (`{ key, label, compute(db, orgPath, campaignId) }`), computed from the coverage counters so a
 * district's task progress fills itself. Registered with the campaigns' registry by visits.module.ts.
 */
export interface VisitMetricProvider {
  key: string;
  label: string;
  compute(db: Queryable, orgPath: string, campaignId: string): Promise<number>;
}

async function sumCoverage(db: Queryable, orgPath: string, campaignId: string) {
  const rows = await coverageRows(db, SYSTEM_SCOPE, campaignId, undefined, orgPath);
  return rows.reduce((a, r) => ({ planned: a.planned + Number(r.planned), visited: a.visited + Number(r.visited) }), {
    planned: 0,
    visited: 0,
  });
}

export const VISIT_METRICS: readonly VisitMetricProvider[] = [
  {
    key: 'visits.planned',
    label: '应走访对象（户/个）',
    compute: async (db, o, c) => (await sumCoverage(db, o, c)).planned,
  },
  {
    key: 'visits.visited',
    label: '已走访对象（户/个）',
    compute: async (db, o, c) => (await sumCoverage(db, o, c)).visited,
  },
  {
    key: 'visits.coverage_percent',
    label: '走访覆盖率（%）',
    compute: async (db, o, c) => {
      const s = await sumCoverage(db, o, c);
      return s.planned ? Math.round((s.visited * 1000) / s.planned) / 10 : 0;
    },
  },
];
