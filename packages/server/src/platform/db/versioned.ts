import type { Kysely, Updateable } from 'kysely';
import type { Queryable } from './index.js';
import type { Database } from './schema.js';

/**
 * The optimistic update every versioned table uses: sets `set` and the next version on the row
 * whose `key` column is `id` while its version is still `version`; false when it moved on (the
 * caller answers 409). `where` narrows it further (e.g. only from a given status).
 */
export async function updateVersioned<T extends keyof Database & string>(
  db: Queryable,
  table: T,
  id: string,
  version: number,
  set: Updateable<Database[T]>,
  opts: { key?: string; where?: Record<string, string> } = {},
): Promise<boolean> {
  // biome-ignore lint/suspicious/noExplicitAny: one statement for every versioned table of the schema
  let qb = (db as unknown as Kysely<any>)
    .updateTable(table as string)
    .set({ ...(set as Record<string, unknown>), version: version + 1 })
    .where(opts.key ?? 'id', '=', id)
    .where('version', '=', version);
  for (const [column, value] of Object.entries(opts.where ?? {})) qb = qb.where(column, '=', value);
  const r = await qb.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
