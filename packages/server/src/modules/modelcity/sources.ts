import { type EvidenceKind, fenToYuanText, type Permission, t } from '@shuangyong/shared';
import type { RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { AppError, conflict } from '../../platform/errors.js';
import type { EventsService, ExemplarsService } from '../atmosphere/atmosphere.module.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import type { HonoursService } from '../honours/honours.module.js';
import type { NeedsService } from '../needs/needs.module.js';
import type { VisitPlansService, VisitsReadModel } from '../visits/visits.module.js';

/** A record of another module as evidence sees it: whose evidence it is, its title and date. */
export interface SourceRecord {
  id: string;
  orgId: string;
  /** The org's path when the owner hands it over; otherwise looked up from `orgId`. */
  orgPath?: string;
  title: string;
  /** Local date (YYYY-MM-DD) the record proves something on. */
  date: string;
}

/** A record a rule suggests as evidence, as the suggestion list shows it. */
export interface SourceCandidate {
  id: string;
  title: string;
  date: string | null;
  orgName: string;
}

/**
 * One kind of record another module holds that can be filed as evidence (decisions/0041, 0046).
 * The module is reached only through its exported services, within the caller's scope. A source
 * is registered by adding it to the list in `modelcity.module.ts` — nothing else changes.
 */
export interface EvidenceSource {
  kind: Exclude<EvidenceKind, 'document'>;
  /** The permission a caller needs for the source's records to be suggested to them. */
  permission: Permission;
  /** The record, if the caller sees it and it proves something (else 404 / 409). */
  resolve(ctx: RequestCtx, id: string): Promise<SourceRecord>;
  /** Records of the period a person may confirm as evidence (at most `limit`). */
  candidates(ctx: RequestCtx, period: { from: string; to: string }, limit: number): Promise<SourceCandidate[]>;
}

const gone = () => new AppError(404, 'not_found', 'modelcity.sourceNotFound');
const inPeriod = (d: string | null, p: { from: string; to: string }) => !!d && d >= p.from && d <= p.to;

/**
 * 走访慰问: a confirmed visit plan (its campaign's 慰问 of troops and entitled persons), filed for
 * the plan's org on the day it was confirmed.
 */
export function visitSource(p: Platform, plans: VisitPlansService): EvidenceSource {
  const day = (iso: string) => localDate(new Date(iso), p.config.tzDisplay);
  return {
    kind: 'visit',
    permission: 'visit:read',
    async resolve(ctx, id) {
      const plan = await plans.view(ctx, id).catch(() => undefined);
      if (!plan) throw gone();
      if (plan.status !== 'confirmed' || !plan.confirmedAt)
        throw conflict('not_confirmed', 'modelcity.sourceNotDone', { kind: t('modelcity.kind.visit') });
      return {
        id: plan.id,
        orgId: plan.orgId,
        title: t('modelcity.visitTitle', { title: plan.title, count: plan.targetCount }),
        date: day(plan.confirmedAt),
      };
    },
    async candidates(ctx, period, limit) {
      const page = await plans.page(ctx, { page: 1, pageSize: limit });
      return page.items
        .filter((x) => x.status === 'confirmed' && x.confirmedAt && inPeriod(day(x.confirmedAt), period))
        .map((x) => ({
          id: x.id,
          title: t('modelcity.visitTitle', { title: x.title, count: x.targetCount }),
          date: day(x.confirmedAt as string),
          orgName: x.orgName,
        }));
    },
  };
}

/**
 * 工作部署: a task's report accepted by the issuing side (成员单位的计划、总结、报告), filed for the
 * org that reported, on the day it submitted the accepted report.
 */
export function campaignSource(p: Platform, campaigns: Campaigns): EvidenceSource {
  const day = (iso: string) => localDate(new Date(iso), p.config.tzDisplay);
  const title = (campaign: string, task: string) => t('modelcity.campaignTitle', { campaign, task });
  return {
    kind: 'campaign',
    permission: 'campaign:read',
    async resolve(ctx, id) {
      const a = await campaigns.work.detail(ctx, id).catch(() => undefined);
      if (!a) throw gone();
      const accepted = a.reports.find((r) => r.review === 'accepted');
      if (a.status !== 'accepted' || !accepted)
        throw conflict('not_accepted', 'modelcity.sourceNotDone', { kind: t('modelcity.kind.campaign') });
      return {
        id: a.id,
        orgId: a.orgId,
        title: title(a.campaign.title, a.task.title),
        date: day(accepted.submittedAt),
      };
    },
    async candidates(ctx, period, limit) {
      const page = await campaigns.work.list(ctx, { status: 'accepted', page: 1, pageSize: limit });
      return page.items
        .filter((x) => x.submittedAt && inPeriod(day(x.submittedAt), period))
        .map((x) => ({
          id: x.id,
          title: title(x.campaignTitle, x.taskTitle),
          date: day(x.submittedAt as string),
          orgName: x.orgName,
        }));
    },
  };
}

/**
 * 急难愁盼: a case closed and rated by the requester (需求按期办结并有评价), filed for the org that
 * took it in, on the day it closed. Only the civilian fields are read.
 */
export function needSource(p: Platform, needs: NeedsService): EvidenceSource {
  const day = (iso: string) => localDate(new Date(iso), p.config.tzDisplay);
  return {
    kind: 'need',
    permission: 'need:read',
    async resolve(ctx, id) {
      const n = await needs.visible(p.handle.db, ctx.actor.scope, id);
      if (!n) throw gone();
      if (n.status !== 'closed' || !n.closed_at || n.rating === null)
        throw conflict('not_closed', 'modelcity.sourceNotDone', { kind: t('modelcity.kind.need') });
      return {
        id: n.id,
        orgId: n.org_id,
        orgPath: n.org_path,
        title: t('modelcity.needTitle', { title: n.title, rating: n.rating }),
        date: day(n.closed_at),
      };
    },
    async candidates(ctx, period, limit) {
      const page = await needs.page(ctx, {
        status: 'closed',
        page: 1,
        pageSize: limit,
        sort: 'updatedAt',
        order: 'desc',
      });
      const out: SourceCandidate[] = [];
      for (const x of page.items) {
        if (x.rating === null) continue;
        const n = await needs.visible(p.handle.db, ctx.actor.scope, x.id);
        if (!n?.closed_at || !inPeriod(day(n.closed_at), period)) continue;
        out.push({
          id: x.id,
          title: t('modelcity.needTitle', { title: x.title, rating: x.rating }),
          date: day(n.closed_at),
          orgName: x.orgName,
        });
      }
      return out;
    },
  };
}

/**
 * 立功喜报: a citation delivered to the family (送达), filed for the household's community on the
 * day it was delivered. The title names the community and year, never the family (the binder
 * goes to inspectors).
 */
export function honourSource(p: Platform, honours: HonoursService): EvidenceSource {
  const day = (iso: string) => (iso.length === 10 ? iso : localDate(new Date(iso), p.config.tzDisplay));
  const DONE = ['delivered', 'reported'];
  return {
    kind: 'honour',
    permission: 'beneficiary:read',
    async resolve(ctx, id) {
      const c = await honours.citation(p.handle.db, ctx.actor.scope, id);
      if (!c) throw gone();
      const h = await honours.household(p.handle.db, ctx.actor.scope, c.household_id);
      if (!h) throw gone();
      if (!DONE.includes(c.status) || !c.delivered_at)
        throw conflict('not_delivered', 'modelcity.sourceNotDone', { kind: t('modelcity.kind.honour') });
      return {
        id: c.id,
        orgId: h.org_id,
        orgPath: h.org_path,
        title: t('modelcity.honourTitle', { org: h.org_name, year: c.award_year }),
        date: day(c.delivered_at),
      };
    },
    async candidates(ctx, period, limit) {
      const out: SourceCandidate[] = [];
      for (const status of DONE) {
        const page = await honours.citations(ctx, { status, page: 1, pageSize: limit });
        for (const c of page.items) {
          if (!c.deliveredAt || !inPeriod(day(c.deliveredAt), period)) continue;
          out.push({
            id: c.id,
            title: t('modelcity.honourTitle', { org: c.orgName, year: c.awardYear }),
            date: day(c.deliveredAt),
            orgName: c.orgName,
          });
        }
      }
      return out;
    },
  };
}

/**
 * 双拥活动: an event once held (or closed), filed for its organiser on the event's day
 * (decisions/0043).
 */
export function eventSource(events: EventsService): EvidenceSource {
  const title = (type: string, name: string) =>
    t('events.modelcityTitle', { type: t(`events.type.${type}`), title: name });
  return {
    kind: 'event',
    permission: 'publicity:read',
    async resolve(ctx, id) {
      const e = await events.visible(events.db, ctx.actor, id);
      if (!e) throw gone();
      if (!events.isEvidence(e))
        throw conflict('not_held', 'modelcity.sourceNotDone', { kind: t('modelcity.kind.event') });
      return { id: e.id, orgId: e.org_id, orgPath: e.org_path, title: title(e.type, e.title), date: e.event_date };
    },
    async candidates(ctx, period, limit) {
      const items = await events.evidence(ctx.actor, { from: period.from, to: period.to, pageSize: limit });
      return items.map((e) => ({ id: e.id, title: title(e.type, e.title), date: e.date, orgName: e.orgName }));
    },
  };
}

/**
 * 双拥先进典型: an exemplar the city approved (认定), filed for the org that nominated it on the day
 * of the approval (published or not: the approval is what the table asks for).
 */
export function exemplarSource(exemplars: ExemplarsService): EvidenceSource {
  return {
    kind: 'exemplar',
    permission: 'publicity:read',
    async resolve(ctx, id) {
      const e = await exemplars.evidence(ctx.actor, id);
      if (!e) throw gone();
      if (!e.approved) throw conflict('not_approved', 'modelcity.exemplarNotApproved');
      return { id: e.id, orgId: e.orgId, orgPath: e.orgPath, title: e.title, date: e.date };
    },
    candidates: (ctx, period, limit) => exemplars.approvedIn(ctx, period, limit),
  };
}

/**
 * 光荣牌悬挂: an event that hung a plaque on a household (issued, reissued, replaced, reinstated),
 * filed for the household's community on the event's day. The title names the community, never
 * the family (the binder goes to inspectors).
 */
export function plaqueSource(honours: HonoursService): EvidenceSource {
  const title = (org: string) => t('modelcity.plaqueTitle', { org });
  return {
    kind: 'plaque',
    permission: 'beneficiary:read',
    async resolve(ctx, id) {
      const [e] = await honours.plaquesHung(ctx.actor.scope, { id }, 1);
      if (!e) throw gone();
      return { id: e.id, orgId: e.org_id, orgPath: e.org_path, title: title(e.org_name), date: e.event_date };
    },
    async candidates(ctx, period, limit) {
      const rows = await honours.plaquesHung(ctx.actor.scope, period, limit);
      return rows.map((e) => ({ id: e.id, title: title(e.org_name), date: e.event_date, orgName: e.org_name }));
    },
  };
}

/**
 * 经费列入预算并有支付凭证: a visits budget line that has spent something (its spending is kept by
 * the visits paid from it), filed for the line's org on the day the line was set up.
 */
export function budgetSource(p: Platform, read: VisitsReadModel): EvidenceSource {
  const day = (iso: string) => localDate(new Date(iso), p.config.tzDisplay);
  const title = (l: { orgName: string; name: string; budgetFen: number; spentFen: number }) =>
    t('modelcity.budgetTitle', {
      org: l.orgName,
      name: l.name,
      budget: fenToYuanText(l.budgetFen),
      spent: fenToYuanText(l.spentFen),
    });
  return {
    kind: 'budget',
    permission: 'visit:read',
    async resolve(ctx, id) {
      const [l] = await read.spentBudgetLines(ctx.actor.scope, { id }, 1);
      if (!l) throw gone();
      return { id: l.id, orgId: l.orgId, orgPath: l.orgPath, title: title(l), date: day(l.createdAt) };
    },
    async candidates(ctx, period, limit) {
      const lines = await read.spentBudgetLines(ctx.actor.scope, {}, limit);
      return lines
        .filter((l) => inPeriod(day(l.createdAt), period))
        .map((l) => ({ id: l.id, title: title(l), date: day(l.createdAt), orgName: l.orgName }));
    },
  };
}
