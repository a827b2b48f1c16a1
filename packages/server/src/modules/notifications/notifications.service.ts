import type { AppNotification } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { NotificationsTable } from './notifications.schema.js';

/** A message handed to an outbound channel (SMS gateway, 政务微信, mail…). */
export interface OutboundMessage {
  notificationId: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
}

/** An outbound channel. Deployments plug a real one in; the default only logs (no network). */
export interface OutboundTransport {
  send(message: OutboundMessage): Promise<void>;
}

export class LogTransport implements OutboundTransport {
  constructor(private readonly log?: { info(obj: object, msg?: string): void }) {}
  async send(m: OutboundMessage): Promise<void> {
    this.log?.info(
      { notification: m.notificationId, user: m.userId, kind: m.kind, title: m.title },
      'outbound notification',
    );
  }
}

/** Keeps what it was given (tests, previews). */
export class MemoryTransport implements OutboundTransport {
  readonly sent: OutboundMessage[] = [];
  async send(m: OutboundMessage): Promise<void> {
    this.sent.push(m);
  }
}

export interface NotifyInput {
  /** Recipients by user id … */
  userIds?: readonly string[];
  /** … and/or every active user of these orgs (the org itself, not its subtree). */
  orgIds?: readonly string[];
  /** Never notify these (typically the person who acted). */
  excludeUserIds?: readonly string[];
  kind: string;
  title: string;
  body: string;
  entityType?: string;
  entityId?: string;
}

function toDto(r: Selectable<NotificationsTable>): AppNotification {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    entityType: r.entity_type,
    entityId: r.entity_id,
    read: r.read_at !== null,
    createdAt: r.created_at,
  };
}

/**
 * In-app notifications, generic over modules. `notify` writes inside the caller's transaction (so a
 * rolled-back change notifies nobody); the same rows are the outbox that `flush` hands to the
 * outbound transport after the commit. Callers put no restricted content in title or body.
 */
export class NotificationsService {
  transport: OutboundTransport;

  constructor(
    private readonly p: Platform,
    transport?: OutboundTransport,
    private readonly log?: { error(obj: object, msg?: string): void },
  ) {
    this.transport = transport ?? new LogTransport();
  }

  private get db() {
    return this.p.handle.db;
  }

  /** Writes one notification per recipient; returns the recipients' user ids. */
  async notify(trx: Tx, input: NotifyInput): Promise<string[]> {
    const ids = new Set(input.userIds ?? []);
    let users: { id: string; org_id: string; org_path: string }[] = [];
    const orgIds = [...new Set(input.orgIds ?? [])];
    if (ids.size || orgIds.length) {
      users = await trx
        .selectFrom('users')
        .select(['id', 'org_id', 'org_path'])
        .where('active', '=', 1)
        .where((eb) => {
          const ors = [];
          if (ids.size) ors.push(eb('id', 'in', [...ids]));
          if (orgIds.length) ors.push(eb('org_id', 'in', orgIds));
          return eb.or(ors);
        })
        .orderBy('id')
        .execute();
    }
    const exclude = new Set(input.excludeUserIds ?? []);
    const recipients = users.filter((u) => !exclude.has(u.id));
    if (!recipients.length) return [];
    const now = nowIso();
    await trx
      .insertInto('notifications')
      .values(
        recipients.map((u) => ({
          id: uuidv7(),
          user_id: u.id,
          org_id: u.org_id,
          org_path: u.org_path,
          kind: input.kind,
          title: input.title,
          body: input.body,
          entity_type: input.entityType ?? null,
          entity_id: input.entityId ?? null,
          read_at: null,
          sent_at: null,
          created_at: now,
        })),
      )
      .execute();
    return recipients.map((u) => u.id);
  }

  /** Is the notification addressed to this user (record-level check of `:id` routes)? */
  async isOwn(db: Queryable, userId: string, id: string): Promise<boolean> {
    const r = await db
      .selectFrom('notifications')
      .select('id')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return !!r;
  }

  private async unread(db: Queryable, userId: string): Promise<number> {
    const r = await db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  }

  /** The caller's own notifications, newest first, with the unread count. */
  async page(ctx: RequestCtx, q: { page: number; pageSize: number; unread?: 'true' | 'false' }) {
    const userId = ctx.actor.userId;
    let qb = this.db.selectFrom('notifications').where('user_id', '=', userId);
    if (q.unread === 'true') qb = qb.where('read_at', 'is', null);
    if (q.unread === 'false') qb = qb.where('read_at', 'is not', null);
    const [rows, total, unread] = await Promise.all([
      qb
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      this.unread(this.db, userId),
    ]);
    return { items: rows.map(toDto), total: toNumber(total.n), page: q.page, pageSize: q.pageSize, unread };
  }

  /** Marks one of the caller's own notifications read; someone else's is left as it is. */
  async markRead(ctx: RequestCtx, id: string): Promise<{ read: boolean; unread: number }> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('notifications')
        .set({ read_at: nowIso() })
        .where('id', '=', id)
        .where('user_id', '=', ctx.actor.userId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      const changed = Number(res.numUpdatedRows) === 1;
      if (changed)
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'notification.read',
          entityType: 'notification',
          entityId: id,
        });
      const own = await trx
        .selectFrom('notifications')
        .select('read_at')
        .where('id', '=', id)
        .where('user_id', '=', ctx.actor.userId)
        .executeTakeFirst();
      return { read: !!own?.read_at, unread: await this.unread(trx, ctx.actor.userId) };
    });
  }

  /** The chosen notifications of the caller; ids of other users' notifications change nothing. */
  async markManyRead(ctx: RequestCtx, ids: readonly string[]): Promise<{ read: boolean; unread: number }> {
    const unique = [...new Set(ids)];
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('notifications')
        .set({ read_at: nowIso() })
        .where('id', 'in', unique)
        .where('user_id', '=', ctx.actor.userId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      const n = Number(res.numUpdatedRows);
      if (n > 0)
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'notification.read_many',
          entityType: 'notification',
          changes: { count: n },
        });
      return { read: true, unread: await this.unread(trx, ctx.actor.userId) };
    });
  }

  async markAllRead(ctx: RequestCtx): Promise<{ read: boolean; unread: number }> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('notifications')
        .set({ read_at: nowIso() })
        .where('user_id', '=', ctx.actor.userId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      const n = Number(res.numUpdatedRows);
      if (n > 0)
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'notification.read_all',
          entityType: 'notification',
          changes: { count: n },
        });
      return { read: true, unread: 0 };
    });
  }

  /**
   * Hands unsent notifications to the outbound transport. Each row is claimed by a conditional
   * update first, so several processes never send the same row twice.
   */
  async flush(limit = 500): Promise<number> {
    const rows = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('sent_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    let sent = 0;
    for (const r of rows) {
      const claim = await this.db
        .updateTable('notifications')
        .set({ sent_at: nowIso() })
        .where('id', '=', r.id)
        .where('sent_at', 'is', null)
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1) continue;
      try {
        await this.transport.send({
          notificationId: r.id,
          userId: r.user_id,
          kind: r.kind,
          title: r.title,
          body: r.body,
          entityType: r.entity_type,
          entityId: r.entity_id,
        });
        sent++;
      } catch (err) {
        this.log?.error({ err, notification: r.id }, 'outbound notification failed');
      }
    }
    return sent;
  }
}
