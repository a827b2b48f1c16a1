import { createHash } from 'node:crypto';
import type {
  ContentBlock,
  createPublicityBody,
  Finding,
  PublicityAction,
  PublicityDetail,
  PublicityListItem,
  PublicityStatus,
  publicityListQuery,
  publicityPublishBody,
  publicityReviewBody,
  ReviewSide,
  updatePublicityBody,
} from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { z } from 'zod';
import { pathInSubtree, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import { atmosphereRepo, type ItemFilter, type ItemRow, type PhotoRow } from './atmosphere.repo.js';
import { type CampaignOfTask, checkTaskOfCampaign } from './campaign-task.js';
import { type ConfidentialityChecks, type PhotoFacts, seesMilitary } from './checks.service.js';

type ListQuery = z.infer<typeof publicityListQuery>;
type CreateBody = z.infer<typeof createPublicityBody>;
type UpdateBody = z.infer<typeof updatePublicityBody>;

/** Words that make an item one for the 军分区 to review, whatever the author ticked. */
export const TROOP_WORDS = /部队|官兵|军营|营区|战士|士兵|军分区|驻军|连队|军港|军机|番号|武警/;
const MILITARY_CATEGORIES = new Set(['designation', 'location', 'equipment', 'strength', 'officer']);
const MILITARY_IMAGE_RULES = new Set(['image.gps', 'image.service_members']);
const EDITABLE: readonly PublicityStatus[] = ['draft', 'returned', 'civil_review', 'military_review', 'approved'];

export function photoFacts(r: PhotoRow): PhotoFacts {
  const meta = JSON.parse(r.metadata) as { gps?: boolean; camera?: string | null };
  return {
    id: r.id,
    caption: r.caption,
    gps: !!meta.gps,
    camera: meta.camera ?? null,
    showsServiceMembers: r.shows_service_members === 1,
  };
}

/** The hash of what a reviewer approves and what gets published: title, body, video link and photos. */
export function contentHash(c: {
  kind: string;
  title: string;
  body: ContentBlock[];
  videoUrl: string | null;
  photos: Pick<PhotoRow, 'sha256' | 'caption' | 'shows_service_members'>[];
}): string {
  const photos = c.photos.map((p) => [p.sha256, p.caption, p.shows_service_members]);
  return createHash('sha256')
    .update(JSON.stringify([c.kind, c.title, c.body, c.videoUrl, photos]))
    .digest('hex');
}

function textOf(title: string, body: ContentBlock[]): string {
  return [title, ...body.map((b) => (b.type === 'list' ? b.items.join('\n') : b.text))].join('\n');
}

const toListItem = (r: ItemRow): PublicityListItem => ({
  id: r.id,
  kind: r.kind as PublicityListItem['kind'],
  title: r.title,
  status: r.status as PublicityStatus,
  orgId: r.org_id,
  orgName: r.org_name,
  mentionsTroops: r.mentions_troops === 1,
  campaignId: r.campaign_id,
  taskId: r.task_id,
  publishedOutlet: r.published_outlet as PublicityListItem['publishedOutlet'],
  publishedOn: r.published_on,
  updatedAt: r.updated_at,
});

/**
 * Publicity items (宣传稿件) and their confidentiality review: the author's side first, then the
 * 军分区 for anything that mentions troops. The final approval freezes the content's hash; any
 * later edit clears it and sends the item back to draft, and publishing checks the hash again.
 */
export class PublicityService {
  constructor(
    private readonly p: Platform,
    private readonly checks: ConfidentialityChecks,
    private readonly notifications: NotificationsService,
    private readonly campaignOfTask: CampaignOfTask,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  visible(db: Queryable, scope: Actor['scope'], id: string) {
    return atmosphereRepo.get(db, scope, id);
  }

  /** The side an item waits for, if it is under review. */
  private awaiting(r: Pick<ItemRow, 'status'>): ReviewSide | null {
    return r.status === 'civil_review' ? 'civil' : r.status === 'military_review' ? 'military' : null;
  }

  private inScope(actor: Actor, r: ItemRow): boolean {
    return scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path, ownerId: r.created_by });
  }

  actionsFor(actor: Actor, r: ItemRow): PublicityAction[] {
    const out: PublicityAction[] = [];
    const status = r.status as PublicityStatus;
    // the author's org and the orgs above it (a district, the city) write; a reviewer of the
    // other side reviews, never edits behind the author
    const write =
      actor.permissions.has('publicity:write') && this.inScope(actor, r) && pathInSubtree(r.org_path, actor.orgPath);
    if (write && EDITABLE.includes(status)) out.push('edit', 'photos');
    if (write && (status === 'draft' || status === 'returned')) out.push('submit');
    if (write && status === 'approved') out.push('publish');
    if (actor.permissions.has('publicity:review') && actor.userId !== r.created_by) {
      const side = this.awaiting(r);
      if (side === 'civil' && !seesMilitary(actor) && this.inScope(actor, r)) out.push('review');
      if (side === 'military' && seesMilitary(actor)) out.push('review');
    }
    return out;
  }

  private async filterOf(ctx: RequestCtx, q: ListQuery): Promise<ItemFilter> {
    const f: ItemFilter = { status: q.status, campaignId: q.campaignId, taskId: q.taskId, q: q.q };
    if (q.toReview === 'true') f.statuses = [seesMilitary(ctx.actor) ? 'military_review' : 'civil_review'];
    return f;
  }

  async page(ctx: RequestCtx, q: ListQuery) {
    const { rows, total } = await atmosphereRepo.page(
      this.db,
      ctx.actor.scope,
      await this.filterOf(ctx, q),
      q.page,
      q.pageSize,
    );
    return { items: rows.map(toListItem), total, page: q.page, pageSize: q.pageSize };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<PublicityDetail> {
    const r = await atmosphereRepo.get(db, ctx.actor.scope, id);
    if (!r) throw notFound();
    const [photos, reviews] = await Promise.all([
      atmosphereRepo.photos(db, SYSTEM_SCOPE, id),
      atmosphereRepo.reviews(db, SYSTEM_SCOPE, id),
    ]);
    const body = JSON.parse(r.body) as ContentBlock[];
    const facts = photos.map(photoFacts);
    const findings = await this.checks.checkContent(
      seesMilitary(ctx.actor),
      { title: r.title, body, photos: facts },
      db,
    );
    return {
      ...toListItem(r),
      body,
      videoUrl: r.video_url,
      outlets: JSON.parse(r.outlets),
      createdBy: r.created_by,
      version: r.version,
      contentHash: r.content_hash,
      approvedHash: r.approved_hash,
      approvedAt: r.approved_at,
      publishedRef: r.published_ref,
      photos: photos.map((ph, i) => ({
        id: ph.id,
        fileName: ph.file_name,
        caption: ph.caption,
        size: ph.size,
        showsServiceMembers: ph.shows_service_members === 1,
        gps: facts[i]!.gps,
        camera: facts[i]!.camera,
      })),
      findings,
      reviews: reviews.map((v) => ({
        side: v.side as ReviewSide,
        decision: v.decision as PublicityDetail['reviews'][number]['decision'],
        comment: v.comment,
        contentHash: v.content_hash,
        reviewerName: v.reviewer_name,
        reviewerOrgName: v.reviewer_org_name,
        at: v.at,
      })),
      actions: this.actionsFor(ctx.actor, r),
      awaiting: this.awaiting(r),
      createdAt: r.created_at,
    };
  }

  private mentionsTroops(
    flag: boolean,
    authorMilitary: boolean,
    title: string,
    body: ContentBlock[],
    photos: PhotoRow[],
  ) {
    return (
      flag ||
      authorMilitary ||
      TROOP_WORDS.test(textOf(title, body)) ||
      photos.some((p) => p.shows_service_members === 1)
    );
  }

  async create(ctx: RequestCtx, body: CreateBody): Promise<PublicityDetail> {
    const actor = ctx.actor;
    const id = await this.db.transaction().execute(async (trx) => {
      const org = body.orgId
        ? await atmosphereRepo.org(trx, actor.scope, body.orgId)
        : await atmosphereRepo.org(trx, SYSTEM_SCOPE, actor.orgId);
      if (!org?.active) throw forbidden('atmosphere.orgNotAllowed');
      await checkTaskOfCampaign(trx, this.campaignOfTask, body);
      const id = uuidv7();
      const now = nowIso();
      const videoUrl = body.videoUrl ?? null;
      await atmosphereRepo.insertItem(trx, {
        id,
        org_id: org.id,
        org_path: org.path,
        created_by: actor.userId,
        kind: body.kind,
        title: body.title,
        body: JSON.stringify(body.body),
        video_url: videoUrl,
        campaign_id: body.campaignId ?? null,
        task_id: body.taskId ?? null,
        outlets: JSON.stringify(body.outlets),
        mentions_troops: this.mentionsTroops(body.mentionsTroops, org.side === 'military', body.title, body.body, [])
          ? 1
          : 0,
        status: 'draft',
        content_hash: contentHash({ kind: body.kind, title: body.title, body: body.body, videoUrl, photos: [] }),
        approved_hash: null,
        approved_at: null,
        published_outlet: null,
        published_ref: null,
        published_on: null,
        published_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'publicity.create',
        entityType: 'publicity_item',
        entityId: id,
        changes: { title: [null, body.title], kind: [null, body.kind], org: [null, org.id] },
      });
      return id;
    });
    return this.detail(ctx, id);
  }

  /** Loads an item the caller may act on with `action`, in the transaction. */
  async forAction(trx: Tx, ctx: RequestCtx, id: string, action: PublicityAction, version?: number) {
    const r = await atmosphereRepo.get(trx, ctx.actor.scope, id);
    if (!r) throw notFound();
    if (version !== undefined && r.version !== version) throw versionConflict();
    if (!this.actionsFor(ctx.actor, r).includes(action)) {
      if (action === 'review' && this.awaiting(r)) {
        if (ctx.actor.userId === r.created_by) throw forbidden('atmosphere.ownItem');
        throw forbidden('atmosphere.notReviewer', { side: t(`atmosphere.side.${this.awaiting(r)}`) });
      }
      if (action === 'edit' || action === 'photos')
        if (!EDITABLE.includes(r.status as PublicityStatus))
          throw conflict('not_editable', 'atmosphere.notEditable', { status: t(`atmosphere.status.${r.status}`) });
      if (ctx.actor.permissions.has('publicity:write') && pathInSubtree(r.org_path, ctx.actor.orgPath))
        throw conflict('illegal_action', 'atmosphere.illegalAction', {
          status: t(`atmosphere.status.${r.status}`),
          action: t(`atmosphere.action.${action}`),
        });
      throw forbidden();
    }
    return r;
  }

  /**
   * Rewrites the content hash after the content changed (text or photos). An item that was under
   * review or approved goes back to draft and loses its approval: the frozen version no longer
   * matches, so it must be reviewed again.
   */
  async contentChanged(
    trx: Tx,
    r: ItemRow,
    set: Partial<{
      title: string;
      body: ContentBlock[];
      videoUrl: string | null;
      kind: string;
      mentionsTroops: boolean;
    }> & { extra?: Record<string, unknown> },
  ) {
    const photos = await atmosphereRepo.photos(trx, SYSTEM_SCOPE, r.id);
    const title = set.title ?? r.title;
    const body = set.body ?? (JSON.parse(r.body) as ContentBlock[]);
    const videoUrl = set.videoUrl !== undefined ? set.videoUrl : r.video_url;
    const kind = set.kind ?? r.kind;
    const hash = contentHash({ kind, title, body, videoUrl, photos });
    const authorOrg = await atmosphereRepo.org(trx, SYSTEM_SCOPE, r.org_id);
    const flag = set.mentionsTroops ?? r.mentions_troops === 1;
    const troops = this.mentionsTroops(flag, authorOrg?.side === 'military', title, body, photos);
    const back = hash !== r.content_hash && r.status !== 'draft' && r.status !== 'returned';
    const ok = await atmosphereRepo.updateItem(trx, r.id, r.version, {
      kind,
      title,
      body: JSON.stringify(body),
      video_url: videoUrl,
      ...(set.extra ?? {}),
      mentions_troops: troops ? 1 : 0,
      content_hash: hash,
      ...(back ? { status: 'draft', approved_hash: null, approved_at: null } : {}),
      updated_at: nowIso(),
    });
    if (!ok) throw versionConflict();
    return { hash, back };
  }

  async update(ctx: RequestCtx, id: string, body: UpdateBody): Promise<PublicityDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'edit', body.version);
      await checkTaskOfCampaign(trx, this.campaignOfTask, body);
      const { back } = await this.contentChanged(trx, r, {
        kind: body.kind,
        title: body.title,
        body: body.body,
        videoUrl: body.videoUrl ?? null,
        mentionsTroops: body.mentionsTroops,
        extra: {
          campaign_id: body.campaignId ?? null,
          task_id: body.taskId ?? null,
          outlets: JSON.stringify(body.outlets),
        },
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'publicity.update',
        entityType: 'publicity_item',
        entityId: id,
        changes: { title: [r.title, body.title], ...(back ? { status: [r.status, 'draft'] } : {}) },
      });
    });
    return this.detail(ctx, id);
  }

  async submit(ctx: RequestCtx, id: string, version: number): Promise<PublicityDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'submit', version);
      if (!(await atmosphereRepo.updateItem(trx, id, version, { status: 'civil_review', updated_at: nowIso() })))
        throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'publicity.submit',
        entityType: 'publicity_item',
        entityId: id,
        changes: { status: [r.status, 'civil_review'], content_hash: r.content_hash },
      });
    });
    return this.detail(ctx, id);
  }

  /**
   * A review by the side the item waits for. Approving is refused while findings that must go are
   * in the content, and needs `confirmReviewed` when some ask for a human look. `approve_edited`
   * replaces title and body with the reviewer's version first (and checks that one). The last
   * approval (the civil one for items that do not mention troops, else the military one) freezes
   * the content hash.
   */
  async review(ctx: RequestCtx, id: string, b: z.infer<typeof publicityReviewBody>): Promise<PublicityDetail> {
    await this.db.transaction().execute(async (trx) => {
      let r = await this.forAction(trx, ctx, id, 'review', b.version);
      const side = this.awaiting(r)!;
      const now = nowIso();
      if (b.decision === 'return') {
        if (!b.comment) throw badRequest('comment_required', 'atmosphere.commentRequired');
        if (!(await atmosphereRepo.updateItem(trx, id, r.version, { status: 'returned', updated_at: now })))
          throw versionConflict();
        await this.record(trx, ctx, r, side, 'return', b.comment, r.content_hash, now);
        await this.notifications.notify(trx, {
          userIds: [r.created_by],
          excludeUserIds: [ctx.actor.userId],
          kind: 'publicity.returned',
          title: t('atmosphereNotify.returned.title'),
          body: t('atmosphereNotify.returned.body', {
            title: r.title,
            side: t(`atmosphere.side.${side}`),
            comment: b.comment,
          }),
          entityType: 'publicity_item',
          entityId: id,
        });
        return;
      }
      let hash = r.content_hash;
      if (b.decision === 'approve_edited') {
        if (!b.edited) throw badRequest('edited_required', 'atmosphere.editedRequired');
        ({ hash } = await this.contentChanged(trx, r, { title: b.edited.title, body: b.edited.body }));
        r = (await atmosphereRepo.get(trx, ctx.actor.scope, id))!;
      }
      const photos = (await atmosphereRepo.photos(trx, SYSTEM_SCOPE, id)).map(photoFacts);
      const findings: Finding[] = await this.checks.checkContent(
        true,
        { title: r.title, body: JSON.parse(r.body), photos },
        trx,
      );
      // what concerns troops (designations, places, equipment, strength, officers, where a photo
      // was taken) is the military side's to clear: the civil side passes it on
      const military = findings.filter((f) => MILITARY_CATEGORIES.has(f.category) || MILITARY_IMAGE_RULES.has(f.rule));
      const toMilitary = side === 'civil' && (r.mentions_troops === 1 || military.length > 0);
      const own = toMilitary ? findings.filter((f) => !military.includes(f)) : findings;
      const blocking = own.filter((f) => f.severity === 'block').length;
      if (blocking) throw conflict('findings_block', 'atmosphere.findingsBlock', { count: blocking });
      const toLook = own.filter((f) => f.severity === 'review').length;
      if (toLook && !b.confirmReviewed)
        throw conflict('findings_confirm', 'atmosphere.findingsConfirm', { count: toLook });
      const next: PublicityStatus = toMilitary ? 'military_review' : 'approved';
      const set =
        next === 'approved'
          ? { status: next, approved_hash: hash, approved_at: now, updated_at: now }
          : { status: next, updated_at: now };
      if (!(await atmosphereRepo.updateItem(trx, id, r.version, set))) throw versionConflict();
      await this.record(trx, ctx, r, side, b.decision, b.comment ?? null, hash, now);
      if (next === 'approved')
        await this.notifications.notify(trx, {
          userIds: [r.created_by],
          excludeUserIds: [ctx.actor.userId],
          kind: 'publicity.approved',
          title: t('atmosphereNotify.approved.title'),
          body: t('atmosphereNotify.approved.body', { title: r.title }),
          entityType: 'publicity_item',
          entityId: id,
        });
    });
    await this.notifications.flush().catch(() => undefined);
    return this.detail(ctx, id);
  }

  private async record(
    trx: Tx,
    ctx: RequestCtx,
    r: ItemRow,
    side: ReviewSide,
    decision: string,
    comment: string | null,
    hash: string,
    at: string,
  ) {
    await atmosphereRepo.insertReview(trx, {
      id: uuidv7(),
      item_id: r.id,
      org_path: r.org_path,
      side,
      decision,
      comment,
      content_hash: hash,
      reviewer_id: ctx.actor.userId,
      reviewer_name: ctx.actor.displayName,
      reviewer_org_name: ctx.actor.orgName,
      at,
    });
    await this.p.audit.append(trx, auditActorOf(ctx), {
      action: 'publicity.review',
      entityType: 'publicity_item',
      entityId: r.id,
      changes: { side, decision, content_hash: hash },
    });
  }

  /** Marks an approved item published with where and when it ran; its content must equal the frozen version. */
  async publish(ctx: RequestCtx, id: string, b: z.infer<typeof publicityPublishBody>): Promise<PublicityDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'publish', b.version);
      const photos = await atmosphereRepo.photos(trx, SYSTEM_SCOPE, id);
      const now = contentHash({
        kind: r.kind,
        title: r.title,
        body: JSON.parse(r.body),
        videoUrl: r.video_url,
        photos,
      });
      if (!r.approved_hash || now !== r.approved_hash || r.content_hash !== r.approved_hash)
        throw new AppError(409, 'hash_mismatch', 'atmosphere.hashMismatch');
      const at = nowIso();
      const ok = await atmosphereRepo.updateItem(trx, id, r.version, {
        status: 'published',
        published_outlet: b.outlet,
        published_ref: b.ref,
        published_on: b.on,
        published_at: at,
        updated_at: at,
      });
      if (!ok) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'publicity.publish',
        entityType: 'publicity_item',
        entityId: id,
        changes: { status: ['approved', 'published'], outlet: b.outlet, ref: b.ref, on: b.on, content_hash: now },
      });
    });
    return this.detail(ctx, id);
  }
}
