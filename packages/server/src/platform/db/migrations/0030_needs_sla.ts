import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * The cockpit's needs widget (decisions/0047) groups every visible case by (status, lead
 * department, SLA colour from the deadline): `needs_sla` holds exactly those columns, so the
 * city-wide count reads the index, not the cases' rows with their texts.
 */
export function needsSla0030(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('needs_sla').on('needs').columns(['status', 'lead_org_id', 'deadline']).execute();
    },
  };
}
