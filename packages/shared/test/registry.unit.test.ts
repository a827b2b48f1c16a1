import { describe, expect, it } from 'vitest';
import { registryMessages } from '../src/i18n/registry.zh-CN.js';
import {
  CATEGORIES,
  CATEGORY_CODES,
  categoryAssignmentSchema,
  checkAgainst,
  convert15to18,
  createRegionMatcher,
  foldFullWidth,
  fromExcelSerial,
  idChecksum,
  maskAddress,
  maskIdNumber,
  maskPersonalData,
  maskPhone,
  matchCategory,
  matchCategoryDetailed,
  matchRegion,
  matchRelation,
  normalizeIdNumber,
  normalizeName,
  normalizePhone,
  parseDate,
  parseDisabilityGrade,
  parseSex,
} from '../src/registry/index.js';

const TODAY = { today: '2025-06-01' };

/** A tiny stand-in for opencc: enough traditional characters for the tests here. */
const T2S: Record<string, string> = { 瑪: '玛', 區: '区', 鹼: '碱', 灘: '滩', 軍: '军', 屬: '属', 爾: '尔', 烏: '乌' };
const toSimplified = (s: string): string => s.replace(/./gu, (c) => T2S[c] ?? c);

describe('foldFullWidth', () => {
  it('folds full-width digits, letters, punctuation and the ideographic space', () => {
    expect(foldFullWidth('０１２３４５６７８９ＡＸｘ，（）－\u3000')).toBe('0123456789AXx,()- ');
  });
  it('leaves Chinese text and ASCII alone', () => {
    expect(foldFullWidth('张三 abc 123、。')).toBe('张三 abc 123、。');
  });
});

describe('normalizeIdNumber', () => {
  it('accepts the standard example and reads birth date, sex and region', () => {
    expect(normalizeIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      regionCode: '110105',
      converted15: false,
    });
  });
  it('accepts Karamay numbers whose checksums were computed by hand', () => {
    // 6·7+5·9+0·10+2·5+0·8+3·4+1·2+9·1+8·6+0·3+0·7+1·9+0·10+1·5+1·8+2·4+3·2 = 204; 204 mod 11 = 6 → '6'
    expect(idChecksum('65020319800101123')).toBe('6');
    const man = normalizeIdNumber('650203198001011236', TODAY);
    expect(man).toMatchObject({ ok: true, birthDate: '1980-01-01', sex: 'male', regionCode: '650203' });
    expect(normalizeIdNumber('650202199003072348', TODAY)).toMatchObject({ ok: true, sex: 'female' });
    expect(normalizeIdNumber('650205198511111002', TODAY)).toMatchObject({ ok: true, birthDate: '1985-11-11' });
  });
  it('refuses a wrong check digit', () => {
    expect(normalizeIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, error: 'registry.id.checksum' });
    expect(normalizeIdNumber('650203198001011237', TODAY)).toEqual({ ok: false, error: 'registry.id.checksum' });
  });
  it('upper-cases a lower-case x', () => {
    expect(normalizeIdNumber('11010519491231002x', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  });
  it('folds full-width digits and X and strips spaces and hyphens', () => {
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toMatchObject({
      value: '11010519491231002X',
    });
    expect(normalizeIdNumber(' 110105-19491231-002ｘ ', TODAY)).toMatchObject({ value: '11010519491231002X' });
  });
  it('converts a legacy 15-digit number to 18 digits', () => {
    expect(convert15to18('130503670401001')).toBe('130503196704010016');
    expect(normalizeIdNumber('130503670401001', TODAY)).toEqual({
      ok: true,
      value: '130503196704010016',
      birthDate: '1967-04-01',
      sex: 'male',
      regionCode: '130503',
      converted15: true,
    });
  });
  it('refuses a birth date in the future, before 1890 or not on the calendar', () => {
    // checksums are correct, so the date is what fails
    expect(normalizeIdNumber('650204203001011236', TODAY)).toEqual({ ok: false, error: 'registry.id.birthDateFuture' });
    expect(normalizeIdNumber('650203188501010011', TODAY)).toEqual({
      ok: false,
      error: 'registry.id.birthDateTooEarly',
    });
    expect(normalizeIdNumber('650203198002300013', TODAY)).toEqual({ ok: false, error: 'registry.id.birthDate' });
  });
  it('accepts a birth date of today and compares against the current date by default', () => {
    const id17 = '65020320250601123';
    expect(normalizeIdNumber(id17 + idChecksum(id17), TODAY)).toMatchObject({ ok: true });
    expect(normalizeIdNumber(id17 + idChecksum(id17), { today: '2025-05-31' })).toMatchObject({ ok: false });
    const future = '65020420990101123';
    expect(normalizeIdNumber(future + idChecksum(future))).toEqual({ ok: false, error: 'registry.id.birthDateFuture' });
  });
  it('refuses an unknown province prefix, wrong lengths, letters and scientific notation', () => {
    expect(normalizeIdNumber('990203198001010012', TODAY)).toEqual({ ok: false, error: 'registry.id.region' });
    expect(normalizeIdNumber('65020319800101123', TODAY)).toEqual({ ok: false, error: 'registry.id.format' });
    expect(normalizeIdNumber('65020319800101123X6', TODAY)).toEqual({ ok: false, error: 'registry.id.format' });
    expect(normalizeIdNumber('6502031980010112X6', TODAY)).toEqual({ ok: false, error: 'registry.id.format' });
    expect(normalizeIdNumber('6.50203E+17', TODAY)).toEqual({ ok: false, error: 'registry.id.scientificNotation' });
    expect(normalizeIdNumber('  ', TODAY)).toEqual({ ok: false, error: 'registry.id.empty' });
  });
});

describe('checkAgainst', () => {
  const parsed = normalizeIdNumber('650203198001011236', TODAY);
  if (!parsed.ok) throw new Error('fixture');
  it('returns nothing when the columns agree, in whatever form they come', () => {
    expect(checkAgainst(parsed, { birthDate: '1980-01-01', sex: 'male' })).toEqual([]);
    expect(checkAgainst(parsed, { birthDate: '1980年1月1日', sex: '男' })).toEqual([]);
    expect(checkAgainst(parsed, { birthDate: 29221 })).toEqual([]); // Excel serial of 1980-01-01
    expect(checkAgainst(parsed, {})).toEqual([]);
  });
  it('names each column that disagrees', () => {
    expect(checkAgainst(parsed, { birthDate: '1980-01-02', sex: '女' })).toEqual([
      'registry.id.birthDateMismatch',
      'registry.id.sexMismatch',
    ]);
    expect(checkAgainst(parsed, { sex: 'F' })).toEqual(['registry.id.sexMismatch']);
  });
  it('leaves unreadable columns to their own validation', () => {
    expect(checkAgainst(parsed, { birthDate: '不详', sex: '未知' })).toEqual([]);
  });
  it('reads sex columns', () => {
    expect(['男', '男性', 'M', 'male', '1', '女', 'f', '2', '?'].map(parseSex)).toEqual([
      'male',
      'male',
      'male',
      'male',
      'male',
      'female',
      'female',
      'female',
      null,
    ]);
  });
});

describe('normalizePhone', () => {
  it('accepts mobiles with separators, country code and full-width digits', () => {
    for (const raw of ['13912348896', '139-1234-8896', '139 1234 8896', '+86 139 1234 8896', '0086-13912348896']) {
      expect(normalizePhone(raw)).toEqual({ ok: true, value: '13912348896', kind: 'mobile' });
    }
    expect(normalizePhone('１３９１２３４８８９６')).toEqual({ ok: true, value: '13912348896', kind: 'mobile' });
  });
  it('normalises Karamay landlines with or without the 0990 area code', () => {
    const expected = { ok: true, value: '0990-6231288', kind: 'landline' };
    expect(normalizePhone('0990-6231288')).toEqual(expected);
    expect(normalizePhone('(0990) 6231288')).toEqual(expected);
    expect(normalizePhone('09906231288')).toEqual(expected);
    expect(normalizePhone('6231288')).toEqual(expected);
    expect(normalizePhone('+86 990 6231288')).toEqual(expected);
    expect(normalizePhone('62312888')).toEqual({ ok: true, value: '0990-62312888', kind: 'landline' });
  });
  it('accepts landlines of other areas with two- and three-digit area codes', () => {
    expect(normalizePhone('010-62345678')).toEqual({ ok: true, value: '010-62345678', kind: 'landline' });
    expect(normalizePhone('0991 4567890')).toEqual({ ok: true, value: '0991-4567890', kind: 'landline' });
  });
  it('refuses garbage, wrong lengths and mobiles that do not exist', () => {
    expect(normalizePhone('')).toEqual({ ok: false, error: 'registry.phone.empty' });
    expect(normalizePhone('tel: none')).toEqual({ ok: false, error: 'registry.phone.invalid' });
    expect(normalizePhone('12345678901')).toEqual({ ok: false, error: 'registry.phone.mobileInvalid' });
    expect(normalizePhone('1391234889')).toEqual({ ok: false, error: 'registry.phone.mobileInvalid' });
    expect(normalizePhone('123456')).toEqual({ ok: false, error: 'registry.phone.mobileInvalid' });
    expect(normalizePhone('0990-1231288')).toEqual({ ok: false, error: 'registry.phone.invalid' });
    expect(normalizePhone('13912348896/13812345678')).toEqual({ ok: false, error: 'registry.phone.invalid' });
  });
});

describe('normalizeName', () => {
  it('joins spaced-out Chinese names and trims', () => {
    expect(normalizeName(' 张 三 ')).toEqual({ ok: true, value: '张三' });
    expect(normalizeName('欧阳\u3000 建国')).toEqual({ ok: true, value: '欧阳建国' });
  });
  it('unifies the middle dot of transcribed names and removes spaces around it', () => {
    for (const dot of ['·', '‧', '•', '・', '･']) {
      expect(normalizeName(`阿不都热依木 ${dot} 买买提`)).toEqual({ ok: true, value: '阿不都热依木·买买提' });
    }
  });
  it('keeps a single space inside Latin and Uyghur-script names and folds full-width letters', () => {
    expect(normalizeName('Ａｌｉｍ   Ｑａｄｉｒ')).toEqual({ ok: true, value: 'Alim Qadir' });
    expect(normalizeName('ئەخمەت  قادىر')).toEqual({ ok: true, value: 'ئەخمەت قادىر' });
  });
  it('refuses empty names, long names, digits and markup or SQL punctuation', () => {
    expect(normalizeName(' \u200B ')).toEqual({ ok: false, error: 'registry.name.empty' });
    expect(normalizeName('张'.repeat(65))).toEqual({ ok: false, error: 'registry.name.tooLong' });
    expect(normalizeName('张'.repeat(64))).toMatchObject({ ok: true });
    expect(normalizeName('张三２')).toEqual({ ok: false, error: 'registry.name.digits' });
    for (const bad of ['<b>张三</b>', "O'Brien", '张三"', '张三;', '张`三', '张\\三', 'Jean--Paul']) {
      expect(normalizeName(bad)).toEqual({ ok: false, error: 'registry.name.forbiddenChars' });
    }
    expect(normalizeName('张三@')).toEqual({ ok: false, error: 'registry.name.invalidChars' });
    expect(normalizeName('·买买提')).toEqual({ ok: false, error: 'registry.name.misplacedPunctuation' });
  });
});

describe('parseDate', () => {
  it('reads every written format to the same day', () => {
    for (const raw of [
      '1950-03-05',
      '1950/3/5',
      '1950.3.5',
      '1950年3月5日',
      '1950年03月05号',
      '19500305',
      '１９５０－０３－０５',
      '１９５０年３月５日',
      '1950/3/5 0:00:00',
      '1950-03-05T00:00:00.000Z',
      ' 1950-03-05 ',
    ]) {
      expect(parseDate(raw), raw).toEqual({ ok: true, value: '1950-03-05' });
    }
  });
  it('reads Excel serial numbers of the 1900 date system', () => {
    // 1899-12-30 + 18327 days = 1950-03-05 (checked with Python's datetime); 25569 is 1970-01-01
    expect(parseDate(18327)).toEqual({ ok: true, value: '1950-03-05' });
    expect(parseDate('18327')).toEqual({ ok: true, value: '1950-03-05' });
    expect(parseDate(18327.5)).toEqual({ ok: true, value: '1950-03-05' });
    expect(parseDate(25569)).toEqual({ ok: true, value: '1970-01-01' });
    expect(parseDate(1)).toEqual({ ok: true, value: '1900-01-01' });
    expect(parseDate(59)).toEqual({ ok: true, value: '1900-02-28' });
    expect(parseDate(61)).toEqual({ ok: true, value: '1900-03-01' });
    expect(parseDate(80000)).toEqual({ ok: true, value: '2119-01-11' });
  });
  it('refuses serial 60, the 1900-02-29 that Excel invents, instead of shifting it', () => {
    expect(fromExcelSerial(60)).toEqual({ ok: false, error: 'registry.date.impossible' });
    expect(parseDate(60)).toEqual({ ok: false, error: 'registry.date.impossible' });
  });
  it('refuses serials outside 1–80000', () => {
    expect(parseDate(0)).toEqual({ ok: false, error: 'registry.date.outOfRange' });
    expect(parseDate(80001)).toEqual({ ok: false, error: 'registry.date.outOfRange' });
    expect(parseDate(-5)).toEqual({ ok: false, error: 'registry.date.outOfRange' });
    expect(parseDate(Number.NaN)).toEqual({ ok: false, error: 'registry.date.outOfRange' });
  });
  it('reads an eight-digit number as YYYYMMDD', () => {
    expect(parseDate(19500305)).toEqual({ ok: true, value: '1950-03-05' });
  });
  it('reads JavaScript dates by their UTC day', () => {
    expect(parseDate(new Date(Date.UTC(1950, 2, 5)))).toEqual({ ok: true, value: '1950-03-05' });
    expect(parseDate(new Date('1950-03-05T23:30:00Z'))).toEqual({ ok: true, value: '1950-03-05' });
    expect(parseDate(new Date('not a date'))).toEqual({ ok: false, error: 'registry.date.format' });
  });
  it('refuses impossible days and leap days of common years', () => {
    expect(parseDate('1950-02-30')).toEqual({ ok: false, error: 'registry.date.impossible' });
    expect(parseDate('1950-13-01')).toEqual({ ok: false, error: 'registry.date.impossible' });
    expect(parseDate('19000229')).toEqual({ ok: false, error: 'registry.date.impossible' });
    expect(parseDate('2000-02-29')).toEqual({ ok: true, value: '2000-02-29' });
  });
  it('refuses bare years, incomplete dates, ambiguous orders and mixed separators', () => {
    expect(parseDate('1950')).toEqual({ ok: false, error: 'registry.date.yearOnly' });
    expect(parseDate('1950-03')).toEqual({ ok: false, error: 'registry.date.incomplete' });
    expect(parseDate('1950年3月')).toEqual({ ok: false, error: 'registry.date.incomplete' });
    expect(parseDate('5/3/1950')).toEqual({ ok: false, error: 'registry.date.format' });
    expect(parseDate('50-3-5')).toEqual({ ok: false, error: 'registry.date.format' });
    expect(parseDate('1950-3/5')).toEqual({ ok: false, error: 'registry.date.format' });
    expect(parseDate('')).toEqual({ ok: false, error: 'registry.date.empty' });
    expect(parseDate('1700-01-01')).toEqual({ ok: false, error: 'registry.date.outOfRange' });
  });
});

describe('masking', () => {
  it('masks ID numbers to region and last four', () => {
    expect(maskIdNumber('65020319800101123X')).toBe('650203********123X');
    expect(maskIdNumber('130503670401001')).toBe('130503*****1001');
    expect(maskIdNumber('12345')).toBe('*****');
  });
  it('masks mobiles and landlines', () => {
    expect(maskPhone('13912348896')).toBe('139****8896');
    expect(maskPhone('0990-6231288')).toBe('0990-6****88');
    expect(maskPhone('6231288')).toBe('0990-6****88');
    expect(maskPhone('0990-62312388')).toBe('0990-6*****88');
    expect(maskPhone('not a phone')).toBe('*********ne');
    expect(maskPhone('123')).toBe('***');
  });
  it('keeps only the district and street of an address', () => {
    expect(maskAddress('克拉玛依区准噶尔路12号3栋2单元501')).toBe('克拉玛依区准噶尔路****');
    expect(maskAddress('独山子区大庆东路街道金山社区5-2-301')).toBe('独山子区大庆东路****');
    expect(maskAddress('白碱滩区三平镇某某村五组')).toBe('白碱滩区三平****');
    expect(maskAddress('某某小区')).toBe('某某****');
    expect(maskAddress('')).toBe('');
  });
});

describe('categories', () => {
  it('has every code once, with a Chinese label, and groups pointing at top-level parents', () => {
    expect(new Set(CATEGORY_CODES).size).toBe(14);
    for (const c of CATEGORIES) {
      expect(registryMessages[c.labelKey]).toMatch(/\p{Script=Han}/u);
      for (const p of c.parents) expect(CATEGORIES.find((x) => x.code === p)?.level).toBe(1);
    }
    expect(CATEGORIES.find((c) => c.code === 'disabled_person')).toMatchObject({
      level: 2,
      parents: ['disabled_veteran'],
      requiresDisabilityGrade: true,
    });
  });
  it('maps the spellings found in spreadsheets', () => {
    const cases: [string, string][] = [
      ['烈属', 'martyr_survivor'],
      ['烈士家属', 'martyr_survivor'],
      ['烈士遗属', 'martyr_survivor'],
      ['因公牺牲军人遗属', 'duty_death_survivor'],
      ['病故军人遗属', 'illness_death_survivor'],
      ['伤残军人', 'disabled_veteran'],
      ['残疾军人', 'disabled_veteran'],
      ['伤残人员', 'disabled_person'],
      ['老复员军人', 'demobilized_veteran'],
      ['在乡老复员军人', 'demobilized_veteran'],
      ['带病回乡', 'ill_returned_veteran'],
      ['带病回乡退伍军人', 'ill_returned_veteran'],
      ['参战', 'combat_veteran'],
      ['涉核', 'nuclear_test_veteran'],
      ['参试', 'nuclear_test_veteran'],
      ['军属', 'serving_member_family'],
      ['现役军人家属', 'serving_member_family'],
      ['现役军人', 'serving_member'],
      ['退役军人', 'veteran'],
      ['三属', 'three_survivors_pension'],
      ['农村籍退役士兵 60周岁以上', 'rural_elderly_veteran'],
      ['60周岁以上农村籍退役士兵', 'rural_elderly_veteran'],
      ['六十岁以上农村籍退役士兵', 'rural_elderly_veteran'],
      ['烈士遗孀', 'martyr_survivor'],
      ['病故军人子女', 'illness_death_survivor'],
      ['在乡老复员军人（1954年前入伍）', 'demobilized_veteran'],
      ['　烈属　', 'martyr_survivor'],
    ];
    for (const [text, code] of cases) expect(matchCategory(text), text).toEqual([code]);
  });
  it('returns several codes for cells listing several categories', () => {
    expect(matchCategory('烈属、军属')).toEqual(['martyr_survivor', 'serving_member_family']);
    expect(matchCategory('因公牺牲军人遗属，病故军人遗属')).toEqual(['duty_death_survivor', 'illness_death_survivor']);
    expect(matchCategory('参战,涉核;带病回乡/老复员军人')).toEqual([
      'combat_veteran',
      'nuclear_test_veteran',
      'ill_returned_veteran',
      'demobilized_veteran',
    ]);
    expect(matchCategory('参战参试')).toEqual(['combat_veteran', 'nuclear_test_veteran']);
    expect(matchCategory('烈属 军属')).toEqual(['martyr_survivor', 'serving_member_family']);
    expect(matchCategory('老复员军人、在乡老复员军人')).toEqual(['demobilized_veteran']);
  });
  it('reports what it did not understand and a grade written in the cell', () => {
    expect(matchCategoryDetailed('烈属、火星人')).toEqual({ codes: ['martyr_survivor'], unmatched: ['火星人'] });
    expect(matchCategoryDetailed('伤残军人（五级）')).toEqual({
      codes: ['disabled_veteran'],
      unmatched: [],
      disabilityGrade: 5,
    });
    expect(matchCategoryDetailed('六级残疾军人')).toMatchObject({ codes: ['disabled_veteran'], disabilityGrade: 6 });
    expect(matchCategory('')).toEqual([]);
  });
  it('accepts traditional characters through the caller’s converter', () => {
    expect(matchCategory('軍屬', toSimplified)).toEqual(['serving_member_family']);
    expect(matchCategory('軍屬')).toEqual([]);
  });
  it('reads disability grades and relations', () => {
    expect([5, '5', '5级', '五级', '十级', '伤残六级', '１０级'].map(parseDisabilityGrade)).toEqual([
      5, 5, 5, 5, 10, 6, 10,
    ]);
    expect([0, 11, '十一级', '特等', 2.5].map(parseDisabilityGrade)).toEqual([null, null, null, null, null]);
    expect(['父亲', '母', '妻子', '长子', '妹妹', '其他', 'spouse', '邻居'].map((r) => matchRelation(r))).toEqual([
      'father',
      'mother',
      'spouse',
      'child',
      'sibling',
      'other',
      'spouse',
      null,
    ]);
  });
});

describe('categoryAssignmentSchema', () => {
  it('accepts a survivor with relation and certificate, and a disabled veteran with a grade', () => {
    const survivor = {
      code: 'martyr_survivor',
      startDate: '2020-01-01',
      relation: 'mother',
      certificateNo: '新优字第000123号',
    };
    expect(categoryAssignmentSchema.parse(survivor)).toEqual(survivor);
    expect(
      categoryAssignmentSchema.safeParse({ code: 'disabled_veteran', startDate: '2020-01-01', disabilityGrade: 6 }),
    ).toMatchObject({ success: true });
  });
  it('requires a grade for disabled categories and refuses it elsewhere', () => {
    const missing = categoryAssignmentSchema.safeParse({ code: 'disabled_person', startDate: '2020-01-01' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['disabilityGrade']);
    const extra = categoryAssignmentSchema.safeParse({ code: 'veteran', startDate: '2020-01-01', disabilityGrade: 3 });
    expect(extra.error?.issues[0]?.path).toEqual(['disabilityGrade']);
    const outOfRange = { code: 'disabled_veteran', startDate: '2020-01-01', disabilityGrade: 11 };
    expect(categoryAssignmentSchema.safeParse(outOfRange).success).toBe(false);
  });
  it('refuses unknown codes and relations, impossible dates, an end before the start and extra keys', () => {
    const base = { code: 'veteran', startDate: '2020-01-01' };
    expect(categoryAssignmentSchema.safeParse({ ...base, code: 'hero' }).success).toBe(false);
    expect(categoryAssignmentSchema.safeParse({ ...base, relation: 'cousin' }).success).toBe(false);
    expect(categoryAssignmentSchema.safeParse({ ...base, startDate: '2020-02-30' }).success).toBe(false);
    expect(categoryAssignmentSchema.safeParse({ ...base, startDate: '2020/01/01' }).success).toBe(false);
    const backwards = categoryAssignmentSchema.safeParse({ ...base, endDate: '2019-12-31' });
    expect(backwards.error?.issues[0]?.path).toEqual(['endDate']);
    expect(categoryAssignmentSchema.safeParse({ ...base, endDate: '2020-01-01' }).success).toBe(true);
    expect(categoryAssignmentSchema.safeParse({ ...base, certificateNo: "1'--" }).success).toBe(false);
    expect(categoryAssignmentSchema.safeParse({ ...base, note: 'x' }).success).toBe(false);
  });
});

describe('matchRegion', () => {
  const districts = [
    { code: '650202', name: '独山子区' },
    { code: '650203', name: '克拉玛依区' },
    { code: '650204', name: '白碱滩区' },
    { code: '650205', name: '乌尔禾区' },
  ];
  it('matches by exact code, also in full-width digits', () => {
    expect(matchRegion('650204', districts, toSimplified)).toBe('650204');
    expect(matchRegion('６５０２０４', districts, toSimplified)).toBe('650204');
    expect(matchRegion('650299', districts, toSimplified)).toBeNull();
  });
  it('matches names in simplified or traditional characters', () => {
    expect(matchRegion('克拉玛依区', districts, toSimplified)).toBe('650203');
    expect(matchRegion('克拉瑪依區', districts, toSimplified)).toBe('650203');
    expect(matchRegion('白鹼灘', districts, toSimplified)).toBe('650204');
  });
  it('ignores a missing suffix and office suffixes, but not a different level', () => {
    expect(matchRegion('独山子', districts, toSimplified)).toBe('650202');
    expect(matchRegion(' 乌尔禾区退役军人服务站 ', districts, toSimplified)).toBe('650205');
    expect(matchRegion('克拉玛依区退役军人事务局', districts, toSimplified)).toBe('650203');
    expect(matchRegion('克拉玛依市', districts, toSimplified)).toBeNull();
    expect(matchRegion('克拉玛依市独山子区', districts, toSimplified)).toBe('650202');
    expect(matchRegion('', districts, toSimplified)).toBeNull();
    expect(matchRegion('乌鲁木齐', districts, toSimplified)).toBeNull();
  });
  it('matches streets and communities with 街道/社区 suffix differences and refuses ambiguity', () => {
    const below = [
      { code: '650203002', name: '昆仑路街道' },
      { code: '650203002001', name: '昆仑路社区' },
      { code: '650203003', name: '银河路街道' },
      { code: '650203003002', name: '友谊社区' },
    ];
    const match = createRegionMatcher(below, toSimplified);
    expect(match('银河路')).toBe('650203003');
    expect(match('银河路街道办事处')).toBe('650203003');
    expect(match('友谊社区居委会')).toBe('650203003002');
    expect(match('友谊社区退役军人服务站')).toBe('650203003002');
    expect(match('友谊')).toBe('650203003002');
    expect(match('昆仑路社区')).toBe('650203002001');
    expect(match('昆仑路')).toBeNull();
  });
});

describe('message keys', () => {
  it('every error key used by the registry has a Chinese message', () => {
    const errors = [
      normalizeIdNumber('x'),
      normalizeIdNumber(''),
      normalizePhone('x'),
      normalizeName(''),
      parseDate('x'),
      parseDate(60),
    ];
    for (const r of errors) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(registryMessages[r.error]).toMatch(/\p{Script=Han}/u);
    }
    for (const key of Object.keys(registryMessages)) {
      expect(key).toMatch(/^(registry|category|relation|sex)\./);
    }
  });
});

describe('maskPersonalData', () => {
  it('masks the ID numbers and phones the detectors confirm, and leaves other digits', () => {
    expect(maskPersonalData('联络员13912345678会议纪要')).toBe('联络员139****5678会议纪要');
    expect(maskPersonalData('对象650203198001011236，电话0990-6231288')).toBe(
      '对象650203********1236，电话0990-6****88',
    );
    // a wrong check digit is not an ID number
    expect(maskPersonalData('65020319800101123X')).toBe('65020319800101123X');
    // a number that fails the checksum or is no phone is not personal data: kept
    expect(maskPersonalData('文号202600123456号，2026年')).toBe('文号202600123456号，2026年');
    // full-width digits are found too
    expect(maskPersonalData('电话１３９１２３４５６７８')).toBe('电话139****5678');
  });
});
