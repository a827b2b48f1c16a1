import { type CampaignKind, t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { type FormalLetter, LETTERS_RENDER, renderFormalLetter } from '../../platform/files/letter.js';
import { render } from '../../platform/files/render-pool.js';
import type { JobContext, JobHandler, Jobs } from '../../platform/jobs/jobs.js';
import type { CampaignFacts, Campaigns } from '../campaigns/campaigns.module.js';
import { plansRepo } from './plans.repo.js';

/** 慰问信 from the plan's template with merge fields, as DOCX and PDF (platform/files/letter.ts). */
export const LETTERS_KIND = 'visits.letters';
export const MAX_BULK_LETTERS = 60_000;
/** Letters made per call to the render worker: 10–40 ms of its CPU each, so a batch is ≤ ~1 s and progress moves. */
const LETTERS_PER_RENDER = 25;

export interface LetterData {
  name: string;
  kind: string;
  sender: string;
  occasion: string;
  date: string;
}

/** {姓名} {称谓} {慰问单位} {活动} {日期}; unknown fields stay as written. */
export function mergeTemplate(template: string, d: LetterData): string {
  const fields: Record<string, string> = {
    姓名: d.name,
    称谓: t(d.kind === 'unit' || d.kind === 'border_post' ? 'visits.letter.unit' : 'visits.letter.household'),
    慰问单位: d.sender,
    活动: d.occasion,
    日期: d.date,
  };
  return template.replace(/\{([^{}]{1,8})\}/g, (m, k: string) => fields[k] ?? m);
}

const year = (iso: string | null | undefined) => (iso ? Number(iso.slice(0, 4)) : undefined);

/**
 * The year of the festival a campaign is for: 元旦春节 campaigns start in the old year (from
 * December) and end in the festival's year; the others fall inside their period.
 */
export function festivalYear(c: CampaignFacts): number {
  if (c.kind === 'spring_festival') {
    const end = year(c.periodEnd);
    if (end) return end;
    const from = c.periodStart ?? c.issueDate ?? c.createdAt;
    return Number(from.slice(0, 4)) + (Number(from.slice(5, 7)) >= 10 ? 1 : 0);
  }
  return year(c.periodStart) ?? year(c.issueDate) ?? year(c.periodEnd) ?? Number(c.createdAt.slice(0, 4));
}

/** The occasion a letter names ({活动}): the campaign's festival and year, never the plan's title. */
export function letterOccasion(c: CampaignFacts): string {
  const y = festivalYear(c);
  if (c.kind === 'other') {
    const core = c.title
      .replace(/^关于/, '')
      .replace(/^(?:做好|开展|组织开展|认真做好|切实做好)/, '')
      .replace(/的(?:联合|紧急|补充)?(?:通知|工作函|函|意见|方案)$/, '');
    return core.startsWith(String(y)) ? core : t('visits.letter.occasion.other', { year: y, title: core });
  }
  return t(`visits.letter.occasion.${c.kind}`, { year: y, years: y - 1927 });
}

/** The letter a plan without its own template sends: the one written for its campaign's festival. */
export function defaultTemplate(kind: CampaignKind): string {
  return t(`visits.letter.template.${kind}`);
}

/** What every letter of a plan shares: its template, the sending organisation, the occasion, the date. */
export async function planLetter(p: Platform, campaigns: Campaigns, planId: string) {
  const plan = await plansRepo.letterFacts(p.handle.db, SYSTEM_SCOPE, planId);
  const campaign = await campaigns.core.facts(plan.campaign_id);
  if (!campaign) throw notFound();
  return {
    template: plan.letter_template ?? defaultTemplate(campaign.kind),
    sender: plan.org_name,
    occasion: letterOccasion(campaign),
    date: letterDate(p),
  };
}

function formal(template: string, d: LetterData): FormalLetter {
  return {
    title: t('visits.letter.title'),
    salutation: mergeTemplate(t('visits.letter.salutation'), d),
    paragraphs: mergeTemplate(template, d).split(/\n+/),
    sender: d.sender,
    date: d.date,
  };
}

/** The letter as DOCX or PDF, made in the render worker (platform/files/render-pool.ts). */
const letterFile = (template: string, d: LetterData, format: 'pdf' | 'docx'): Promise<Buffer> =>
  renderFormalLetter(formal(template, d), format, 'visits.letter.fontMissing');

export const letterDocx = (template: string, d: LetterData): Promise<Buffer> => letterFile(template, d, 'docx');

export const letterPdf = (template: string, d: LetterData): Promise<Buffer> => letterFile(template, d, 'pdf');

export function letterDate(p: Platform): string {
  const [y, m, d] = localToday(p.config.tzDisplay).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The bulk letters job: one DOCX per target of the plan, in one zip, with progress. */
export class LettersJob implements JobHandler {
  readonly permission = 'visit:write' as const;
  constructor(
    private readonly p: Platform,
    private readonly jobs: Jobs,
    private readonly campaigns: Campaigns,
  ) {}

  async validate(ctx: JobContext) {
    const planId = String(ctx.params.planId);
    const db = this.p.handle.db;
    const { template, ...letter } = await planLetter(this.p, this.campaigns, planId);
    const total = await plansRepo.letterCount(db, SYSTEM_SCOPE, planId);
    const count = Math.min(total, MAX_BULK_LETTERS);
    await ctx.progress(0, count);
    const used = new Set<string>();
    let done = 0;
    async function* letters() {
      let after = '';
      while (done < count) {
        const rows = await plansRepo.letterTargets(db, SYSTEM_SCOPE, planId, after, Math.min(200, count - done));
        if (!rows.length) break;
        for (let i = 0; i < rows.length; i += LETTERS_PER_RENDER) {
          const batch = rows.slice(i, i + LETTERS_PER_RENDER);
          // a batch of letters per render in the worker (decisions/0077); the zip takes them one by one
          const files = await render(LETTERS_RENDER, {
            letters: batch.map((r) => formal(template, { ...letter, name: r.name, kind: r.kind })),
          });
          for (const [j, r] of batch.entries()) {
            let name = `${r.name.replace(/[\\/:*?"<>|]/g, '_')}.docx`;
            if (used.has(name)) name = `${r.name}-${r.id.slice(-6)}.docx`;
            used.add(name);
            yield { name, data: files[j]! };
          }
          done += batch.length;
          await ctx.progress(done, count);
        }
        after = rows[rows.length - 1]!.id;
      }
    }
    // streamed into the sealed artefact: one batch of letters in memory at a time (decisions/0049); archiver
    // loads at the first zip, not at start-up (decisions/0063)
    const { writeZip } = await import('../../platform/files/zip-write.js');
    await this.jobs.writeArtefactStream(ctx.job.id, 'letters.zip', writeZip(letters(), { store: true }));
    return { letters: done, truncated: total > count };
  }
}
