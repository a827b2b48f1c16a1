import fs from 'node:fs';
import path from 'node:path';
import { type Brief, t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx, systemActor } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { render } from '../../platform/files/render-pool.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { ConfidentialityChecks } from '../atmosphere/atmosphere.module.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import { headlineLines } from './brief-lines.js';
import { cockpitRepo } from './cockpit.repo.js';
import type { CockpitBriefsTable } from './cockpit.schema.js';
import type { CockpitService } from './cockpit.service.js';
import { BRIEF_RENDER } from './renders.js';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Local hour from which the scheduled brief of the day is made (env BRIEF_HOUR, default 8). */
export function briefHour(): number {
  const h = Number(process.env.BRIEF_HOUR ?? 8);
  return Number.isInteger(h) && h >= 0 && h <= 23 ? h : 8;
}

function localHour(now: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
}

const toBrief = (r: Selectable<CockpitBriefsTable> & { org_name: string }): Brief => ({
  id: r.id,
  campaignId: r.campaign_id,
  day: r.day,
  public: r.public === 1,
  orgName: r.org_name,
  docxSize: r.docx_size,
  pdfSize: r.pdf_size,
  createdAt: r.created_at,
  findings: r.findings ? (JSON.parse(r.findings) as unknown[]).length : 0,
});

/**
 * 每日简报 (issue 18, decisions/0037): the cockpit of a campaign as a DOCX and a PDF — headline
 * figures, the same charts rendered on the server from the same definitions, the overdue tasks and
 * the needs past their deadline. Kept one per (campaign, org, day, public/internal): making it again
 * the same day replaces it. A public brief must pass the atmosphere module's confidentiality checks.
 */
export class BriefsService {
  readonly dir: string;

  constructor(
    private readonly p: Platform,
    private readonly cockpit: CockpitService,
    private readonly checks: ConfidentialityChecks,
    private readonly campaigns: Campaigns,
  ) {
    this.dir = path.join(p.config.dataDir, 'briefs');
  }

  fileOf(id: string, format: 'docx' | 'pdf'): string {
    return path.join(this.dir, `${id}.${format}`);
  }

  async generate(ctx: RequestCtx, body: { campaignId: string; public?: boolean }, now = new Date()): Promise<Brief> {
    const a = ctx.actor;
    // the leader reads; making a brief is work of those who run or report on the campaign
    if (!a.permissions.has('campaign:manage') && !a.permissions.has('campaign:report')) throw forbidden();
    const cockpit = await this.cockpit.cockpit(ctx, body.campaignId, now);
    const day = cockpit.today;
    const isPublic = body.public ?? false;
    let findings: unknown[] = [];
    if (isPublic) {
      const text = [
        cockpit.campaign.title,
        ...headlineLines(cockpit),
        ...cockpit.overdue.map((o) => `${o.orgName} ${o.taskTitle}`),
        ...cockpit.breached.map((n) => `${n.title} ${n.leadOrgName ?? ''}`),
        ...cockpit.completion.map((r) => r.orgName),
      ].join('\n');
      findings = await this.checks.checkText({ orgSide: 'civilian' }, text);
      if (findings.length)
        throw new AppError(422, 'brief_not_public', 'brief.publicRefused', {
          findings: [...new Set((findings as { label: string }[]).map((f) => f.label))].join('、'),
        });
    }
    // the charts, the DOCX and the PDF are made in the render worker, off the event loop; the writers
    // and the chart renderer (docx, pdfkit, ECharts, resvg) load there, not here (decisions/0063, 0077)
    const { docx, pdf } = await render(BRIEF_RENDER, { cockpit, orgName: a.orgName, day });
    const id = await this.p.handle.db.transaction().execute(async (trx) => {
      const same = await cockpitRepo.sameDay(trx, SYSTEM_SCOPE, {
        campaignId: body.campaignId,
        orgId: a.orgId,
        day,
        public: isPublic,
      });
      const id = same?.id ?? uuidv7();
      const row = {
        figures: JSON.stringify(cockpit.headline),
        findings: isPublic ? JSON.stringify(findings) : null,
        docx_size: docx.length,
        pdf_size: pdf.length,
        created_by: a.userId === 'system' ? null : a.userId,
        created_at: nowIso(),
      };
      if (same) await cockpitRepo.replace(trx, id, row);
      else
        await cockpitRepo.insert(trx, {
          id,
          campaign_id: body.campaignId,
          org_id: a.orgId,
          org_path: a.orgPath,
          day,
          public: isPublic ? 1 : 0,
          ...row,
        });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'cockpit.brief.create',
        entityType: 'cockpit_brief',
        entityId: id,
        changes: { campaign: body.campaignId, day, public: isPublic, replaced: !!same, ...cockpit.headline },
      });
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(this.fileOf(id, 'docx'), docx);
      fs.writeFileSync(this.fileOf(id, 'pdf'), pdf);
      return id;
    });
    return toBrief((await cockpitRepo.get(this.p.handle.db, SYSTEM_SCOPE, id))!);
  }

  async list(ctx: RequestCtx, campaignId: string) {
    return { items: (await cockpitRepo.list(this.p.handle.db, ctx.actor.scope, campaignId)).map(toBrief) };
  }

  visible(ctx: RequestCtx, id: string) {
    return cockpitRepo.get(this.p.handle.db, ctx.actor.scope, id);
  }

  /** The file of a brief the caller sees (the route audits the download). */
  async file(ctx: RequestCtx, id: string, format: 'docx' | 'pdf') {
    const b = await this.visible(ctx, id);
    if (!b || !fs.existsSync(this.fileOf(id, format))) throw notFound();
    return {
      data: fs.readFileSync(this.fileOf(id, format)),
      mime: format === 'pdf' ? 'application/pdf' : DOCX_MIME,
      name: t('brief.fileName', { day: b.day, ext: format }),
    };
  }

  /**
   * The scheduled run: from the set hour on, each issued campaign without today's internal brief
   * by its issuing org gets one, made as the system on behalf of that org.
   */
  async scheduled(now = new Date()): Promise<number> {
    if (localHour(now, this.p.config.tzDisplay) < briefHour()) return 0;
    const day = this.cockpit.today(now);
    let made = 0;
    for (const c of await this.campaigns.issued()) {
      const done = await cockpitRepo.sameDay(this.p.handle.db, SYSTEM_SCOPE, {
        campaignId: c.id,
        orgId: c.org_id,
        day,
        public: false,
      });
      if (done) continue;
      const actor = systemActor({ id: c.org_id, path: c.org_path, name: c.org_name }, 'brief');
      await this.generate({ actor, requestId: `brief-${day}`, ip: '127.0.0.1' }, { campaignId: c.id }, now);
      made++;
    }
    return made;
  }
}
