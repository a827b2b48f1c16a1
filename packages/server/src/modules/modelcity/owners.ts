import { type assignItemBody, type ItemOwner, type Responsibility, t } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import { modelcityRepo, type OwnerRow } from './modelcity.repo.js';
import type { ModelCityService } from './modelcity.service.js';

export const toOwner = (r: OwnerRow): ItemOwner => ({
  orgId: r.org_id,
  orgName: r.org_name,
  role: r.role,
  deadline: r.deadline,
  taskId: r.task_id,
});

/**
 * Responsibility for the items of the table (decisions/0046): the city assigns an item to a lead
 * org and co-owners with a deadline. The work is a task of a campaign issued for it — the owners'
 * to-do is the campaigns' to-do (工作台), reminders and reports are the campaigns' — and the
 * owners' uploads to the item's elements are filed for their org, so their view shows their part.
 */
export class ItemOwners {
  constructor(
    private readonly p: Platform,
    private readonly campaigns: Campaigns,
    private readonly modelcity: ModelCityService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  async exists(itemId: string): Promise<boolean> {
    return !!(await modelcityRepo.item(this.db, itemId));
  }

  /** The item, its round and the orgs named (lead first), each in the caller's scope. */
  private async resolve(ctx: RequestCtx, itemId: string, body: z.infer<typeof assignItemBody>) {
    if (!ctx.actor.permissions.has('campaign:manage'))
      throw new AppError(403, 'forbidden', 'modelcity.assignForbidden');
    const item = await modelcityRepo.item(this.db, itemId);
    if (!item) throw new AppError(404, 'not_found', 'modelcity.itemNotFound');
    const round = await this.modelcity.round(item.round_id);
    if (body.coOrgIds.includes(body.leadOrgId) || new Set(body.coOrgIds).size !== body.coOrgIds.length)
      throw badRequest('owner_twice', 'modelcity.ownerTwice');
    const orgs: { id: string; path: string; name: string }[] = [];
    for (const id of [body.leadOrgId, ...body.coOrgIds]) {
      const o = await modelcityRepo.org(this.db, id);
      if (!o || !scopeCovers(ctx.actor.scope, { orgId: o.id, orgPath: o.path }))
        throw new AppError(404, 'not_found', 'modelcity.orgNotFound');
      orgs.push(o);
    }
    const existing = (await modelcityRepo.owners(this.db, SYSTEM_SCOPE, round.id)).filter((o) => o.item_id === item.id);
    return { item, round, orgs, existing };
  }

  /** One issued campaign of the city with the item as its one task, assigned to exactly `orgs`. */
  private async issue(
    ctx: RequestCtx,
    item: NonNullable<Awaited<ReturnType<typeof modelcityRepo.item>>>,
    round: { id: string; name: string },
    orgs: readonly { id: string; name: string }[],
    deadline: string,
  ) {
    const table = await modelcityRepo.table(this.db, round.id);
    const standard = table.standards.find((s) => s.id === item.standard_id);
    const code = `${standard?.seq}.${item.seq}`;
    const title = t('modelcity.owner.task', { code, content: item.content });
    const created = await this.campaigns.core.create(ctx, {
      title: t('modelcity.owner.campaign', { round: round.name, code }),
      issuers: [ctx.actor.orgName],
      recipients: orgs.map((o) => o.name),
      kind: 'other',
      requirements: [t('modelcity.owner.requirement', { rule: item.rule })],
      remindDaysBefore: 3,
      items: [
        {
          ordinal: 1,
          title: title.slice(0, 100),
          body: item.rule,
          tasks: [
            {
              title: title.slice(0, 100),
              description: t('modelcity.owner.description', { rule: item.rule }),
              deadline,
              figures: [],
              requireNarrative: true,
              requireAttachment: false,
              assignTo: { groups: [], orgIds: orgs.map((o) => o.id) },
            },
          ],
        },
      ],
    });
    const issued = await this.campaigns.core.act(ctx, created.id, { version: created.version, action: 'issue' });
    return { campaignId: created.id, taskId: issued.items[0]?.tasks[0]?.id ?? null };
  }

  private async replaceOwners(
    ctx: RequestCtx,
    roundId: string,
    itemId: string,
    orgs: readonly { id: string; path: string }[],
    deadline: string,
    taskId: string | null,
    audit: { action: string; changes: Record<string, unknown> },
  ) {
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      await modelcityRepo.deleteOwners(trx, itemId);
      await modelcityRepo.insertOwners(
        trx,
        orgs.map((o, i) => ({
          id: uuidv7(),
          round_id: roundId,
          item_id: itemId,
          org_id: o.id,
          org_path: o.path,
          role: i === 0 ? ('lead' as const) : ('co' as const),
          deadline,
          task_id: taskId,
          created_by: ctx.actor.userId,
          created_at: now,
        })),
      );
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: audit.action,
        entityType: 'modelcity_item',
        entityId: itemId,
        changes: audit.changes,
      });
    });
  }

  /** Assigns an item (once per round; `reassign` changes owners or the deadline). */
  async assign(ctx: RequestCtx, itemId: string, body: z.infer<typeof assignItemBody>): Promise<ItemOwner[]> {
    const { item, round, orgs, existing } = await this.resolve(ctx, itemId, body);
    if (existing.length) throw conflict('already_assigned', 'modelcity.alreadyAssigned');
    // the campaign machinery carries the work: one issued campaign with the item as its task
    const { campaignId, taskId } = await this.issue(ctx, item, round, orgs, body.deadline);
    await this.replaceOwners(ctx, round.id, item.id, orgs, body.deadline, taskId, {
      action: 'modelcity.item.assign',
      changes: { lead: body.leadOrgId, co: body.coOrgIds, deadline: body.deadline, campaign: campaignId },
    });
    return (await ownersWithItem(this, round.id)).filter((o) => o.itemId === item.id);
  }

  /**
   * Changes the lead org, the co-owners or the deadline of an assigned item, on its campaign task
   * (decisions/0053): a new deadline moves every assignment's; orgs added get an assignment of the
   * same task. Issued work is never silently dropped, so when an owner leaves, the item's campaign
   * is closed (its reports stay where they are) and a new one is issued to the new owners.
   */
  async reassign(ctx: RequestCtx, itemId: string, body: z.infer<typeof assignItemBody>): Promise<ItemOwner[]> {
    const { item, round, orgs, existing } = await this.resolve(ctx, itemId, body);
    if (!existing.length) throw conflict('not_assigned', 'modelcity.notAssigned');
    const keep = new Set(orgs.map((o) => o.id));
    const dropped = existing.filter((o) => !keep.has(o.org_id));
    const taskId = existing[0]!.task_id;
    const oldCampaign = taskId
      ? await this.campaigns.readModel.campaignOfTask(this.db, SYSTEM_SCOPE, taskId)
      : undefined;
    const detail = oldCampaign ? await this.campaigns.core.detail(ctx, oldCampaign) : undefined;
    const task = detail?.items.flatMap((i) => i.tasks).find((tk) => tk.id === taskId);
    let campaignId = oldCampaign ?? null;
    let newTask = taskId;
    if (!dropped.length && detail && task && detail.status === 'issued') {
      await this.campaigns.core.tasks.update(ctx, task.id, {
        version: task.version,
        deadline: body.deadline,
        assignTo: { groups: [], orgIds: orgs.map((o) => o.id) },
      });
    } else {
      if (detail?.status === 'issued')
        await this.campaigns.core.act(ctx, detail.id, { version: detail.version, action: 'close' });
      const issued = await this.issue(ctx, item, round, orgs, body.deadline);
      campaignId = issued.campaignId;
      newTask = issued.taskId;
    }
    await this.replaceOwners(ctx, round.id, item.id, orgs, body.deadline, newTask, {
      action: 'modelcity.item.reassign',
      changes: {
        lead: [existing.find((o) => o.role === 'lead')?.org_id ?? null, body.leadOrgId],
        co: [existing.filter((o) => o.role === 'co').map((o) => o.org_id), body.coOrgIds],
        deadline: [existing[0]!.deadline, body.deadline],
        campaign: campaignId,
        ...(newTask !== taskId ? { closed: oldCampaign ?? null } : {}),
      },
    });
    return (await ownersWithItem(this, round.id)).filter((o) => o.itemId === item.id);
  }

  /** Owners of a round per item. */
  async byItem(roundId: string): Promise<Map<string, ItemOwner[]>> {
    const out = new Map<string, ItemOwner[]>();
    for (const r of await modelcityRepo.owners(this.db, SYSTEM_SCOPE, roundId))
      out.set(r.item_id, [...(out.get(r.item_id) ?? []), toOwner(r)]);
    return out;
  }

  /**
   * The items the caller's org — or, for a city or district, the orgs of its scope — answer for,
   * each with its score from the evidence the caller sees.
   */
  async responsibilities(ctx: RequestCtx, roundId?: string): Promise<{ items: Responsibility[] }> {
    const { round, scored } = await this.modelcity.scored(ctx.actor, roundId, 0);
    const owned = await modelcityRepo.ownedBy(this.db, ctx.actor.scope, round.id);
    const items = new Map(scored.standards.flatMap((s) => s.items.map((i) => [i.row.id, i] as const)));
    const today = localToday(this.p.config.tzDisplay);
    return {
      items: owned.flatMap((o) => {
        const i = items.get(o.item_id);
        if (!i) return [];
        return [
          {
            itemId: i.row.id,
            code: i.code,
            content: i.row.content,
            points: i.row.points,
            score: i.score,
            orgId: o.org_id,
            orgName: o.org_name,
            role: o.role,
            deadline: o.deadline,
            overdue: o.deadline < today && i.score < i.row.points,
            taskId: o.task_id,
          },
        ];
      }),
    };
  }
}

const ownersWithItem = async (o: ItemOwners, roundId: string) =>
  [...(await o.byItem(roundId)).entries()].flatMap(([itemId, list]) => list.map((x) => ({ ...x, itemId })));
