import type { NeedStatus, SlaLevel } from '@shuangyong/shared';
import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { HANDLING_STATUSES, TERMINAL_STATUSES } from './needs.machine.js';
import type { NeedAttachmentsTable, NeedCategoriesTable, NeedHandlersTable, NeedsTable } from './needs.schema.js';

export type NeedRow = Selectable<NeedsTable> & { org_name: string; lead_org_name: string | null };

const NEED_SCOPE = { path: 'n.org_path', orgId: 'n.org_id', owner: 'n.created_by' } as const;
const HANDLER_SCOPE = { path: 'h.org_path', orgId: 'h.org_id' } as const;
/** A case's events, tags and attachments carry its path (no org id). */
const CHILD_SCOPE = { path: 'org_path' } as const;

type Eb = ExpressionBuilder<Database & { n: NeedsTable }, 'n'>;

/**
 * Who sees a case: its owner's scope (a unit its own, a district its area, the city all) or a
 * department that is one of its active handlers. The one place this rule becomes SQL.
 */
export function visibleWhere(eb: Eb, scope: Scope): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<boolean>`1 = 1`;
  return eb.or([
    scopeWhere(eb, scope, NEED_SCOPE),
    eb.exists(
      eb
        .selectFrom('need_handlers as h')
        .select('h.id')
        .whereRef('h.need_id', '=', 'n.id')
        .where('h.active', '=', 1)
        .where((e) => scopeWhere(e, scope, HANDLER_SCOPE)),
    ),
  ]);
}

/** Titles of the cases the scope sees among `ids` (the audit log's labels). */
export function needTitles(db: Queryable, scope: Scope, ids: readonly string[]) {
  return db
    .selectFrom('needs as n')
    .select(['n.id', 'n.title as label'])
    .where('n.id', 'in', ids)
    .where((eb) => visibleWhere(eb, scope))
    .execute();
}

export interface NeedFilter {
  status?: NeedStatus;
  open?: boolean;
  category?: string;
  priority?: string;
  source?: string;
  tag?: string;
  orgPath?: string;
  leadOrgId?: string;
  /** Local date: cases being handled whose deadline is before it. */
  overdueBefore?: string;
  notOverdueBefore?: string;
  /** A department's inbox: cases this org is an active handler of. */
  handlerOrgId?: string;
  /** Cases of one working-day SLA colour on `today` (bounds from `slaBounds`). */
  sla?: { level: SlaLevel } & SlaBounds;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
}

/** The dates that split the SLA colours: before `today` red, up to `soonUntil` amber, after green. */
export interface SlaBounds {
  today: string;
  /** The last deadline with at most 2 working days left (decisions/0036), worked out once per call. */
  soonUntil: string;
}

/**
 * The SLA colour of each case as SQL (the same rule as `slaLevel`): a case being handled is red
 * past its deadline, amber up to `soonUntil`, green after; everything else is not timed. The
 * working-day calendar is folded into `soonUntil`, so both dialects compare dates only.
 */
export function slaLevelSql(b: SlaBounds) {
  return sql<SlaLevel>`CASE
    WHEN n.deadline IS NULL OR n.status NOT IN (${sql.join(HANDLING_STATUSES)}) THEN 'none'
    WHEN n.deadline < ${b.today} THEN 'overdue'
    WHEN n.deadline <= ${b.soonUntil} THEN 'dueSoon'
    ELSE 'ok' END`;
}

function slaWhere(eb: Eb, s: { level: SlaLevel } & SlaBounds): Expression<SqlBool> {
  const handled = eb('n.status', 'in', [...HANDLING_STATUSES]);
  const timed = eb('n.deadline', 'is not', null);
  switch (s.level) {
    case 'none':
      // merged cases live on in the case they joined: the cockpit counts them nowhere
      return eb.and([
        eb('n.status', '!=', 'merged'),
        eb.or([eb('n.deadline', 'is', null), eb('n.status', 'not in', [...HANDLING_STATUSES])]),
      ]);
    case 'overdue':
      return eb.and([handled, timed, eb('n.deadline', '<', s.today)]);
    case 'dueSoon':
      return eb.and([handled, timed, eb('n.deadline', '>=', s.today), eb('n.deadline', '<=', s.soonUntil)]);
    case 'ok':
      return eb.and([handled, timed, eb('n.deadline', '>', s.soonUntil)]);
  }
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

export function baseQuery(db: Queryable, scope: Scope, f: NeedFilter) {
  let qb = db
    .selectFrom('needs as n')
    .innerJoin('orgs as o', 'o.id', 'n.org_id')
    .leftJoin('orgs as lo', 'lo.id', 'n.lead_org_id')
    .where((eb) => visibleWhere(eb, scope));
  if (f.status) qb = qb.where('n.status', '=', f.status);
  if (f.open === true) qb = qb.where('n.status', 'not in', [...TERMINAL_STATUSES]);
  if (f.open === false) qb = qb.where('n.status', 'in', [...TERMINAL_STATUSES]);
  if (f.category) qb = qb.where('n.category', '=', f.category);
  if (f.priority) qb = qb.where('n.priority', '=', f.priority);
  if (f.source) qb = qb.where('n.source', '=', f.source);
  if (f.orgPath) qb = qb.where('n.org_path', '>=', f.orgPath).where('n.org_path', '<', prefixEnd(f.orgPath));
  if (f.leadOrgId) qb = qb.where('n.lead_org_id', '=', f.leadOrgId);
  if (f.overdueBefore)
    qb = qb.where('n.status', 'in', [...HANDLING_STATUSES]).where('n.deadline', '<', f.overdueBefore);
  if (f.notOverdueBefore) {
    const today = f.notOverdueBefore;
    qb = qb.where((eb) =>
      eb.or([
        eb('n.status', 'not in', [...HANDLING_STATUSES]),
        eb('n.deadline', 'is', null),
        eb('n.deadline', '>=', today),
      ]),
    );
  }
  if (f.sla) {
    const sla = f.sla;
    qb = qb.where((eb) => slaWhere(eb as unknown as Eb, sla));
  }
  if (f.createdFrom) qb = qb.where('n.created_at', '>=', f.createdFrom);
  if (f.createdTo) qb = qb.where('n.created_at', '<', f.createdTo);
  if (f.tag) {
    const tag = f.tag;
    qb = qb.where((eb) =>
      eb.exists(
        eb.selectFrom('need_tags as t').select('t.need_id').whereRef('t.need_id', '=', 'n.id').where('t.tag', '=', tag),
      ),
    );
  }
  if (f.handlerOrgId) {
    const orgId = f.handlerOrgId;
    qb = qb.where((eb) =>
      eb.exists(
        eb
          .selectFrom('need_handlers as ih')
          .select('ih.id')
          .whereRef('ih.need_id', '=', 'n.id')
          .where('ih.active', '=', 1)
          .where('ih.org_id', '=', orgId),
      ),
    );
  }
  if (f.q) qb = qb.where('n.title', 'like', `%${escapeLike(f.q)}%`);
  return qb;
}

const SORT = { createdAt: 'n.created_at', deadline: 'n.deadline', updatedAt: 'n.updated_at' } as const;

type NewNeed = Pick<
  Insertable<NeedsTable>,
  | 'id'
  | 'org_id'
  | 'org_path'
  | 'created_by'
  | 'requester_name'
  | 'source'
  | 'category'
  | 'priority'
  | 'title'
  | 'description'
  | 'created_at'
> &
  Partial<Insertable<NeedsTable>>;

/**
 * The row of a new case: the fields given, every workflow column at its start (submitted, no
 * handler or deadline, nothing dated but the creation, version 1). The one list of the columns.
 */
export function newNeedRow(r: NewNeed): Insertable<NeedsTable> {
  return {
    military_detail: null,
    military_contact: null,
    status: 'submitted',
    lead_org_id: null,
    deadline_days: null,
    deadline: null,
    accepted_at: null,
    assigned_at: null,
    started_at: null,
    resolved_at: null,
    resolved_on_time: null,
    confirmed_at: null,
    closed_at: null,
    resolution: null,
    rating: null,
    rating_comment: null,
    decline_reason: null,
    merged_into: null,
    reopen_count: 0,
    reopen_reason: null,
    escalated_at: null,
    reminded_at: null,
    version: 1,
    updated_at: r.created_at,
    ...r,
  };
}

export const needsRepo = {
  /** Active organisations of the given types (the handlers a need may be assigned to), in tree order. */
  activeOrgsOfTypes(db: Queryable, types: readonly string[]) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'type'])
      .where('active', '=', 1)
      .where('type', 'in', [...types])
      .orderBy('type')
      .orderBy('path')
      .execute();
  },

  async page(
    db: Queryable,
    scope: Scope,
    f: NeedFilter,
    page: number,
    pageSize: number,
    sort: keyof typeof SORT,
    order: 'asc' | 'desc',
  ): Promise<{ rows: NeedRow[]; total: number }> {
    const base = baseQuery(db, scope, f);
    const [rows, total] = await Promise.all([
      base
        .selectAll('n')
        .select(['o.name as org_name', 'lo.name as lead_org_name'])
        .orderBy(sql.ref(SORT[sort]), order)
        .orderBy('n.id', order)
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /** Every row of a filter, by keyset pages (exports, statistics). */
  async *scan(db: Queryable, scope: Scope, f: NeedFilter, batch = 1000): AsyncGenerator<NeedRow[]> {
    let after = '';
    for (;;) {
      const rows = await baseQuery(db, scope, f)
        .selectAll('n')
        .select(['o.name as org_name', 'lo.name as lead_org_name'])
        .where('n.id', '>', after)
        .orderBy('n.id')
        .limit(batch)
        .execute();
      if (!rows.length) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
      if (rows.length < batch) return;
    }
  },

  async get(db: Queryable, scope: Scope, id: string): Promise<NeedRow | undefined> {
    return baseQuery(db, scope, {})
      .selectAll('n')
      .select(['o.name as org_name', 'lo.name as lead_org_name'])
      .where('n.id', '=', id)
      .executeTakeFirst();
  },

  async update(db: Queryable, id: string, version: number, set: Partial<Selectable<NeedsTable>>): Promise<boolean> {
    return updateVersioned(db, 'needs', id, version, { ...set, updated_at: nowIso() });
  },

  /** Cases closed since `since` (an instant) in the scope, and the average of their ratings (home page). */
  async closedSince(db: Queryable, scope: Scope, since: string) {
    const r = await baseQuery(db, scope, { status: 'closed' })
      .where('n.closed_at', '>=', since)
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.avg('n.rating').as('rating')])
      .executeTakeFirstOrThrow();
    return { closed: Number(r.n), averageRating: r.rating === null ? null : Math.round(Number(r.rating) * 100) / 100 };
  },

  async handlers(db: Queryable, scope: Scope, needId: string) {
    return db
      .selectFrom('need_handlers as h')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .select(['h.org_id', 'h.role', 'o.name as org_name'])
      .where('h.need_id', '=', needId)
      .where((eb) => scopeWhere(eb, scope, HANDLER_SCOPE))
      .where('h.active', '=', 1)
      .orderBy('h.role', 'desc')
      .orderBy('o.name')
      .execute();
  },

  async events(db: Queryable, scope: Scope, needId: string, includeMilitary: boolean) {
    let qb = db
      .selectFrom('need_events')
      .selectAll()
      .where('need_id', '=', needId)
      .where((eb) => scopeWhere(eb, scope, CHILD_SCOPE));
    if (!includeMilitary) qb = qb.where('military_only', '=', 0);
    return qb.orderBy('at').orderBy('id').execute();
  },

  async addEvent(
    db: Queryable,
    e: {
      needId: string;
      orgPath: string;
      actor: { id: string | null; name: string | null; orgName: string | null };
      kind: string;
      from?: string | null;
      to?: string | null;
      note?: string | null;
      militaryOnly?: boolean;
      at?: string;
    },
  ): Promise<void> {
    await db
      .insertInto('need_events')
      .values({
        id: uuidv7(),
        need_id: e.needId,
        org_path: e.orgPath,
        at: e.at ?? nowIso(),
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        actor_org_name: e.actor.orgName,
        kind: e.kind,
        from_status: e.from ?? null,
        to_status: e.to ?? null,
        note: e.note ?? null,
        military_only: e.militaryOnly ? 1 : 0,
      })
      .execute();
  },

  async tagsOf(db: Queryable, scope: Scope, ids: readonly string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (!ids.length) return map;
    const rows = await db
      .selectFrom('need_tags')
      .select(['need_id', 'tag'])
      .where('need_id', 'in', [...ids])
      .where((eb) => scopeWhere(eb, scope, CHILD_SCOPE))
      .orderBy('tag')
      .execute();
    for (const r of rows) map.set(r.need_id, [...(map.get(r.need_id) ?? []), r.tag]);
    return map;
  },

  async setTags(db: Queryable, need: { id: string; org_path: string }, tags: readonly string[]): Promise<void> {
    await db.deleteFrom('need_tags').where('need_id', '=', need.id).execute();
    if (tags.length)
      await db
        .insertInto('need_tags')
        .values([...new Set(tags)].map((tag) => ({ need_id: need.id, tag, org_path: need.org_path })))
        .execute();
  },

  async attachments(db: Queryable, scope: Scope, needId: string, includeMilitary: boolean) {
    let qb = db
      .selectFrom('need_attachments')
      .selectAll()
      .where('need_id', '=', needId)
      .where((eb) => scopeWhere(eb, scope, CHILD_SCOPE));
    if (!includeMilitary) qb = qb.where('military_only', '=', 0);
    return qb.orderBy('created_at').execute();
  },

  async duplicates(db: Queryable, scope: Scope, needId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('needs as n')
      .select('n.id')
      .where('n.merged_into', '=', needId)
      .where((eb) => scopeWhere(eb, scope, NEED_SCOPE))
      .orderBy('n.id')
      .execute();
    return rows.map((r) => r.id);
  },

  async category(db: Queryable, code: string) {
    return db.selectFrom('need_categories').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async categories(db: Queryable) {
    return db.selectFrom('need_categories').selectAll().orderBy('sort_order').orderBy('code').execute();
  },

  /** Inserts new cases (one, or a batch: the bench's bulk load); rows from `newNeedRow`. */
  async insert(db: Queryable, rows: Insertable<NeedsTable> | readonly Insertable<NeedsTable>[]): Promise<void> {
    await db
      .insertInto('needs')
      .values(Array.isArray(rows) ? [...rows] : (rows as Insertable<NeedsTable>))
      .execute();
  },

  /** Inserts handler rows as they are (a batch of any cases'; `replaceHandlers` for one case's change). */
  async insertHandlers(db: Queryable, rows: readonly Insertable<NeedHandlersTable>[]): Promise<void> {
    if (rows.length)
      await db
        .insertInto('need_handlers')
        .values([...rows])
        .execute();
  },

  /**
   * The deadline sweep's cases: handling, with a deadline, not escalated yet — every org's (the
   * sweep is the system's, not a user's), earliest deadline first.
   */
  async sweepCandidates(db: Queryable, scope: Scope) {
    return db
      .selectFrom('needs as n')
      .leftJoin('orgs as lo', 'lo.id', 'n.lead_org_id')
      .select(['n.id', 'n.title', 'n.deadline', 'n.lead_org_id', 'n.org_path', 'n.escalated_at', 'n.reminded_at'])
      .select('lo.name as lead_org_name')
      .where('n.status', 'in', [...HANDLING_STATUSES])
      .where('n.deadline', 'is not', null)
      .where('n.escalated_at', 'is', null)
      .where((eb) => scopeWhere(eb, scope, NEED_SCOPE))
      .orderBy('n.deadline')
      .execute();
  },

  /** Sets `escalated_at` / `reminded_at` if still unset; false when another process did it first. */
  async claimSweep(db: Queryable, id: string, column: 'escalated_at' | 'reminded_at'): Promise<boolean> {
    const claim = await db
      .updateTable('needs')
      .set({ [column]: nowIso() })
      .where('id', '=', id)
      .where(column, 'is', null)
      .executeTakeFirst();
    return Number(claim.numUpdatedRows) === 1;
  },

  /** Ends the case's active handlers and adds these. */
  async replaceHandlers(db: Queryable, needId: string, rows: Insertable<NeedHandlersTable>[]): Promise<void> {
    await db
      .updateTable('need_handlers')
      .set({ active: 0 })
      .where('need_id', '=', needId)
      .where('active', '=', 1)
      .execute();
    await this.insertHandlers(db, rows);
  },

  async insertAttachment(db: Queryable, row: Insertable<NeedAttachmentsTable>): Promise<void> {
    await db.insertInto('need_attachments').values(row).execute();
  },

  /** Marks these attachments of the case as evidence; how many were. */
  async markEvidence(db: Queryable, needId: string, ids: readonly string[]): Promise<number> {
    const res = await db
      .updateTable('need_attachments')
      .set({ purpose: 'evidence' })
      .where('need_id', '=', needId)
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  /** One attachment of a case the caller already sees; military-only ones only for the military side. */
  async attachment(db: Queryable, scope: Scope, needId: string, attachmentId: string, military: boolean) {
    let qb = db
      .selectFrom('need_attachments')
      .selectAll()
      .where('id', '=', attachmentId)
      .where('need_id', '=', needId)
      .where((eb) => scopeWhere(eb, scope, CHILD_SCOPE));
    if (!military) qb = qb.where('military_only', '=', 0);
    return qb.executeTakeFirst();
  },

  async insertCategory(db: Queryable, row: Insertable<NeedCategoriesTable>): Promise<void> {
    await db.insertInto('need_categories').values(row).execute();
  },

  /** Versioned edit of a category; false on a stale version. */
  async updateCategory(
    db: Queryable,
    code: string,
    version: number,
    set: Updateable<NeedCategoriesTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'need_categories', code, version, { ...set, updated_at: nowIso() }, { key: 'code' });
  },
};
