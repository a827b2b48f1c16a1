import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * 双拥先进典型: exemplars (people and organisations) nominated by districts and units, reviewed at
 * the city, their review trail, and their links to the publicity items about them. The public
 * profile is a publicity item (`profile_item_id`) and goes through its confidentiality review.
 */
export function exemplars0025(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('atmosphere_exemplars')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        // the org the exemplar concerns (a unit co-authors what concerns it)
        .addColumn('concerned_org_id', 'text', (c) => c.references('orgs.id'))
        .addColumn('concerned_path', pathType)
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('type_label', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        // structured content (paragraphs, headings, quotes, lists) as JSON, never HTML
        .addColumn('deeds', 'text', (c) => c.notNull())
        // a person's personal data: sealed, with the registry's masked copy for every view
        .addColumn('id_enc', 'text')
        .addColumn('id_masked', 'text')
        .addColumn('phone_enc', 'text')
        .addColumn('phone_masked', 'text')
        .addColumn('address_enc', 'text')
        .addColumn('address_masked', 'text')
        .addColumn('campaign_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('mentions_troops', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('approved_hash', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('profile_item_id', 'text', (c) => c.references('atmosphere_items.id'))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('atmosphere_exemplars_path')
        .on('atmosphere_exemplars')
        .columns(['org_path', 'status'])
        .execute();
      await db.schema
        .createIndex('atmosphere_exemplars_register')
        .on('atmosphere_exemplars')
        .columns(['year', 'type'])
        .execute();
      await db.schema
        .createIndex('atmosphere_exemplars_campaign')
        .on('atmosphere_exemplars')
        .columns(['campaign_id', 'status', 'org_path'])
        .execute();
      await db.schema
        .createIndex('atmosphere_exemplars_concerned')
        .on('atmosphere_exemplars')
        .columns(['concerned_org_id'])
        .execute();

      await db.schema
        .createTable('atmosphere_exemplar_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('exemplar_id', 'text', (c) => c.notNull().references('atmosphere_exemplars.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('reviewer_id', 'text', (c) => c.notNull())
        .addColumn('reviewer_name', 'text', (c) => c.notNull())
        .addColumn('reviewer_org_name', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('atmosphere_exemplar_reviews_exemplar')
        .on('atmosphere_exemplar_reviews')
        .columns(['exemplar_id', 'at'])
        .execute();

      await db.schema
        .createTable('atmosphere_exemplar_items')
        .addColumn('exemplar_id', 'text', (c) => c.notNull().references('atmosphere_exemplars.id'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('atmosphere_items.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('linked_by', 'text', (c) => c.notNull())
        .addColumn('linked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('atmosphere_exemplar_items_pk', ['exemplar_id', 'item_id'])
        .execute();
      await db.schema
        .createIndex('atmosphere_exemplar_items_item')
        .on('atmosphere_exemplar_items')
        .columns(['item_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['atmosphere_exemplar_items', 'atmosphere_exemplar_reviews', 'atmosphere_exemplars'])
        await db.schema.dropTable(t).execute();
    },
  };
}
