import type { Queryable } from '../../platform/db/index.js';
import { badRequest } from '../../platform/errors.js';

/** The campaign a task belongs to: the campaigns module's read model (`campaigns.readModel.campaignOfTask`). */
export type CampaignOfTask = (db: Queryable, taskId: string) => Promise<string | undefined>;

/**
 * A publicity item, event or exemplar that names the campaign task it serves must name a task of
 * the campaign it names (an unknown task, or one without its campaign, is refused the same way).
 */
export async function checkTaskOfCampaign(
  db: Queryable,
  campaignOfTask: CampaignOfTask,
  b: { campaignId?: string | null; taskId?: string | null },
): Promise<void> {
  if (!b.taskId) return;
  const owner = await campaignOfTask(db, b.taskId);
  if (!owner || owner !== b.campaignId) throw badRequest('task_not_of_campaign', 'atmosphere.taskNotOfCampaign');
}
