import { type CampaignReminder, type nudgeBody, t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { SYSTEM_AUDIT_ACTOR } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Tx } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { addDays, campaignsRepo, issuerSide, OPEN_STATUSES } from './campaigns.repo.js';
import type { CampaignRemindersTable } from './campaigns.schema.js';
import { type CampaignsContext, illegal, today } from './context.js';
import { remindersRepo } from './reminders.repo.js';

export function reminderDto(r: Selectable<CampaignRemindersTable> & { org_name: string }): CampaignReminder {
  return {
    id: r.id,
    kind: r.kind as CampaignReminder['kind'],
    campaignId: r.campaign_id,
    assignmentId: r.assignment_id,
    orgName: r.org_name,
    message: r.message,
    createdBy: r.created_by_name,
    createdAt: r.created_at,
  };
}

/** The longest "remind N days before" a campaign may set (the sweep looks this far ahead). */
const MAX_LEAD_DAYS = 30;

interface Due {
  id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  deadline: string;
  task_title: string;
  campaign_title: string;
}

/**
 * 催办. Automatic reminders: `sweep(now)` writes one "due soon" reminder per open assignment whose
 * deadline is within the campaign's lead days, and one "overdue" reminder once the deadline has
 * passed (dedupe keys carry the deadline, so a moved deadline reminds again). Each reminder is
 * logged here and sent to the assignee org's users through the notification centre (in-app, and
 * the outbound transport). Manual nudges come from the issuer, one assignment or all overdue ones.
 */
export class Reminders {
  constructor(private readonly cx: CampaignsContext) {}

  private get db() {
    return this.cx.p.handle.db;
  }

  private async record(
    trx: Tx,
    a: Due,
    kind: 'due_soon' | 'overdue' | 'nudge',
    message: string,
    by: { id: string; name: string } | null,
    dedupe: string | null,
  ): Promise<boolean> {
    const inserted = await remindersRepo.insertOnce(trx, {
      id: uuidv7(),
      campaign_id: a.campaign_id,
      assignment_id: a.id,
      org_id: a.org_id,
      org_path: a.org_path,
      kind,
      message,
      dedupe_key: dedupe,
      created_by: by?.id ?? null,
      created_by_name: by?.name ?? null,
      created_at: nowIso(),
    });
    if (!inserted) return false;
    await this.cx.notifications.notify(trx, {
      orgIds: [a.org_id],
      ...(by ? { excludeUserIds: [by.id] } : {}),
      kind: `campaign.${kind}`,
      title: t(`campaignNotify.${kind}.title`),
      body: message,
      entityType: 'campaign_assignment',
      entityId: a.id,
    });
    return true;
  }

  /** Automatic reminders as of `now`; safe to run any number of times, from several processes. */
  async sweep(now: Date): Promise<{ dueSoon: number; overdue: number }> {
    const day = localDate(now, this.cx.p.config.tzDisplay);
    return this.db.transaction().execute(async (trx) => {
      const rows = await remindersRepo.sweepCandidates(trx, SYSTEM_SCOPE, addDays(day, MAX_LEAD_DAYS));
      let dueSoon = 0;
      let overdue = 0;
      for (const a of rows) {
        if (a.deadline < day) {
          const msg = t('campaignNotify.overdue.body', {
            campaign: a.campaign_title,
            task: a.task_title,
            deadline: a.deadline,
          });
          if (await this.record(trx, a, 'overdue', msg, null, `${a.id}:overdue:${a.deadline}`)) overdue++;
        } else if (a.deadline <= addDays(day, a.remind_days_before)) {
          const msg = t('campaignNotify.due_soon.body', {
            campaign: a.campaign_title,
            task: a.task_title,
            deadline: a.deadline,
          });
          if (await this.record(trx, a, 'due_soon', msg, null, `${a.id}:due_soon:${a.deadline}`)) dueSoon++;
        }
      }
      if (dueSoon + overdue > 0)
        await this.cx.p.audit.append(trx, SYSTEM_AUDIT_ACTOR, {
          action: 'campaign.remind',
          entityType: 'campaign',
          changes: { day, due_soon: dueSoon, overdue },
        });
      return { dueSoon, overdue };
    });
  }

  private async due(trx: Tx, assignmentIds: string[]): Promise<Due[]> {
    if (!assignmentIds.length) return [];
    return remindersRepo.due(trx, SYSTEM_SCOPE, assignmentIds);
  }

  /** A manual nudge to one assignee whose work is still open. */
  async nudge(ctx: RequestCtx, assignmentId: string, body: z.infer<typeof nudgeBody>) {
    return this.db.transaction().execute(async (trx) => {
      const a = await campaignsRepo.assignment(trx, ctx.actor.scope, assignmentId);
      if (!a || !issuerSide(ctx.actor.scope, { org_id: a.campaign_org_id, org_path: a.campaign_org_path }))
        throw notFound();
      if (a.campaign_status !== 'issued') throw conflict('campaign_not_open', 'campaigns.notOpen');
      // only work still to be handed in is nudged (submitted work waits for the issuer, accepted is done)
      if (!OPEN_STATUSES.includes(a.status as 'returned'))
        throw illegal(
          'campaigns.illegalAssignmentAction',
          a.status,
          'nudge',
          a.status === 'submitted' ? ['accept', 'return'] : [],
        );
      const [due] = await this.due(trx, [assignmentId]);
      const message =
        body.message ||
        t('campaignNotify.nudge.body', {
          campaign: due!.campaign_title,
          task: due!.task_title,
          deadline: due!.deadline,
        });
      await this.record(trx, due!, 'nudge', message, { id: ctx.actor.userId, name: ctx.actor.displayName }, null);
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.nudge',
        entityType: 'campaign_assignment',
        entityId: assignmentId,
        changes: { message },
      });
      return this.log(ctx, a.campaign_id, trx, assignmentId);
    });
  }

  /** Nudges every overdue assignment of a campaign at once. */
  async nudgeOverdue(ctx: RequestCtx, campaignId: string) {
    return this.db.transaction().execute(async (trx) => {
      const c = await campaignsRepo.campaign(trx, ctx.actor.scope, campaignId);
      if (!c || !issuerSide(ctx.actor.scope, c)) throw notFound();
      if (c.status !== 'issued') throw conflict('campaign_not_open', 'campaigns.notOpen');
      const ids = await remindersRepo.overdueOpen(trx, SYSTEM_SCOPE, campaignId, today(this.cx));
      const by = { id: ctx.actor.userId, name: ctx.actor.displayName };
      for (const a of await this.due(
        trx,
        ids.map((r) => r.id),
      ))
        await this.record(
          trx,
          a,
          'nudge',
          t('campaignNotify.nudgeOverdue.body', {
            campaign: a.campaign_title,
            task: a.task_title,
            deadline: a.deadline,
          }),
          by,
          null,
        );
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.nudge_overdue',
        entityType: 'campaign',
        entityId: campaignId,
        changes: { assignments: ids.length },
      });
      return this.log(ctx, campaignId, trx);
    });
  }

  /** Reminders of a campaign the caller sees: all on the issuer side, their own assignments' otherwise. */
  async log(ctx: RequestCtx, campaignId: string, db: Tx | undefined = undefined, assignmentId?: string) {
    const q = db ?? this.db;
    const c = await campaignsRepo.campaign(q, ctx.actor.scope, campaignId);
    if (!c) throw notFound();
    const issuer = issuerSide(ctx.actor.scope, c);
    const rows = await remindersRepo.log(q, ctx.actor.scope, campaignId, issuer, assignmentId);
    return rows.map(reminderDto);
  }
}
