import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type EvidenceDocType,
  type EvidenceKind,
  type EvidenceSuggestion,
  type ItemOwner,
  type importRoundQuery,
  type ModelEvidence,
  type ModelRound,
  type Readiness,
  t,
  type tagEvidenceBody,
  type uploadEvidenceQuery,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { pathInSubtree, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import { acceptUpload, cleanFileName, type UploadRules } from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { PublicityService } from '../atmosphere/atmosphere.module.js';
import type { ActivitiesService } from '../troops/troops.module.js';
import { itemVersion } from './edit.js';
import { type EvidenceRow, modelcityRepo, type RoundRow } from './modelcity.repo.js';
import { toOwner } from './owners.js';
import { kindsOf, type ScoredStandard, scoreTable } from './readiness.js';
import type { EvidenceSource } from './sources.js';
import { parseTable, tableXlsx } from './table.js';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
const EVIDENCE_RULES: UploadRules = {
  maxBytes: MAX_EVIDENCE_BYTES,
  accept: ['pdf', 'jpeg', 'png', 'docx', 'xlsx'],
  tooLarge: () => new AppError(413, 'body_too_large', 'modelcity.fileTooLarge', { limit: '10 MB' }),
  type: () => new AppError(415, 'file_type', 'modelcity.fileType'),
};
/** Evidence listed per element on the readiness page and in the binder (the score counts all of it). */
export const LISTED_PER_ELEMENT = { page: 20, binder: 500, zip: 5000 } as const;

const toRound = (r: RoundRow): ModelRound => ({
  id: r.id,
  name: r.name,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  isExample: r.is_example === 1,
});

/**
 * 创建全国双拥模范城: the assessment table of a round, the evidence filed against its scoring
 * elements (uploads, and records of other modules tagged by a person), and the readiness score
 * computed from the evidence within the caller's scope.
 */
export class ModelCityService {
  readonly dir: string;

  constructor(
    private readonly p: Platform,
    private readonly publicity: PublicityService,
    private readonly troops: ActivitiesService,
    /** Records of other modules filed as evidence (sources.ts); registered in modelcity.module.ts. */
    private readonly sources: readonly EvidenceSource[] = [],
  ) {
    this.dir = path.join(p.config.dataDir, 'modelcity');
  }

  private get db() {
    return this.p.handle.db;
  }

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.bin`);
  }

  async rounds(): Promise<{ items: ModelRound[] }> {
    return { items: (await modelcityRepo.rounds(this.db)).map(toRound) };
  }

  /** The chosen round, or the one whose period ends last. */
  async round(roundId?: string): Promise<RoundRow> {
    const r = roundId ? await modelcityRepo.round(this.db, roundId) : (await modelcityRepo.rounds(this.db))[0];
    if (!r) throw new AppError(404, 'not_found', 'modelcity.roundNotFound');
    return r;
  }

  private toEvidence(actor: Actor, round: RoundRow, r: EvidenceRow): ModelEvidence {
    return {
      id: r.id,
      elementId: r.element_id,
      sourceKind: r.source_kind as EvidenceKind,
      sourceId: r.source_id,
      docType: r.doc_type as EvidenceDocType | null,
      title: r.title,
      date: r.evidence_date,
      orgId: r.org_id,
      orgName: r.org_name,
      fileName: r.file_name,
      stale: r.evidence_date < round.period_start,
      removable: actor.permissions.has('modelcity:write') && pathInSubtree(r.org_path, actor.orgPath),
      createdAt: r.created_at,
    };
  }

  /** The scored table within the caller's scope: what the readiness page, the binder and the xlsx show. */
  async scored(actor: Actor, roundId?: string, perElement: number = LISTED_PER_ELEMENT.page) {
    const round = await this.round(roundId);
    const [table, counts] = await Promise.all([
      modelcityRepo.table(this.db, round.id),
      modelcityRepo.counts(this.db, actor.scope, round.id, round.period_start),
    ]);
    // only elements that have evidence in the scope are asked for their list (none for a bare score)
    const withEvidence = perElement ? table.elements.filter((e) => counts.has(e.id)).map((e) => e.id) : [];
    const inScope = new Map([...counts].map(([id, c]) => [id, c.fresh + c.stale]));
    const evidence = await modelcityRepo.evidence(this.db, actor.scope, round.id, withEvidence, perElement, inScope);
    const scored = scoreTable(table, counts);
    const byElement = new Map<string, ModelEvidence[]>();
    for (const r of evidence)
      byElement.set(r.element_id, [...(byElement.get(r.element_id) ?? []), this.toEvidence(actor, round, r)]);
    return { round, table, scored, byElement };
  }

  /** The table of a round as the xlsx template (decisions/0046). */
  async tableXlsx(roundId?: string): Promise<{ round: RoundRow; data: Buffer }> {
    const round = await this.round(roundId);
    return { round, data: await tableXlsx(await modelcityRepo.table(this.db, round.id)) };
  }

  /**
   * A new round from the template (a province's detailed rules, the next 届): kept beside the
   * others; readiness, the binder and the trend name the round they are for.
   */
  async importRound(ctx: RequestCtx, q: z.infer<typeof importRoundQuery>, data: Buffer): Promise<ModelRound> {
    if (q.periodEnd < q.periodStart) throw badRequest('period', 'modelcity.table.badPeriod');
    const parsed = await parseTable(data);
    const id = uuidv7();
    const now = nowIso();
    const standards: Parameters<typeof modelcityRepo.insertTable>[1]['standards'] = [];
    const items: Parameters<typeof modelcityRepo.insertTable>[1]['items'] = [];
    const elements: Parameters<typeof modelcityRepo.insertTable>[1]['elements'] = [];
    for (const s of parsed.standards) {
      const sId = uuidv7();
      standards.push({ id: sId, round_id: id, seq: s.seq, title: s.title });
      for (const i of s.items) {
        const iId = uuidv7();
        items.push({
          id: iId,
          round_id: id,
          standard_id: sId,
          seq: i.seq,
          content: i.content,
          rule: i.rule,
          points: i.points,
        });
        for (const e of i.elements)
          elements.push({
            id: uuidv7(),
            round_id: id,
            item_id: iId,
            seq: e.seq,
            text: e.text,
            points: e.points,
            evidence_kinds: e.kinds.join(','),
            min_count: e.minCount,
          });
      }
    }
    await this.db.transaction().execute(async (trx) => {
      await modelcityRepo.insertTable(trx, {
        round: {
          id,
          name: q.name,
          period_start: q.periodStart,
          period_end: q.periodEnd,
          is_example: 0,
          created_at: now,
        },
        standards,
        items,
        elements,
        vetoes: parsed.vetoes.map((v) => ({ id: uuidv7(), round_id: id, seq: v.seq, text: v.text })),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'modelcity.round.import',
        entityType: 'modelcity_round',
        entityId: id,
        changes: { name: q.name, standards: standards.length, items: items.length, elements: elements.length },
      });
    });
    return toRound(await this.round(id));
  }

  /** The score of every round in the caller's scope, oldest first: the trend across rounds. */
  async trend(ctx: RequestCtx): Promise<{ items: { round: ModelRound; score: number; points: number }[] }> {
    const rounds = [...(await modelcityRepo.rounds(this.db))].reverse();
    const items = [];
    for (const r of rounds) {
      const { scored } = await this.scored(ctx.actor, r.id, 0);
      items.push({ round: toRound(r), score: scored.score, points: scored.points });
    }
    return { items };
  }

  /** Who answers for each item of a round (lead org and co-owners with the deadline; decisions/0046). */
  async ownersOf(roundId: string): Promise<Map<string, ItemOwner[]>> {
    const owners = new Map<string, ItemOwner[]>();
    for (const r of await modelcityRepo.owners(this.db, SYSTEM_SCOPE, roundId))
      owners.set(r.item_id, [...(owners.get(r.item_id) ?? []), toOwner(r)]);
    return owners;
  }

  async readiness(ctx: RequestCtx, roundId?: string): Promise<Readiness> {
    const { round, table, scored, byElement } = await this.scored(ctx.actor, roundId);
    const owners = await this.ownersOf(round.id);
    const standards = scored.standards.map((s: ScoredStandard) => ({
      id: s.row.id,
      code: s.code,
      title: s.row.title,
      points: s.points,
      score: s.score,
      items: s.items.map((i) => ({
        id: i.row.id,
        version: itemVersion(
          i.row,
          i.elements.map((e) => e.row),
        ),
        code: i.code,
        content: i.row.content,
        rule: i.row.rule,
        points: i.row.points,
        score: i.score,
        owners: owners.get(i.row.id) ?? [],
        elements: i.elements.map((e) => ({
          id: e.row.id,
          code: e.code,
          text: e.row.text,
          points: e.row.points,
          score: e.score,
          kinds: kindsOf(e.row),
          minCount: e.row.min_count,
          status: e.status,
          fresh: e.fresh,
          stale: e.stale,
          evidence: byElement.get(e.row.id) ?? [],
        })),
      })),
    }));
    const gaps = scored.standards.flatMap((s) =>
      s.items.flatMap((i) =>
        i.elements
          .filter((e) => e.status !== 'met')
          .map((e) => ({
            elementId: e.row.id,
            code: e.code,
            text: e.row.text,
            status: e.status as 'partly' | 'missing',
            staleOnly: e.fresh === 0 && e.stale > 0,
            points: e.row.points,
            missingPoints: e.row.points - e.score,
          })),
      ),
    );
    return {
      round: toRound(round),
      points: scored.points,
      score: scored.score,
      standards,
      vetoes: table.vetoes.map((v) => ({ id: v.id, seq: v.seq, text: v.text })),
      gaps,
      scopeName: ctx.actor.scope.kind === 'all' ? t('modelcity.scope.city') : ctx.actor.orgName,
      // the city edits the table (decisions/0041)
      canEditTable: ctx.actor.scope.kind === 'all' && ctx.actor.permissions.has('modelcity:write'),
    };
  }

  private async element(elementId: string, kind: EvidenceKind) {
    const el = await modelcityRepo.element(this.db, elementId);
    if (!el) throw new AppError(404, 'not_found', 'modelcity.elementNotFound');
    if (!kindsOf(el).includes(kind))
      throw badRequest('evidence_kind', 'modelcity.kindNotAccepted', { kind: t(`modelcity.kind.${kind}`) });
    return el;
  }

  /**
   * The record a tag names, as evidence sees it: its org (whose evidence it becomes), date and
   * title — through the owning module's service, within the caller's scope. A publicity item must
   * be published; a troops activity is filed for the area where it took place (the civilian view:
   * no military-only field is read).
   */
  private async source(ctx: RequestCtx, kind: z.infer<typeof tagEvidenceBody>['sourceKind'], id: string) {
    const scope = ctx.actor.scope;
    const gone = () => new AppError(404, 'not_found', 'modelcity.sourceNotFound');
    const registered = this.sources.find((s) => s.kind === kind);
    if (registered) {
      const r = await registered.resolve(ctx, id);
      const orgPath = r.orgPath ?? (await modelcityRepo.org(this.db, r.orgId))?.path;
      if (!orgPath || !scopeCovers(scope, { orgId: r.orgId, orgPath })) throw gone();
      return { ...r, orgPath };
    }
    if (kind !== 'publicity' && kind !== 'troops')
      throw badRequest('evidence_kind', 'modelcity.kindNotAccepted', { kind: t(`modelcity.kind.${kind}`) });
    if (kind === 'publicity') {
      const item = await this.publicity.visible(this.db, scope, id);
      if (!item || !scopeCovers(scope, { orgId: item.org_id, orgPath: item.org_path, ownerId: item.created_by }))
        throw gone();
      if (item.status !== 'published' || !item.published_on) throw conflict('not_published', 'modelcity.notPublished');
      return { id: item.id, orgId: item.org_id, orgPath: item.org_path, title: item.title, date: item.published_on };
    }
    const a = await this.troops.visible(this.db, scope, id);
    if (a?.status !== 'recorded') throw gone();
    return {
      id: a.id,
      orgId: a.place_org_id,
      orgPath: a.place_path,
      title: t('modelcity.troopsTitle', {
        type: a.type_label ?? t(`troops.type.${a.type}`),
        unit: a.org_name,
        place: a.place_org_name,
      }),
      date: a.occurred_on,
    };
  }

  /** Tags a record of another module to an element: it is filed as evidence of the record's org. */
  async tag(ctx: RequestCtx, body: z.infer<typeof tagEvidenceBody>): Promise<ModelEvidence> {
    const el = await this.element(body.elementId, body.sourceKind);
    const round = await this.round(el.round_id);
    const src = await this.source(ctx, body.sourceKind, body.sourceId);
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const dup = await modelcityRepo.taggedSources(trx, SYSTEM_SCOPE, round.id, body.sourceKind);
      if (dup.has(`${src.id}|${el.id}`)) throw conflict('already_tagged', 'modelcity.alreadyTagged');
      await modelcityRepo.insertEvidence(trx, {
        id,
        round_id: round.id,
        element_id: el.id,
        org_id: src.orgId,
        org_path: src.orgPath,
        source_kind: body.sourceKind,
        source_id: src.id,
        doc_type: null,
        title: src.title,
        evidence_date: src.date,
        file_name: null,
        content_type: null,
        size: null,
        sha256: null,
        created_by: ctx.actor.userId,
        created_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'modelcity.evidence.tag',
        entityType: 'modelcity_evidence',
        entityId: id,
        changes: { element: el.id, source_kind: body.sourceKind, source_id: src.id },
      });
    });
    return this.evidence(ctx, id);
  }

  /** A document (minutes, plan, voucher…) uploaded as evidence of the caller's org. */
  async upload(ctx: RequestCtx, q: z.infer<typeof uploadEvidenceQuery>, data: Buffer): Promise<ModelEvidence> {
    const file = acceptUpload(data, EVIDENCE_RULES);
    const el = await this.element(q.elementId, 'document');
    const id = uuidv7();
    const target = this.fileOf(id);
    try {
      await this.db.transaction().execute(async (trx) => {
        await modelcityRepo.insertEvidence(trx, {
          id,
          round_id: el.round_id,
          element_id: el.id,
          org_id: ctx.actor.orgId,
          org_path: ctx.actor.orgPath,
          source_kind: 'document',
          source_id: null,
          doc_type: q.docType,
          title: q.title,
          evidence_date: q.date,
          file_name: cleanFileName(q.fileName),
          content_type: file.mime,
          size: file.data.length,
          sha256: createHash('sha256').update(file.data).digest('hex'),
          created_by: ctx.actor.userId,
          created_at: nowIso(),
        });
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'modelcity.evidence.upload',
          entityType: 'modelcity_evidence',
          entityId: id,
          changes: { element: el.id, doc_type: q.docType, date: q.date, size: file.data.length },
        });
        fs.mkdirSync(this.dir, { recursive: true });
        fs.writeFileSync(target, file.data);
      });
    } catch (e) {
      fs.rmSync(target, { force: true });
      throw e;
    }
    return this.evidence(ctx, id);
  }

  async evidence(ctx: RequestCtx, id: string): Promise<ModelEvidence> {
    const r = await modelcityRepo.get(this.db, ctx.actor.scope, id);
    if (!r) throw notFound();
    return this.toEvidence(ctx.actor, await this.round(r.round_id), r);
  }

  visible(scope: Actor['scope'], id: string) {
    return modelcityRepo.get(this.db, scope, id);
  }

  /** Removes evidence filed by the caller's org or one below it (the reason is audited). */
  async remove(ctx: RequestCtx, id: string, reason: string): Promise<void> {
    const r = await modelcityRepo.get(this.db, ctx.actor.scope, id);
    if (!r) throw notFound();
    if (!pathInSubtree(r.org_path, ctx.actor.orgPath)) throw new AppError(403, 'forbidden', 'modelcity.notYours');
    await this.db.transaction().execute(async (trx) => {
      await modelcityRepo.deleteEvidence(trx, id);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'modelcity.evidence.remove',
        entityType: 'modelcity_evidence',
        entityId: id,
        changes: { element: r.element_id, source_kind: r.source_kind, reason },
      });
    });
    fs.rmSync(this.fileOf(id), { force: true });
  }

  /** The file of an uploaded document, if the caller sees the evidence. */
  /**
   * Where the stored files of some evidence (already read within a scope) lie, with their types:
   * the pieces that have a file on disk (the evidence zip).
   */
  async fileFacts(ids: readonly string[]): Promise<Map<string, { path: string; contentType: string | null }>> {
    const out = new Map<string, { path: string; contentType: string | null }>();
    for (let i = 0; i < ids.length; i += 500)
      for (const r of await modelcityRepo.fileTypes(this.db, SYSTEM_SCOPE, ids.slice(i, i + 500)))
        if (r.file_name && fs.existsSync(this.fileOf(r.id)))
          out.set(r.id, { path: this.fileOf(r.id), contentType: r.content_type });
    return out;
  }

  async file(ctx: RequestCtx, id: string) {
    const r = await modelcityRepo.get(this.db, ctx.actor.scope, id);
    if (!r?.file_name || !fs.existsSync(this.fileOf(id)))
      throw new AppError(404, 'not_found', 'modelcity.fileNotFound');
    return { row: r, file: this.fileOf(id) };
  }

  /**
   * Records that a rule says could prove an element and nobody has tagged yet, within the
   * caller's scope: published publicity items and troops activities of the period. The rule
   * (decisions/0041): the first element of the table whose first evidence kind is the record's
   * kind (宣传教育 for publicity, 拥政爱民 for activities), else the first that accepts it. A person
   * confirms each one (`tag`).
   */
  async suggestions(ctx: RequestCtx, roundId?: string): Promise<{ items: EvidenceSuggestion[] }> {
    const round = await this.round(roundId);
    const { standards, items, elements } = await modelcityRepo.table(this.db, round.id);
    const ordered: { el: (typeof elements)[number]; code: string }[] = [];
    for (const s of standards)
      for (const i of items.filter((x) => x.standard_id === s.id))
        for (const e of elements.filter((x) => x.item_id === i.id))
          ordered.push({ el: e, code: `${s.seq}.${i.seq}.${e.seq}` });
    const targetOf = (kind: EvidenceKind) =>
      ordered.find((o) => kindsOf(o.el)[0] === kind) ?? ordered.find((o) => kindsOf(o.el).includes(kind));
    const out: EvidenceSuggestion[] = [];
    const scope = ctx.actor.scope;

    const media = targetOf('publicity');
    if (media && ctx.actor.permissions.has('publicity:read')) {
      const tagged = await modelcityRepo.taggedSources(this.db, SYSTEM_SCOPE, round.id, 'publicity');
      const page = await this.publicity.page(ctx, { status: 'published', page: 1, pageSize: 200 });
      for (const p of page.items) {
        if (tagged.has(`${p.id}|${media.el.id}`)) continue;
        const row = await this.publicity.visible(this.db, scope, p.id);
        if (!row || !scopeCovers(scope, { orgId: row.org_id, orgPath: row.org_path, ownerId: row.created_by }))
          continue;
        out.push({
          sourceKind: 'publicity',
          sourceId: p.id,
          title: p.title,
          date: p.publishedOn,
          orgName: p.orgName,
          elementId: media.el.id,
          elementCode: media.code,
          elementText: media.el.text,
        });
      }
    }

    const help = targetOf('troops');
    if (help) {
      const tagged = await modelcityRepo.taggedSources(this.db, SYSTEM_SCOPE, round.id, 'troops');
      const acts = await this.troops.evidence(scope, { from: round.period_start, to: round.period_end, pageSize: 200 });
      for (const a of acts.items) {
        if (tagged.has(`${a.id}|${help.el.id}`)) continue;
        out.push({
          sourceKind: 'troops',
          sourceId: a.id,
          title: t('modelcity.troopsTitle', { type: a.typeLabel, unit: a.orgName, place: a.placeOrgName }),
          date: a.occurredOn,
          orgName: a.placeOrgName,
          elementId: help.el.id,
          elementCode: help.code,
          elementText: help.el.text,
        });
      }
    }

    for (const source of this.sources) {
      const target = targetOf(source.kind);
      if (!target || !ctx.actor.permissions.has(source.permission)) continue;
      const tagged = await modelcityRepo.taggedSources(this.db, SYSTEM_SCOPE, round.id, source.kind);
      const found = await source.candidates(ctx, { from: round.period_start, to: round.period_end }, 200);
      for (const c of found) {
        if (tagged.has(`${c.id}|${target.el.id}`)) continue;
        out.push({
          sourceKind: source.kind,
          sourceId: c.id,
          title: c.title,
          date: c.date,
          orgName: c.orgName,
          elementId: target.el.id,
          elementCode: target.code,
          elementText: target.el.text,
        });
      }
    }
    return { items: out };
  }
}
