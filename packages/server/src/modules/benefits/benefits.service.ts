import {
  BENEFIT_TYPES,
  type BenefitStandard,
  type BenefitStandardBody,
  benefitStandardBody,
  CATEGORY_CODES,
  CONFIRMATION_GRACE_MONTHS,
  type CONFIRMATION_METHODS,
  type ConfirmationBody,
  type DiscrepancyKind,
  fenToYuanText,
  maskIdNumber,
  matchCategory,
  monthsBetween,
  normalizeIdNumber,
  parseDisabilityCause,
  parseDisabilityGrade,
  periodMonths,
  type Roster,
  STANDARD_LAYERS,
  t,
  todayIso,
  yuanTextToFen,
} from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import { mayDecide, requesterOrgs } from '../../platform/access/approval-policy.js';
import { districtOf, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type AuditActor, SYSTEM_AUDIT_ACTOR } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import { deadlineFrom } from '../../platform/cases/deadlines.js';
import type { Platform } from '../../platform/context.js';
import { type Db, type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import {
  detectHeader,
  locateHeaderInBatches,
  type OpenedTableBatches,
  openTableBatches,
  readTableAll,
  type TableRow,
} from '../../platform/files/index.js';
import { render } from '../../platform/files/render-pool.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { BoundedMemo, ownString } from '../../platform/memo.js';
import { tick } from '../../platform/tick.js';
import type { HouseholdsReadModel, RegistryReadModel } from '../registry/registry.module.js';
import {
  type BackpayCause,
  type Basis,
  benefitsRepo,
  type ConfirmationRow,
  type RosterRow,
  type StandardRow,
} from './benefits.repo.js';
import type { BenefitDiscrepanciesTable } from './benefits.schema.js';
import { CARD_RENDER, type CardInput } from './card.js';
import { type Finding, judge, missing, type Registered, type ReturnLine, reconcileContext } from './reconcile.js';
import { ReturnLinesByPerson } from './return-lines.js';

/** What the benefits module needs of the registry (its exported services). */
export interface RegistryAccess {
  readModel: RegistryReadModel;
  households: Pick<HouseholdsReadModel, 'get' | 'members'>;
  idBlindIndex(idNumber: string): string;
  openIdNumbers(ids: readonly string[]): Promise<Map<string, string>>;
  registry: {
    detail(
      ctx: RequestCtx,
      id: string,
    ): Promise<{ id: string; name: string; idMasked: string; orgId: string; household: { id: string } | null }>;
  };
}

/**
 * The policy contacts printed on the 待遇明白卡: a setting (JSON `{ districtPath: text }`, '' for
 * the default), e.g. `{ "650200/650203/": "0990-6888888（工作日 9:30–19:30）" }`.
 */
export const CARD_CONTACTS_KEY = 'benefits.cardContacts';

/** Working days a district has to settle a discrepancy. */
const DISCREPANCY_WORKING_DAYS = 10;

/** What reconciliation tells the discrepancies' case machinery (decisions/0055): their owner hears of them. */
export interface DiscrepancyCasesHook {
  /** Inside the reconciliation's transaction: `count` new cases of the roster, owned by `ownerOrgId`. */
  opened(
    trx: Tx,
    roster: { id: string; period: string; orgName: string; ownerOrgId: string },
    count: number,
    deadline: string,
  ): Promise<void>;
  /** A late grade change opened `count` overpaid cases in a district (decisions/0065): its office hears once. */
  gradeOverpaidOpened(
    trx: Tx,
    district: { rosterId: string; orgId: string; period: string; count: number },
    deadline: string,
  ): Promise<void>;
  /** After the commit: sends the outbox. */
  afterCommit(): Promise<void>;
}
const MAX_RETURN_ROWS = 200_000;
/** Rows per statement and between turns of the event loop in the reconciliation job. */
const CHUNK = 500;
/** Milliseconds of work on the loop between turns in the reconciliation job (decisions/0054). */
const SLICE_MS = 8;
/**
 * Blind indexes of ID numbers kept between reconciliations (decisions/0061): twice this many at
 * most (BoundedMemo), and none once no file has been read for ID_INDEX_KEPT_MS.
 */
const ID_INDEX_MEMO = 200_000;
const ID_INDEX_KEPT_MS = 10 * 60_000;
/** New people of a return file per look-up on the readers. */
const LOOKUP_BATCH = 1000;
/** Roster groups per chunk of the reconciliation's stream of them (decisions/0075). */
const ROSTER_CHUNK = 2000;
/**
 * A line of a return file as the job holds it until the findings are known: what `judge` reads,
 * and the cells its other texts come from, made only for the lines kept (few) — every line of a
 * file is held, so nothing is made per line that is not needed (decisions/0061).
 */
class FileLine implements ReturnLine {
  constructor(
    readonly rowNumber: number,
    readonly idBi: string,
    readonly fen: number,
    readonly paid: boolean,
    /** The normalised ID number. */
    private readonly id: string,
    readonly name: string,
    /** The account cell as written. */
    private readonly accountCell: string,
  ) {}
  get idMasked() {
    return maskIdNumber(this.id);
  }
  /** The account number without spaces (sealed when the line is kept). */
  get account() {
    return this.accountCell.replace(/\s+/g, '') || null;
  }
}
/** The job kind of a return file's reconciliation. */
export const RECONCILE_KIND = 'benefit.reconcile';
/** The job kind of the back pay a retroactive standard produces (decisions/0052). */
export const BACKPAY_KIND = 'benefit.backpay';
/** The job kind of the back pay a late annual confirmation produces (decisions/0057). */
export const BACKPAY_CONFIRMATION_KIND = 'benefit.backpay.confirmation';
/** The job kind of the back pay a disability grade change recorded late produces (decisions/0056). */
export const BACKPAY_GRADE_KIND = 'benefit.backpay.grade';

/**
 * The causes of a back-pay job (its params): standards that start in months already paid, late
 * annual confirmations. A new cause (a grade recorded late) adds its ids here and its reach in
 * `backpayWork`, and a member to `BackpayCause`.
 */
export interface BackpayCauses {
  standardIds?: string[];
  confirmationIds?: string[];
  /** Disability grade changes recorded late (the registry's, decisions/0056). */
  gradeChangeIds?: string[];
}

const RETURN_HEADERS = {
  idNumber: ['身份证号', '身份证号码', '证件号码', '公民身份号码', '身份证', '证件号'],
  name: ['姓名', '户名', '收款人', '收款人姓名', '账户名称'],
  amount: ['金额', '发放金额', '实发金额', '代发金额', '金额（元）', '金额(元)', '实付金额', '交易金额'],
  status: ['状态', '结果', '发放结果', '处理结果', '代发结果', '交易状态', '备注'],
  account: ['账号', '卡号', '银行账号', '银行卡号', '收款账号'],
} as const;

const STANDARD_HEADERS = {
  benefitType: ['待遇类型', '待遇项目', '项目'],
  category: ['对象类别', '类别', '优抚对象类别'],
  grade: ['伤残等级', '等级', '残疾等级'],
  layer: ['标准层级', '层级'],
  amount: ['月标准（元）', '月标准(元)', '月标准', '金额（元）', '金额(元)', '金额'],
  validFrom: ['起始月份', '执行起始', '起始年月', '执行时间'],
  validTo: ['截止月份', '执行截止', '截止年月'],
  docNo: ['文号', '依据文号', '文件文号'],
  disabilityCause: ['伤残性质', '残疾性质', '性质'],
} as const;

/** 成功/已发放 → paid; 失败/退回/退票 → not paid; empty → paid when there is an amount. */
function paidStatus(cell: string | undefined): boolean {
  const s = (cell ?? '').replace(/\s+/g, '');
  if (/失败|退回|退票|不符|冻结|销户|未发/.test(s)) return false;
  return true;
}

const maskAccount = (a: string) => {
  const s = a.replace(/\s+/g, '');
  return s.length <= 4 ? '*'.repeat(s.length) : `${'*'.repeat(s.length - 4)}${s.slice(-4)}`;
};

/** The place an office serves, for a standard's region: '克拉玛依市退役军人事务局' → '克拉玛依市'. */
const placeOf = (orgName: string) =>
  orgName.replace(/(退役军人事务局|退役军人服务中心|退役军人服务站)$/, '') || orgName;

const isDistrictPath = (path: string) => path.split('/').filter(Boolean).length === 2;

function standardOut(r: StandardRow): BenefitStandard {
  return {
    id: r.id,
    benefitType: r.benefit_type as BenefitStandard['benefitType'],
    category: r.category as BenefitStandard['category'],
    gradeMin: r.grade_min,
    gradeMax: r.grade_max,
    disabilityCause: r.disability_cause as BenefitStandard['disabilityCause'],
    layer: r.layer as BenefitStandard['layer'],
    regionPath: r.region_path,
    amountFen: Number(r.amount_fen),
    validFrom: r.valid_from,
    validTo: r.valid_to,
    docNo: r.doc_no,
    note: r.note,
    createdAt: r.created_at,
    withdrawnAt: r.withdrawn_at,
  };
}

function confirmationOut(r: ConfirmationRow) {
  return {
    id: r.id,
    beneficiaryId: r.beneficiary_id,
    year: r.year,
    confirmedOn: r.confirmed_on,
    method: r.method as (typeof CONFIRMATION_METHODS)[number],
    note: r.note,
    createdAt: r.created_at,
  };
}

/**
 * 政策待遇落实到位: standards as data, what each person is owed per month (set-wise SQL over the
 * registry's read model), the district's monthly roster, its release (approval policy
 * `benefit.roster`), the bank file, and reconciliation of the bank's return file.
 */
export class BenefitsService {
  private readonly db: Db;
  /**
   * The ID numbers of the last return files read (a person is in one file a month), as written →
   * the blind index of the number normalised (decisions/0061; only the index: the normalised number
   * is made again for the few lines kept, decisions/0070).
   */
  private readonly idIndex = new BoundedMemo<string, string>(
    ID_INDEX_MEMO,
    (raw) => {
      // a number refused is not kept: one born "in the future" is accepted from that day on
      const n = normalizeIdNumber(raw, { today: this.idToday });
      return n.ok ? this.registry.idBlindIndex(n.value) : undefined;
    },
    // the cells are slices of the file's text: kept as they are, they would keep every file read
    ownString,
  );
  private idIndexExpiry: NodeJS.Timeout | undefined;
  /** The day ID numbers are checked against (birth dates after it are refused), set per file. */
  private idToday = todayIso();
  constructor(
    private readonly p: Platform,
    private readonly registry: RegistryAccess,
    private readonly jobs?: Jobs,
    private readonly cases?: DiscrepancyCasesHook,
  ) {
    this.db = p.handle.db;
  }

  basis(db: Queryable = this.db): Basis {
    return {
      categories: this.registry.readModel.entitledCategories(db, SYSTEM_SCOPE),
      transfers: this.registry.readModel.acceptedTransfers(db, SYSTEM_SCOPE),
      gradeChanges: this.registry.readModel.gradeChanges(db),
    };
  }

  // ---- the 明白卡's contacts (decisions/0057, 0065)
  /** The contact line of each district the caller may edit, and the city's default ('' path) for a city-wide caller. */
  async cardContacts(ctx: RequestCtx) {
    const all = (await this.p.settings.value<Record<string, string>>(this.db, CARD_CONTACTS_KEY)) ?? {};
    // the districts' veterans bureaus (the office a card names); the city's departments and the
    // military side hold no households
    const districts = (await benefitsRepo.districtOrgs(this.db, ctx.actor.scope)).filter(
      (o) => isDistrictPath(o.path) && o.type === 'veterans_bureau',
    );
    const items = [
      ...(ctx.actor.scope.kind === 'all' ? [{ path: '', name: t('benefits.cardContacts.default') }] : []),
      ...districts.map((o) => ({ path: o.path, name: o.name })),
    ];
    return { items: items.map((i) => ({ ...i, text: all[i.path] ?? '' })) };
  }

  /** Sets the contact lines of districts in the caller's scope (the city's default only city-wide); audited. */
  async setCardContacts(ctx: RequestCtx, contacts: Record<string, string>) {
    const allowed = new Set((await this.cardContacts(ctx)).items.map((i) => i.path));
    for (const path of Object.keys(contacts))
      if (!allowed.has(path)) throw badRequest('invalid_org', 'benefits.cardContacts.outOfScope');
    await this.db.transaction().execute(async (trx) => {
      const before = (await this.p.settings.value<Record<string, string>>(trx, CARD_CONTACTS_KEY)) ?? {};
      const after = { ...before };
      for (const [path, text] of Object.entries(contacts)) {
        const v = text.trim();
        if (v) after[path] = v;
        else delete after[path];
      }
      await this.p.settings.put(trx, CARD_CONTACTS_KEY, after);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'settings.update',
        entityType: 'settings',
        entityId: CARD_CONTACTS_KEY,
        changes: Object.fromEntries(
          Object.keys(contacts)
            .filter((k) => (before[k] ?? '') !== (after[k] ?? ''))
            .map((k) => [k || 'default', [before[k] ?? null, after[k] ?? null]]),
        ),
      });
    });
    return this.cardContacts(ctx);
  }

  // ---- standards
  async standards(f: { benefitType?: string; category?: string; includeWithdrawn?: string }) {
    const rows = await benefitsRepo.standards(this.db, SYSTEM_SCOPE, {
      ...f,
      includeWithdrawn: f.includeWithdrawn === '1',
    });
    return { items: rows.map(standardOut) };
  }

  /**
   * Records a standard (never edits one: a change is a new row with its own start) and, when it
   * starts in a month some district has already been paid for, queues the back pay it produces as
   * a job (`runBackpay`, decisions/0052): the standard is committed first, the caller polls the job.
   */
  async createStandard(ctx: RequestCtx, body: BenefitStandardBody) {
    const { row, job } = await this.db.transaction().execute(async (trx) => {
      const row = await this.insertStandard(trx, ctx, body);
      return { row, job: await this.queueBackpay(trx, ctx, { standardIds: [row.id] }) };
    });
    job?.start();
    return { standard: standardOut(row), backPayJobId: job?.id ?? null };
  }

  private async insertStandard(trx: Queryable, ctx: RequestCtx, body: BenefitStandardBody) {
    let regionPath = '';
    if (body.regionOrgId) {
      const org = await benefitsRepo.org(trx, body.regionOrgId);
      if (!org) throw badRequest('invalid_org', 'benefits.standard.region');
      regionPath = org.path;
    }
    const row: StandardRow = {
      id: uuidv7(),
      benefit_type: body.benefitType,
      category: body.category,
      grade_min: body.gradeMin ?? null,
      grade_max: body.gradeMax ?? null,
      disability_cause: body.disabilityCause ?? null,
      layer: body.layer,
      region_path: regionPath,
      amount_fen: body.amountFen,
      valid_from: body.validFrom,
      valid_to: body.validTo ?? null,
      doc_no: body.docNo,
      note: body.note ?? null,
      created_by: ctx.actor.userId,
      created_at: nowIso(),
      withdrawn_at: null,
    };
    await benefitsRepo.insertStandard(trx, row);
    await this.p.audit.append(trx as never, auditActorOf(ctx), {
      action: 'benefit.standard.create',
      entityType: 'benefit_standard',
      entityId: row.id,
      changes: { ...body },
    });
    return row;
  }

  /**
   * The district-months already paid that back-pay causes reach (the back-pay job's work): for a
   * standard, the months of its validity in its region; for a late confirmation, the months of its
   * year and the grace months of the next, in every district (the person may have moved).
   */
  private async backpayWork(db: Queryable, causes: BackpayCauses) {
    const out: {
      cause: BackpayCause;
      org_path: string;
      month: string;
      roster: { id: string; org_id: string; period: string };
    }[] = [];
    const reach = async (cause: BackpayCause, from: string, to: string | null, regionPath: string) => {
      for (const r of await benefitsRepo.paidRosters(db, SYSTEM_SCOPE, from, to, regionPath))
        for (const month of monthsBetween(r.period_from, r.period_to)) {
          if (month < from || (to && month > to)) continue;
          out.push({ cause, org_path: r.org_path, month, roster: { id: r.id, org_id: r.org_id, period: r.period } });
        }
    };
    for (const id of causes.standardIds ?? []) {
      const s = await benefitsRepo.standard(db, SYSTEM_SCOPE, id);
      if (!s || s.withdrawn_at) continue;
      await reach({ standardId: s.id, benefitType: s.benefit_type }, s.valid_from, s.valid_to, s.region_path);
    }
    for (const id of causes.confirmationIds ?? []) {
      const c = await benefitsRepo.confirmationById(db, SYSTEM_SCOPE, id);
      if (!c) continue;
      const to = `${c.year + 1}-${String(CONFIRMATION_GRACE_MONTHS).padStart(2, '0')}`;
      await reach({ confirmationId: c.id, personId: c.beneficiary_id }, `${c.year}-01`, to, '');
    }
    // a grade change: every month paid from its first month on, in every district (decisions/0056)
    for (const id of causes.gradeChangeIds ?? []) {
      const c = await this.registry.readModel.gradeChange(db, id);
      if (c) await reach({ gradeChangeId: c.id, personId: c.beneficiary_id }, c.from_month, null, '');
    }
    return out;
  }

  /**
   * Queues the back pay of causes being recorded in `trx` when they reach a month already paid:
   * the job row is inserted in the same transaction (decisions/0057) — it exists if and only if the
   * causes were committed. The caller starts it after the commit; null when nothing was paid yet.
   * Standards queue `benefit.backpay` (seen with benefit:standards), confirmations
   * `benefit.backpay.confirmation` (seen with benefit:pay, the district that records them).
   */
  async queueBackpay(trx: Queryable, ctx: RequestCtx, causes: BackpayCauses) {
    if ((await this.backpayWork(trx, causes)).length === 0) return null;
    if (!this.jobs) throw new Error('benefits: no job runner');
    const kind = causes.standardIds?.length
      ? BACKPAY_KIND
      : causes.gradeChangeIds?.length
        ? BACKPAY_GRADE_KIND
        : BACKPAY_CONFIRMATION_KIND;
    return this.jobs.enqueueIn(trx, ctx.actor, { id: ctx.actor.orgId, path: ctx.actor.orgPath }, kind, { ...causes });
  }

  /**
   * The back-pay job's work (decisions/0052, 0057), for any cause (`BackpayCauses`): per
   * district-month already paid, what is owed is read on the SQLite readers (decisions/0031; on
   * PostgreSQL the pool) and the lines are written in chunks, each statement committed on its own,
   * with a turn of the event loop and a progress report between. Run again (a crash, a resume) it
   * adds nothing twice: each month's statement owes only what is still unpaid after the back pay
   * already recorded, and a line's id is its cause, district, person, month and type. The result
   * counts every line of the causes (earlier runs included).
   */
  async runBackpay(causes: BackpayCauses, progress: (processed: number, total?: number) => Promise<void>) {
    const read = this.p.handle.reader;
    const work = await this.backpayWork(read, causes);
    await progress(0, work.length);
    const out = { lines: 0, owedFen: 0, months: work.length };
    // a grade change's job also reports the months it found overpaid (decisions/0065) and the back
    // pay not yet released it cut (this run's, decisions/0073)
    const over = { overpaidCases: 0, overpaidFen: 0, backpayCutFen: 0 };
    // the districts whose owner hears of new overpaid cases, once per run (decisions/0065)
    const told = new Map<string, { rosterId: string; orgId: string; period: string; count: number }>();
    const deadline = deadlineFrom(localToday(this.p.config.tzDisplay), DISCREPANCY_WORKING_DAYS);
    for (const [i, w] of work.entries()) {
      const at = { org_path: w.org_path, month: w.month };
      const rows = await benefitsRepo.backpayRows(read, SYSTEM_SCOPE, this.basis(read), at, w.cause, nowIso());
      await benefitsRepo.insertBackpay(this.db, rows);
      const added = await benefitsRepo.backpayOf(this.db, SYSTEM_SCOPE, at, w.cause);
      out.lines += added.lines;
      out.owedFen += added.fen;
      if ('gradeChangeId' in w.cause) {
        over.backpayCutFen += await this.cutPendingBackpay(w);
        const opened = await this.gradeOverpaid(w, deadline);
        if (opened) {
          const d = told.get(w.org_path) ?? {
            rosterId: w.roster.id,
            orgId: w.roster.org_id,
            period: w.month,
            count: 0,
          };
          d.count += 1;
          told.set(w.org_path, d);
        }
        const found = await benefitsRepo.gradeOverpaidOf(this.db, SYSTEM_SCOPE, at, w.cause.gradeChangeId);
        over.overpaidCases += found.cases;
        over.overpaidFen += found.fen;
      }
      await progress(i + 1, work.length);
      await tick();
    }
    if (told.size && this.cases) {
      await this.db.transaction().execute(async (trx) => {
        for (const d of told.values()) await this.cases!.gradeOverpaidOpened(trx, d, deadline);
      });
      await this.cases.afterCommit();
    }
    return causes.gradeChangeIds?.length ? { ...out, ...over } : out;
  }

  /**
   * A grade lowered late again (decisions/0073): the back pay of an earlier change (or any cause)
   * still owed on no released roster was never paid, so it is cut first — for each benefit type of
   * the person-month where released rosters and that back pay together exceed what is due now, the
   * back pay is brought down to what is due beyond the released rosters (newest line first, to
   * nothing if they paid it all), audited per person-month; what released rosters paid beyond what
   * is due is left to `gradeOverpaid`. A rerun cuts nothing more. Answers the fen cut.
   */
  private async cutPendingBackpay(w: { cause: BackpayCause; org_path: string; month: string }) {
    if (!('gradeChangeId' in w.cause)) return 0;
    const cause = w.cause;
    const read = this.p.handle.reader;
    const at = { org_path: w.org_path, month: w.month };
    const pendingOver = async (db: Queryable) =>
      (await benefitsRepo.paidDifferences(db, SYSTEM_SCOPE, this.basis(db), at, cause, 'overpaid')).filter(
        (r) => toNumber(r.pending_fen) > 0,
      );
    // most months have nothing to cut: looked for on the readers first
    if (!(await pendingOver(read)).length) return 0;
    return this.db.transaction().execute(async (trx) => {
      const cuts: { id: string; roster_id: string | null; from_fen: number; owed_fen: number; type: string }[] = [];
      // read again in the transaction: what is released and pending now (a roster may have moved on)
      for (const r of await pendingOver(trx)) {
        const lines = await benefitsRepo.pendingBackpay(trx, SYSTEM_SCOPE, cause.personId, w.month, r.benefit_type);
        const pending = lines.reduce((n, b) => n + toNumber(b.owed_fen), 0);
        let cut = pending - Math.max(0, toNumber(r.due_fen) - toNumber(r.released_fen));
        for (const b of lines) {
          if (cut <= 0) break;
          const owed = toNumber(b.owed_fen);
          const by = Math.min(owed, cut);
          cut -= by;
          cuts.push({ id: b.id, roster_id: b.roster_id, from_fen: owed, owed_fen: owed - by, type: r.benefit_type });
        }
      }
      if (!cuts.length) return 0;
      await benefitsRepo.cutBackpay(trx, SYSTEM_SCOPE, cuts, nowIso());
      await this.p.audit.append(trx, SYSTEM_AUDIT_ACTOR, {
        action: 'benefit.backpay.cut',
        entityType: 'beneficiary',
        entityId: cause.personId,
        changes: {
          grade_change_id: cause.gradeChangeId,
          month: w.month,
          lines: cuts.map((c) => ({
            id: c.id,
            benefit_type: c.type,
            roster_id: c.roster_id,
            owed_fen: [c.from_fen, c.owed_fen],
          })),
        },
      });
      return cuts.reduce((n, c) => n + c.from_fen - c.owed_fen, 0);
    });
  }

  /**
   * A grade lowered late (decisions/0065): the month the district paid more than is due now is a
   * discrepancy case of kind `grade_overpaid` on the roster that paid it, owned by its district
   * office, with the reconciliation's deadline; its id is the change, district, person and month,
   * so a rerun opens it once. True when a case was opened now.
   */
  private async gradeOverpaid(
    w: { cause: BackpayCause; org_path: string; month: string; roster: { id: string; org_id: string; period: string } },
    deadline: string,
  ) {
    if (!('gradeChangeId' in w.cause)) return false;
    const read = this.p.handle.reader;
    const at = { org_path: w.org_path, month: w.month };
    const over = await benefitsRepo.gradeOverpaid(read, SYSTEM_SCOPE, this.basis(read), at, w.cause);
    if (!over) return false;
    const p = await benefitsRepo.personName(read, this.basis(read), w.cause.personId);
    const now = nowIso();
    const res = await benefitsRepo.insertDiscrepancyOnce(
      this.db,
      openCase(
        { ...w.roster, org_path: w.org_path },
        {
          id: `${w.cause.gradeChangeId}:${w.org_path}:${w.cause.personId}:${w.month}`,
          kind: 'grade_overpaid',
          beneficiary_id: w.cause.personId,
          name: p?.name ?? '',
          id_masked: p?.id_masked ?? '',
          expected_fen: over.expected_fen,
          paid_fen: over.paid_fen,
          row_number: null,
          month: w.month,
          grade_change_id: w.cause.gradeChangeId,
        },
        deadline,
        now,
      ),
    );
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Standards from a spreadsheet (xlsx or CSV): every row valid, or nothing is recorded. */
  async importStandards(ctx: RequestCtx, buf: Buffer) {
    const rows = await readTableAll(buf, { maxRows: 2000 });
    const header = detectHeader(rows, STANDARD_HEADERS, { minMatches: 4 });
    if (header.missing.some((f) => f !== 'grade' && f !== 'validTo' && f !== 'layer' && f !== 'disabilityCause'))
      throw badRequest('bad_header', 'benefits.import.header', {
        missing: header.missing.map((f) => STANDARD_HEADERS[f][0]).join('、'),
      });
    const cell = (r: TableRow, f: keyof typeof STANDARD_HEADERS) => {
      const i = header.columns[f];
      return i === undefined ? '' : (r.cells[i] ?? '').trim();
    };
    const errors: { row: number; message: string }[] = [];
    const bodies: BenefitStandardBody[] = [];
    const typeByLabel = new Map<string, string>(BENEFIT_TYPES.map((x) => [t(`benefits.type.${x}`), x]));
    const layerByLabel = new Map<string, string>(STANDARD_LAYERS.map((x) => [t(`benefits.layer.${x}`), x]));
    const month = (s: string) => {
      const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})/.exec(s);
      return m ? `${m[1]}-${m[2]!.padStart(2, '0')}` : s;
    };
    for (const r of rows.slice(header.headerIndex + 1)) {
      const category = matchCategory(cell(r, 'category'))[0];
      const grades = cell(r, 'grade')
        .split(/[-—~～至到]/)
        .map((g) => parseDisabilityGrade(g.trim()))
        .filter((g): g is number => g !== null);
      const amount = yuanTextToFen(cell(r, 'amount'));
      const candidate = {
        benefitType: typeByLabel.get(cell(r, 'benefitType')) ?? cell(r, 'benefitType'),
        category: category ?? cell(r, 'category'),
        ...(grades.length ? { gradeMin: Math.min(...grades), gradeMax: Math.max(...grades) } : {}),
        ...(cell(r, 'disabilityCause')
          ? { disabilityCause: parseDisabilityCause(cell(r, 'disabilityCause')) ?? cell(r, 'disabilityCause') }
          : {}),
        layer: layerByLabel.get(cell(r, 'layer')) ?? (cell(r, 'layer') || 'city'),
        amountFen: amount ?? -1,
        validFrom: month(cell(r, 'validFrom')),
        ...(cell(r, 'validTo') ? { validTo: month(cell(r, 'validTo')) } : {}),
        docNo: cell(r, 'docNo'),
      };
      const parsed = benefitStandardBody.safeParse(candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        errors.push({ row: r.rowNumber, message: `${String(issue.path[0] ?? '')}: ${issue.message}` });
        continue;
      }
      if (!(CATEGORY_CODES as readonly string[]).includes(parsed.data.category)) continue;
      bodies.push(parsed.data);
    }
    if (errors.length || bodies.length === 0)
      return {
        created: 0,
        errors: errors.length ? errors : [{ row: 0, message: t('benefits.import.empty') }],
        backPayJobId: null,
      };
    const { created, job } = await this.db.transaction().execute(async (trx) => {
      const created: StandardRow[] = [];
      for (const b of bodies) created.push(await this.insertStandard(trx, ctx, b));
      return { created, job: await this.queueBackpay(trx, ctx, { standardIds: created.map((r) => r.id) }) };
    });
    job?.start();
    return { created: created.length, errors: [], backPayJobId: job?.id ?? null };
  }

  // ---- entitlement
  /** What a person is owed month by month, with the standards behind each amount. */
  async explain(ctx: RequestCtx, personId: string, from: string, to: string) {
    const person = await this.registry.registry.detail(ctx, personId);
    const months = monthsBetween(from, to);
    if (months.length > 36) throw badRequest('range_too_long', 'benefits.explain.range');
    const read = this.p.handle.reader;
    const basis = this.basis(read);
    const lines = [];
    for (const month of months) lines.push(...(await this.explainMonth(read, basis, personId, month)));
    return { beneficiaryId: person.id, name: person.name, lines, totalFen: lines.reduce((s, l) => s + l.amountFen, 0) };
  }

  /**
   * What a person is owed in a month, one line per benefit type with the standards behind it
   * (category, grade and 性质, start, layer, amount, 文号); `regions` names each standard's region
   * too (the 明白卡: "克拉玛依市城市标准").
   */
  private async explainMonth(
    read: Queryable,
    basis: Basis,
    personId: string,
    month: string,
    regions?: Map<string, string>,
  ) {
    // the person was read in scope; the standards that pay them are the city's and their district's
    const rows = await benefitsRepo.explainRows(read, SYSTEM_SCOPE, basis, personId, month);
    const byType = new Map<string, typeof rows>();
    for (const r of rows) byType.set(r.benefit_type, [...(byType.get(r.benefit_type) ?? []), r]);
    const lines: {
      month: string;
      benefitType: (typeof BENEFIT_TYPES)[number];
      amountFen: number;
      explanation: string;
    }[] = [];
    for (const [type, rs] of byType) {
      const amountFen = rs.reduce((s, r) => s + r.amount_fen, 0);
      const explanation = rs
        .map((r) =>
          t('benefits.explain.part', {
            category: t(`category.${r.code}`),
            grade:
              (r.disability_grade && r.change_grade_from != null && r.change_grade_from !== r.disability_grade
                ? t('benefits.explain.gradeChanged', { from: r.change_grade_from, to: r.disability_grade })
                : r.disability_grade
                  ? t('benefits.explain.grade', { grade: r.disability_grade })
                  : '') +
              (r.disability_cause
                ? t('benefits.explain.cause', { cause: t(`registry.disabilityCause.${r.disability_cause}`) })
                : '') +
              (r.change_effective_date
                ? t('benefits.explain.gradeSince', {
                    date: r.change_effective_date,
                    docNo: r.change_document_no ?? '',
                    month: r.change_from_month ?? '',
                  })
                : ''),
            from: r.valid_from,
            layer: (regions?.get(r.region_path) ?? '') + t(`benefits.layer.${r.layer}`),
            amount: fenToYuanText(r.amount_fen),
            docNo: r.doc_no,
          }),
        )
        .join('；');
      lines.push({ month, benefitType: type as (typeof BENEFIT_TYPES)[number], amountFen, explanation });
    }
    return lines;
  }

  /**
   * 待遇明白卡 of a person's household for a month (DOCX or PDF): the card is per household
   * (decisions/0057) — this is the entry point from a person's page. The download is audited by the route.
   */
  async card(ctx: RequestCtx, personId: string, month: string, format: 'docx' | 'pdf' = 'docx') {
    const person = await this.registry.registry.detail(ctx, personId);
    if (!person.household) throw notFound();
    return this.householdCard(ctx, person.household.id, month, format);
  }

  /**
   * 待遇明白卡 of a household for a month on one A4 page (decisions/0057): every active member owed
   * something that month, each benefit with its amount a month and why (category, grade and 性质,
   * standard, region, 文号), the household's total, whom to ask. Address and ID numbers masked. The
   * household must be in the caller's scope (404 otherwise); the route audits the download.
   */
  async householdCard(ctx: RequestCtx, householdId: string, month: string, format: 'docx' | 'pdf' = 'docx') {
    const household = await this.registry.households.get(this.db, ctx.actor.scope, householdId);
    if (!household) throw notFound();
    // members may be registered under another org than the household's: the household was read in scope
    const members = (await this.registry.households.members(this.db, SYSTEM_SCOPE, [household.id])).filter(
      (m) => m.status === 'active',
    );
    const read = this.p.handle.reader;
    const basis = this.basis(read);
    const regions = new Map(
      (await benefitsRepo.regionNames(read, SYSTEM_SCOPE)).map((r) => [r.path, placeOf(r.name)] as const),
    );
    const people: CardInput['people'] = [];
    for (const m of members) {
      const lines = await this.explainMonth(read, basis, m.id, month, regions);
      if (lines.length)
        people.push({
          name: m.name,
          idMasked: m.id_masked,
          lines,
          totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
        });
    }
    const district = await benefitsRepo.orgByPath(this.db, districtOf(household.org_path));
    const contacts = (await this.p.settings.value<Record<string, string>>(this.db, CARD_CONTACTS_KEY)) ?? {};
    const office = district?.name ?? household.org_name;
    const input: CardInput = {
      addressMasked: household.address_masked,
      month,
      people,
      totalFen: people.reduce((s, x) => s + x.totalFen, 0),
      contact: t('benefits.card.contact', {
        office: office,
        phone: contacts[district?.path ?? ''] ?? contacts[''] ?? t('benefits.card.contactNoPhone'),
      }),
      orgName: ctx.actor.orgName,
      today: localToday(this.p.config.tzDisplay),
    };
    const buf = await render(CARD_RENDER, { card: input, format });
    const name = people[0]?.name ?? members[0]?.name ?? '';
    return {
      buf,
      householdId: household.id,
      fileName: t('benefits.card.fileName', { name, month, ext: format }),
    };
  }

  /** A month's entitlement of a district or the whole city: count and sum (benchmarks, checks). */
  entitlementTotals(month: string, district?: string) {
    const read = this.p.handle.reader;
    return benefitsRepo.entitlementTotals(read, SYSTEM_SCOPE, this.basis(read), {
      month,
      ...(district ? { district } : {}),
    });
  }

  // ---- rosters
  private async rosterOut(ctx: RequestCtx, r: RosterRow): Promise<Roster> {
    const actor = ctx.actor;
    const perms = actor.permissions;
    const requester = r.requested_by ? (await requesterOrgs(this.db, [r.requested_by])).get(r.requested_by) : undefined;
    return {
      id: r.id,
      orgId: r.org_id,
      orgName: r.org_name,
      period: r.period,
      periodFrom: r.period_from,
      periodTo: r.period_to,
      status: r.status as Roster['status'],
      lineCount: r.line_count,
      totalFen: Number(r.total_fen),
      paidFen: r.paid_fen === null ? null : Number(r.paid_fen),
      returnFileName: r.return_file_name,
      openDiscrepancies: r.open_discrepancies,
      version: r.version,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      abilities: {
        regenerate: perms.has('benefit:pay') && r.status === 'draft',
        request: perms.has('benefit:pay') && r.status === 'draft',
        approve:
          perms.has('benefit:approve') &&
          r.status === 'pending' &&
          !!requester &&
          mayDecide('benefit.roster', actor, { requester }),
        export: perms.has('benefit:pay') && (r.status === 'released' || r.status === 'reconciled'),
        importReturn: perms.has('benefit:pay') && (r.status === 'released' || r.status === 'reconciled'),
      },
    };
  }

  async rosterPage(ctx: RequestCtx, q: { period?: string; status?: string; page: number; pageSize: number }) {
    const { items, total } = await benefitsRepo.rosterPage(
      this.db,
      ctx.actor.scope,
      { ...(q.period ? { period: q.period } : {}), ...(q.status ? { status: q.status } : {}) },
      q.page,
      q.pageSize,
    );
    return {
      items: await Promise.all(items.map((r) => this.rosterOut(ctx, r))),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private async rosterRow(ctx: RequestCtx, id: string, db: Queryable = this.db) {
    const r = await benefitsRepo.roster(db, ctx.actor.scope, id);
    if (!r) throw notFound();
    return r;
  }

  async roster(ctx: RequestCtx, id: string) {
    return this.rosterOut(ctx, await this.rosterRow(ctx, id));
  }

  async rosterLines(ctx: RequestCtx, id: string, page: number, pageSize: number) {
    await this.rosterRow(ctx, id);
    const [rows, total] = await Promise.all([
      benefitsRepo.rosterLines(this.db, SYSTEM_SCOPE, id, { page, size: pageSize }),
      benefitsRepo.rosterLineCount(this.db, SYSTEM_SCOPE, id),
    ]);
    const accounts = new Map(
      (await benefitsRepo.accounts(this.db, SYSTEM_SCOPE, [...new Set(rows.map((r) => r.beneficiary_id))])).map((a) => [
        a.beneficiary_id,
        a.account_masked,
      ]),
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        beneficiaryId: r.beneficiary_id,
        name: r.name,
        idMasked: r.id_masked,
        month: r.month,
        benefitType: r.benefit_type as (typeof BENEFIT_TYPES)[number],
        kind: r.kind as 'regular' | 'backpay',
        amountFen: Number(r.amount_fen),
        accountMasked: accounts.get(r.beneficiary_id) ?? null,
      })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * Builds (or, while still a draft, rebuilds) a district's roster for a month: the month's
   * entitlement and the back pay the district owes, in two INSERT … SELECT statements.
   */
  async createRoster(ctx: RequestCtx, body: { orgId?: string; period: string }) {
    const months = periodMonths(body.period);
    const actor = ctx.actor;
    const org = body.orgId
      ? await benefitsRepo.org(this.db, body.orgId)
      : await benefitsRepo.orgByPath(this.db, districtOf(actor.orgPath));
    if (!org || !scopeCovers(actor.scope, { orgId: org.id, orgPath: org.path })) throw notFound();
    if (!isDistrictPath(org.path)) throw badRequest('not_a_district', 'benefits.roster.notDistrict');
    // the scan runs on the readers (SQLite worker threads), before the transaction; the district was
    // checked in scope above, the standards paying it are read city-wide
    const read = this.p.handle.reader;
    const entitled = await benefitsRepo.districtEntitlement(read, SYSTEM_SCOPE, this.basis(read), org.path, months);
    const id = await this.db.transaction().execute(async (trx) => {
      const existing = await benefitsRepo.rosterFor(trx, SYSTEM_SCOPE, org.path, body.period);
      const other = await benefitsRepo.overlappingRoster(
        trx,
        SYSTEM_SCOPE,
        org.path,
        months[0]!,
        months.at(-1)!,
        body.period,
      );
      if (other) throw conflict('roster_overlap', 'benefits.roster.overlap', { period: other.period });
      const now = nowIso();
      let rosterId: string;
      if (existing) {
        if (existing.status !== 'draft') throw conflict('roster_not_draft', 'benefits.roster.notDraft');
        await benefitsRepo.clearRoster(trx, existing.id);
        rosterId = existing.id;
      } else {
        rosterId = uuidv7();
        await benefitsRepo.insertRoster(trx, {
          id: rosterId,
          org_id: org.id,
          org_path: org.path,
          period: body.period,
          period_from: months[0]!,
          period_to: months.at(-1)!,
          status: 'draft',
          line_count: 0,
          total_fen: 0,
          paid_fen: null,
          return_file_name: null,
          created_by: actor.userId,
          requested_by: null,
          requested_at: null,
          decided_by: null,
          decided_at: null,
          reconciled_at: null,
          returns_batch: null,
          version: 1,
          created_at: now,
          updated_at: now,
        });
      }
      const filled = await benefitsRepo.fillRoster(
        trx,
        SYSTEM_SCOPE,
        this.basis(trx),
        { id: rosterId, org_path: org.path },
        entitled,
      );
      await benefitsRepo.setTotals(
        trx,
        rosterId,
        { line_count: filled.lines, total_fen: filled.fen, updated_at: now },
        !!existing,
      );
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: existing ? 'benefit.roster.regenerate' : 'benefit.roster.create',
        entityType: 'benefit_roster',
        entityId: rosterId,
        changes: { period: body.period, org: org.name, lines: filled.lines, totalFen: filled.fen },
      });
      return rosterId;
    });
    return this.roster(ctx, id);
  }

  /** The district asks for release; someone above it (the city) decides (decisions/0012). */
  async requestRelease(ctx: RequestCtx, id: string, version: number) {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.rosterRow(ctx, id, trx);
      if (r.status !== 'draft') throw conflict('roster_not_draft', 'benefits.roster.notDraft');
      if (r.line_count === 0) throw conflict('roster_empty', 'benefits.roster.empty');
      const now = nowIso();
      const updated = await benefitsRepo.updateRoster(trx, id, version, {
        status: 'pending',
        requested_by: ctx.actor.userId,
        requested_at: now,
        updated_at: now,
      });
      if (!updated) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'benefit.roster.request',
        entityType: 'benefit_roster',
        entityId: id,
        changes: { status: ['draft', 'pending'] },
      });
    });
    return this.roster(ctx, id);
  }

  async decide(ctx: RequestCtx, id: string, body: { version: number; decision: 'approve' | 'return' }) {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.rosterRow(ctx, id, trx);
      if (r.status !== 'pending') throw conflict('roster_not_pending', 'benefits.roster.notPending');
      const requester = r.requested_by ? (await requesterOrgs(trx, [r.requested_by])).get(r.requested_by) : undefined;
      if (!requester || !mayDecide('benefit.roster', ctx.actor, { requester }))
        throw forbidden('benefits.roster.notDecider');
      const now = nowIso();
      const status = body.decision === 'approve' ? 'released' : 'draft';
      const updated = await benefitsRepo.updateRoster(trx, id, body.version, {
        status,
        decided_by: ctx.actor.userId,
        decided_at: now,
        updated_at: now,
      });
      if (!updated) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: `benefit.roster.${body.decision}`,
        entityType: 'benefit_roster',
        entityId: id,
        changes: { status: ['pending', status] },
      });
    });
    return this.roster(ctx, id);
  }

  /**
   * The bank list: one row per person (name, full ID number — the bank pays by it — amount in
   * yuan), a total row and signature lines. Audited before a row leaves the server.
   */
  async bankList(ctx: RequestCtx, id: string) {
    const r = await this.rosterRow(ctx, id);
    if (r.status !== 'released' && r.status !== 'reconciled')
      throw conflict('roster_not_released', 'benefits.roster.notReleased');
    const persons = await benefitsRepo.rosterPersons(this.db, SYSTEM_SCOPE, id);
    const accounts = new Map<string, { bank: string; account: string }>();
    for (let i = 0; i < persons.length; i += 500)
      for (const a of await benefitsRepo.accounts(
        this.db,
        SYSTEM_SCOPE,
        persons.slice(i, i + 500).map((x) => x.beneficiary_id),
      ))
        accounts.set(a.beneficiary_id, { bank: a.bank_name, account: a.account_enc });
    await this.p.audit.event(this.db, auditActorOf(ctx), {
      action: 'benefit.roster.export',
      entityType: 'benefit_roster',
      entityId: id,
      changes: {
        rows: persons.length,
        totalFen: Number(r.total_fen),
        revealed: accounts.size ? ['idNumber', 'accountNo'] : ['idNumber'],
      },
    });
    const ids = await this.registry.openIdNumbers(persons.map((x) => x.beneficiary_id));
    const rows: Record<string, unknown>[] = persons.map((x, i) => {
      const a = accounts.get(x.beneficiary_id);
      return {
        no: i + 1,
        name: x.name,
        idNumber: ids.get(x.beneficiary_id) ?? '',
        bank: a?.bank ?? '',
        account: a ? this.p.crypto.decrypt(a.account) : '',
        amount: fenToYuanText(x.fen),
        note: '',
      };
    });
    const total = persons.reduce((s, x) => s + x.fen, 0);
    rows.push({
      no: t('benefits.bank.total'),
      name: t('benefits.bank.people', { n: persons.length }),
      idNumber: '',
      amount: fenToYuanText(total),
      note: '',
    });
    rows.push({});
    rows.push({
      no: t('benefits.bank.preparedBy'),
      idNumber: t('benefits.bank.reviewedBy'),
      note: t('benefits.bank.approvedBy'),
    });
    return { roster: r, rows, title: t('benefits.bank.fileName', { org: r.org_name, period: r.period }) };
  }

  /**
   * Takes the bank's return file (xlsx or CSV in any encoding the platform reads) for a released
   * roster and queues its reconciliation as a job (`reconcileFile`); the caller polls the job.
   */
  async startReconcile(ctx: RequestCtx, id: string, buf: Buffer, fileName: string) {
    const r = await this.rosterRow(ctx, id);
    if (r.status !== 'released' && r.status !== 'reconciled')
      throw conflict('roster_not_released', 'benefits.roster.notReleased');
    if (!this.jobs) throw new Error('benefits: no job runner');
    return this.jobs.create(
      ctx.actor,
      { id: r.org_id, path: r.org_path },
      RECONCILE_KIND,
      { rosterId: id, fileName, actor: auditActorOf(ctx) },
      { name: fileName, data: buf },
    );
  }

  /**
   * Reconciles a return file with its roster (the job's work, decisions/0052, 0054). The file is
   * streamed and its lines held by person in memory, with a turn of the loop every few milliseconds
   * of work; the people are looked up on the SQLite readers (decisions/0031) meanwhile. Nothing is
   * written per line: the findings come from `judge` person by person, then only the lines of the
   * people with a finding are written as a new batch of `benefit_returns`, and one short transaction
   * puts the batch in force, replaces the roster's discrepancies and marks it reconciled. Rows of
   * other batches (the earlier import, a crashed run) are deleted after, in chunks. A file with bad
   * lines writes nothing.
   */
  async reconcileFile(
    rosterId: string,
    buf: Buffer,
    fileName: string,
    actor: AuditActor,
    progress: (done: number, total?: number) => Promise<void> = async () => {},
  ) {
    const r = await benefitsRepo.roster(this.db, SYSTEM_SCOPE, rosterId);
    if (!r) throw notFound();
    if (r.status !== 'released' && r.status !== 'reconciled')
      throw conflict('roster_not_released', 'benefits.roster.notReleased');
    const read = this.p.handle.reader;
    const basis = this.basis(read);
    const batch = uuidv7();
    // progress in per mille: reading the lines 0–800, the findings 800–900, writing them 900–1000
    const TOTAL = 1000;
    let fraction = 0;
    await progress(0, TOTAL);
    const opened = await openTableBatches(buf, {
      maxRows: MAX_RETURN_ROWS,
      onProgress: (p) => {
        fraction = p.fraction;
      },
    });
    const { header, dataBatches } = await locateHeaderInBatches(opened.batches, RETURN_HEADERS, { minMatches: 2 });
    if (header.columns.idNumber === undefined || header.columns.amount === undefined)
      throw badRequest('bad_header', 'benefits.import.header', { missing: '身份证号、金额' });
    const cell = (row: TableRow, f: keyof typeof RETURN_HEADERS) => {
      const i = header.columns[f];
      return i === undefined ? '' : (row.cells[i] ?? '');
    };
    const col = (row: TableRow, f: keyof typeof RETURN_HEADERS) => cell(row, f).trim();
    // the roster's side, on the readers (decisions/0031) while the main thread reads the file: its
    // persons, those of them whose register status matters, and those paid by another roster's file
    // in force — set-wise, three statements for the whole roster (decisions/0054); a job, and "paid
    // elsewhere" is about other districts' rosters: SYSTEM_SCOPE. One after the other: run at once
    // they kept up to three database threads or processes busy beside the event loop on two cores,
    // which then waited for a core. The roster's groups (blind index, amount, in the roster's order)
    // are streamed a chunk a turn (decisions/0075).
    const rosterBis: string[] = [];
    const rosterFen: number[] = [];
    const rosterSide = (async () => {
      for await (const x of benefitsRepo.rosterAmounts(read, SYSTEM_SCOPE, rosterId, ROSTER_CHUNK)) {
        rosterBis.push(x.id_bi);
        rosterFen.push(toNumber(x.fen));
      }
      const statuses = await benefitsRepo.rosterStatuses(
        read,
        SYSTEM_SCOPE,
        this.registry.readModel.personStatuses(read, SYSTEM_SCOPE),
        rosterId,
      );
      const others = await benefitsRepo.overlappingReconciled(read, SYSTEM_SCOPE, rosterId, r.period_from, r.period_to);
      return [statuses, await benefitsRepo.rosterPaidElsewhere(read, SYSTEM_SCOPE, rosterId, others)] as const;
    })();
    // awaited after the file; a bad file must not leave its failure unhandled meanwhile
    rosterSide.catch(() => {});
    // every line of the file by person (blind index), in file order, as numbers: nothing is written
    // per line (decisions/0054) and no text is held per line (decisions/0070); the cells of the lines
    // of the people with a finding are read again from the file once the findings are known
    const people = new ReturnLinesByPerson();
    let lineCount = 0;
    const errors: { row: number; message: string }[] = [];
    let slice = performance.now();
    /** A turn of the loop once the current slice of work is over SLICE_MS (DESIGN §5: no block > 50 ms). */
    const breathe = async () => {
      if (performance.now() - slice < SLICE_MS) return;
      await tick();
      slice = performance.now();
    };
    // the blind indexes of the people seen in the last files (each person is in a file a month)
    clearTimeout(this.idIndexExpiry);
    this.idToday = todayIso();
    try {
      for await (const rows of dataBatches)
        for (const row of rows) {
          const rawId = col(row, 'idNumber');
          if (!rawId || /合计|总计/.test(col(row, 'name')) || /合计|总计/.test(rawId)) continue;
          const bi = this.idIndex.get(rawId);
          const fen = yuanTextToFen(col(row, 'amount'));
          if (!bi || fen === null) {
            errors.push({
              row: row.rowNumber,
              message: t(bi ? 'benefits.import.amount' : 'benefits.import.idNumber'),
            });
            continue;
          }
          people.add(bi, row.rowNumber, fen, paidStatus(col(row, 'status')));
          lineCount++;
          if ((lineCount & 63) === 0 && performance.now() - slice >= SLICE_MS) {
            await progress(Math.round(fraction * 800), TOTAL);
            await breathe();
          }
        }
      if (errors.length)
        throw new AppError(400, 'invalid_return_file', 'benefits.import.rows', {
          count: errors.length,
          first: `${errors[0]!.row}：${errors[0]!.message}`,
        });
    } catch (e) {
      await Promise.allSettled([rosterSide]);
      await this.dropStaleReturns(rosterId, r.returns_batch);
      throw e;
    } finally {
      this.idIndexExpiry = setTimeout(() => this.idIndex.clear(), ID_INDEX_KEPT_MS).unref();
    }
    await progress(800, TOTAL);
    const [statuses, paidByOthers] = await rosterSide;
    // what the roster pays each person of the file (NaN: not on the roster), and the roster's people
    // absent from the file in the roster's order — the last group of a person, as before; their
    // names come from the roster once the findings are known (decisions/0070)
    const expectedFen = new Float64Array(people.persons).fill(Number.NaN);
    const absent = new Map<string, number>();
    for (let i = 0; i < rosterBis.length; i++) {
      const p = people.indexOf(rosterBis[i]!);
      if (p === undefined) absent.set(rosterBis[i]!, rosterFen[i]!);
      else expectedFen[p] = rosterFen[i]!;
      if ((i & 1023) === 1023) await breathe();
    }
    // of the roster's people only the status matters (the other rules are for people not on it)
    const registered = new Map<string, Registered>();
    for (const x of statuses)
      registered.set(x.id_bi, {
        id: x.id,
        districtPath: x.district_path,
        movedFromDistrict: false,
        status: x.status,
        statusDate: x.status_date,
      });
    const paidElsewhere = new Set(paidByOthers);
    await breathe();
    // the people of the file not on the roster (few, unless it is the wrong file), looked up by
    // blind index on the readers: who they are, who moved from the district, who was paid elsewhere
    const strangers = people.bis.filter((_, p) => Number.isNaN(expectedFen[p]));
    const lookUp = async (bis: string[]) => {
      const found = await this.registry.readModel.personsByBlindIndex(read, SYSTEM_SCOPE, bis);
      const moved = await benefitsRepo.movedFrom(
        read,
        basis,
        r.org_path,
        found.map((x) => x.id),
      );
      for (const x of found)
        registered.set(x.id_bi, {
          id: x.id,
          districtPath: x.district_path,
          movedFromDistrict: moved.has(x.id),
          status: x.status,
          statusDate: x.status_date,
        });
      const paid = await benefitsRepo.paidElsewhere(
        read,
        SYSTEM_SCOPE,
        rosterId,
        r.period_from,
        r.period_to,
        bis,
        found,
      );
      for (const bi of paid) paidElsewhere.add(bi);
    };
    for (let i = 0; i < strangers.length; i += LOOKUP_BATCH) {
      await lookUp(strangers.slice(i, i + LOOKUP_BATCH));
      await progress(800 + Math.round((50 * i) / strangers.length), TOTAL);
    }
    await breathe();
    // the findings, person by person (the rules of `reconcile`), with turns of the loop between
    const c = reconcileContext({ period: r.period_from, district: r.org_path, registered, paidElsewhere });
    const findings: Finding[] = [];
    /** Findings whose name and masked ID are their line's (a person not on the roster): filled from the file below. */
    const fromLine: Finding[] = [];
    /** Findings of roster persons (missing ones too): their id, name and masked ID filled from the roster below. */
    const fromRoster: { finding: Finding; bi: string }[] = [];
    const keptRows = new Set<number>();
    let paidFen = 0;
    for (let p = 0; p < people.persons; p++) {
      const bi = people.bis[p]!;
      const lines = people.linesOf(p);
      const fen = expectedFen[p]!;
      const exp = Number.isNaN(fen) ? undefined : { beneficiaryId: '', idBi: bi, name: '', idMasked: '', fen };
      const { finding, paid } = judge(c, bi, lines, exp);
      paidFen += paid;
      if (finding) {
        findings.push(finding);
        if (exp) fromRoster.push({ finding, bi });
        else fromLine.push(finding);
        for (const l of lines) keptRows.add(l.rowNumber);
      }
      if (((p + 1) & 255) === 0) await breathe();
    }
    for (const [bi, fen] of absent) {
      const finding = missing({ beneficiaryId: '', idBi: bi, name: '', idMasked: '', fen });
      findings.push(finding);
      fromRoster.push({ finding, bi });
    }
    await this.nameFromRoster(read, rosterId, fromRoster);
    const kept = keptRows.size ? await this.returnCells(opened, keptRows, breathe) : [];
    const byRow = new Map(kept.map((l) => [l.rowNumber, l]));
    for (const f of fromLine) {
      const l = byRow.get(f.rowNumber!)!;
      f.name = l.name;
      f.idMasked = l.idMasked;
    }
    // the lines of the people with a finding, as a new batch (not in force until the switch below)
    for (let i = 0; i < kept.length; i += CHUNK) {
      await benefitsRepo.insertReturns(
        this.p.handle,
        kept.slice(i, i + CHUNK).map((l) => ({
          id: uuidv7(),
          roster_id: rosterId,
          org_path: r.org_path,
          period: r.period,
          row_number: l.rowNumber,
          id_bi: l.idBi,
          id_masked: l.idMasked,
          name: l.name,
          amount_fen: l.fen,
          paid: l.paid ? 1 : 0,
          account_masked: l.account ? maskAccount(l.account) : null,
          account_enc: l.account ? this.p.crypto.encrypt(l.account) : null,
          batch_id: batch,
        })),
      );
      await tick();
    }
    await progress(900, TOTAL);
    const now = nowIso();
    const deadline = deadlineFrom(localToday(this.p.config.tzDisplay), DISCREPANCY_WORKING_DAYS);
    await this.db.transaction().execute(async (trx) => {
      await benefitsRepo.clearDiscrepancies(trx, rosterId);
      for (let i = 0; i < findings.length; i += CHUNK) {
        await benefitsRepo.insertDiscrepancies(
          trx,
          findings.slice(i, i + CHUNK).map((f) =>
            openCase(
              { id: rosterId, org_id: r.org_id, org_path: r.org_path, period: r.period },
              {
                id: uuidv7(),
                kind: f.kind,
                beneficiary_id: f.beneficiaryId,
                name: f.name,
                id_masked: f.idMasked,
                expected_fen: f.expectedFen,
                paid_fen: f.paidFen,
                row_number: f.rowNumber,
                month: null,
                grade_change_id: null,
              },
              deadline,
              now,
            ),
          ),
        );
        // no progress report in here: the job runner writes it on the connection this transaction holds
        await tick();
      }
      const updated = await benefitsRepo.updateRoster(trx, rosterId, r.version, {
        status: 'reconciled',
        paid_fen: paidFen,
        return_file_name: fileName,
        reconciled_at: now,
        returns_batch: batch,
        updated_at: now,
      });
      if (!updated) throw versionConflict();
      await this.p.audit.append(trx, actor, {
        action: 'benefit.roster.reconcile',
        entityType: 'benefit_roster',
        entityId: rosterId,
        changes: { fileName, lines: lineCount, paidFen, findings: findings.length },
      });
      if (findings.length)
        await this.cases?.opened(
          trx,
          { id: rosterId, period: r.period, orgName: r.org_name, ownerOrgId: r.org_id },
          findings.length,
          deadline,
        );
    });
    await this.cases?.afterCommit();
    await this.dropStaleReturns(rosterId, batch);
    await progress(TOTAL, TOTAL);
    const counts: Record<string, number> = {};
    for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    return { rosterId, returnLines: lineCount, paidFen, discrepancies: counts };
  }

  /**
   * Fills the person's id, name and masked ID of findings about roster persons from the roster
   * (rosterPersons of their blind indexes, a chunk per statement; the last group of a person, as the
   * roster's side read in full gives; decisions/0070).
   */
  private async nameFromRoster(read: Queryable, rosterId: string, named: readonly { finding: Finding; bi: string }[]) {
    const bis = [...new Set(named.map((x) => x.bi))];
    const persons = new Map<string, { beneficiary_id: string; name: string; id_masked: string }>();
    for (let i = 0; i < bis.length; i += CHUNK) {
      for (const x of await benefitsRepo.rosterPersons(read, SYSTEM_SCOPE, rosterId, bis.slice(i, i + CHUNK)))
        persons.set(x.id_bi, x);
      await tick();
    }
    for (const { finding, bi } of named) {
      const x = persons.get(bi);
      if (!x) throw new Error('reconciliation: a roster person is gone from the roster');
      finding.beneficiaryId = x.beneficiary_id;
      finding.name = x.name;
      finding.idMasked = x.id_masked;
    }
  }

  /**
   * The lines of a return file at `rows` (row numbers), read again from the file with their cells
   * (decisions/0070): the reconciliation holds only numbers per line while it reads, and needs the
   * name, ID and account of the few lines it keeps. Read as the first pass reads them (a CSV's text
   * as the first pass decoded it); stops after the last row asked for.
   */
  private async returnCells(
    first: OpenedTableBatches,
    rows: ReadonlySet<number>,
    breathe: () => Promise<void>,
  ): Promise<FileLine[]> {
    let last = 0;
    for (const n of rows) if (n > last) last = n;
    const { batches } = await first.again({ maxRows: MAX_RETURN_ROWS });
    const { header, dataBatches } = await locateHeaderInBatches(batches, RETURN_HEADERS, { minMatches: 2 });
    const cell = (row: TableRow, f: keyof typeof RETURN_HEADERS) => {
      const i = header.columns[f];
      return i === undefined ? '' : (row.cells[i] ?? '');
    };
    const col = (row: TableRow, f: keyof typeof RETURN_HEADERS) => cell(row, f).trim();
    const out: FileLine[] = [];
    read: for await (const batch of dataBatches) {
      for (const row of batch) {
        if (row.rowNumber > last) break read;
        if (!rows.has(row.rowNumber)) continue;
        const rawId = col(row, 'idNumber');
        const bi = this.idIndex.get(rawId);
        const id = normalizeIdNumber(rawId, { today: this.idToday });
        const fen = yuanTextToFen(col(row, 'amount'));
        if (!bi || !id.ok || fen === null)
          throw new Error(`return file: row ${row.rowNumber} read differently the second time`);
        out.push(
          new FileLine(
            row.rowNumber,
            bi,
            fen,
            paidStatus(col(row, 'status')),
            ownString(id.value),
            ownString(col(row, 'name')),
            ownString(cell(row, 'account')),
          ),
        );
      }
      await breathe();
    }
    if (out.length !== rows.size) throw new Error('return file: rows missing the second time');
    return out.sort((a, b) => a.rowNumber - b.rowNumber);
  }

  /** Deletes the roster's return rows of batches other than `keep`, a chunk per statement with a turn of the loop between. */
  private async dropStaleReturns(rosterId: string, keep: string | null) {
    while ((await benefitsRepo.deleteStaleReturns(this.db, SYSTEM_SCOPE, rosterId, keep, CHUNK * 4)) > 0) await tick();
  }

  // ---- annual confirmation (年度确认)
  /**
   * Records a person's confirmation for a year (once a year). Months of that year (and the grace
   * months of the next) that released rosters left out for want of it are owed again: the back pay
   * goes on each paying district's next roster.
   */
  async recordConfirmation(ctx: RequestCtx, body: ConfirmationBody) {
    const person = await this.registry.registry.detail(ctx, body.beneficiaryId);
    const org = await benefitsRepo.org(this.db, person.orgId);
    if (!org) throw notFound();
    const { row, job } = await this.db.transaction().execute(async (trx) => {
      if (await benefitsRepo.confirmation(trx, SYSTEM_SCOPE, person.id, body.year))
        throw conflict('confirmation_exists', 'benefits.confirmation.exists', { year: body.year });
      const row = {
        id: uuidv7(),
        beneficiary_id: person.id,
        org_id: org.id,
        org_path: org.path,
        year: body.year,
        confirmed_on: body.confirmedOn,
        method: body.method,
        note: body.note ?? null,
        created_by: ctx.actor.userId,
        created_at: nowIso(),
      };
      await benefitsRepo.insertConfirmation(trx, row);
      // the back pay of months already paid without the person: a job queued in this transaction
      const job = await this.queueBackpay(trx, ctx, { confirmationIds: [row.id] });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'benefit.confirmation.create',
        entityType: 'benefit_confirmation',
        entityId: row.id,
        changes: {
          beneficiaryId: person.id,
          year: body.year,
          confirmedOn: body.confirmedOn,
          method: body.method,
          ...(job ? { backPayJobId: job.id } : {}),
        },
      });
      return { row, job };
    });
    job?.start();
    return { confirmation: confirmationOut(row), backPayJobId: job?.id ?? null };
  }

  async confirmations(ctx: RequestCtx, q: { year?: number; beneficiaryId?: string }) {
    return { items: (await benefitsRepo.confirmations(this.db, ctx.actor.scope, q)).map(confirmationOut) };
  }

  /** People of a district (or the caller's) owed something in `month` but for the annual confirmation. */
  async unconfirmed(ctx: RequestCtx, q: { month: string; orgId?: string }) {
    const org = q.orgId
      ? await benefitsRepo.org(this.db, q.orgId)
      : await benefitsRepo.orgByPath(this.db, districtOf(ctx.actor.orgPath));
    if (!org || !scopeCovers(ctx.actor.scope, { orgId: org.id, orgPath: org.path })) throw notFound();
    // the district was checked in scope above, the standards paying it are read city-wide
    const rows = await benefitsRepo.unconfirmed(this.db, SYSTEM_SCOPE, this.basis(), q.month, org.path);
    return {
      month: q.month,
      items: rows.map((r) => ({ beneficiaryId: r.person_id, name: r.name, idMasked: r.id_masked })),
    };
  }

  // ---- bank accounts
  async account(ctx: RequestCtx, beneficiaryId: string) {
    const person = await this.registry.registry.detail(ctx, beneficiaryId);
    const a = await benefitsRepo.account(this.db, SYSTEM_SCOPE, person.id);
    const perms = ctx.actor.permissions;
    return {
      account: a
        ? {
            beneficiaryId: a.beneficiary_id,
            bankName: a.bank_name,
            accountMasked: a.account_masked,
            updatedAt: a.updated_at,
          }
        : null,
      abilities: { save: perms.has('benefit:pay'), reveal: !!a && perms.has('beneficiary:reveal') },
    };
  }

  /** The account number in full: needs beneficiary:reveal and a reason; always audited. */
  async revealAccount(ctx: RequestCtx, beneficiaryId: string, reason: string) {
    const person = await this.registry.registry.detail(ctx, beneficiaryId);
    return this.db.transaction().execute(async (trx) => {
      const a = await benefitsRepo.account(trx, SYSTEM_SCOPE, person.id);
      if (!a) throw notFound();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'benefit.account.reveal',
        entityType: 'beneficiary',
        entityId: person.id,
        changes: { reason, revealed: ['accountNo'] },
      });
      return { bankName: a.bank_name, accountNo: this.p.crypto.decrypt(a.account_enc) };
    });
  }

  /** Records the account a person is paid into: sealed like the ID number, masked for lists, audited. */
  async saveAccount(ctx: RequestCtx, beneficiaryId: string, body: { bankName: string; accountNo: string }) {
    const person = await this.registry.registry.detail(ctx, beneficiaryId);
    const org = await benefitsRepo.org(this.db, person.orgId);
    if (!org) throw notFound();
    await this.db.transaction().execute(async (trx) => {
      const before = await benefitsRepo.account(trx, SYSTEM_SCOPE, person.id);
      const row = {
        id: before?.id ?? uuidv7(),
        beneficiary_id: person.id,
        org_id: org.id,
        org_path: org.path,
        bank_name: body.bankName,
        account_enc: this.p.crypto.encrypt(body.accountNo),
        account_masked: maskAccount(body.accountNo),
        updated_by: ctx.actor.userId,
        updated_at: nowIso(),
      };
      await benefitsRepo.saveAccount(trx, row);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'benefit.account.save',
        entityType: 'beneficiary',
        entityId: person.id,
        changes: {
          bankName: before ? [before.bank_name, row.bank_name] : row.bank_name,
          accountNo: before ? [before.account_masked, row.account_masked] : row.account_masked,
        },
      });
    });
    return this.account(ctx, beneficiaryId);
  }

  /** Per district and month: the rosters' amounts and discrepancies, and the discrepancies per kind. */
  async totals(ctx: RequestCtx, from: string, to: string) {
    const [rows, kinds] = await Promise.all([
      benefitsRepo.totals(this.db, ctx.actor.scope, from, to),
      benefitsRepo.totalsByKind(this.db, ctx.actor.scope, from, to, localToday(this.p.config.tzDisplay)),
    ]);
    return {
      items: rows.map((r) => ({
        orgName: r.org_name,
        period: r.period,
        status: r.status as Roster['status'],
        totalFen: r.total_fen,
        paidFen: r.paid_fen,
        openDiscrepancies: r.open_n,
        closedDiscrepancies: r.closed_n,
      })),
      byKind: kinds.map((k) => ({
        orgName: k.org_name,
        period: k.period,
        kind: k.kind as DiscrepancyKind,
        open: k.open_n,
        overdue: k.overdue_n,
        closed: k.closed_n,
      })),
    };
  }

  /** Is the roster inside the scope? (the pipeline's target resolver) */
  async rosterVisible(scope: Parameters<typeof benefitsRepo.roster>[1], id: string) {
    return !!(await benefitsRepo.roster(this.db, scope, id));
  }
  async standardExists(id: string) {
    return !!(await benefitsRepo.standard(this.db, SYSTEM_SCOPE, id));
  }
}

type NewDiscrepancy = Selectable<BenefitDiscrepanciesTable>;

/**
 * A discrepancy as it opens: a case of the roster's district office (decisions/0055), due
 * `deadline`, nobody assigned by name yet.
 */
function openCase(
  roster: { id: string; org_id: string; org_path: string; period: string },
  what: Pick<
    NewDiscrepancy,
    | 'id'
    | 'kind'
    | 'beneficiary_id'
    | 'name'
    | 'id_masked'
    | 'expected_fen'
    | 'paid_fen'
    | 'row_number'
    | 'month'
    | 'grade_change_id'
  >,
  deadline: string,
  now: string,
): NewDiscrepancy {
  return {
    ...what,
    roster_id: roster.id,
    org_id: roster.org_id,
    org_path: roster.org_path,
    period: roster.period,
    status: 'open',
    deadline,
    resolution: null,
    resolution_note: null,
    closed_by: null,
    closed_at: null,
    version: 1,
    created_at: now,
    owner_org_id: roster.org_id,
    owner_user_id: null,
    assigned_at: now,
    escalated_at: null,
    reminded_at: null,
  };
}
