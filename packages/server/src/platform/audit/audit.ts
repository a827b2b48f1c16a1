import { sql } from 'kysely';
import type { CryptoProvider } from '../crypto/index.js';
import type { Db, Dialect, Queryable, Tx } from '../db/index.js';
import type { AuditLogTable } from '../db/schema.js';
import { nowIso, uuidv7 } from '../ids.js';

/** Who did it and through which request; services receive it from the route. */
export interface AuditActor {
  userId: string | null;
  username: string | null;
  orgId: string | null;
  orgPath: string | null;
  requestId: string | null;
  ip: string | null;
}

/** The actor of what no user did: timers, seeds and jobs without a request (audited as "system"). */
export const SYSTEM_AUDIT_ACTOR: AuditActor = {
  userId: null,
  username: 'system',
  orgId: null,
  orgPath: null,
  requestId: null,
  ip: null,
};

export interface AuditInput {
  action: string;
  entityType?: string;
  entityId?: string;
  changes?: Record<string, unknown> | null;
}

export const GENESIS_HASH = '0'.repeat(64);
const HEAD_KEY = 'audit.head';
/** Serialises appends to the chain on PostgreSQL (SQLite serialises all writes anyway). */
const CHAIN_LOCK_ID = 727_001;

type Row = Omit<AuditLogTable, 'hash'>;

/** The exact bytes that are hashed: every column but the hash, in a fixed order. */
export function canonicalRow(r: Row): string {
  return JSON.stringify([
    r.seq,
    r.id,
    r.at,
    r.actor_id,
    r.actor_name,
    r.org_id,
    r.org_path,
    r.request_id,
    r.ip,
    r.action,
    r.entity_type,
    r.entity_id,
    r.changes,
    r.prev_hash,
  ]);
}

/**
 * HMAC-SM3 rather than a bare SM3: whoever can edit the database but lacks the key file cannot
 * re-compute the chain after an edit (docs/decisions/0003-keyed-audit-chain.md).
 */
export function chainHash(crypto: CryptoProvider, r: Row): string {
  return crypto.mac('audit-chain', `${r.prev_hash}\n${canonicalRow(r)}`);
}

/** Fields whose values never enter the audit trail in clear. */
const MASKED = new Set(['password', 'password_hash', 'totp_secret', 'totp_pending_secret', 'csrf_token']);

/** Field-level diff of two records: `{ field: [before, after] }`, sensitive fields masked. */
export function diffFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  mask: (field: string, value: unknown) => unknown = defaultMask,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    if (k === 'updated_at' || k === 'version') continue;
    const a = before?.[k] ?? null;
    const b = after?.[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [mask(k, a), mask(k, b)];
  }
  return out;
}

function defaultMask(field: string, value: unknown): unknown {
  if (value == null) return value;
  return MASKED.has(field) ? '***' : value;
}

export class AuditLog {
  constructor(
    private readonly dialect: Dialect,
    private readonly crypto: CryptoProvider,
  ) {}

  /** Appends one row to the chain inside the caller's transaction: if this fails, the change fails. */
  async append(trx: Tx, actor: AuditActor, input: AuditInput): Promise<void> {
    if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_ID})`.execute(trx);
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row: Row = {
      seq: (last?.seq ?? 0) + 1,
      id: uuidv7(),
      at: nowIso(),
      actor_id: actor.userId,
      actor_name: actor.username,
      org_id: actor.orgId,
      org_path: actor.orgPath,
      request_id: actor.requestId,
      ip: actor.ip,
      action: input.action,
      entity_type: input.entityType ?? null,
      entity_id: input.entityId ?? null,
      changes: input.changes && Object.keys(input.changes).length ? JSON.stringify(input.changes) : null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = chainHash(this.crypto, row);
    await trx
      .insertInto('audit_log')
      .values({ ...row, hash })
      .execute();
    // The head is kept apart from the chain so that cutting rows off the end is detected too.
    const head = JSON.stringify({ seq: row.seq, hash });
    await trx
      .insertInto('settings')
      .values({ key: HEAD_KEY, value: head, updated_at: row.at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: head, updated_at: row.at }))
      .execute();
  }

  /** Records an event that changes no data (a login, a denial) in a transaction of its own. */
  async event(db: Db, actor: AuditActor, input: AuditInput): Promise<void> {
    await db.transaction().execute((trx) => this.append(trx, actor, input));
  }

  /** Walks the whole chain; reports the first row whose hash or link does not hold. */
  async verify(
    db: Queryable,
    batch = 5000,
  ): Promise<{ ok: boolean; checked: number; firstBrokenSeq: number | null; reason: string | null }> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(batch)
        .execute();
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq !== expectedSeq) return { ok: false, checked, firstBrokenSeq: expectedSeq, reason: 'missing' };
        if (r.prev_hash !== prevHash) return { ok: false, checked, firstBrokenSeq: seq, reason: 'link' };
        if (chainHash(this.crypto, { ...r, seq }) !== r.hash)
          return { ok: false, checked, firstBrokenSeq: seq, reason: 'hash' };
        prevHash = r.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < batch) break;
    }
    const headRow = await db.selectFrom('settings').select('value').where('key', '=', HEAD_KEY).executeTakeFirst();
    if (headRow) {
      const head = JSON.parse(headRow.value) as { seq: number; hash: string };
      if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
        return { ok: false, checked, firstBrokenSeq: Math.min(head.seq, expectedSeq), reason: 'truncated' };
      }
    } else if (checked > 0) {
      return { ok: false, checked, firstBrokenSeq: 1, reason: 'head_missing' };
    }
    return { ok: true, checked, firstBrokenSeq: null, reason: null };
  }
}
