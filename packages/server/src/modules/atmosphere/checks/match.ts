import { foldFullWidth, PERSONAL_DATA_DETECTORS } from '@shuangyong/shared';

/** What a finding is about (the reviewer's list groups by it). */
export type CheckCategory = 'designation' | 'location' | 'equipment' | 'strength' | 'officer' | 'personal' | 'image';
/** block: must be gone before approval; review: a person must look and confirm. */
export type CheckSeverity = 'block' | 'review';

/** One rule of the list (atmosphere_check_rules): a literal term, a pattern or a coded detector. */
export interface CheckRule {
  code: string;
  category: CheckCategory;
  kind: 'term' | 'pattern' | 'detector';
  value: string;
  severity: CheckSeverity;
  label: string;
  /** Part of the military side's own list: applied to everyone's text, shown only to the military side. */
  militaryOnly: boolean;
}

/** Where a rule matched: [start, end) in the checked text (UTF-16 offsets, as the browser counts). */
export interface TextFinding {
  rule: string;
  category: CheckCategory;
  severity: CheckSeverity;
  label: string;
  militaryOnly: boolean;
  start: number;
  end: number;
  match: string;
}

/** Detectors written as code: the registry's, shared with the exports that mask personal data. */
const DETECTORS: Record<string, { candidates: RegExp; confirm: (s: string) => boolean }> = PERSONAL_DATA_DETECTORS;

export const DETECTOR_NAMES = Object.keys(DETECTORS);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A rule ready to run: its global expression, or null when a pattern does not compile. */
interface Compiled {
  rule: CheckRule;
  re: RegExp;
  confirm?: (s: string) => boolean;
}

/** Compiles a rule; throws on a pattern that is not a valid expression (the rule editor reports it). */
export function compileRule(rule: CheckRule): Compiled {
  if (rule.kind === 'detector') {
    const d = DETECTORS[rule.value];
    if (!d) throw new Error(`unknown detector ${rule.value}`);
    return { rule, re: new RegExp(d.candidates.source, 'g'), confirm: d.confirm };
  }
  if (rule.kind === 'term') return { rule, re: new RegExp(escapeRegExp(foldFullWidth(rule.value)), 'giu') };
  const re = new RegExp(rule.value, 'gu');
  if (re.test('')) throw new Error('pattern matches the empty text');
  return { rule, re };
}

/** Can this pattern be saved? null when it compiles and does not match the empty text. */
export function patternError(kind: CheckRule['kind'], value: string): string | null {
  try {
    compileRule({ code: 'x', category: 'designation', kind, value, severity: 'block', label: '', militaryOnly: false });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A compiled rule list: compile once per list version, run on many texts. */
export class Checker {
  private readonly compiled: Compiled[];

  constructor(rules: readonly CheckRule[]) {
    this.compiled = [];
    for (const r of rules) {
      try {
        this.compiled.push(compileRule(r));
      } catch {
        // a broken stored pattern must not stop the other rules; the editor refuses new ones
      }
    }
  }

  /**
   * Every place a rule matches, by position. The text is matched with full-width forms folded
   * (one character for one, so positions are those of the original); touching or overlapping
   * matches of one rule are reported as one.
   */
  check(text: string): TextFinding[] {
    const folded = foldFullWidth(text);
    const out: TextFinding[] = [];
    for (const { rule, re, confirm } of this.compiled) {
      re.lastIndex = 0;
      for (let m = re.exec(folded); m; m = re.exec(folded)) {
        if (m[0] === '') {
          re.lastIndex++;
          continue;
        }
        if (confirm && !confirm(m[0])) continue;
        const last = out.at(-1);
        const end = m.index + m[0].length;
        if (last?.rule === rule.code && last.end >= m.index) {
          // touching matches of one rule are one finding (家住…12号 + 3栋2单元401室)
          last.end = Math.max(last.end, end);
          last.match = text.slice(last.start, last.end);
          continue;
        }
        out.push({
          rule: rule.code,
          category: rule.category,
          severity: rule.severity,
          label: rule.label,
          militaryOnly: rule.militaryOnly,
          start: m.index,
          end: m.index + m[0].length,
          match: text.slice(m.index, m.index + m[0].length),
        });
      }
    }
    return out.sort((a, b) => a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule));
  }
}
