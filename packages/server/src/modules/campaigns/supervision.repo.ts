import type { Insertable, Updateable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { CampaignInspectionsTable, CampaignRectificationsTable } from './campaigns.schema.js';

/** Queries of 督查 (supervision.service.ts): inspections and their rectifications. */
export const supervisionRepo = {
  /** A campaign's inspections (or one): all for its issuer, the caller's scope's otherwise. */
  async inspections(db: Queryable, scope: Scope, campaignId: string, issuer: boolean, only?: string) {
    return db
      .selectFrom('campaign_inspections as i')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .selectAll('i')
      .select('o.name as org_name')
      .where('i.campaign_id', '=', campaignId)
      .$if(!!only, (qb) => qb.where('i.id', '=', only!))
      .$if(!issuer, (qb) => qb.where((eb) => scopeWhere(eb, scope, { path: 'i.org_path', orgId: 'i.org_id' })))
      .orderBy('i.inspected_on', 'desc')
      .orderBy('i.id')
      .execute();
  },

  /** The rectifications of these inspections (already read in the caller's scope). */
  async rectificationsOf(db: Queryable, scope: Scope, inspectionIds: string[]) {
    if (!inspectionIds.length) return [];
    return db
      .selectFrom('campaign_rectifications')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('inspection_id', 'in', inspectionIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  async insertRectifications(db: Queryable, rows: Insertable<CampaignRectificationsTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('campaign_rectifications').values(rows).execute();
  },

  async updateRectification(db: Queryable, id: string, set: Updateable<CampaignRectificationsTable>): Promise<void> {
    await db.updateTable('campaign_rectifications').set(set).where('id', '=', id).execute();
  },

  /** The org an inspection may target: one the campaign assigned work to. */
  async assigneeOf(db: Queryable, scope: Scope, campaignId: string, orgId: string) {
    return db
      .selectFrom('campaign_assignments')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['org_id', 'org_path'])
      .where('campaign_id', '=', campaignId)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
  },

  async insertInspection(db: Queryable, row: Insertable<CampaignInspectionsTable>): Promise<void> {
    await db.insertInto('campaign_inspections').values(row).execute();
  },
};
