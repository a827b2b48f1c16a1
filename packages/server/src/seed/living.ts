import { randomUUID } from 'node:crypto';
import type { NeedDetail } from '@shuangyong/shared';
import jpeg from 'jpeg-js';
import { atmosphereModule } from '../modules/atmosphere/atmosphere.module.js';
import { campaignsModule } from '../modules/campaigns/campaigns.module.js';
import { honoursModule } from '../modules/honours/honours.module.js';
import { modelcityModule } from '../modules/modelcity/modelcity.module.js';
import { needsModule } from '../modules/needs/needs.module.js';
import { notificationsModule } from '../modules/notifications/notifications.module.js';
import { registryModule } from '../modules/registry/registry.module.js';
import { seedSyntheticVisits } from '../modules/visits/synthetic.js';
import { visitsModule } from '../modules/visits/visits.module.js';
import { prefixEnd } from '../platform/access/scope.js';
import { SYSTEM_AUDIT_ACTOR } from '../platform/audit/audit.js';
import type { RequestCtx } from '../platform/auth/actor.js';
import { addWorkingDays } from '../platform/calendar/working-days.js';
import type { Platform } from '../platform/context.js';
import { buildModules, moduleContext, withRequirements } from '../platform/module.js';
import { seededRandom } from '../platform/random.js';
import { seedDemoCampaign, type TaskInput } from './demo-campaign.js';
import text from './living.json' with { type: 'json' };
import { seedSynthetic } from './synthetic.js';

/** The fixed seed of the living demo: the same city on every first start. */
export const LIVING_SEED = 20261203;
export const LIVING_PERSONS = 3000;
/** Bulk visits over ~2,760 households with an active member: about 40 % of them visited. */
export const LIVING_VISITS = 1400;

const DAY = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** A small real JPEG (a gradient whose colours depend on `n`), as a phone would send. */
function photo(n: number): Buffer {
  const width = 64;
  const height = 48;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 4 + n * 40) & 255;
      data[i + 1] = (y * 5 + n * 70) & 255;
      data[i + 2] = 120;
      data[i + 3] = 255;
    }
  return jpeg.encode({ data, width, height }, 80).data;
}

export interface LivingSummary {
  persons: number;
  visits: number;
  needs: number;
  citations: number;
  /** Model-city evidence filed (records tagged and documents uploaded). */
  evidence: number;
  campaignId: string;
  ms: number;
}

/**
 * The living demo city (issue 18, item 5) on top of `seedDemo`: about 3,000 entitled persons, the
 * Spring Festival campaign half-way through (tasks in every state, reports returned and
 * accepted), visit plans with about 40 % of households visited (a few through the records service
 * with photos, some over the hard cap waiting for approval), needs in every state (overdue,
 * escalated, rated), citations in every state, and the notifications all of this sends. Persons and
 * the bulk of the visits go through the bulk paths (as `seed --synthetic`); everything a demo user
 * acts on goes through the modules' services as that user, so audit, maintained counters and
 * notifications are what the app itself would have written. Deterministic (fixed seed) but for
 * ids and timestamps, which are relative to `now`.
 */
export async function seedLivingCity(p: Platform, now = new Date()): Promise<LivingSummary> {
  const started = Date.now();
  const rand = seededRandom(LIVING_SEED);
  const db = p.handle.db;
  const people = await seedSynthetic(p, { count: LIVING_PERSONS, seed: LIVING_SEED });

  const day = (offset: number) => dayOf(new Date(now.getTime() + offset * DAY));
  const tasks: TaskInput[] = text.tasks.map((tk) => ({
    title: tk.title,
    deadline: day(tk.deadlineDays),
    figures: [],
    requireNarrative: true,
    requireAttachment: false,
    assignTo: { groups: tk.groups as TaskInput['assignTo']['groups'], orgIds: [] },
  }));
  const campaignId = await seedDemoCampaign(p, now, { periodStart: day(-30), periodEnd: day(30), tasks });

  const mc = moduleContext(p);
  const modules = buildModules(
    mc,
    withRequirements(
      notificationsModule,
      registryModule,
      honoursModule,
      needsModule,
      campaignsModule,
      visitsModule,
      atmosphereModule,
      modelcityModule,
    ),
  );
  const { campaigns, visits, needs, honours, notifications, modelcity, registry } = modules.services;
  const users = await db.selectFrom('users').select(['id', 'username']).execute();
  const as = async (username: string): Promise<RequestCtx> => {
    const u = users.find((x) => x.username === username);
    const actor = u && (await mc.sessions.actorOf(u.id));
    if (!actor) throw new Error(`demo user ${username} missing`);
    return { actor, requestId: 'seed-living', ip: '127.0.0.1' };
  };
  const ctx = {
    city: await as('city'),
    klmy: await as('klmy'),
    dsz: await as('dsz'),
    bjt: await as('bjt'),
    unit1: await as('unit1'),
    jyj: await as('jyj'),
  };
  const orgs = await db.selectFrom('orgs').select(['id', 'code', 'path']).execute();
  const orgId = (code: string) => orgs.find((o) => o.code === code)!.id;

  // ---- campaign: reports in every state ----
  const [plan, progress] = [text.tasks[0]!.title, text.tasks[1]!.title];
  const mine = async (c: RequestCtx, title: string) => {
    const list = await campaigns.work.list(c, { campaignId, page: 1, pageSize: 100 });
    return list.items.find((a) => a.taskTitle === title && a.orgId === c.actor.orgId)!;
  };
  const submit = async (c: RequestCtx, title: string) => {
    const a = await mine(c, title);
    await campaigns.work.submit(c, a.id, {
      version: a.version,
      narrative: text.reports.narrative,
      figures: {},
      fileIds: [],
    });
    return campaigns.work.detail(c, a.id);
  };
  const accepted = await submit(ctx.dsz, plan);
  await campaigns.work.review(ctx.city, accepted.id, { version: accepted.version, decision: 'accept' });
  // returned after its deadline: 克拉玛依区 has it back, overdue
  const returned = await submit(ctx.klmy, plan);
  await campaigns.work.review(ctx.city, returned.id, {
    version: returned.version,
    decision: 'return',
    reason: text.reports.returnReason,
  });
  await submit(ctx.bjt, plan); // waits for the city's review
  await submit(ctx.unit1, plan); // waits for the city's review
  const unitProgress = await submit(ctx.unit1, progress);
  await campaigns.work.review(ctx.city, unitProgress.id, { version: unitProgress.version, decision: 'accept' });
  const draft = await mine(ctx.klmy, progress);
  await campaigns.work.saveDraft(ctx.klmy, draft.id, { version: draft.version, narrative: text.reports.draft });

  // ---- visits: ~40 % of households in bulk, a few through the service (photos, over the cap) ----
  const bulk = await seedSyntheticVisits(p, {
    count: LIVING_VISITS,
    campaignId,
    seed: LIVING_SEED,
    days: 29,
    planTitle: (district) => text.planTitle.replace('{district}', district.replace('退役军人事务局', '')),
  });
  let recorded = 0;
  const record = async (c: RequestCtx, n: number, cashFen: number, photos: number) => {
    const targets = await visits.plans.targets(c, { campaignId, unvisited: 'true', page: 1, pageSize: n });
    for (const t of targets.items.slice(0, n)) {
      const { visit } = await visits.records.record(c, {
        clientKey: randomUUID(),
        targetId: t.id,
        visitedAt: new Date(now.getTime() - (1 + Math.floor(rand() * 48)) * 3_600_000).toISOString(),
        visitors: text.visitors,
        cashFen,
        goods: [{ item: text.goods, quantity: 1, valueFen: 20_000 }],
        acknowledged: true,
      });
      for (let i = 0; i < photos; i++) await visits.photos.add(c, visit.id, photo(recorded + i));
      recorded++;
    }
  };
  await record(ctx.klmy, 4, 50_000, 2); // with photos
  await record(ctx.klmy, 2, 120_000, 1); // over the hard cap: 待审批
  await record(ctx.dsz, 2, 150_000, 0); // over the hard cap: 待审批

  // ---- needs in every state ----
  let needCount = 0;
  for (const n of text.needs) {
    const requester = n.who === 'unit1' ? ctx.unit1 : ctx.klmy;
    let d: NeedDetail = await needs.create(requester, {
      title: n.title,
      description: n.description,
      category: n.category,
      priority: n.priority as 'normal',
    });
    needCount++;
    const wf = needs.workflow;
    const lead = 'lead' in n && n.lead ? orgId(n.lead) : orgId('jyj');
    const steps: Record<string, number> = {
      submitted: 0,
      declined: 0,
      accepted: 1,
      assigned: 2,
      assigned_other: 2,
      overdue_other: 2,
      in_progress: 3,
      overdue: 3,
      resolved: 4,
      confirmed: 5,
      closed: 6,
    };
    const step = steps[n.state] ?? 0;
    if (n.state === 'declined')
      d = await wf.decline(ctx.city, d.id, { version: d.version, reason: text.declineReason });
    if (step === 1) d = await wf.accept(ctx.city, d.id, { version: d.version });
    if (step >= 2) d = await wf.acceptAndAssign(ctx.city, d.id, { version: d.version, leadOrgId: lead, coOrgIds: [] });
    if (step >= 3) d = await wf.start(ctx.jyj, d.id, { version: d.version });
    if (step >= 4) d = await wf.resolve(ctx.jyj, d.id, { version: d.version, resolution: text.resolution });
    if (step >= 5) d = await wf.confirm(requester, d.id, { version: d.version, rating: 'rating' in n ? n.rating! : 5 });
    if (step >= 6) d = await wf.close(ctx.city, d.id, { version: d.version });
    // past the working-day deadline: the cases were accepted weeks ago
    if (n.state === 'overdue' || n.state === 'overdue_other') await needs.backdateForDemo(d.id, 60);
  }
  await needs.escalateOverdue(now);

  // ---- citations (立功喜报) in every state, in 克拉玛依区 ----
  const { items: households } = await honours.page(ctx.klmy, { page: 1, pageSize: 20 });
  const steps = ['register', 'verify_address', 'deliver', 'report'] as const;
  let citations = 0;
  for (const [i, [memberName, awardLevel]] of text.citations.entries()) {
    const h = households[i % households.length]!;
    // the first two arrived long ago and were never registered: overdue (待登记, 逾期)
    const receivedAt = i < 2 ? day(-40) : day(-25 + i);
    let c = await honours.createCitation(ctx.klmy, {
      householdId: h.id,
      memberName: memberName!,
      awardLevel: awardLevel as 'first_class',
      awardYear: now.getFullYear(),
      receivedAt,
    });
    citations++;
    const advance = i < 3 ? 0 : Math.min(i - 3, steps.length);
    let date = receivedAt;
    for (const s of steps.slice(0, advance)) {
      date = [addWorkingDays(date, 1), day(0)].sort()[0]!; // a working day later, never in the future
      c = await honours.advanceCitation(ctx.klmy, c.id, {
        version: c.version,
        step: s,
        date,
        ...(s === 'deliver' ? { deliverers: text.visitors.staff.join('、') } : {}),
      });
    }
  }
  // ---- 创建双拥模范城: the records above filed as evidence (as the suggestions offer them), and
  // the documents only an upload proves (plans, minutes, vouchers), dated inside the round ----
  const mc2 = modelcity.modelcity;
  let evidence = 0;
  for (const s of (await mc2.suggestions(ctx.city)).items) {
    if (s.sourceKind === 'document') continue;
    await mc2.tag(ctx.city, { elementId: s.elementId, sourceKind: s.sourceKind, sourceId: s.sourceId });
    evidence++;
  }
  const round = await mc2.round();
  const table = await mc2.readiness(ctx.city, round.id);
  const elementOf = (code: string) =>
    table.standards.flatMap((x) => x.items.flatMap((i) => i.elements)).find((e) => e.code === code);
  for (const doc of text.modelcity) {
    const el = elementOf(doc.code);
    if (!el) continue;
    const date = [day(doc.days), round.period_end].sort()[0]!;
    await mc2.upload(
      ctx[doc.who as 'city'],
      { elementId: el.id, docType: doc.docType as 'plan', date, title: doc.title, fileName: `${doc.title}.pdf` },
      Buffer.from(`%PDF-1.4\n% ${doc.title}\n%%EOF\n`, 'utf8'),
    );
    evidence++;
  }

  // ---- transfers (迁移) waiting for a decision: 克拉玛依区 ⇄ 独山子区 ----
  const district = (path: string) => orgs.find((o) => o.path === path)!;
  const [klmyOrg, dszOrg] = [district(ctx.klmy.actor.orgPath!), district(ctx.dsz.actor.orgPath!)];
  let transfers = 0;
  for (const [from, to, n] of [
    [ctx.klmy, dszOrg, 3],
    [ctx.dsz, klmyOrg, 2],
  ] as const) {
    const fromPath = from.actor.orgPath!;
    const persons = await db
      .selectFrom('beneficiaries')
      .select(['id', 'org_id', 'org_path'])
      .where('org_path', '>=', fromPath)
      .where('org_path', '<', prefixEnd(fromPath))
      .where('status', '=', 'active')
      .orderBy('id')
      .limit(n)
      .execute();
    for (const person of persons) {
      await db.transaction().execute((trx) => registry.transfers.open(trx, from, person, to, text.transferReason));
      transfers++;
    }
  }

  await campaigns.remind(now);
  await notifications.flush();
  await modules.close();
  const ms = Date.now() - started;
  await p.audit.event(db, SYSTEM_AUDIT_ACTOR, {
    action: 'seed.living',
    changes: {
      persons: people.created,
      visits: bulk.created + recorded,
      needs: needCount,
      citations,
      evidence,
      transfers,
      ms,
    },
  });
  return {
    persons: people.created,
    visits: bulk.created + recorded,
    needs: needCount,
    citations,
    evidence,
    campaignId,
    ms,
  };
}
