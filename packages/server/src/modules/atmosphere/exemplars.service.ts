import { createHash } from 'node:crypto';
import type {
  ContentBlock,
  createExemplarBody,
  ExemplarAction,
  ExemplarDetail,
  ExemplarListItem,
  ExemplarStatus,
  exemplarListQuery,
  exemplarReviewBody,
  updateExemplarBody,
} from '@shuangyong/shared';
import { maskAddress, maskIdNumber, maskPhone, normalizeIdNumber, normalizePhone, t } from '@shuangyong/shared';
import type { z } from 'zod';
import { pathInSubtree, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import { atmosphereRepo } from './atmosphere.repo.js';
import { type CampaignOfTask, checkTaskOfCampaign } from './campaign-task.js';
import { type ConfidentialityChecks, seesMilitary } from './checks.service.js';
import { type ExemplarFilter, type ExemplarRow, type ExemplarViewer, exemplarsRepo } from './exemplars.repo.js';
import { type PublicityService, TROOP_WORDS } from './publicity.service.js';

type ListQuery = z.infer<typeof exemplarListQuery>;
type CreateBody = z.infer<typeof createExemplarBody>;
type UpdateBody = z.infer<typeof updateExemplarBody>;
type Content = Omit<CreateBody, 'orgId'>;

const EDITABLE = new Set(['draft', 'returned']);
/** The most rows one register export writes. */
export const MAX_REGISTER_ROWS = 5000;

export const viewerOf = (actor: Actor): ExemplarViewer => ({ scope: actor.scope, military: seesMilitary(actor) });

/** The type as shown: the label of `other` when given, else the type's name. */
export const typeNameOf = (r: Pick<ExemplarRow, 'type' | 'type_label'>) =>
  r.type === 'other' && r.type_label ? r.type_label : t(`exemplars.type.${r.type}`);

/** The text the checks read: the summary first, then the deeds (block i of the deeds is block i + 1). */
const checkedBody = (summary: string, deeds: ContentBlock[]): ContentBlock[] => [
  { type: 'paragraph', text: summary },
  ...deeds,
];

function textOf(name: string, summary: string, deeds: ContentBlock[]) {
  return [name, summary, ...deeds.map((b) => (b.type === 'list' ? b.items.join('\n') : b.text))].join('\n');
}

/** The hash of the nomination the city reviews: type, subject, name, year, summary and deeds. */
export function nominationHash(
  c: Pick<Content, 'type' | 'subject' | 'name' | 'year' | 'summary' | 'deeds'> & {
    typeLabel?: string | null;
  },
): string {
  return createHash('sha256')
    .update(JSON.stringify([c.type, c.typeLabel ?? null, c.subject, c.name, c.year, c.summary, c.deeds]))
    .digest('hex');
}

/** Derived status: an approved exemplar whose profile was published as reviewed is public. */
function statusOf(r: ExemplarRow): ExemplarStatus {
  if (
    r.status === 'approved' &&
    r.profile_status === 'published' &&
    r.profile_hash !== null &&
    r.profile_hash === r.profile_approved_hash
  )
    return 'published';
  return r.status as ExemplarStatus;
}

const toListItem = (r: ExemplarRow): ExemplarListItem => {
  const status = statusOf(r);
  return {
    id: r.id,
    year: r.year,
    type: r.type as ExemplarListItem['type'],
    typeName: typeNameOf(r),
    subject: r.subject as ExemplarListItem['subject'],
    name: r.name,
    summary: r.summary,
    status,
    orgId: r.org_id,
    orgName: r.org_name,
    concernedOrgId: r.concerned_org_id,
    concernedOrgName: r.concerned_org_name,
    mentionsTroops: r.mentions_troops === 1,
    campaignId: r.campaign_id,
    profileItemId: r.profile_item_id,
    publishedOn: status === 'published' ? r.profile_on : null,
    updatedAt: r.updated_at,
  };
};

/**
 * 双拥先进典型: nominated by districts and units with their deeds (structured content), reviewed
 * at the city (approve, or return with comments), and made public only through the confidentiality
 * review: the approved exemplar's profile is a publicity item, reviewed on both sides, frozen and
 * hashed, and published by the publicity service (decisions/0042).
 */
export class ExemplarsService {
  constructor(
    private readonly p: Platform,
    private readonly checks: ConfidentialityChecks,
    private readonly publicity: PublicityService,
    private readonly notifications: NotificationsService,
    private readonly campaignOfTask: CampaignOfTask,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  visible(db: Queryable, actor: Actor, id: string) {
    return exemplarsRepo.get(db, viewerOf(actor), id);
  }

  /** The nominating org's side: its org and the orgs above it in scope write. */
  private nominator(actor: Actor, r: ExemplarRow) {
    return (
      actor.permissions.has('publicity:write') &&
      scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path, ownerId: r.created_by }) &&
      pathInSubtree(r.org_path, actor.orgPath)
    );
  }

  /** The city's civil side reviews nominations (never the nominator's own). */
  private cityReviewer(actor: Actor) {
    return actor.permissions.has('publicity:review') && actor.scope.kind === 'all' && !seesMilitary(actor);
  }

  actionsFor(actor: Actor, r: ExemplarRow): ExemplarAction[] {
    const out: ExemplarAction[] = [];
    const coauthor = actor.permissions.has('publicity:write') && r.concerned_org_id === actor.orgId;
    const write = this.nominator(actor, r) || coauthor;
    if (write && EDITABLE.has(r.status)) out.push('edit', 'submit');
    if (r.status === 'city_review' && this.cityReviewer(actor) && actor.userId !== r.created_by) out.push('review');
    if (r.status === 'approved' && !r.profile_item_id && this.nominator(actor, r)) out.push('profile');
    if (write) out.push('link');
    return out;
  }

  /**
   * May the caller file the exemplar as model-city evidence? The same rule as `evidence` and the
   * modelcity module's tag: approved, the nominating org (and its author) within the caller's scope.
   */
  modelcityTaggable(actor: Actor, r: ExemplarRow): boolean {
    return (
      actor.permissions.has('modelcity:write') &&
      r.status === 'approved' &&
      !!r.approved_at &&
      scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path, ownerId: r.created_by }) &&
      scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path })
    );
  }

  async page(ctx: RequestCtx, q: ListQuery) {
    const f: ExemplarFilter = { year: q.year, type: q.type, status: q.status, campaignId: q.campaignId, q: q.q };
    if (q.toReview === 'true') f.status = 'city_review';
    const { rows, total } = await exemplarsRepo.page(this.db, viewerOf(ctx.actor), f, q.page, q.pageSize);
    return { items: rows.map(toListItem), total, page: q.page, pageSize: q.pageSize };
  }

  /** The register (year, type, status…) for an xlsx export, as the caller sees it. */
  register(ctx: RequestCtx, q: Omit<ListQuery, 'page' | 'pageSize'>) {
    const f: ExemplarFilter = { year: q.year, type: q.type, status: q.status, campaignId: q.campaignId, q: q.q };
    if (q.toReview === 'true') f.status = 'city_review';
    return exemplarsRepo
      .register(this.db, viewerOf(ctx.actor), f, MAX_REGISTER_ROWS)
      .then((rows) => rows.map(toListItem));
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<ExemplarDetail> {
    const actor = ctx.actor;
    const r = await exemplarsRepo.get(db, viewerOf(actor), id);
    if (!r) throw notFound();
    const [reviews, links] = await Promise.all([
      exemplarsRepo.reviews(db, SYSTEM_SCOPE, id),
      exemplarsRepo.links(db, SYSTEM_SCOPE, id),
    ]);
    const deeds = JSON.parse(r.deeds) as ContentBlock[];
    const findings = (
      await this.checks.checkContent(
        seesMilitary(actor),
        { title: r.name, body: checkedBody(r.summary, deeds), photos: [] },
        db,
      )
    ).map((f) =>
      f.where !== 'body'
        ? f
        : f.block === 0
          ? { ...f, where: 'text' as const, block: undefined }
          : { ...f, block: (f.block ?? 1) - 1 },
    );
    const item = toListItem(r);
    return {
      ...item,
      typeLabel: r.type_label,
      deeds,
      idMasked: r.id_masked,
      phoneMasked: r.phone_masked,
      addressMasked: r.address_masked,
      taskId: r.task_id,
      createdBy: r.created_by,
      version: r.version,
      contentHash: r.content_hash,
      approvedHash: r.approved_hash,
      approvedAt: r.approved_at,
      findings,
      reviews: reviews.map((v) => ({
        decision: v.decision as 'approve' | 'return',
        comment: v.comment,
        contentHash: v.content_hash,
        reviewerName: v.reviewer_name,
        reviewerOrgName: v.reviewer_org_name,
        at: v.at,
      })),
      // an item about the exemplar shows to whoever sees the item (its org's scope, or published)
      links: links
        .filter(
          (l) =>
            l.status === 'published' ||
            scopeCovers(actor.scope, { orgId: l.org_id, orgPath: l.org_path, ownerId: l.created_by }),
        )
        .map((l) => ({
          itemId: l.item_id,
          title: l.title,
          status: l.status as ExemplarDetail['links'][number]['status'],
          orgName: l.org_name,
          publishedOn: l.published_on,
          profile: l.item_id === r.profile_item_id,
        })),
      profile:
        r.profile_item_id && r.profile_status && r.profile_hash
          ? {
              itemId: r.profile_item_id,
              status: r.profile_status as NonNullable<ExemplarDetail['profile']>['status'],
              contentHash: r.profile_hash,
              approvedHash: r.profile_approved_hash,
              publishedOutlet: r.profile_outlet as NonNullable<ExemplarDetail['profile']>['publishedOutlet'],
              publishedOn: r.profile_on,
            }
          : null,
      actions: this.actionsFor(actor, r),
      abilities: { modelcityTag: this.modelcityTaggable(actor, r) },
      createdAt: r.created_at,
    };
  }

  /** Personal data of a person or family, sealed with the registry's masking; nothing for an org. */
  private personal(b: Content) {
    const out: Record<string, string | null> = {};
    const none = b.subject === 'org';
    if (b.idNumber !== undefined) {
      const v = none || !b.idNumber ? null : b.idNumber;
      if (v) {
        const n = normalizeIdNumber(v);
        if (!n.ok) throw badRequest('id_number', n.error);
        out.id_enc = this.p.crypto.encrypt(n.value);
        out.id_masked = maskIdNumber(n.value);
      } else Object.assign(out, { id_enc: null, id_masked: null });
    }
    if (b.phone !== undefined) {
      const v = none || !b.phone ? null : b.phone;
      if (v) {
        const n = normalizePhone(v);
        if (!n.ok) throw badRequest('phone', n.error);
        out.phone_enc = this.p.crypto.encrypt(v);
        out.phone_masked = maskPhone(v);
      } else Object.assign(out, { phone_enc: null, phone_masked: null });
    }
    if (b.address !== undefined) {
      const v = none || !b.address ? null : b.address;
      if (v) {
        out.address_enc = this.p.crypto.encrypt(v);
        out.address_masked = maskAddress(v);
      } else Object.assign(out, { address_enc: null, address_masked: null });
    }
    if (none)
      Object.assign(out, {
        id_enc: null,
        id_masked: null,
        phone_enc: null,
        phone_masked: null,
        address_enc: null,
        address_masked: null,
      });
    return out;
  }

  private async concerned(trx: Tx, id: string | null | undefined) {
    if (!id) return null;
    const org = await exemplarsRepo.org(trx, id);
    if (!org?.active) throw badRequest('concerned_org', 'exemplars.concernedOrg');
    return org;
  }

  private troops(b: Content, authorMilitary: boolean, concernedMilitary: boolean) {
    return (
      b.mentionsTroops || authorMilitary || concernedMilitary || TROOP_WORDS.test(textOf(b.name, b.summary, b.deeds))
    );
  }

  private fields(b: Content) {
    return {
      year: b.year,
      type: b.type,
      type_label: b.type === 'other' ? (b.typeLabel ?? null) : null,
      subject: b.subject,
      name: b.name,
      summary: b.summary,
      deeds: JSON.stringify(b.deeds),
      campaign_id: b.campaignId ?? null,
      task_id: b.taskId ?? null,
      content_hash: nominationHash(b),
    };
  }

  async create(ctx: RequestCtx, body: CreateBody): Promise<ExemplarDetail> {
    const actor = ctx.actor;
    const id = await this.db.transaction().execute(async (trx) => {
      const org = body.orgId
        ? await atmosphereRepo.org(trx, actor.scope, body.orgId)
        : await atmosphereRepo.org(trx, SYSTEM_SCOPE, actor.orgId);
      if (!org?.active) throw forbidden('exemplars.orgNotAllowed');
      await checkTaskOfCampaign(trx, this.campaignOfTask, body);
      const concerned = await this.concerned(trx, body.concernedOrgId);
      const id = uuidv7();
      const now = nowIso();
      await exemplarsRepo.insert(trx, {
        id,
        org_id: org.id,
        org_path: org.path,
        created_by: actor.userId,
        concerned_org_id: concerned?.id ?? null,
        concerned_path: concerned?.path ?? null,
        ...this.fields(body),
        id_enc: null,
        id_masked: null,
        phone_enc: null,
        phone_masked: null,
        address_enc: null,
        address_masked: null,
        ...this.personal(body),
        mentions_troops: this.troops(body, org.side === 'military', concerned?.side === 'military') ? 1 : 0,
        status: 'draft',
        approved_hash: null,
        approved_at: null,
        profile_item_id: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.create',
        entityType: 'exemplar',
        entityId: id,
        changes: { name: [null, body.name], type: [null, body.type], year: [null, body.year], org: [null, org.id] },
      });
      return id;
    });
    return this.detail(ctx, id);
  }

  /** Loads an exemplar the caller may act on with `action`, in the transaction. */
  private async forAction(trx: Tx, ctx: RequestCtx, id: string, action: ExemplarAction, version?: number) {
    const r = await exemplarsRepo.get(trx, viewerOf(ctx.actor), id);
    if (!r) throw notFound();
    if (version !== undefined && r.version !== version) throw versionConflict();
    if (!this.actionsFor(ctx.actor, r).includes(action)) {
      if (action === 'review' && r.status === 'city_review') {
        if (ctx.actor.userId === r.created_by) throw forbidden('exemplars.ownNomination');
        throw forbidden('exemplars.notReviewer');
      }
      if (this.actionsFor(ctx.actor, r).includes('link'))
        throw conflict('illegal_action', 'exemplars.illegalAction', {
          status: t(`exemplars.status.${statusOf(r)}`),
          action: t(`exemplars.action.${action}`),
        });
      throw forbidden();
    }
    return r;
  }

  async update(ctx: RequestCtx, id: string, body: UpdateBody): Promise<ExemplarDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'edit', body.version);
      await checkTaskOfCampaign(trx, this.campaignOfTask, body);
      const concerned = await this.concerned(trx, body.concernedOrgId);
      const author = await exemplarsRepo.org(trx, r.org_id);
      const set = {
        ...this.fields(body),
        ...this.personal(body),
        concerned_org_id: concerned?.id ?? null,
        concerned_path: concerned?.path ?? null,
        mentions_troops: this.troops(body, author?.side === 'military', concerned?.side === 'military') ? 1 : 0,
        updated_at: nowIso(),
      };
      if (!(await exemplarsRepo.update(trx, id, r.version, set))) throw versionConflict();
      const changes: Record<string, unknown> = { content_hash: [r.content_hash, set.content_hash] };
      if (r.name !== body.name) changes.name = [r.name, body.name];
      // sealed fields: the trail says that they changed, never the values
      for (const k of ['id_masked', 'phone_masked', 'address_masked'] as const)
        if (k in set && (set as Record<string, unknown>)[k] !== r[k]) changes[k] = 'changed';
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.update',
        entityType: 'exemplar',
        entityId: id,
        changes,
      });
    });
    return this.detail(ctx, id);
  }

  async submit(ctx: RequestCtx, id: string, version: number): Promise<ExemplarDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'submit', version);
      if (!(await exemplarsRepo.update(trx, id, version, { status: 'city_review', updated_at: nowIso() })))
        throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.submit',
        entityType: 'exemplar',
        entityId: id,
        changes: { status: [r.status, 'city_review'], content_hash: r.content_hash },
      });
    });
    return this.detail(ctx, id);
  }

  /** The city's review: approve (the nomination's hash is kept as approved) or return with comments. */
  async review(ctx: RequestCtx, id: string, b: z.infer<typeof exemplarReviewBody>): Promise<ExemplarDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'review', b.version);
      const now = nowIso();
      if (b.decision === 'return' && !b.comment) throw badRequest('comment_required', 'exemplars.commentRequired');
      const set =
        b.decision === 'approve'
          ? { status: 'approved', approved_hash: r.content_hash, approved_at: now, updated_at: now }
          : { status: 'returned', updated_at: now };
      if (!(await exemplarsRepo.update(trx, id, r.version, set))) throw versionConflict();
      await exemplarsRepo.insertReview(trx, {
        id: uuidv7(),
        exemplar_id: id,
        org_path: r.org_path,
        decision: b.decision,
        comment: b.comment ?? null,
        content_hash: r.content_hash,
        reviewer_id: ctx.actor.userId,
        reviewer_name: ctx.actor.displayName,
        reviewer_org_name: ctx.actor.orgName,
        at: now,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.review',
        entityType: 'exemplar',
        entityId: id,
        changes: { status: [r.status, set.status], decision: b.decision, content_hash: r.content_hash },
      });
      await this.notifications.notify(trx, {
        userIds: [r.created_by],
        excludeUserIds: [ctx.actor.userId],
        kind: b.decision === 'approve' ? 'exemplar.approved' : 'exemplar.returned',
        title: t(`exemplarsNotify.${b.decision === 'approve' ? 'approved' : 'returned'}.title`),
        body: t(`exemplarsNotify.${b.decision === 'approve' ? 'approved' : 'returned'}.body`, {
          name: r.name,
          comment: b.comment ?? '',
        }),
        entityType: 'exemplar',
        entityId: id,
      });
    });
    await this.notifications.flush().catch(() => undefined);
    return this.detail(ctx, id);
  }

  /**
   * Drafts the public profile of an approved exemplar as a publicity item of the nominating org
   * (summary and deeds; never the personal data). It is then submitted, reviewed on both sides,
   * frozen and published as any publicity item; the exemplar is public once it is.
   */
  async draftProfile(ctx: RequestCtx, id: string, version: number): Promise<ExemplarDetail> {
    const r = await this.db.transaction().execute((trx) => this.forAction(trx, ctx, id, 'profile', version));
    const deeds = JSON.parse(r.deeds) as ContentBlock[];
    const item = await this.publicity.create(ctx, {
      kind: 'article',
      title: t('exemplars.profileTitle', { type: typeNameOf(r), name: r.name }),
      body: checkedBody(r.summary, deeds),
      videoUrl: null,
      campaignId: r.campaign_id,
      taskId: null,
      outlets: [],
      mentionsTroops: r.mentions_troops === 1,
      orgId: r.org_id,
    });
    await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      if (!(await exemplarsRepo.update(trx, id, version, { profile_item_id: item.id, updated_at: now })))
        throw versionConflict();
      await exemplarsRepo.link(trx, {
        exemplar_id: id,
        item_id: item.id,
        org_path: r.org_path,
        linked_by: ctx.actor.userId,
        linked_at: now,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.profile',
        entityType: 'exemplar',
        entityId: id,
        changes: { profile_item: [null, item.id] },
      });
    });
    return this.detail(ctx, id);
  }

  /** Links a publicity item about the exemplar (one the caller sees). */
  async link(ctx: RequestCtx, id: string, itemId: string): Promise<ExemplarDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'link');
      const item = await this.publicity.visible(trx, ctx.actor.scope, itemId);
      if (!item) throw new AppError(404, 'not_found', 'exemplars.itemNotFound');
      if (
        !(await exemplarsRepo.link(trx, {
          exemplar_id: id,
          item_id: itemId,
          org_path: r.org_path,
          linked_by: ctx.actor.userId,
          linked_at: nowIso(),
        }))
      )
        throw conflict('already_linked', 'exemplars.alreadyLinked');
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.link',
        entityType: 'exemplar',
        entityId: id,
        changes: { item: [null, itemId] },
      });
    });
    return this.detail(ctx, id);
  }

  async unlink(ctx: RequestCtx, id: string, itemId: string): Promise<ExemplarDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'link');
      if (r.profile_item_id === itemId) throw conflict('profile_link', 'exemplars.profileLink');
      if (!(await exemplarsRepo.unlink(trx, id, itemId))) throw notFound();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'exemplar.unlink',
        entityType: 'exemplar',
        entityId: id,
        changes: { item: [itemId, null] },
      });
    });
    return this.detail(ctx, id);
  }

  /** Exemplars the city approved in a period (dates), within the caller's scope: evidence candidates. */
  async approvedIn(ctx: RequestCtx, period: { from: string; to: string }, limit: number) {
    const rows = await exemplarsRepo.register(
      this.db,
      viewerOf(ctx.actor),
      { approvedBetween: { from: period.from, to: `${period.to}T99` } },
      limit,
    );
    return rows
      .filter((r) => scopeCovers(ctx.actor.scope, { orgId: r.org_id, orgPath: r.org_path, ownerId: r.created_by }))
      .map((r) => ({
        id: r.id,
        title: t('exemplars.evidenceTitle', { year: r.year, type: typeNameOf(r), name: r.name }),
        date: (r.approved_at as string).slice(0, 10),
        orgName: r.org_name,
      }));
  }

  /**
   * An approved exemplar as model-city evidence (the read model the modelcity module calls): filed
   * for the nominating org, dated the day the city approved it.
   */
  async evidence(actor: Actor, id: string) {
    const r = await exemplarsRepo.get(this.db, viewerOf(actor), id);
    if (!r || !scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path, ownerId: r.created_by })) return null;
    if (r.status !== 'approved' || !r.approved_at) return { approved: false as const };
    return {
      approved: true as const,
      id: r.id,
      orgId: r.org_id,
      orgPath: r.org_path,
      title: t('exemplars.evidenceTitle', { year: r.year, type: typeNameOf(r), name: r.name }),
      date: r.approved_at.slice(0, 10),
    };
  }
}
