import type { CheckRuleDto, ContentBlock, createCheckRuleBody, Finding, updateCheckRuleBody } from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { z } from 'zod';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { type ImageMetadata, imageMetadata } from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { atmosphereRepo, type RuleRow } from './atmosphere.repo.js';
import { type CheckCategory, Checker, type CheckRule, patternError, type TextFinding } from './checks/match.js';

/** The military side sees the military-only rules and edits the list (the 军分区's). */
export function seesMilitary(actor: Pick<Actor, 'orgSide'>): boolean {
  return actor.orgSide === 'military';
}

const toRule = (r: RuleRow): CheckRule => ({
  code: r.code,
  category: r.category as CheckCategory,
  kind: r.kind as CheckRule['kind'],
  value: r.value,
  severity: r.severity as CheckRule['severity'],
  label: r.label,
  militaryOnly: r.military_only === 1,
});

const toRuleDto = (r: RuleRow): CheckRuleDto => ({
  id: r.id,
  code: r.code,
  category: r.category as CheckRuleDto['category'],
  kind: r.kind as CheckRuleDto['kind'],
  value: r.value,
  severity: r.severity as CheckRuleDto['severity'],
  label: r.label,
  militaryOnly: r.military_only === 1,
  active: r.active === 1,
  version: r.version,
  updatedAt: r.updated_at,
});

/** What a photo contributes to the checks. */
export interface PhotoFacts {
  id: string;
  caption: string;
  gps: boolean;
  camera: string | null;
  showsServiceMembers: boolean;
}

/**
 * The automatic confidentiality checks (保密审查): the rule list (data, edited by the 军分区), the
 * compiled checker, and the findings of a piece of content in place. Every text that leaves the
 * platform for the public goes through `checkText` or `checkContent`.
 */
export class ConfidentialityChecks {
  private cached: { stamp: string; checker: Checker } | null = null;

  constructor(private readonly p: Platform) {}

  private get db() {
    return this.p.handle.db;
  }

  /** The checker of the current rule list (recompiled when the list changes). */
  async checker(db: Queryable = this.db): Promise<Checker> {
    const stamp = await atmosphereRepo.rulesStamp(db);
    if (this.cached?.stamp === stamp) return this.cached.checker;
    const rules = await atmosphereRepo.rules(db, { military: true, activeOnly: true });
    const checker = new Checker(rules.map(toRule));
    this.cached = { stamp, checker };
    return checker;
  }

  /** Findings in one text, as the caller may see them (the military list's rules stay unnamed for civilians). */
  async checkText(actor: Pick<Actor, 'orgSide'>, text: string): Promise<Finding[]> {
    const checker = await this.checker();
    return checker.check(text).map((f) => present(f, { where: 'text' }, seesMilitary(actor)));
  }

  /** The labels of the findings in `text` that must go before it may be shown, joined; null when none. */
  async blockingLabels(actor: Pick<Actor, 'orgSide'>, text: string): Promise<string | null> {
    const blocks = (await this.checkText(actor, text)).filter((f) => f.severity === 'block');
    return blocks.length ? [...new Set(blocks.map((f) => f.label))].join('、') : null;
  }

  /** Findings in a publicity item's content: title, every block of the body, and its photos. */
  async checkContent(
    military: boolean,
    c: { title: string; body: ContentBlock[]; photos: PhotoFacts[] },
    db: Queryable = this.db,
  ): Promise<Finding[]> {
    const checker = await this.checker(db);
    const out: Finding[] = checker.check(c.title).map((f) => present(f, { where: 'title' }, military));
    c.body.forEach((b, block) => {
      if (b.type === 'list')
        b.items.forEach((text, item) => {
          for (const f of checker.check(text)) out.push(present(f, { where: 'body', block, item }, military));
        });
      else for (const f of checker.check(b.text)) out.push(present(f, { where: 'body', block }, military));
    });
    for (const ph of c.photos) {
      for (const f of checker.check(ph.caption)) out.push(present(f, { where: 'photo', photoId: ph.id }, military));
      const image = (rule: string, severity: 'block' | 'review', label: string): Finding => ({
        rule,
        category: 'image',
        severity,
        label,
        where: 'photo',
        photoId: ph.id,
        start: 0,
        end: 0,
        match: '',
      });
      if (ph.gps) out.push(image('image.gps', 'block', t('atmosphere.finding.gps')));
      if (ph.camera) out.push(image('image.camera', 'review', t('atmosphere.finding.camera', { camera: ph.camera })));
      if (ph.showsServiceMembers)
        out.push(image('image.service_members', 'review', t('atmosphere.finding.serviceMembers')));
    }
    return out;
  }

  /**
   * What an original image carries (GPS, camera), read before the upload pipeline strips it: other
   * modules' photos (拥政爱民 activities) keep it for `checkContent`'s photo findings.
   */
  imageMetadata(data: Buffer): ImageMetadata {
    return imageMetadata(data);
  }

  async rules(ctx: RequestCtx): Promise<{ items: CheckRuleDto[] }> {
    const rows = await atmosphereRepo.rules(this.db, { military: seesMilitary(ctx.actor) });
    return { items: rows.map(toRuleDto) };
  }

  private mayEdit(ctx: RequestCtx) {
    if (!seesMilitary(ctx.actor)) throw forbidden('atmosphere.rulesMilitaryOnly');
  }

  async createRule(ctx: RequestCtx, body: z.infer<typeof createCheckRuleBody>): Promise<CheckRuleDto> {
    this.mayEdit(ctx);
    const reason = patternError(body.kind, body.value);
    if (reason) throw badRequest('invalid_pattern', 'atmosphere.rulePattern', { reason });
    return this.db.transaction().execute(async (trx) => {
      if (await atmosphereRepo.ruleByCode(trx, body.code))
        throw conflict('rule_exists', 'atmosphere.ruleExists', { code: body.code });
      const row = {
        id: uuidv7(),
        code: body.code,
        category: body.category,
        kind: body.kind,
        value: body.value,
        severity: body.severity,
        label: body.label,
        military_only: body.militaryOnly ? 1 : 0,
        active: 1,
        version: 1,
        updated_at: nowIso(),
      };
      await atmosphereRepo.insertRule(trx, row);
      // civilian auditors read the trail: a military-only rule's value is noted, never copied
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'atmosphere.rule.create',
        entityType: 'check_rule',
        entityId: row.id,
        changes: {
          code: [null, row.code],
          category: [null, row.category],
          military_only: [null, body.militaryOnly],
          ...(body.militaryOnly ? {} : { value: [null, row.value] }),
        },
      });
      return toRuleDto(row);
    });
  }

  async updateRule(ctx: RequestCtx, id: string, body: z.infer<typeof updateCheckRuleBody>): Promise<CheckRuleDto> {
    this.mayEdit(ctx);
    return this.db.transaction().execute(async (trx) => {
      const r = await atmosphereRepo.rule(trx, id);
      if (!r) throw notFound();
      if (body.value !== undefined) {
        if (r.kind === 'detector') throw badRequest('builtin_detector', 'atmosphere.ruleBuiltinKind');
        const reason = patternError(r.kind as CheckRule['kind'], body.value);
        if (reason) throw badRequest('invalid_pattern', 'atmosphere.rulePattern', { reason });
      }
      const set = {
        ...(body.value !== undefined ? { value: body.value } : {}),
        ...(body.severity ? { severity: body.severity } : {}),
        ...(body.label ? { label: body.label } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
        updated_at: nowIso(),
      };
      if (!(await atmosphereRepo.updateRule(trx, id, body.version, set))) throw versionConflict();
      const secret = r.military_only === 1;
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'atmosphere.rule.update',
        entityType: 'check_rule',
        entityId: id,
        changes: {
          ...(body.value !== undefined && !secret ? { value: [r.value, body.value] } : {}),
          ...(body.value !== undefined && secret ? { value_changed: true } : {}),
          ...(body.severity ? { severity: [r.severity, body.severity] } : {}),
          ...(body.active !== undefined ? { active: [r.active === 1, body.active] } : {}),
        },
      });
      const after = await atmosphereRepo.rule(trx, id);
      return toRuleDto(after!);
    });
  }
}

/** A finding as the caller may see it: a civilian learns that the military list matched, not which rule. */
function present(
  f: TextFinding,
  at: Pick<Finding, 'where' | 'block' | 'item' | 'photoId'>,
  military: boolean,
): Finding {
  const hidden = f.militaryOnly && !military;
  return {
    rule: hidden ? 'military_list' : f.rule,
    category: f.category,
    severity: f.severity,
    label: hidden ? t('atmosphere.militaryListLabel') : f.label,
    ...at,
    start: f.start,
    end: f.end,
    match: f.match,
  };
}
