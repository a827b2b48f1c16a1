import type { Actor } from '../auth/actor.js';
import type { Queryable } from '../db/index.js';
import { scopeCovers } from './scope.js';

/** An organisation taking part in a request: its id and scope path. */
export interface OrgRef {
  orgId: string;
  orgPath: string;
}

/**
 * Who may decide a request:
 * - `holder`: the organisation that holds the record (or issued the work the request is about),
 *   or one above it;
 * - `receiver`: the organisation a record would move to, or one above it;
 * - `above`: an organisation strictly above the requesting one (its district over a station);
 * - `city`: a role whose scope is the whole city.
 */
export type Decider = 'holder' | 'receiver' | 'above' | 'city';

export interface ApprovalRule {
  /** What is asked and what deciding does, for docs/security.md and the decision record. */
  summary: string;
  deciders: readonly Decider[];
  /**
   * May someone of the requesting organisation (or an org below it) decide? `never` — the other
   * side or the city decides; `top` — only when the request comes from the city's own bureau, where
   * nobody is above (another person of it decides, never the author); `own-act` — there is no
   * second party: the holder acts on its own records, the route's permission and scope are the rule.
   */
  requesterMayDecide: 'never' | 'top' | 'own-act';
}

/**
 * Every request/approve pair of the platform and the side that decides it (decisions/0012).
 * A route that decides declares its pair (`config.access.approves`), the service asks `mayDecide`
 * with the parties of the record, and `approvals.test.ts` walks the route table to prove that
 * nobody of the requesting organisation can approve.
 */
export const APPROVAL_POLICY = {
  transfer: {
    summary: '迁移：一方申请，另一方（持有记录的区或接收的区）或市级决定；申请方只能撤回',
    deciders: ['holder', 'receiver', 'city'],
    requesterMayDecide: 'never',
  },
  'visit.over_cap': {
    summary: '超过上限的走访：登记单位的上级或市级审批，从不由登记单位自己',
    deciders: ['above', 'city'],
    requesterMayDecide: 'top',
  },
  'campaign.report': {
    summary: '工作部署的报送：下发单位验收或退回，从不由报送单位',
    deciders: ['holder'],
    requesterMayDecide: 'top',
  },
  'need.handover': {
    summary: '急难愁盼：市级受理、退回、分派牵头部门，从不由提出单位',
    deciders: ['city'],
    requesterMayDecide: 'top',
  },
  'benefit.roster': {
    summary: '待遇发放名册：区级编制并申请发放，上级（市级）审核放行或退回，从不由编制单位自己',
    deciders: ['above', 'city'],
    requesterMayDecide: 'top',
  },
  'troop.emergency': {
    summary: '抢险救灾支援：区或市级提出，军分区（市级范围的军方）批准并派出部队或说明理由不派，从不由提出单位',
    deciders: ['city'],
    requesterMayDecide: 'top',
  },
  merge: {
    summary: '合并重复登记：持有两条记录的区自己合并（无申请方）',
    deciders: ['holder'],
    requesterMayDecide: 'own-act',
  },
} as const satisfies Record<string, ApprovalRule>;

export type ApprovalKind = keyof typeof APPROVAL_POLICY;
export const APPROVAL_KINDS = Object.keys(APPROVAL_POLICY) as ApprovalKind[];

export interface ApprovalParties {
  /** The organisation that asked (the author's org), and the author. */
  requester: OrgRef & { userId?: string | null };
  holder?: OrgRef;
  receiver?: OrgRef;
}

/** The city's own bureau (a path of one segment): nobody is above it. */
const isTop = (o: OrgRef) => o.orgPath.split('/').filter(Boolean).length <= 1;

/** Is the actor of the requesting organisation, or of an organisation below it? */
export function onRequesterSide(actor: Pick<Actor, 'orgPath'>, requester: OrgRef): boolean {
  return actor.orgPath.startsWith(requester.orgPath);
}

/** May this actor decide the request? The one rule every deciding route applies. */
export function mayDecide(kind: ApprovalKind, actor: Actor, parties: ApprovalParties): boolean {
  const rule: ApprovalRule = APPROVAL_POLICY[kind];
  const { requester } = parties;
  if (rule.requesterMayDecide !== 'own-act') {
    if (requester.userId && requester.userId === actor.userId) return false;
    if (onRequesterSide(actor, requester) && !(rule.requesterMayDecide === 'top' && isTop(requester))) return false;
  }
  const sides: Record<Decider, () => boolean> = {
    holder: () => !!parties.holder && scopeCovers(actor.scope, parties.holder),
    receiver: () => !!parties.receiver && scopeCovers(actor.scope, parties.receiver),
    above: () => !onRequesterSide(actor, requester) && scopeCovers(actor.scope, requester),
    city: () => actor.scopeKind === 'all',
  };
  return rule.deciders.some((d) => sides[d]());
}

/** The organisation of each requesting user (as it is now), for the `requester` party. */
export async function requesterOrgs(
  db: Queryable,
  userIds: readonly (string | null)[],
): Promise<Map<string, OrgRef & { userId: string }>> {
  const ids = [...new Set(userIds.filter((x): x is string => !!x))];
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'org_id', 'org_path']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { userId: r.id, orgId: r.org_id, orgPath: r.org_path }]));
}
