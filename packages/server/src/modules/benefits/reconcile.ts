import { type DiscrepancyKind, nextMonth } from '@shuangyong/shared';

/** What the roster pays one person in the period (all lines summed). */
export interface Expected {
  beneficiaryId: string;
  idBi: string;
  name: string;
  idMasked: string;
  fen: number;
}

/** One line of the bank's return file. */
export interface ReturnLine {
  rowNumber: number;
  idBi: string;
  name: string;
  idMasked: string;
  fen: number;
  paid: boolean;
}

/** A person of the register as it is now (for lines the roster did not expect). */
export interface Registered {
  id: string;
  districtPath: string;
  /** Moved away from the roster's district by an accepted transfer. */
  movedFromDistrict: boolean;
  status: string;
  statusDate: string | null;
}

export interface Finding {
  kind: DiscrepancyKind;
  beneficiaryId: string | null;
  name: string;
  idMasked: string;
  expectedFen: number;
  paidFen: number;
  rowNumber: number | null;
}

export interface ReconcileContext {
  /** The roster's (first) month. */
  period: string;
  district: string;
  registered: ReadonlyMap<string, Registered>;
  paidElsewhere: ReadonlySet<string>;
}

/** The month bounds `judge` compares status dates with, computed once per file. */
export function reconcileContext(c: ReconcileContext) {
  return { ...c, monthStart: `${c.period}-01`, nextStart: `${nextMonth(c.period)}-01` };
}

/**
 * The finding (or none) of one person of the file: `lines` are all their lines in file order,
 * `exp` what the roster pays them (undefined when not on the roster). Pure; the rules of `reconcile`.
 */
export function judge(
  c: ReturnType<typeof reconcileContext>,
  bi: string,
  lines: readonly ReturnLine[],
  exp: Expected | undefined,
): { finding: Finding | null; paid: number } {
  let paid = 0;
  let paidCount = 0;
  let secondPaid: ReturnLine | undefined;
  for (const l of lines)
    if (l.paid) {
      paid += l.fen;
      if (++paidCount === 2) secondPaid = l;
    }
  const reg = c.registered.get(bi);
  const first = lines[0]!;
  const finding = (kind: DiscrepancyKind, row = first): { finding: Finding; paid: number } => ({
    finding: {
      kind,
      beneficiaryId: exp?.beneficiaryId ?? reg?.id ?? null,
      name: exp?.name ?? row.name,
      idMasked: exp?.idMasked ?? row.idMasked,
      expectedFen: exp?.fen ?? 0,
      paidFen: paid,
      rowNumber: row.rowNumber,
    },
    paid,
  });
  const none = { finding: null, paid };
  if (!exp && !reg) return paid > 0 ? finding('unknown_id') : none;
  if (secondPaid) return finding('duplicate_line', secondPaid);
  const dead = reg && (reg.status === 'deceased' || reg.status === 'moved_out');
  if (paid > 0 && dead && reg.statusDate !== null && reg.statusDate < c.monthStart) return finding('paid_after_death');
  // suspended before the month was over: the month is not owed (the entitlement's month rule)
  if (paid > 0 && reg?.status === 'suspended' && (reg.statusDate === null || reg.statusDate < c.nextStart))
    return finding('paid_while_suspended');
  if (paid > 0 && !exp && reg?.movedFromDistrict && reg.districtPath !== c.district)
    return finding('paid_after_transfer');
  if (paid > 0 && c.paidElsewhere.has(bi)) return finding('duplicate_district');
  if (!exp) return paid > 0 ? finding('not_entitled') : none;
  if (paidCount === 0) return finding('failed');
  if (paid < exp.fen) return finding('underpaid');
  if (paid > exp.fen) return finding('overpaid');
  return none;
}

/** A roster person absent from the file. */
export function missing(e: Expected): Finding {
  return {
    kind: 'missing',
    beneficiaryId: e.beneficiaryId,
    name: e.name,
    idMasked: e.idMasked,
    expectedFen: e.fen,
    paidFen: 0,
    rowNumber: null,
  };
}

/**
 * Compares a district's roster for `period` with the bank's return file, person by person
 * (decisions/0040), all in memory (the job walks the same rules person by person with `judge`,
 * decisions/0054). Each person yields at most one finding, the first that applies:
 * a paid line of someone the register does not know (unknown_id); paid twice in the file
 * (duplicate_line); paid although dead before the month (paid_after_death); paid although
 * suspended before the month's end (paid_while_suspended); paid although moved from this district
 * to another (paid_after_transfer); also paid for the same month by another roster's file — another
 * district's, monthly or quarterly (duplicate_district); otherwise not on the roster (not_entitled); a failed payment (failed);
 * less or more than the roster (underpaid, overpaid). Roster persons absent from the file are
 * `missing`.
 */
export function reconcile(input: {
  period: string;
  district: string;
  expected: readonly Expected[];
  lines: readonly ReturnLine[];
  registered: ReadonlyMap<string, Registered>;
  paidElsewhere: ReadonlySet<string>;
}): { findings: Finding[]; paidFen: number } {
  const c = reconcileContext(input);
  const byBi = new Map<string, ReturnLine[]>();
  for (const l of input.lines) {
    const same = byBi.get(l.idBi);
    if (same) same.push(l);
    else byBi.set(l.idBi, [l]);
  }
  const expected = new Map(input.expected.map((e) => [e.idBi, e]));
  const findings: Finding[] = [];
  let paidFen = 0;
  for (const [bi, lines] of byBi) {
    const { finding, paid } = judge(c, bi, lines, expected.get(bi));
    paidFen += paid;
    if (finding) findings.push(finding);
  }
  for (const e of input.expected) if (!byBi.has(e.idBi)) findings.push(missing(e));
  return { findings, paidFen };
}
