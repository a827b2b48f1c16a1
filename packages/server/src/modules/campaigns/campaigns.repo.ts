import type {
  AssignmentAction,
  AssignmentStatus,
  CampaignAction,
  campaignListQuery,
  DisplayStatus,
} from '@shuangyong/shared';
import type { ExpressionBuilder, Insertable, SqlBool, Updateable } from 'kysely';
import type { z } from 'zod';
import { type Scope, scopeCovers, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { CampaignFilesTable, CampaignItemsTable, CampaignsTable } from './campaigns.schema.js';

/**
 * Who sees what (DOMAIN §1, issue 4 §7): the issuing side — whoever's scope covers the campaign's
 * org path — sees the whole campaign; a recipient sees an issued campaign through its assignments
 * (its scope covers the assignment's org path) and only those assignments. Drafts stay with the
 * issuer. Every record-level resolver and every scoped query below is built from these two rules.
 */
const ISSUER = { path: 'c.org_path', orgId: 'c.org_id' } as const;
const ASSIGNEE = { path: 'a.org_path', orgId: 'a.org_id' } as const;

type Eb = ExpressionBuilder<Database & { c: Database['campaigns'] }, 'c'>;

/** `c` visible: issuer side, or issued and holding an assignment in scope. */
export function campaignVisible(eb: Eb, scope: Scope) {
  return eb.or([
    scopeWhere(eb, scope, ISSUER),
    eb.and([
      eb('c.status', '!=', 'draft'),
      eb.exists(
        eb
          .selectFrom('campaign_assignments as a')
          .select('a.id')
          .whereRef('a.campaign_id', '=', 'c.id')
          .where((e) => scopeWhere(e, scope, ASSIGNEE)),
      ),
    ]),
  ]);
}

export function issuerSide(scope: Scope, c: { org_id: string; org_path: string }): boolean {
  return scopeCovers(scope, { orgId: c.org_id, orgPath: c.org_path });
}

export function assigneeSide(scope: Scope, a: { org_id: string; org_path: string }): boolean {
  return scopeCovers(scope, { orgId: a.org_id, orgPath: a.org_path });
}

// biome-ignore lint/suspicious/noExplicitAny: the expression builder of a join
export function assignmentVisible(eb: ExpressionBuilder<any, any>, scope: Scope): SqlBool | any {
  return eb.or([
    scopeWhere(eb, scope, ISSUER),
    eb.and([eb('c.status', '!=', 'draft'), scopeWhere(eb, scope, ASSIGNEE)]),
  ]);
}

export const campaignsRepo = {
  /** Titles of the campaigns the scope sees among `ids` (the audit log's labels). */
  titles(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('campaigns as c')
      .select(['c.id', 'c.title as label'])
      .where('c.id', 'in', ids)
      .where((eb) => campaignVisible(eb, scope))
      .execute();
  },

  /** `campaign · task` titles of the tasks the scope sees among `ids`. */
  taskTitles(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('campaign_tasks as t')
      .innerJoin('campaigns as c', 'c.id', 't.campaign_id')
      .select(['t.id', 't.title', 'c.title as campaign_title'])
      .where('t.id', 'in', ids)
      .where((eb) => campaignVisible(eb, scope))
      .execute();
  },

  /** Task title and assignee org of the assignments the scope sees among `ids`. */
  assignmentTitles(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('campaign_assignments as a')
      .innerJoin('campaign_tasks as t', 't.id', 'a.task_id')
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select(['a.id', 't.title', 'o.name as org_name'])
      .where('a.id', 'in', ids)
      .where((eb) => assignmentVisible(eb, scope))
      .execute();
  },

  /** Issued campaigns with their issuing org (the daily brief's schedule). */
  issued(db: Queryable, scope: Scope) {
    return db
      .selectFrom('campaigns as c')
      .where((eb) => scopeWhere(eb, scope, { path: 'c.org_path', orgId: 'c.org_id' }))
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .select(['c.id', 'c.title', 'o.id as org_id', 'o.path as org_path', 'o.name as org_name'])
      .where('c.status', '=', 'issued')
      .orderBy('c.created_at')
      .execute();
  },

  /** What other modules print about a campaign they reference (a letter's festival and year); no scope: the caller has checked its own record. */
  async facts(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('campaigns')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'kind', 'title', 'period_start', 'period_end', 'issue_date', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async campaign(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('campaigns as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .selectAll('c')
      .select('o.name as org_name')
      .where('c.id', '=', id)
      .where((eb) => campaignVisible(eb as unknown as Eb, scope))
      .executeTakeFirst();
  },

  async assignment(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('campaign_assignments as a')
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .selectAll('a')
      .select([
        'o.name as org_name',
        'c.org_id as campaign_org_id',
        'c.org_path as campaign_org_path',
        'c.status as campaign_status',
        'c.title as campaign_title',
        'c.doc_number as campaign_doc_number',
      ])
      .where('a.id', '=', id)
      .where((eb) => assignmentVisible(eb, scope))
      .executeTakeFirst();
  },

  async task(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('campaign_tasks as t')
      .innerJoin('campaigns as c', 'c.id', 't.campaign_id')
      .selectAll('t')
      .select(['c.org_id as campaign_org_id', 'c.org_path as campaign_org_path', 'c.status as campaign_status'])
      .where('t.id', '=', id)
      .where((eb) =>
        eb.or([
          scopeWhere(eb, scope, ISSUER),
          eb.and([
            eb('c.status', '!=', 'draft'),
            eb.exists(
              eb
                .selectFrom('campaign_assignments as a')
                .select('a.id')
                .whereRef('a.task_id', '=', 't.id')
                .where((e) => scopeWhere(e, scope, ASSIGNEE)),
            ),
          ]),
        ]),
      )
      .executeTakeFirst();
  },

  /** An inspection (or, by `rectification`, one of its items): issuer side, or the inspected org's scope. */
  async inspection(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('campaign_inspections as i')
      .innerJoin('campaigns as c', 'c.id', 'i.campaign_id')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .selectAll('i')
      .select(['o.name as org_name', 'c.org_id as campaign_org_id', 'c.org_path as campaign_org_path'])
      .where('i.id', '=', id)
      .where((eb) =>
        eb.or([scopeWhere(eb, scope, ISSUER), scopeWhere(eb, scope, { path: 'i.org_path', orgId: 'i.org_id' })]),
      )
      .executeTakeFirst();
  },

  async rectification(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('campaign_rectifications as r')
      .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
      .selectAll('r')
      .select(['c.org_id as campaign_org_id', 'c.org_path as campaign_org_path', 'c.status as campaign_status'])
      .where('r.id', '=', id)
      .where((eb) =>
        eb.or([scopeWhere(eb, scope, ISSUER), scopeWhere(eb, scope, { path: 'r.org_path', orgId: 'r.org_id' })]),
      )
      .executeTakeFirst();
  },

  /** A file, visible with the campaign (issuer's attachments) or with the assignment it belongs to. */
  async file(db: Queryable, scope: Scope, id: string) {
    const f = await db.selectFrom('campaign_files').selectAll().where('id', '=', id).executeTakeFirst();
    if (!f) return undefined;
    const owner =
      f.owner_type === 'campaign'
        ? await campaignsRepo.campaign(db, scope, f.owner_id)
        : await campaignsRepo.assignment(db, scope, f.owner_id);
    return owner ? f : undefined;
  },

  /** One page of the campaigns the caller sees (issued to or by its scope), newest first, and how many match. */
  async page(db: Queryable, scope: Scope, q: z.infer<typeof campaignListQuery>) {
    let qb = db
      .selectFrom('campaigns as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .where((eb) => campaignVisible(eb as never, scope));
    if (q.status) qb = qb.where('c.status', '=', q.status);
    if (q.kind) qb = qb.where('c.kind', '=', q.kind);
    if (q.q) qb = qb.where('c.title', 'like', `%${q.q.replace(/[%_\\]/g, '')}%`);
    const [rows, total] = await Promise.all([
      qb
        .selectAll('c')
        .select('o.name as org_name')
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /** Assignment counts per campaign and status; `scoped`: only the assignments in the caller's scope. */
  async assignmentCounts(db: Queryable, scope: Scope, ids: string[], scoped: boolean, day: string) {
    return db
      .selectFrom('campaign_assignments as a')
      .select(['a.campaign_id', 'a.status', (eb) => eb.fn.countAll().as('n')])
      .select((eb) => eb.fn.min('a.deadline').as('first'))
      .select((eb) => eb.fn.sum(eb.case().when('a.deadline', '<', day).then(1).else(0).end()).as('late'))
      .where('a.campaign_id', 'in', ids)
      .$if(scoped, (qb) => qb.where((eb) => scopeWhere(eb, scope, { path: 'a.org_path', orgId: 'a.org_id' })))
      .groupBy(['a.campaign_id', 'a.status'])
      .execute();
  },

  async firstDeadlines(db: Queryable, scope: Scope, ids: string[]) {
    return db
      .selectFrom('campaign_tasks')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select(['campaign_id', (eb) => eb.fn.min('deadline').as('first')])
      .where('campaign_id', 'in', ids)
      .groupBy('campaign_id')
      .execute();
  },

  /** Rows of a campaign the caller already sees (loaded through `campaign`). */
  async items(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('campaign_items')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('ordinal')
      .execute();
  },

  async tasks(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('campaign_tasks')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('ordinal')
      .execute();
  },

  async assignmentsWithOrg(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('campaign_assignments as a')
      .where((eb) => scopeWhere(eb, scope, { path: 'a.org_path', orgId: 'a.org_id' }))
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .selectAll('a')
      .select('o.name as org_name')
      .where('a.campaign_id', '=', campaignId)
      .orderBy('a.org_path')
      .execute();
  },

  async filesOf(db: Queryable, scope: Scope, ownerId: string) {
    return db
      .selectFrom('campaign_files')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select(['id', 'file_name', 'mime', 'size', 'created_at'])
      .where('owner_id', '=', ownerId)
      .orderBy('created_at')
      .execute();
  },

  async insert(db: Queryable, row: Insertable<CampaignsTable>): Promise<void> {
    await db.insertInto('campaigns').values(row).execute();
  },

  async insertItem(db: Queryable, row: Insertable<CampaignItemsTable>): Promise<void> {
    await db.insertInto('campaign_items').values(row).execute();
  },

  async update(db: Queryable, id: string, set: Updateable<CampaignsTable>): Promise<void> {
    await db.updateTable('campaigns').set(set).where('id', '=', id).execute();
  },

  async assignmentCount(db: Queryable, scope: Scope, campaignId: string): Promise<number> {
    const n = await db
      .selectFrom('campaign_assignments')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    return toNumber(n.n);
  },

  async assigneeOrgIds(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('campaign_assignments')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('org_id')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .execute();
  },

  async insertFile(db: Queryable, row: Insertable<CampaignFilesTable>): Promise<void> {
    await db.insertInto('campaign_files').values(row).execute();
  },
};

// ---- state machines ----

export const CAMPAIGN_FLOW: Record<CampaignAction, { from: string; to: string }> = {
  issue: { from: 'draft', to: 'issued' },
  close: { from: 'issued', to: 'closed' },
  reopen: { from: 'closed', to: 'issued' },
};

export const ASSIGNMENT_FLOW: Record<AssignmentAction, { from: readonly AssignmentStatus[]; to: AssignmentStatus }> = {
  save: { from: ['not_started', 'in_progress', 'returned'], to: 'in_progress' },
  submit: { from: ['not_started', 'in_progress', 'returned'], to: 'submitted' },
  accept: { from: ['submitted'], to: 'accepted' },
  return: { from: ['submitted'], to: 'returned' },
};

export const OPEN_STATUSES: readonly AssignmentStatus[] = ['not_started', 'in_progress', 'returned'];

/** Overdue is shown, not stored: the deadline day has passed and nothing was handed in. */
export function displayStatus(status: string, deadline: string, today: string): DisplayStatus {
  return OPEN_STATUSES.includes(status as AssignmentStatus) && deadline < today ? 'overdue' : (status as DisplayStatus);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const json = <T>(s: string | null, fallback: T): T => (s ? (JSON.parse(s) as T) : fallback);

/** Accepted share in per cent with one decimal. */
export const completion = (accepted: number, assigned: number): number =>
  assigned ? Math.round((accepted * 1000) / assigned) / 10 : 0;
