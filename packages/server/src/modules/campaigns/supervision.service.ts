import type {
  addRectificationBody,
  createInspectionBody,
  Inspection,
  rectificationRespondBody,
  rectificationReviewBody,
} from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { assigneeSide, campaignsRepo, issuerSide } from './campaigns.repo.js';
import type { CampaignRectificationsTable } from './campaigns.schema.js';
import { type CampaignsContext, today } from './context.js';
import { supervisionRepo } from './supervision.repo.js';

type RectRow = Selectable<CampaignRectificationsTable>;
const RECT_FLOW = {
  respond: { from: 'open', to: 'done' },
  close: { from: 'done', to: 'closed' },
  reopen: { from: 'done', to: 'open' },
} as const;

/**
 * 督导: inspection records per organisation, with findings and rectification items (整改) that the
 * inspected org answers (open → done) and the inspector closes or sends back (done → closed / open).
 */
export class SupervisionService {
  constructor(private readonly cx: CampaignsContext) {}

  private get db() {
    return this.cx.p.handle.db;
  }

  private rect(r: RectRow, day: string) {
    return {
      id: r.id,
      inspectionId: r.inspection_id,
      description: r.description,
      deadline: r.deadline,
      status: r.status as 'open',
      response: r.response,
      respondedAt: r.responded_at,
      closedAt: r.closed_at,
      reopenReason: r.reopen_reason,
      overdue: r.status !== 'closed' && !!r.deadline && r.deadline < day,
      version: r.version,
    };
  }

  /** Inspections of a campaign the caller sees (issuer side: all; an inspected org: its own). */
  async list(ctx: RequestCtx, campaignId: string, db: Queryable = this.db, only?: string): Promise<Inspection[]> {
    const c = await campaignsRepo.campaign(db, ctx.actor.scope, campaignId);
    if (!c) throw notFound();
    const issuer = issuerSide(ctx.actor.scope, c);
    const rows = await supervisionRepo.inspections(db, ctx.actor.scope, campaignId, issuer, only);
    const rects = await supervisionRepo.rectificationsOf(
      db,
      SYSTEM_SCOPE,
      rows.map((r) => r.id),
    );
    const day = today(this.cx);
    return rows.map((i) => {
      const own = rects.filter((r) => r.inspection_id === i.id);
      return {
        id: i.id,
        campaignId: i.campaign_id,
        orgId: i.org_id,
        orgName: i.org_name,
        inspectedOn: i.inspected_on,
        inspectors: i.inspectors,
        findings: i.findings,
        createdAt: i.created_at,
        closed: own.every((r) => r.status === 'closed'),
        rectifications: own.map((r) => this.rect(r, day)),
      };
    });
  }

  async get(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<Inspection> {
    const i = await campaignsRepo.inspection(db, ctx.actor.scope, id);
    if (!i) throw notFound();
    const [one] = await this.list(ctx, i.campaign_id, db, id);
    if (!one) throw notFound();
    return one;
  }

  private async insertRects(
    trx: Tx,
    i: { id: string; campaign_id: string; org_id: string; org_path: string },
    items: z.infer<typeof addRectificationBody>[],
  ) {
    const now = nowIso();
    if (!items.length) return;
    await supervisionRepo.insertRectifications(
      trx,
      items.map((r) => ({
        id: uuidv7(),
        inspection_id: i.id,
        campaign_id: i.campaign_id,
        org_id: i.org_id,
        org_path: i.org_path,
        description: r.description,
        deadline: r.deadline ?? null,
        status: 'open',
        response: null,
        responded_at: null,
        closed_at: null,
        closed_by: null,
        reopen_reason: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })),
    );
    await this.cx.notifications.notify(trx, {
      orgIds: [i.org_id],
      kind: 'campaign.rectification',
      title: t('campaignNotify.rectification.title'),
      body: t('campaignNotify.rectification.body', { n: items.length }),
      entityType: 'campaign_inspection',
      entityId: i.id,
    });
  }

  async create(ctx: RequestCtx, campaignId: string, body: z.infer<typeof createInspectionBody>) {
    return this.db.transaction().execute(async (trx) => {
      const c = await campaignsRepo.campaign(trx, ctx.actor.scope, campaignId);
      if (!c || !issuerSide(ctx.actor.scope, c)) throw notFound();
      if (c.status === 'draft') throw conflict('campaign_not_open', 'campaigns.notOpen');
      const org = await supervisionRepo.assigneeOf(trx, SYSTEM_SCOPE, campaignId, body.orgId);
      if (!org) throw badRequest('not_assignee', 'campaigns.inspectionOrg');
      const row = {
        id: uuidv7(),
        campaign_id: campaignId,
        org_id: org.org_id,
        org_path: org.org_path,
        inspected_on: body.inspectedOn,
        inspectors: body.inspectors,
        findings: body.findings,
        created_by: ctx.actor.userId,
        created_at: nowIso(),
      };
      await supervisionRepo.insertInspection(trx, row);
      await this.insertRects(trx, row, body.rectifications);
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.inspection.create',
        entityType: 'campaign_inspection',
        entityId: row.id,
        changes: { campaign: campaignId, org: body.orgId, rectifications: body.rectifications.length },
      });
      return this.get(ctx, row.id, trx);
    });
  }

  async addRectification(ctx: RequestCtx, inspectionId: string, body: z.infer<typeof addRectificationBody>) {
    return this.db.transaction().execute(async (trx) => {
      const i = await campaignsRepo.inspection(trx, ctx.actor.scope, inspectionId);
      if (!i || !issuerSide(ctx.actor.scope, { org_id: i.campaign_org_id, org_path: i.campaign_org_path }))
        throw notFound();
      await this.insertRects(trx, i, [body]);
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.rectification.add',
        entityType: 'campaign_inspection',
        entityId: inspectionId,
        changes: { description: [null, body.description] },
      });
      return this.get(ctx, inspectionId, trx);
    });
  }

  private async move(
    ctx: RequestCtx,
    id: string,
    version: number,
    action: keyof typeof RECT_FLOW,
    side: 'issuer' | 'inspected',
    set: Partial<RectRow>,
    changes: Record<string, unknown>,
  ) {
    return this.db.transaction().execute(async (trx) => {
      const r = await campaignsRepo.rectification(trx, ctx.actor.scope, id);
      if (!r) throw notFound();
      const mayAct =
        side === 'issuer'
          ? issuerSide(ctx.actor.scope, { org_id: r.campaign_org_id, org_path: r.campaign_org_path })
          : assigneeSide(ctx.actor.scope, r);
      if (!mayAct) throw notFound();
      if (r.version !== version) throw versionConflict();
      const flow = RECT_FLOW[action];
      if (r.status !== flow.from) {
        const allowed = Object.entries(RECT_FLOW)
          .filter(([, f]) => f.from === r.status)
          .map(([a]) => a);
        throw new AppError(
          409,
          'illegal_transition',
          'campaigns.illegalRectificationAction',
          { status: t(`rectificationStatus.${r.status}`), action: t(`rectificationAction.${action}`) },
          { allowed },
        );
      }
      await supervisionRepo.updateRectification(trx, id, {
        ...set,
        status: flow.to,
        version: r.version + 1,
        updated_at: nowIso(),
      });
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: `campaign.rectification.${action}`,
        entityType: 'campaign_rectification',
        entityId: id,
        changes: { status: [r.status, flow.to], ...changes },
      });
      return this.get(ctx, r.inspection_id, trx);
    });
  }

  respond(ctx: RequestCtx, id: string, body: z.infer<typeof rectificationRespondBody>) {
    return this.move(
      ctx,
      id,
      body.version,
      'respond',
      'inspected',
      { response: body.response, responded_at: nowIso() },
      { response: body.response },
    );
  }

  review(ctx: RequestCtx, id: string, body: z.infer<typeof rectificationReviewBody>) {
    return body.decision === 'close'
      ? this.move(ctx, id, body.version, 'close', 'issuer', { closed_at: nowIso(), closed_by: ctx.actor.userId }, {})
      : this.move(
          ctx,
          id,
          body.version,
          'reopen',
          'issuer',
          { reopen_reason: body.reason ?? null },
          { reason: body.reason },
        );
  }
}
