import type { Visit, VisitCaps, VisitPhoto, VisitTarget } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import { bool, type Queryable } from '../../platform/db/index.js';
import type { Reason } from './rules.js';
import { parseJson, pathPrefix, visitsRepo } from './visits.repo.js';
import type { VisitCapsTable, VisitPhotosTable, VisitsTable, VisitTargetsTable } from './visits.schema.js';

/** Row → API shapes of the visits module. */
export function toCaps(r: Selectable<VisitCapsTable> & { inherited?: boolean }): VisitCaps {
  return {
    campaignId: r.campaign_id,
    cashPerVisitWarnFen: r.cash_per_visit_warn_fen,
    cashPerVisitMaxFen: r.cash_per_visit_max_fen,
    goodsPerVisitWarnFen: r.goods_per_visit_warn_fen,
    goodsPerVisitMaxFen: r.goods_per_visit_max_fen,
    cashPerTargetMaxFen: r.cash_per_target_max_fen,
    goodsPerTargetMaxFen: r.goods_per_target_max_fen,
    version: r.version,
    inherited: r.inherited ?? false,
  };
}

export async function toTargets(
  db: Queryable,
  rows: (Selectable<VisitTargetsTable> & { org_name: string })[],
): Promise<VisitTarget[]> {
  const streets = await visitsRepo.orgNamesByPath(
    db,
    rows.map((r) => pathPrefix(r.org_path, 3)).filter((p): p is string => !!p),
  );
  return rows.map((r) => {
    const street = pathPrefix(r.org_path, 3);
    return {
      id: r.id,
      planId: r.plan_id,
      campaignId: r.campaign_id,
      kind: r.kind as VisitTarget['kind'],
      name: r.name,
      orgId: r.org_id,
      orgName: r.org_name,
      streetName: street ? (streets.get(street)?.name ?? null) : null,
      category: r.category,
      reasons: parseJson<Reason[]>(r.reasons, []),
      note: r.note,
      oldestBirth: r.oldest_birth === '9999-12-31' ? null : r.oldest_birth,
      livesAlone: r.priority_rank === 0,
      teamId: r.team_id || null,
      plannedDate: r.planned_date,
      status: r.status as VisitTarget['status'],
      excludedBy: r.excluded_by,
      visitCount: r.visit_count,
      cashFen: r.cash_fen,
      goodsFen: r.goods_fen,
      lastVisitAt: r.last_visit_at,
      version: r.version,
    };
  });
}

export function toVisit(
  r: Selectable<VisitsTable>,
  targetName: string,
  districtName: string | null,
  photos: Selectable<VisitPhotosTable>[],
  warnings: Visit['warnings'] = [],
): Visit {
  return {
    id: r.id,
    clientKey: r.client_key,
    targetId: r.target_id,
    targetName,
    districtName,
    planId: r.plan_id,
    campaignId: r.campaign_id,
    visitedAt: r.visited_at,
    visitors: parseJson(r.visitors, { staff: [], leaders: [] }),
    cashFen: r.cash_fen,
    goods: parseJson(r.goods, []),
    goodsFen: r.goods_fen,
    budgetLineId: r.budget_line_id,
    needs: r.needs_text,
    notes: r.notes,
    acknowledged: bool(r.acknowledged),
    acknowledgedBy: r.acknowledged_by,
    repeatVisit: bool(r.repeat_visit),
    approvalStatus: r.approval_status as Visit['approvalStatus'],
    approvalReasons: parseJson<string[]>(r.approval_reasons, []),
    approvedBy: r.approved_by,
    warnings,
    photos: photos.map(toPhoto),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toPhoto(p: Selectable<VisitPhotosTable>): VisitPhoto {
  return {
    id: p.id,
    contentType: p.content_type,
    size: p.size,
    hasThumbnail: p.has_thumbnail === 1,
    createdAt: p.created_at,
  };
}
