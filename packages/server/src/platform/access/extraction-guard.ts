import { auditActorOf, type RequestCtx } from '../auth/actor.js';
import type { Platform } from '../context.js';

const WATCHED = ['beneficiary.reveal', 'beneficiary.lookup'];

/**
 * The classic insider leak is one account quietly looking up or exporting many people. After each
 * reveal, look-up or export this counts the actor's recent ones and, above the configured limits,
 * writes a `security.alert` audit event that the auditor's page lists. A look-up that answers
 * "registered elsewhere" counts like any other (it tells the caller the person exists), and the
 * alert says how many did.
 */
export class ExtractionGuard {
  constructor(private readonly p: Platform) {}

  async afterLookup(ctx: RequestCtx): Promise<boolean> {
    const { extraction } = await this.p.settings.security();
    const since = new Date(Date.now() - 3600_000).toISOString();
    const rows = await this.p.handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('actor_id', '=', ctx.actor.userId)
      .where('action', 'in', WATCHED)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    const n = Number(rows.n);
    if (n <= extraction.lookupsPerHour) return false;
    // how many of them told the caller "registered in another district" (the answer names no one)
    const disclosed = await this.p.handle.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('actor_id', '=', ctx.actor.userId)
      .where('action', '=', 'beneficiary.lookup')
      .where('changes', 'like', '%"elsewhere":true%')
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    await this.alert(ctx, {
      kind: 'lookups',
      lastHour: n,
      elsewhere: Number(disclosed.n),
      limit: extraction.lookupsPerHour,
    });
    return true;
  }

  async afterExport(ctx: RequestCtx, rows: number, revealed: boolean): Promise<boolean> {
    const { extraction } = await this.p.settings.security();
    const limit = revealed ? extraction.exportRows : extraction.exportRows * 10;
    if (rows <= limit) return false;
    await this.alert(ctx, { kind: 'export', rows, revealed, limit });
    return true;
  }

  private async alert(ctx: RequestCtx, details: Record<string, unknown>) {
    await this.p.audit.event(this.p.handle.db, auditActorOf(ctx), {
      action: 'security.alert',
      entityType: 'user',
      entityId: ctx.actor.userId,
      changes: details,
    });
  }
}
