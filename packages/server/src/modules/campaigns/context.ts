import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import { assignmentsRepo } from './assignments.repo.js';
import type { CampaignFiles } from './files.js';
import type { MetricRegistry } from './metrics.js';

/** What the parts of the campaigns module share: platform, clock, notifications, metrics, files. */
export interface CampaignsContext {
  p: Platform;
  /** Replaceable in tests (overdue, reminders): every "now" of the module comes from here. */
  clock: { now(): Date };
  notifications: NotificationsService;
  metrics: MetricRegistry;
  files: CampaignFiles;
}

export function today(cx: CampaignsContext): string {
  return localDate(cx.clock.now(), cx.p.config.tzDisplay);
}

export type RecipientGroup = 'districts' | 'units' | 'departments';
export interface AssigneeOrg {
  id: string;
  path: string;
  name: string;
}

/**
 * The orgs a task goes to: the groups (all active district bureaus — the veterans bureaus right
 * below the city —, all stationed units, all departments) plus the orgs named one by one. An
 * unknown or inactive org is refused; nothing about the caller's own scope is taken from the body.
 */
export async function resolveAssignees(
  db: Queryable,
  spec: { groups: readonly RecipientGroup[]; orgIds: readonly string[] },
): Promise<AssigneeOrg[]> {
  const out = new Map<string, AssigneeOrg>();
  const add = (rows: AssigneeOrg[]) => {
    for (const r of rows) out.set(r.id, r);
  };
  if (spec.groups.includes('districts'))
    add(await assignmentsRepo.activeOrgs(db, { type: 'veterans_bureau', depth: 1 }));
  if (spec.groups.includes('units')) add(await assignmentsRepo.activeOrgs(db, { type: 'military_unit' }));
  if (spec.groups.includes('departments')) add(await assignmentsRepo.activeOrgs(db, { type: 'department' }));
  const named = [...new Set(spec.orgIds)];
  if (named.length) {
    const rows = await assignmentsRepo.activeOrgs(db, { ids: named });
    if (rows.length !== named.length) throw badRequest('unknown_org', 'campaigns.unknownOrg');
    add(rows);
  }
  if (out.size === 0) throw badRequest('no_assignees', 'campaigns.noAssignees');
  return [...out.values()];
}

/** Inserts the missing assignments of a task (one per org); returns how many were added. */
export async function addAssignments(
  trx: Tx,
  task: { id: string; campaign_id: string; deadline: string },
  orgs: AssigneeOrg[],
): Promise<number> {
  const existing = new Set(await assignmentsRepo.orgIdsOfTask(trx, SYSTEM_SCOPE, task.id));
  const now = nowIso();
  const rows = orgs
    .filter((o) => !existing.has(o.id))
    .map((o) => ({
      id: uuidv7(),
      campaign_id: task.campaign_id,
      task_id: task.id,
      org_id: o.id,
      org_path: o.path,
      deadline: task.deadline,
      status: 'not_started',
      draft: null,
      return_reason: null,
      submitted_at: null,
      accepted_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    }));
  await assignmentsRepo.insert(trx, rows);
  return rows.length;
}

/** 409 with the actions the current status allows. */
export function illegal(
  key: 'campaigns.illegalCampaignAction' | 'campaigns.illegalAssignmentAction',
  status: string,
  action: string,
  allowed: string[],
) {
  const prefix = key === 'campaigns.illegalCampaignAction' ? 'campaignStatus' : 'assignmentStatus';
  const actionPrefix = key === 'campaigns.illegalCampaignAction' ? 'campaignAction' : 'assignmentAction';
  return new AppError(
    409,
    'illegal_transition',
    key,
    { status: t(`${prefix}.${status}`), action: t(`${actionPrefix}.${action}`) },
    { allowed },
  );
}
