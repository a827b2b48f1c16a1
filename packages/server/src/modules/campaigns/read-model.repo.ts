import type { SelectQueryBuilder } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { campaignVisible } from './campaigns.repo.js';

/**
 * What other modules read of campaigns (decisions/0024, point 2): through these methods, never
 * the campaigns' tables. Nothing here writes.
 */
export const campaignsReadModel = {
  /** Does a campaign with this id exist (a reference another module's row is about to store)? */
  async exists(db: Queryable, scope: Scope, id: string): Promise<boolean> {
    return !!(await db
      .selectFrom('campaigns')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst());
  },

  /** The campaign a task belongs to (a row of another module names the task it was issued as). */
  async campaignOfTask(db: Queryable, scope: Scope, taskId: string): Promise<string | undefined> {
    const r = await db
      .selectFrom('campaign_tasks')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select('campaign_id')
      .where('id', '=', taskId)
      .executeTakeFirst();
    return r?.campaign_id;
  },

  /** A campaign's period (from its start, or its issue date, to its end; null: open on that side). */
  async period(
    db: Queryable,
    scope: Scope,
    id: string,
  ): Promise<{ from: string | null; to: string | null } | undefined> {
    const r = await db
      .selectFrom('campaigns')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['period_start', 'period_end', 'issue_date'])
      .where('id', '=', id)
      .executeTakeFirst();
    return r && { from: r.period_start ?? r.issue_date, to: r.period_end };
  },

  /**
   * Issued campaigns a caller can work on, newest first: those the campaigns pages show them
   * (issuer side, or assigned within `scope`), those assigned to an org at one of `above` (the
   * caller's org and those above it), and those whose id `alsoIds` yields (a subquery of the
   * caller's module, e.g. the campaigns it already plans visits in).
   */
  issuedFor(
    db: Queryable,
    scope: Scope,
    above: readonly string[],
    // biome-ignore lint/suspicious/noExplicitAny: a one-column subquery over the calling module's tables
    alsoIds: SelectQueryBuilder<any, any, { campaign_id: string }>,
    limit: number,
  ) {
    return db
      .selectFrom('campaigns as c')
      .innerJoin('orgs as o', 'o.id', 'c.org_id')
      .select([
        'c.id',
        'c.title',
        'c.kind',
        'c.status',
        'c.issue_date',
        'c.period_start',
        'c.period_end',
        'c.created_at',
        'o.name as org_name',
      ])
      .where('c.status', '!=', 'draft')
      .where((eb) =>
        eb.or([
          campaignVisible(eb as never, scope),
          eb.exists(
            eb
              .selectFrom('campaign_assignments as a')
              .select('a.id')
              .whereRef('a.campaign_id', '=', 'c.id')
              .where('a.org_path', 'in', [...above]),
          ),
          eb('c.id', 'in', alsoIds as never),
        ]),
      )
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
  },
};

export type CampaignsReadModel = typeof campaignsReadModel;
