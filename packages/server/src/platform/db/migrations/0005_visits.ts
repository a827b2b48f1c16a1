import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * 走访慰问: plans with saved rules, their targets (one per household / unit per campaign once
 * confirmed), teams, visit records with photos, caps and budget lines per campaign, and the
 * maintained coverage counters the dashboard reads (DESIGN §5/§7). Campaigns are referenced by
 * id without a foreign key (the campaigns module lands separately).
 */
export function visits0005(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('visit_plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('letter_template', 'text')
        .addColumn('target_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('visit_plans_path').on('visit_plans').columns(['org_path', 'campaign_id']).execute();
      await db.schema.createIndex('visit_plans_campaign').on('visit_plans').columns(['campaign_id']).execute();

      await db.schema
        .createTable('visit_teams')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull().references('visit_plans.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('staff', 'text', (c) => c.notNull())
        .addColumn('leaders', 'text', (c) => c.notNull())
        .addColumn('planned_date', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('visit_teams_plan').on('visit_teams').columns(['plan_id']).execute();

      await db.schema
        .createTable('visit_targets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull().references('visit_plans.id'))
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        // household id, `org:<unit id>` or `manual:<uuid>`: one target per key and campaign once confirmed
        .addColumn('target_key', 'text', (c) => c.notNull())
        .addColumn('household_id', 'text')
        .addColumn('unit_org_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('manual', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('note', 'text')
        .addColumn('oldest_birth', 'text', (c) => c.notNull().defaultTo('9999-12-31'))
        // 0 = lives alone (one active member), 1 = otherwise: "alone first" is an ascending index order
        .addColumn('priority_rank', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('team_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('planned_date', 'text')
        // 'draft' | 'planned' (counted in coverage) | 'excluded' (owned by another plan)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('owner_key', 'text', (c) => c.unique())
        .addColumn('excluded_by', 'text')
        .addColumn('visit_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cash_fen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('goods_fen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_visit_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('visit_targets_plan')
        .on('visit_targets')
        .columns(['plan_id', 'org_path', 'name'])
        .execute();
      await db.schema
        .createIndex('visit_targets_key')
        .on('visit_targets')
        .columns(['target_key', 'campaign_id'])
        .execute();
      await db.schema
        .createIndex('visit_targets_priority')
        .on('visit_targets')
        .columns(['campaign_id', 'status', 'visit_count', 'priority_rank', 'oldest_birth'])
        .execute();
      await db.schema
        .createIndex('visit_targets_path')
        .on('visit_targets')
        .columns(['org_path', 'campaign_id'])
        .execute();

      await db.schema
        .createTable('visit_caps')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey())
        .addColumn('cash_per_visit_warn_fen', 'integer')
        .addColumn('cash_per_visit_max_fen', 'integer')
        .addColumn('goods_per_visit_warn_fen', 'integer')
        .addColumn('goods_per_visit_max_fen', 'integer')
        .addColumn('cash_per_target_max_fen', 'integer')
        .addColumn('goods_per_target_max_fen', 'integer')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('visit_budget_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('budget_fen', 'integer', (c) => c.notNull())
        .addColumn('spent_fen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('visit_budget_lines_path')
        .on('visit_budget_lines')
        .columns(['campaign_id', 'org_path'])
        .execute();

      await db.schema
        .createTable('visits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_key', 'text', (c) => c.notNull().unique())
        .addColumn('target_id', 'text', (c) => c.notNull().references('visit_targets.id'))
        .addColumn('target_key', 'text', (c) => c.notNull())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('visited_at', 'text', (c) => c.notNull())
        .addColumn('visitors', 'text', (c) => c.notNull())
        .addColumn('cash_fen', 'integer', (c) => c.notNull())
        .addColumn('goods', 'text', (c) => c.notNull())
        .addColumn('goods_fen', 'integer', (c) => c.notNull())
        .addColumn('budget_line_id', 'text')
        .addColumn('needs_text', 'text')
        .addColumn('notes', 'text')
        .addColumn('acknowledged', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('acknowledged_by', 'text')
        .addColumn('repeat_visit', 'integer', (c) => c.notNull().defaultTo(0))
        // 'none' | 'pending' | 'approved' | 'rejected'
        .addColumn('approval_status', 'text', (c) => c.notNull())
        .addColumn('approval_reasons', 'text')
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('approval_note', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('visits_target').on('visits').columns(['target_id']).execute();
      await db.schema.createIndex('visits_key').on('visits').columns(['campaign_id', 'target_key']).execute();
      await db.schema
        .createIndex('visits_path')
        .on('visits')
        .columns(['org_path', 'campaign_id', 'visited_at'])
        .execute();

      await db.schema
        .createTable('visit_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('visit_id', 'text', (c) => c.notNull().references('visits.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('has_thumbnail', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('visit_photos_visit').on('visit_photos').columns(['visit_id']).execute();

      // Maintained counters: one row per (campaign, plan, team, category, owner org), updated in the
      // transaction of every confirmation, assignment and visit; `rebuildCoverage` recomputes them.
      await db.schema
        .createTable('visit_coverage')
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('plan_id', 'text', (c) => c.notNull())
        .addColumn('team_id', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('planned', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('visited', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cash_fen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('goods_fen', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('visit_coverage_pk', ['campaign_id', 'plan_id', 'team_id', 'category', 'org_id'])
        .execute();
      await db.schema
        .createIndex('visit_coverage_path')
        .on('visit_coverage')
        .columns(['campaign_id', 'org_path'])
        .execute();
    },
  };
}
