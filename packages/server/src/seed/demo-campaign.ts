import type { taskInput } from '@shuangyong/shared';
import type { z } from 'zod';
import { campaignsModule } from '../modules/campaigns/campaigns.module.js';
import { visitsModule } from '../modules/visits/visits.module.js';
import { type RequestCtx, systemActor } from '../platform/auth/actor.js';
import type { Platform } from '../platform/context.js';
import { buildModules, moduleContext, withRequirements } from '../platform/module.js';
import text from './demo-campaign.json' with { type: 'json' };

export type TaskInput = z.infer<typeof taskInput>;

/** Fen of the demo caps and budget: yuan × 100. */
const yuan = (n: number) => n * 100;

/** The Spring Festival the demo prepares for: next year's from June on, else this year's. */
export function demoFestivalYear(now: Date): number {
  return now.getMonth() >= 5 ? now.getFullYear() + 1 : now.getFullYear();
}

/**
 * The demo's 工作部署 for the visits pages (demo mode only, called by `serve --demo` and
 * `seed --demo` right after `seedDemo`, never by the API tests): the city's Spring Festival notice,
 * issued to the districts through the campaigns service, with visit caps and a budget line per
 * district. Returns the campaign id.
 */
export async function seedDemoCampaign(
  p: Platform,
  now = new Date(),
  living?: { periodStart: string; periodEnd: string; tasks: TaskInput[] },
): Promise<string> {
  const year = demoFestivalYear(now);
  const fill = (s: string) => s.replaceAll('{year}', String(year)).replaceAll('{prevYear}', String(year - 1));
  const city = await p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('depth', '=', 0)
    .orderBy('path')
    .executeTakeFirstOrThrow();
  const ctx: RequestCtx = { actor: systemActor(city), requestId: 'seed-demo', ip: '127.0.0.1' };
  // the modules it goes through, built as the app builds them (no HTTP)
  const modules = buildModules(moduleContext(p), withRequirements(campaignsModule, visitsModule));
  const { campaigns, visits } = modules.services;
  const draft = await campaigns.core.create(ctx, {
    title: fill(text.title),
    docNumber: fill(text.docNumber),
    issuers: text.issuers,
    recipients: text.recipients,
    periodStart: living?.periodStart ?? `${year - 1}-12-20`,
    periodEnd: living?.periodEnd ?? `${year}-02-28`,
    requirements: text.requirements,
    kind: 'spring_festival',
    remindDaysBefore: 3,
    items: [
      {
        ordinal: 1,
        title: text.item.title,
        body: text.item.body,
        tasks: [
          {
            title: text.item.task,
            deadline: living?.periodEnd ?? `${year}-02-28`,
            figures: [],
            requireNarrative: true,
            requireAttachment: false,
            metricKey: 'visits.coverage_percent',
            assignTo: { groups: ['districts'], orgIds: [] },
          },
          ...(living?.tasks ?? []),
        ],
      },
    ],
  });
  await campaigns.core.act(ctx, draft.id, { version: draft.version, action: 'issue' });
  const { money } = visits;
  await money.setCaps(ctx, {
    campaignId: draft.id,
    cashPerVisitWarnFen: yuan(800),
    cashPerVisitMaxFen: yuan(1000),
    goodsPerVisitWarnFen: yuan(400),
    goodsPerVisitMaxFen: yuan(500),
    cashPerTargetMaxFen: yuan(2000),
    goodsPerTargetMaxFen: yuan(1000),
  });
  const districts = await p.handle.db
    .selectFrom('orgs')
    .select('id')
    .where('depth', '=', 1)
    .where('type', '=', 'veterans_bureau')
    .orderBy('path')
    .execute();
  for (const d of districts)
    await money.createBudgetLine(ctx, {
      campaignId: draft.id,
      orgId: d.id,
      name: text.budgetLine,
      budgetFen: yuan(200_000),
    });
  await modules.close();
  return draft.id;
}
