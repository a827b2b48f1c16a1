import type { Insertable, Selectable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { nowIso } from '../../platform/ids.js';
import type { NotificationsTable } from './notifications.schema.js';

export type NotificationRow = Selectable<NotificationsTable>;

/**
 * Every query on `notifications`. A notification belongs to its addressee: each read takes the
 * user id (the table's scope is the user, not the org tree).
 */
export const notificationsRepo = {
  async insert(db: Queryable, rows: Insertable<NotificationsTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('notifications').values(rows).execute();
  },

  async isOwn(db: Queryable, scope: Scope, userId: string, id: string): Promise<boolean> {
    const r = await db
      .selectFrom('notifications')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return !!r;
  },

  async unread(db: Queryable, scope: Scope, userId: string): Promise<number> {
    const r = await db
      .selectFrom('notifications')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  /** One page of the user's notifications, newest first, and how many match. */
  async page(
    db: Queryable,
    scope: Scope,
    userId: string,
    q: { page: number; pageSize: number; unread?: 'true' | 'false' },
  ): Promise<{ rows: NotificationRow[]; total: number }> {
    let qb = db
      .selectFrom('notifications')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .where('user_id', '=', userId);
    if (q.unread === 'true') qb = qb.where('read_at', 'is', null);
    if (q.unread === 'false') qb = qb.where('read_at', 'is not', null);
    const [rows, total] = await Promise.all([
      qb
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /** Marks the user's unread notifications read — these ids, or all when `ids` is undefined; the count changed. */
  async markRead(db: Queryable, userId: string, ids?: readonly string[]): Promise<number> {
    let q = db
      .updateTable('notifications')
      .set({ read_at: nowIso() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (ids) q = ids.length === 1 ? q.where('id', '=', ids[0] as string) : q.where('id', 'in', ids);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows);
  },

  async readAt(db: Queryable, scope: Scope, userId: string, id: string): Promise<string | null | undefined> {
    const own = await db
      .selectFrom('notifications')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('read_at')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return own?.read_at;
  },

  /** The oldest unsent notifications (the outbox). */
  async unsent(db: Queryable, scope: Scope, limit: number): Promise<NotificationRow[]> {
    return db
      .selectFrom('notifications')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('sent_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /** Claims an unsent row for sending; false when another process claimed it first. */
  async claim(db: Queryable, id: string): Promise<boolean> {
    const claim = await db
      .updateTable('notifications')
      .set({ sent_at: nowIso() })
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    return Number(claim.numUpdatedRows) === 1;
  },
};
