import type { AppNotification } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { UsersService } from '../users/users.module.js';
import { type NotificationRow, notificationsRepo } from './notifications.repo.js';

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

function toDto(r: NotificationRow): AppNotification {
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
    private readonly users: UsersService,
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
    const users = await this.users.activeRecipients(trx, input.userIds ?? [], input.orgIds ?? []);
    const exclude = new Set(input.excludeUserIds ?? []);
    const recipients = users.filter((u) => !exclude.has(u.id));
    if (!recipients.length) return [];
    const now = nowIso();
    await notificationsRepo.insert(
      trx,
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
    );
    return recipients.map((u) => u.id);
  }

  /** Is the notification addressed to this user (record-level check of `:id` routes)? */
  async isOwn(db: Queryable, userId: string, id: string): Promise<boolean> {
    return notificationsRepo.isOwn(db, SYSTEM_SCOPE, userId, id);
  }

  /** The caller's own notifications, newest first, with the unread count. */
  async page(ctx: RequestCtx, q: { page: number; pageSize: number; unread?: 'true' | 'false' }) {
    const userId = ctx.actor.userId;
    const [{ rows, total }, unread] = await Promise.all([
      notificationsRepo.page(this.db, SYSTEM_SCOPE, userId, q),
      notificationsRepo.unread(this.db, SYSTEM_SCOPE, userId),
    ]);
    return { items: rows.map(toDto), total, page: q.page, pageSize: q.pageSize, unread };
  }

  /** Marks one of the caller's own notifications read; someone else's is left as it is. */
  async markRead(ctx: RequestCtx, id: string): Promise<{ read: boolean; unread: number }> {
    return this.db.transaction().execute(async (trx) => {
      const changed = (await notificationsRepo.markRead(trx, ctx.actor.userId, [id])) === 1;
      if (changed)
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'notification.read',
          entityType: 'notification',
          entityId: id,
        });
      const readAt = await notificationsRepo.readAt(trx, SYSTEM_SCOPE, ctx.actor.userId, id);
      return { read: !!readAt, unread: await notificationsRepo.unread(trx, SYSTEM_SCOPE, ctx.actor.userId) };
    });
  }

  /** The chosen notifications of the caller; ids of other users' notifications change nothing. */
  async markManyRead(ctx: RequestCtx, ids: readonly string[]): Promise<{ read: boolean; unread: number }> {
    const unique = [...new Set(ids)];
    return this.db.transaction().execute(async (trx) => {
      const n = await notificationsRepo.markRead(trx, ctx.actor.userId, unique);
      if (n > 0)
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'notification.read_many',
          entityType: 'notification',
          changes: { count: n },
        });
      return { read: true, unread: await notificationsRepo.unread(trx, SYSTEM_SCOPE, ctx.actor.userId) };
    });
  }

  async markAllRead(ctx: RequestCtx): Promise<{ read: boolean; unread: number }> {
    return this.db.transaction().execute(async (trx) => {
      const n = await notificationsRepo.markRead(trx, ctx.actor.userId);
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
    const rows = await notificationsRepo.unsent(this.db, SYSTEM_SCOPE, limit);
    let sent = 0;
    for (const r of rows) {
      if (!(await notificationsRepo.claim(this.db, r.id))) continue;
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
