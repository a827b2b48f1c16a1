import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/** The tables whose `campaign_id` a user supplies; targets and visits copy it from their plan. */
const CAMPAIGN_TABLES = ['visit_plans', 'visit_caps', 'visit_budget_lines'] as const;

/**
 * Visit plans, caps and budget lines belong to a campaign (工作部署) — 0005 held only its id.
 * Ids that name no campaign (written before this migration) get a campaign of their own, issued
 * by the org of the earliest plan or budget line that used it (the city when only caps did), so no
 * plan is lost. Then the reference is enforced: on PostgreSQL a foreign key; on SQLite, where a
 * foreign key cannot be added to an existing table without rebuilding it, triggers that refuse
 * the same rows a foreign key would (docs/decisions/0007).
 */
export function visitCampaigns0006(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const now = new Date().toISOString();
      await sql`
        INSERT INTO campaigns (id, org_id, org_path, title, kind, status, issuers, recipients, requirements,
          remind_days_before, created_by, issued_at, version, created_at, updated_at)
        SELECT u.campaign_id, o.id, o.path, u.campaign_id, 'spring_festival', 'issued', '[]', '[]', '[]',
          2, 'system', ${now}, 1, ${now}, ${now}
        FROM (
          SELECT campaign_id, MIN(org_path) AS org_path FROM (
            SELECT campaign_id, org_path FROM visit_plans
            UNION ALL SELECT campaign_id, org_path FROM visit_budget_lines
            UNION ALL SELECT c.campaign_id, r.path FROM visit_caps c
              CROSS JOIN (SELECT MIN(path) AS path FROM orgs WHERE depth = 0) r
          ) x GROUP BY campaign_id
        ) u
        JOIN orgs o ON o.path = u.org_path
        WHERE NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = u.campaign_id)`.execute(db);

      for (const table of CAMPAIGN_TABLES) {
        if (dialect === 'postgres') {
          await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.id(`${table}_campaign_fk`)}
            FOREIGN KEY (campaign_id) REFERENCES campaigns (id)`.execute(db);
          continue;
        }
        for (const [suffix, event] of [
          ['insert', 'INSERT'],
          ['update', 'UPDATE OF campaign_id'],
        ] as const) {
          await sql`CREATE TRIGGER ${sql.id(`${table}_campaign_fk_${suffix}`)} BEFORE ${sql.raw(event)} ON ${sql.table(table)}
            WHEN NOT EXISTS (SELECT 1 FROM campaigns WHERE id = NEW.campaign_id)
            BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END`.execute(db);
        }
      }
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER campaigns_visits_fk_delete BEFORE DELETE ON campaigns
          WHEN EXISTS (SELECT 1 FROM visit_plans WHERE campaign_id = OLD.id)
            OR EXISTS (SELECT 1 FROM visit_caps WHERE campaign_id = OLD.id)
            OR EXISTS (SELECT 1 FROM visit_budget_lines WHERE campaign_id = OLD.id)
          BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END`.execute(db);
        await sql`CREATE TRIGGER campaigns_visits_fk_update BEFORE UPDATE OF id ON campaigns
          WHEN EXISTS (SELECT 1 FROM visit_plans WHERE campaign_id = OLD.id)
            OR EXISTS (SELECT 1 FROM visit_caps WHERE campaign_id = OLD.id)
            OR EXISTS (SELECT 1 FROM visit_budget_lines WHERE campaign_id = OLD.id)
          BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END`.execute(db);
      }
    },
  };
}
