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

/**
 * Compares a district's roster for `period` with the bank's return file, person by person
 * (decisions/0040). Each person yields at most one finding, the first that applies:
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
  const monthStart = `${input.period}-01`;
  const nextStart = `${nextMonth(input.period)}-01`;
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
    const paidLines = lines.filter((l) => l.paid);
    const paid = paidLines.reduce((s, l) => s + l.fen, 0);
    paidFen += paid;
    const exp = expected.get(bi);
    const reg = input.registered.get(bi);
    const first = lines[0]!;
    const finding = (kind: DiscrepancyKind, row = first): Finding => ({
      kind,
      beneficiaryId: exp?.beneficiaryId ?? reg?.id ?? null,
      name: exp?.name ?? row.name,
      idMasked: exp?.idMasked ?? row.idMasked,
      expectedFen: exp?.fen ?? 0,
      paidFen: paid,
      rowNumber: row.rowNumber,
    });
    if (!exp && !reg) {
      if (paid > 0) findings.push(finding('unknown_id'));
      continue;
    }
    if (paidLines.length > 1) {
      findings.push(finding('duplicate_line', paidLines[1]));
      continue;
    }
    const dead = reg && (reg.status === 'deceased' || reg.status === 'moved_out');
    if (paid > 0 && dead && reg.statusDate !== null && reg.statusDate < monthStart) {
      findings.push(finding('paid_after_death'));
      continue;
    }
    // suspended before the month was over: the month is not owed (the entitlement's month rule)
    if (paid > 0 && reg?.status === 'suspended' && (reg.statusDate === null || reg.statusDate < nextStart)) {
      findings.push(finding('paid_while_suspended'));
      continue;
    }
    if (paid > 0 && !exp && reg?.movedFromDistrict && reg.districtPath !== input.district) {
      findings.push(finding('paid_after_transfer'));
      continue;
    }
    if (paid > 0 && input.paidElsewhere.has(bi)) {
      findings.push(finding('duplicate_district'));
      continue;
    }
    if (!exp) {
      if (paid > 0) findings.push(finding('not_entitled'));
      continue;
    }
    if (paidLines.length === 0) findings.push(finding('failed'));
    else if (paid < exp.fen) findings.push(finding('underpaid'));
    else if (paid > exp.fen) findings.push(finding('overpaid'));
  }
  for (const e of input.expected)
    if (!byBi.has(e.idBi))
      findings.push({
        kind: 'missing',
        beneficiaryId: e.beneficiaryId,
        name: e.name,
        idMasked: e.idMasked,
        expectedFen: e.fen,
        paidFen: 0,
        rowNumber: null,
      });
  return { findings, paidFen };
}
