import { expect } from 'vitest';
import type { Client } from './helpers.js';

/** A draft campaign of the city (issued by `city`) with one task: its id and the task's id. */
export async function campaignWithTask(city: Client, title: string) {
  const made = await city.post('/api/v1/campaigns', {
    title,
    issuers: ['市双拥办'],
    items: [
      {
        ordinal: 1,
        title: '营造双拥氛围',
        tasks: [{ title: `${title}任务`, deadline: '2026-08-20', assignTo: { groups: ['districts'] } }],
      },
    ],
  });
  expect(made.statusCode, made.body).toBe(201);
  return { campaignId: made.json().id as string, taskId: made.json().items[0].tasks[0].id as string };
}

/** The answer to a record that names a task of another campaign (or a task without its campaign). */
export const taskRefused = (res: { statusCode: number; json: () => { code: string; detail: string } }) => {
  expect(res.statusCode).toBe(400);
  expect(res.json()).toMatchObject({
    code: 'task_not_of_campaign',
    detail: '所选任务不属于所选工作部署，请重新选择工作部署和任务',
  });
};
