import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * The cockpit's needs widget without counting (issue 18 item 3, decisions/0050): `need_counts`
 * holds, per (reach, scope path, status, lead department, deadline), how many cases a caller of
 * that scope sees. The needs workflow moves it in the same transaction as each change of a case
 * (`needCountsRepo`); `shuangyong doctor` compares it with a rebuild. Filled here from the cases
 * already there — the same statement as `needCountsRepo.expected` (a migration imports no module).
 */
export function needCounts0031(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('need_counts')
        .addColumn('reach', 'text', (c) => c.notNull())
        .addColumn('scope_path', pathType, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lead_org_id', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('need_counts_pk', ['reach', 'scope_path', 'status', 'lead_org_id', 'deadline'])
        // one scope's rows are one range of the key, read with their counts
        .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`WITHOUT ROWID`) : b))
        .execute();
      await sql`INSERT INTO need_counts (reach, scope_path, status, lead_org_id, deadline, n)
        WITH up (path, anc) AS (
          SELECT c.path, p.path FROM orgs c JOIN orgs p ON substr(c.path, 1, length(p.path)) = p.path
        ),
        reach (need_id, reach, scope_path) AS (
          SELECT id, 's', '' FROM needs
          UNION SELECT n.id, 's', up.anc FROM needs n JOIN up ON up.path = n.org_path
          UNION SELECT h.need_id, 's', up.anc FROM need_handlers h JOIN up ON up.path = h.org_path WHERE h.active = 1
          UNION SELECT id, 'o', org_path FROM needs
          UNION SELECT need_id, 'o', org_path FROM need_handlers WHERE active = 1
        )
        SELECT reach, scope_path, status, lead_org_id, deadline, count(*) FROM (
          SELECT r.reach, r.scope_path, n.status, coalesce(n.lead_org_id, '') AS lead_org_id,
            CASE WHEN n.status IN ('accepted', 'assigned', 'in_progress') AND n.deadline IS NOT NULL
              THEN n.deadline ELSE '' END AS deadline
          FROM reach r JOIN needs n ON n.id = r.need_id
          WHERE n.status <> 'merged'
        ) k
        GROUP BY reach, scope_path, status, lead_org_id, deadline`.execute(db);
    },
  };
}
