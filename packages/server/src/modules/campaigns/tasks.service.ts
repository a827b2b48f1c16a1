import type {
  addTaskBody,
  CampaignTask,
  FigureDef,
  RecipientGroup,
  taskInput,
  updateTaskBody,
} from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { bool, type Tx, toBool } from '../../platform/db/index.js';
import { badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { campaignsRepo, displayStatus, issuerSide, json } from './campaigns.repo.js';
import type { CampaignAssignmentsTable, CampaignTasksTable } from './campaigns.schema.js';
import { addAssignments, type CampaignsContext, resolveAssignees } from './context.js';
import { tasksRepo } from './tasks.repo.js';

export type TaskInput = z.infer<typeof taskInput>;
type TaskRow = Selectable<CampaignTasksTable>;

/** Tasks of a campaign's work items: what must be reported, by when, by whom. */
export class TasksService {
  constructor(private readonly cx: CampaignsContext) {}

  private get db() {
    return this.cx.p.handle.db;
  }

  private checkMetric(key: string | null | undefined) {
    if (key && !this.cx.metrics.get(key)) throw badRequest('unknown_metric', 'campaigns.unknownMetric');
  }

  /** Inserts a task and its assignments; returns the number of assignments. */
  async insert(
    trx: Tx,
    campaign: { id: string; org_path: string },
    itemId: string,
    ordinal: number,
    input: TaskInput,
  ): Promise<number> {
    this.checkMetric(input.metricKey);
    const orgs = await resolveAssignees(trx, input.assignTo);
    const now = nowIso();
    const row = {
      id: uuidv7(),
      campaign_id: campaign.id,
      item_id: itemId,
      org_path: campaign.org_path,
      ordinal,
      title: input.title,
      description: input.description || null,
      deadline: input.deadline,
      figures: JSON.stringify(input.figures),
      require_narrative: toBool(input.requireNarrative),
      require_attachment: toBool(input.requireAttachment),
      metric_key: input.metricKey ?? null,
      assign_groups: JSON.stringify(input.assignTo.groups),
      assign_org_ids: JSON.stringify(input.assignTo.orgIds),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await tasksRepo.insert(trx, row);
    return addAssignments(trx, row, orgs);
  }

  inputOf(tk: TaskRow): TaskInput {
    return {
      title: tk.title,
      description: tk.description ?? undefined,
      deadline: tk.deadline,
      figures: json<FigureDef[]>(tk.figures, []),
      requireNarrative: bool(tk.require_narrative),
      requireAttachment: bool(tk.require_attachment),
      metricKey: tk.metric_key,
      assignTo: {
        groups: json<RecipientGroup[]>(tk.assign_groups, []),
        orgIds: json<string[]>(tk.assign_org_ids, []),
      },
    };
  }

  toDto(
    tk: TaskRow,
    assignments: (Selectable<CampaignAssignmentsTable> & { org_name: string })[],
    day: string,
  ): CampaignTask {
    const input = this.inputOf(tk);
    return {
      id: tk.id,
      itemId: tk.item_id,
      title: tk.title,
      description: tk.description,
      deadline: tk.deadline,
      figures: input.figures,
      requireNarrative: input.requireNarrative,
      requireAttachment: input.requireAttachment,
      metricKey: tk.metric_key,
      assignTo: input.assignTo,
      version: tk.version,
      assignments: assignments.map((a) => ({
        id: a.id,
        orgId: a.org_id,
        orgName: a.org_name,
        status: a.status as CampaignTask['assignments'][number]['status'],
        displayStatus: displayStatus(a.status, a.deadline, day),
        submittedAt: a.submitted_at,
        acceptedAt: a.accepted_at,
        version: a.version,
      })),
    };
  }

  private async campaignFor(trx: Tx, ctx: RequestCtx, campaignId: string) {
    const c = await campaignsRepo.campaign(trx, ctx.actor.scope, campaignId);
    if (!c || !issuerSide(ctx.actor.scope, c)) throw notFound();
    if (c.status === 'closed') throw conflict('campaign_closed', 'campaigns.closed');
    return c;
  }

  /** Adds a task to a work item (also after issue: the new assignments start at once). */
  async add(ctx: RequestCtx, campaignId: string, body: z.infer<typeof addTaskBody>) {
    return this.db.transaction().execute(async (trx) => {
      const c = await this.campaignFor(trx, ctx, campaignId);
      const item = await tasksRepo.itemOf(trx, SYSTEM_SCOPE, campaignId, body.itemId);
      if (!item) throw badRequest('unknown_item', 'campaigns.unknownItem');
      const last = await tasksRepo.lastOrdinal(trx, SYSTEM_SCOPE, campaignId);
      const { itemId, ...input } = body;
      const added = await this.insert(trx, c, itemId, last + 1, input);
      await tasksRepo.touchCampaign(trx, campaignId);
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.task.add',
        entityType: 'campaign',
        entityId: campaignId,
        changes: { title: [null, body.title], deadline: [null, body.deadline], assignments: added },
      });
    });
  }

  /**
   * Edits a task. A new deadline moves every assignment's deadline; recipients can be added at any
   * time, and removed only while the campaign is a draft (issued work is never silently dropped).
   */
  /** Updates a task; answers its campaign's id. */
  async update(ctx: RequestCtx, taskId: string, body: z.infer<typeof updateTaskBody>): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const tk = await campaignsRepo.task(trx, ctx.actor.scope, taskId);
      if (!tk) throw notFound();
      const c = await this.campaignFor(trx, ctx, tk.campaign_id);
      if (tk.version !== body.version) throw versionConflict();
      this.checkMetric(body.metricKey);
      const patch: Partial<CampaignTasksTable> = {};
      if (body.title !== undefined) patch.title = body.title;
      if (body.description !== undefined) patch.description = body.description || null;
      if (body.deadline !== undefined) patch.deadline = body.deadline;
      if (body.figures !== undefined) patch.figures = JSON.stringify(body.figures);
      if (body.requireNarrative !== undefined) patch.require_narrative = toBool(body.requireNarrative);
      if (body.requireAttachment !== undefined) patch.require_attachment = toBool(body.requireAttachment);
      if (body.metricKey !== undefined) patch.metric_key = body.metricKey;
      let added = 0;
      let removed = 0;
      if (body.assignTo) {
        patch.assign_groups = JSON.stringify(body.assignTo.groups);
        patch.assign_org_ids = JSON.stringify(body.assignTo.orgIds);
        const orgs = await resolveAssignees(trx, body.assignTo);
        added = await addAssignments(trx, { ...tk, deadline: body.deadline ?? tk.deadline }, orgs);
        const keep = new Set(orgs.map((o) => o.id));
        const current = await tasksRepo.assignmentsOf(trx, SYSTEM_SCOPE, taskId);
        const drop = current.filter((a) => !keep.has(a.org_id));
        if (drop.length && c.status !== 'draft') throw conflict('assignees_issued', 'campaigns.cannotRemoveAssignees');
        if (drop.length)
          await tasksRepo.deleteAssignments(
            trx,
            drop.map((a) => a.id),
          );
        removed = drop.length;
      }
      await tasksRepo.update(trx, taskId, { ...patch, version: tk.version + 1, updated_at: nowIso() });
      if (body.deadline !== undefined && body.deadline !== tk.deadline)
        await tasksRepo.moveDeadline(trx, taskId, body.deadline);
      const changes: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(patch)) changes[k] = [tk[k as keyof CampaignTasksTable], v];
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.task.update',
        entityType: 'campaign_task',
        entityId: taskId,
        changes: {
          ...changes,
          ...(added || removed ? { assignments_added: added, assignments_removed: removed } : {}),
        },
      });
      return tk.campaign_id;
    });
  }
}
