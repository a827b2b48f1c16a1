import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from './dates.js';
import { foldFullWidth } from './names.js';

/**
 * Top level of the entitled-person taxonomy (军人抚恤优待条例, 2024): who the person is.
 * Identifiers from the glossary (DOMAIN.md §10).
 */
export const TOP_CATEGORY_CODES = [
  'serving_member',
  'disabled_veteran',
  'martyr_survivor',
  'duty_death_survivor',
  'illness_death_survivor',
  'serving_member_family',
  'veteran',
] as const;

/** Second level: the groups that receive regular money and are checked every year. */
export const GROUP_CATEGORY_CODES = [
  'disabled_person',
  'three_survivors_pension',
  'demobilized_veteran',
  'ill_returned_veteran',
  'combat_veteran',
  'nuclear_test_veteran',
  'rural_elderly_veteran',
] as const;

export const CATEGORY_CODES = [...TOP_CATEGORY_CODES, ...GROUP_CATEGORY_CODES] as const;

export type TopCategoryCode = (typeof TOP_CATEGORY_CODES)[number];
export type GroupCategoryCode = (typeof GROUP_CATEGORY_CODES)[number];
export type CategoryCode = (typeof CATEGORY_CODES)[number];

/** One category of the taxonomy. */
export interface CategoryDef {
  code: CategoryCode;
  level: 1 | 2;
  /** For second-level groups, the top-level categories the group belongs to; [] at the top level. */
  parents: readonly TopCategoryCode[];
  /** i18n key of the Chinese name. */
  labelKey: `category.${CategoryCode}`;
  /** Disabled categories carry a disability grade 1–10. */
  requiresDisabilityGrade: boolean;
  /** Survivors and families link to the service member they descend from (relation, certificate). */
  linkedToServiceMember: boolean;
  /** Spellings found in spreadsheets, matched after normalisation (see `matchCategory`). */
  aliases: readonly string[];
}

/** Builds one definition; second-level groups list their parents. */
function def(
  code: CategoryCode,
  parents: readonly TopCategoryCode[],
  aliases: readonly string[],
  flags: { grade?: boolean; linked?: boolean } = {},
): CategoryDef {
  return {
    code,
    level: parents.length === 0 ? 1 : 2,
    parents,
    labelKey: `category.${code}`,
    requiresDisabilityGrade: flags.grade ?? false,
    linkedToServiceMember: flags.linked ?? false,
    aliases,
  };
}

const SURVIVORS: readonly TopCategoryCode[] = ['martyr_survivor', 'duty_death_survivor', 'illness_death_survivor'];

/** The two-level taxonomy of DOMAIN.md §3, as data. */
export const CATEGORIES: readonly CategoryDef[] = [
  def('serving_member', [], ['现役军人', '现役', '现役官兵']),
  def('disabled_veteran', [], ['残疾军人', '伤残军人', '残疾退役军人', '伤残退役军人', '残疾现役军人'], {
    grade: true,
  }),
  def(
    'martyr_survivor',
    [],
    ['烈士遗属', '烈属', '烈士家属', '烈士亲属', '烈士子女', '烈士父母', '烈士配偶', '烈士遗孀'],
    { linked: true },
  ),
  def(
    'duty_death_survivor',
    [],
    ['因公牺牲军人遗属', '因公牺牲遗属', '因公牺牲军人家属', '因公牺牲军人亲属', '因公属'],
    {
      linked: true,
    },
  ),
  def('illness_death_survivor', [], ['病故军人遗属', '病故遗属', '病故军人家属', '病故军人亲属', '病故属'], {
    linked: true,
  }),
  def('serving_member_family', [], ['军属', '现役军人家属', '现役军人军属', '现役家属', '军人家属', '现役军人亲属'], {
    linked: true,
  }),
  def('veteran', [], ['退役军人', '退伍军人', '退役士兵', '退伍士兵', '转业军人', '转业干部', '退休军人', '退役']),
  def('disabled_person', ['disabled_veteran'], ['伤残人员', '残疾人员', '伤残', '残疾', '伤残抚恤'], { grade: true }),
  def('three_survivors_pension', SURVIVORS, ['三属', '三属定期抚恤', '三属人员', '定期抚恤三属', '定期抚恤'], {
    linked: true,
  }),
  def('demobilized_veteran', ['veteran'], ['在乡老复员军人', '老复员军人', '在乡复员军人', '复员军人', '老复员']),
  def('ill_returned_veteran', ['veteran'], ['带病回乡退伍军人', '带病回乡', '带病回乡退役军人', '带病回乡人员']),
  def('combat_veteran', ['veteran'], ['参战退役人员', '参战', '参战人员', '参战退役军人', '参战老兵', '参战退伍军人']),
  def(
    'nuclear_test_veteran',
    ['veteran'],
    [
      '参加核试验军队退役人员',
      '涉核',
      '涉核人员',
      '参试',
      '参试人员',
      '参加核试验',
      '参核',
      '参加核试验退役人员',
      '核试验退役人员',
    ],
  ),
  def('rural_elderly_veteran', ['veteran'], ['农村籍退役士兵', '农村籍退伍士兵', '农村籍老退役士兵', '农村籍退役军人']),
];

/** The definition of each code. */
export const CATEGORY_BY_CODE = Object.fromEntries(CATEGORIES.map((c) => [c.code, c])) as Readonly<
  Record<CategoryCode, CategoryDef>
>;

/** Cells naming two groups at once ("参战参试") map to both. */
const COMBINED_ALIASES: Readonly<Record<string, readonly CategoryCode[]>> = {
  参战参试: ['combat_veteran', 'nuclear_test_veteran'],
  参战涉核: ['combat_veteran', 'nuclear_test_veteran'],
  参战参试人员: ['combat_veteran', 'nuclear_test_veteran'],
  参战涉核人员: ['combat_veteran', 'nuclear_test_veteran'],
};

/** Age qualifiers that spreadsheets put before 农村籍退役士兵: "60周岁以上", "六十岁以上". */
const AGE_PREFIX = /^(?:60|六十)周?岁(?:以上|及以上)?(?:的)?/;

/** Disability grade written inside a category cell: "一级", "6级", "（五级）". */
const GRADE_IN_TEXT = /(十|[一二三四五六七八九]|10|[1-9])级/;

/** Normalises a category fragment for lookup: full-width folded, simplified, no spaces, no age qualifier. */
function normalizeFragment(s: string, toSimplified: (s: string) => string): string {
  return toSimplified(foldFullWidth(s)).replace(/\s+/g, '').replace(AGE_PREFIX, '');
}

const ALIAS_INDEX: ReadonlyMap<string, readonly CategoryCode[]> = new Map([
  ...CATEGORIES.flatMap((c) => c.aliases.map((a): [string, readonly CategoryCode[]] => [a, [c.code]])),
  ...Object.entries(COMBINED_ALIASES),
]);

/**
 * Keyword fallbacks for spellings no alias covers ("烈士遗孀", "病故军人子女", "参战老兵（1979）").
 * `alone` rules apply only when no other rule matched.
 */
const KEYWORD_RULES: readonly { re: RegExp; code: CategoryCode; alone?: boolean }[] = [
  { re: /三属/, code: 'three_survivors_pension' },
  { re: /烈士|烈属/, code: 'martyr_survivor' },
  { re: /因公牺牲/, code: 'duty_death_survivor' },
  { re: /病故/, code: 'illness_death_survivor' },
  { re: /带病回乡/, code: 'ill_returned_veteran' },
  { re: /农村籍/, code: 'rural_elderly_veteran' },
  { re: /复员/, code: 'demobilized_veteran' },
  { re: /涉核|核试验|参试/, code: 'nuclear_test_veteran' },
  { re: /参战/, code: 'combat_veteran' },
  { re: /(?:伤残|残疾)(?:退役)?军人/, code: 'disabled_veteran' },
  { re: /军属|军人家属/, code: 'serving_member_family' },
  { re: /伤残|残疾/, code: 'disabled_person', alone: true },
  { re: /现役/, code: 'serving_member', alone: true },
  { re: /退役|退伍|转业/, code: 'veteran', alone: true },
];

/** Matches one normalised fragment: alias, alias without parenthesised notes, then keywords. */
function matchFragment(fragment: string): readonly CategoryCode[] {
  const exact = ALIAS_INDEX.get(fragment);
  if (exact) return exact;
  const bare = fragment.replace(/[(（][^)）]*[)）]/g, '');
  const alias = ALIAS_INDEX.get(bare);
  if (alias) return alias;
  const hits = KEYWORD_RULES.filter((r) => !r.alone && r.re.test(bare)).map((r) => r.code);
  if (hits.length > 0) return hits;
  const alone = KEYWORD_RULES.find((r) => r.alone && r.re.test(bare));
  return alone ? [alone.code] : [];
}

/** What `matchCategoryDetailed` found in one cell. */
export interface CategoryMatch {
  codes: CategoryCode[];
  /** Fragments of the cell that name no known category (as written, trimmed). */
  unmatched: string[];
  /** A disability grade written in the cell ("伤残军人（六级）"), if any. */
  disabilityGrade?: number;
}

/** Separators between several categories in one cell: 、，, ; ； / ／ | ｜ and line breaks. */
const CELL_SEPARATORS = /[、，,;；/／|｜\n\r]+/;

const identity = (s: string): string => s;

/**
 * Reads a spreadsheet cell naming one or several categories ("烈属、军属", "参战;涉核",
 * "伤残军人（五级）") and returns the codes in order of appearance, the fragments it did not
 * understand and a disability grade written in the cell. Pass opencc's converter as `toSimplified`
 * to accept traditional characters.
 */
export function matchCategoryDetailed(text: string, toSimplified: (s: string) => string = identity): CategoryMatch {
  const codes = new Set<CategoryCode>();
  const unmatched: string[] = [];
  let disabilityGrade: number | undefined;
  for (const raw of foldFullWidth(text).split(CELL_SEPARATORS)) {
    const part = raw.trim();
    if (part === '') continue;
    let fragment = normalizeFragment(part, toSimplified);
    const grade = GRADE_IN_TEXT.exec(fragment);
    if (grade) {
      disabilityGrade ??= parseDisabilityGrade(grade[1]!) ?? undefined;
      fragment = fragment.replace(GRADE_IN_TEXT, '').replace(/[(（][)）]/g, '');
    }
    let found = matchFragment(fragment);
    if (found.length === 0 && /\s/.test(part)) {
      // "烈属 军属": spaces used as a separator
      const pieces = part.split(/\s+/).map((p) => matchFragment(normalizeFragment(p, toSimplified)));
      if (pieces.every((p) => p.length > 0)) found = pieces.flat();
    }
    if (found.length === 0) unmatched.push(part);
    for (const code of found) codes.add(code);
  }
  return disabilityGrade === undefined
    ? { codes: [...codes], unmatched }
    : { codes: [...codes], unmatched, disabilityGrade };
}

/** The category codes named in a spreadsheet cell (see `matchCategoryDetailed`); [] when none. */
export function matchCategory(text: string, toSimplified: (s: string) => string = identity): CategoryCode[] {
  return matchCategoryDetailed(text, toSimplified).codes;
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** Reads a disability grade 1–10 from 5, '5', '5级', '五级', '伤残五级'; null when there is none. */
export function parseDisabilityGrade(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 1 && raw <= 10 ? raw : null;
  const s = foldFullWidth(raw).replace(/\s+/g, '');
  const m = /^(?:伤残|残疾)?(10|[1-9]|十|[一二三四五六七八九])级?(?:伤残|残疾)?$/.exec(s);
  if (!m) return null;
  return CHINESE_DIGITS[m[1]!] ?? Number(m[1]);
}

/** Relation of a survivor or family member to the service member. */
export const RELATION_CODES = ['father', 'mother', 'spouse', 'child', 'sibling', 'other'] as const;
export type RelationCode = (typeof RELATION_CODES)[number];

const RELATION_ALIASES: Readonly<Record<RelationCode, readonly string[]>> = {
  father: ['父亲', '父', '爸爸', '生父', '养父', '继父'],
  mother: ['母亲', '母', '妈妈', '生母', '养母', '继母'],
  spouse: ['配偶', '妻子', '丈夫', '妻', '夫', '爱人', '遗孀', '夫妻'],
  child: ['子女', '儿子', '女儿', '子', '女', '长子', '次子', '长女', '次女', '养子', '养女', '继子', '继女'],
  sibling: ['兄弟姐妹', '兄弟', '姐妹', '哥哥', '弟弟', '姐姐', '妹妹', '兄', '弟', '姐', '妹'],
  other: ['其他', '其它'],
};

const RELATION_INDEX: ReadonlyMap<string, RelationCode> = new Map(
  RELATION_CODES.flatMap((code) => RELATION_ALIASES[code].map((a): [string, RelationCode] => [a, code])),
);

/** Reads a relation column (父亲, 母, 配偶, 妻子, 长子, 妹妹, 其他…) to a code; null when unknown. */
export function matchRelation(text: string, toSimplified: (s: string) => string = identity): RelationCode | null {
  const s = toSimplified(foldFullWidth(text)).replace(/\s+/g, '');
  if ((RELATION_CODES as readonly string[]).includes(s)) return s as RelationCode;
  return RELATION_INDEX.get(s) ?? null;
}

/** 性质 of a disability, as on the 残疾军人证: 因战 (war), 因公 (duty), 因病 (illness). */
export const DISABILITY_CAUSES = ['war', 'duty', 'illness'] as const;
export type DisabilityCause = (typeof DISABILITY_CAUSES)[number];
export const disabilityCauseSchema = z.enum(DISABILITY_CAUSES);

/** Reads 因战 / 因战致残 / 战 / 因公 / 因病… to a cause; null when it is none of them. */
export function parseDisabilityCause(raw: string): DisabilityCause | null {
  const s = foldFullWidth(raw).replace(/\s+/g, '');
  if ((DISABILITY_CAUSES as readonly string[]).includes(s)) return s as DisabilityCause;
  const m = /^因?(战|公|病)(致残|伤残|残疾)?$/.exec(s);
  return m ? ({ 战: 'war', 公: 'duty', 病: 'illness' } as const)[m[1] as '战' | '公' | '病'] : null;
}

export const categoryCodeSchema = z.enum(CATEGORY_CODES);
export const relationCodeSchema = z.enum(RELATION_CODES);
export const disabilityGradeSchema = z.number().int().min(1).max(10);

/** Certificate numbers ("新优字第000123号"): 1–64 characters, no markup or SQL punctuation. */
export const certificateNoSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => !/[<>'";`\\]|--/.test(s), { error: () => t('registry.certificate.invalid') });

/**
 * One category held by a person, with its period. Disabled categories require a disability grade
 * 1–10, other categories must not carry one; the end date, if any, is not before the start date.
 */
export const categoryAssignmentSchema = z
  .strictObject({
    code: categoryCodeSchema,
    startDate: isoDateSchema,
    endDate: isoDateSchema.optional(),
    disabilityGrade: disabilityGradeSchema.optional(),
    /** 性质 of the disability (因战/因公/因病), on disabled categories only. */
    disabilityCause: disabilityCauseSchema.optional(),
    relation: relationCodeSchema.optional(),
    certificateNo: certificateNoSchema.optional(),
  })
  .superRefine((a, ctx) => {
    const needsGrade = CATEGORY_BY_CODE[a.code].requiresDisabilityGrade;
    if (needsGrade && a.disabilityGrade === undefined)
      ctx.addIssue({ code: 'custom', path: ['disabilityGrade'], message: t('registry.category.gradeRequired') });
    if (!needsGrade && a.disabilityGrade !== undefined)
      ctx.addIssue({ code: 'custom', path: ['disabilityGrade'], message: t('registry.category.gradeNotApplicable') });
    if (!needsGrade && a.disabilityCause !== undefined)
      ctx.addIssue({ code: 'custom', path: ['disabilityCause'], message: t('registry.category.causeNotApplicable') });
    if (a.endDate !== undefined && a.endDate < a.startDate)
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: t('registry.category.endBeforeStart') });
  });

export type CategoryAssignment = z.infer<typeof categoryAssignmentSchema>;
