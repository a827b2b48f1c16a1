import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipText } from './campaigns-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { pdfPages } from './pdf-text.js';
import { makeId } from './registry-fixtures.js';

/**
 * 待遇明白卡 (issue 21 item 5) on the storage of the run: the same card as DOCX and as a one-page
 * PDF with the CJK font embedded — name, each benefit with its amount a month and its basis (the
 * standards' 文号), the office; both downloads audited; another district's user gets 404.
 */
let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
const KLMY = '650200/650203/650203001/650203001001/';
const now = new Date();
const MONTH = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
let personId = '';

async function standard(body: object) {
  const res = await city.post('/api/v1/benefit-standards', { layer: 'national', validFrom: '2025-01', ...body });
  expect(res.statusCode, res.body).toBe(201);
}

const cardUrl = (format?: string) =>
  `/api/v1/benefit-entitlements/card?beneficiaryId=${personId}&month=${MONTH}${format ? `&format=${format}` : ''}`;
const householdUrl = (id: string, format?: string) =>
  `/api/v1/benefit-households/${id}/card?month=${MONTH}${format ? `&format=${format}` : ''}`;
const ADDRESS = '克拉玛依区准噶尔路12号3栋2单元401';
let householdId = '';
let bigHousehold = '';

/** 大户甲 … 大户癸, 大户子, 大户丑: twelve names without digits (a name may not hold one). */
const BIG = [...'甲乙丙丁戊己庚辛壬癸子丑'].map((c) => `大户${c}`);

async function member(name: string, birth: string, seq: number, categories: object[], extra: object = {}) {
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, KLMY),
    name,
    idNumber: makeId('650203', birth, seq),
    categories,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** Words of a DOCX's body, and whether it asks for a page break anywhere. */
function docxWords(buf: Buffer) {
  const xml = zipText(buf, 'word/document.xml');
  return {
    words: xml.replace(/<[^>]+>/g, ''),
    pageBreaks: (xml.match(/w:type="page"|<w:pageBreakBefore|<w:lastRenderedPageBreak/g) ?? []).length,
    sections: (xml.match(/<w:sectPr/g) ?? []).length,
    pageSize: /<w:pgSz [^>]*w:w="(\d+)"[^>]*w:h="(\d+)"/.exec(xml)?.slice(1).map(Number),
  };
}

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.22.0.1');
  klmy = await signedIn(env.app, 'klmy', '10.22.0.2');
  dsz = await signedIn(env.app, 'dsz', '10.22.0.3');
  personId = await member(
    '明白卡甲',
    '1952-04-01',
    610,
    [
      { code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' },
      { code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6 },
    ],
    { address: ADDRESS },
  );
  householdId = (await klmy.get(`/api/v1/beneficiaries/${personId}`)).json().household.id;
  // the same household: a second entitled member, a deceased one, one owed nothing
  await member(
    '明白卡乙',
    '1950-02-03',
    611,
    [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'father' }],
    {
      householdId,
    },
  );
  await member(
    '明白卡丙',
    '1948-05-06',
    612,
    [{ code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6 }],
    { householdId, status: 'deceased', statusDate: '2020-01-15' },
  );
  await member('明白卡丁', '1990-07-08', 613, [{ code: 'veteran', startDate: '2010-01-01' }], { householdId });
  // a big household: twelve entitled members still make one page
  bigHousehold = (
    await klmy.get(
      `/api/v1/beneficiaries/${await member(BIG[0]!, '1940-01-01', 700, [
        { code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6 },
        { code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' },
      ])}`,
    )
  ).json().household.id;
  for (let i = 2; i <= 12; i++)
    await member(
      BIG[i - 1]!,
      `1940-01-${String(i).padStart(2, '0')}`,
      700 + i,
      [
        { code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6 },
        { code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' },
      ],
      { householdId: bigHousehold },
    );
  await standard({
    benefitType: 'survivor_pension',
    category: 'martyr_survivor',
    amountFen: 250_000,
    docNo: '民发〔2025〕1号',
  });
  await standard({
    benefitType: 'survivor_pension',
    category: 'martyr_survivor',
    layer: 'city',
    regionOrgId: await orgId(env.p, '650200/'),
    amountFen: 10_050,
    docNo: '克政办〔2025〕7号',
  });
  await standard({
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    gradeMin: 5,
    gradeMax: 6,
    amountFen: 300_000,
    docNo: '退役军人部发〔2025〕3号',
  });
});
afterAll(async () => env?.close());

/** What the card of the household of 明白卡甲 says, whatever the format. */
const EXPECTED = [
  '优抚待遇明白卡',
  '家庭住址：克拉玛依区准噶尔路****',
  `待遇月份：${MONTH}`,
  '1. 明白卡甲（身份证号：650203',
  '残疾抚恤金：每月 3000.00 元',
  '定期抚恤金：每月 2600.50 元',
  '小计：每月 5600.50 元',
  '2. 明白卡乙（身份证号：650203',
  '小计：每月 2600.50 元',
  '本户每月合计：8201.00 元',
  '民发〔2025〕1号',
  '克政办〔2025〕7号',
  '克拉玛依市市级标准',
  '退役军人部发〔2025〕3号',
  '残疾军人 6级',
  '政策咨询：克拉玛依区退役军人事务局',
  '或所在乡镇（街道）退役军人服务站',
];

describe('待遇明白卡 per household as DOCX and PDF (issue 21, decisions/0057)', () => {
  it('the PDF is one A4 page: each active entitled member, each benefit and amount, the 文号, the total; masked; audited', async () => {
    const res = await klmy.get(householdUrl(householdId, 'pdf'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent(`明白卡甲户${MONTH}待遇明白卡.pdf`)}`,
    );
    const { text, pages } = await pdfPages(res.rawPayload);
    expect(pages).toBe(1);
    for (const s of EXPECTED) expect(text.replace(/\s+/g, ' ')).toContain(s);
    // the deceased member and the one owed nothing are not on the card
    expect(text).not.toContain('明白卡丙');
    expect(text).not.toContain('明白卡丁');
    // ID numbers and the address are masked
    expect(text).not.toContain(makeId('650203', '1952-04-01', 610));
    expect(text).not.toContain(makeId('650203', '1950-02-03', 611));
    expect(text).not.toContain('3栋2单元');

    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes', 'entity_type'])
      .where('action', '=', 'file.download')
      .where('entity_id', '=', householdId)
      .execute();
    const changes = audit.map((a) => (typeof a.changes === 'string' ? JSON.parse(a.changes) : a.changes));
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: 'benefit.card', month: MONTH, fileName: `明白卡甲户${MONTH}待遇明白卡.pdf` }),
    );
    expect(audit[0]!.entity_type).toBe('household');
  });

  it('the DOCX (the default) carries the same lines on one A4 page: no page break, one section', async () => {
    const res = await klmy.get(householdUrl(householdId));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const d = docxWords(res.rawPayload);
    for (const s of EXPECTED) expect(d.words).toContain(s);
    expect(d.words).not.toContain('明白卡丙');
    expect(d.pageBreaks).toBe(0);
    expect(d.sections).toBe(1);
    expect(d.pageSize).toEqual([11906, 16838]);
  });

  it('a person’s card is the card of their household, audited on the person; the district’s policy telephone from the settings', async () => {
    await env.p.settings.put(env.p.handle.db, 'benefits.cardContacts', { '650200/650203/': '0990-6231234（工作日）' });
    const res = await klmy.get(cardUrl('docx'));
    expect(res.statusCode, res.body).toBe(200);
    const d = docxWords(res.rawPayload);
    expect(d.words).toContain('明白卡乙');
    expect(d.words).toContain('本户每月合计：8201.00 元');
    expect(d.words).toContain('政策咨询：克拉玛依区退役军人事务局　0990-6231234（工作日）');
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes'])
      .where('action', '=', 'file.download')
      .where('entity_id', '=', personId)
      .execute();
    const changes = audit.map((a) => (typeof a.changes === 'string' ? JSON.parse(a.changes) : a.changes));
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'benefit.card', householdId }));
  });

  it('the city edits the card’s contact lines through the API, audited; the card prints them; a district cannot', async () => {
    const before = (await city.get('/api/v1/benefit-settings/card-contacts')).json().items as {
      path: string;
      name: string;
      text: string;
    }[];
    expect(before[0]).toMatchObject({ path: '', name: '全市默认' });
    // the districts' bureaus only (not the city's departments nor the military side)
    expect(before.slice(1).map((i) => i.name)).toEqual([
      '独山子区退役军人事务局',
      '克拉玛依区退役军人事务局',
      '白碱滩区退役军人事务局',
      '乌尔禾区退役军人事务局',
    ]);
    expect(before.find((i) => i.path === '650200/650203/')).toMatchObject({ text: '0990-6231234（工作日）' });
    const put = await city.request('PUT', '/api/v1/benefit-settings/card-contacts', {
      contacts: { '650200/650203/': '0990-6888888（周一至周五）', '': '12345' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items.find((i: { path: string }) => i.path === '650200/650203/').text).toBe(
      '0990-6888888（周一至周五）',
    );
    const d = docxWords((await klmy.get(cardUrl('docx'))).rawPayload);
    expect(d.words).toContain('政策咨询：克拉玛依区退役军人事务局　0990-6888888（周一至周五）');
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes'])
      .where('action', '=', 'settings.update')
      .where('entity_id', '=', 'benefits.cardContacts')
      .execute();
    const changes = audit.map((a) => (typeof a.changes === 'string' ? JSON.parse(a.changes) : a.changes));
    expect(changes).toEqual([
      {
        '650200/650203/': ['0990-6231234（工作日）', '0990-6888888（周一至周五）'],
        default: [null, '12345'],
      },
    ]);
    // a district office neither edits the settings nor another district's line
    const res = await dsz.request('PUT', '/api/v1/benefit-settings/card-contacts', {
      contacts: { '650200/650203/': 'x' },
    });
    expect([403, 400]).toContain(res.statusCode);
  });

  it('a household of twelve entitled members is still one page in both formats: as many as fit, the others counted, the full total', async () => {
    const pdf = await klmy.get(householdUrl(bigHousehold, 'pdf'));
    expect(pdf.statusCode, pdf.body).toBe(200);
    const { text, pages } = await pdfPages(pdf.rawPayload);
    expect(pages).toBe(1);
    const docx = docxWords((await klmy.get(householdUrl(bigHousehold))).rawPayload);
    expect(docx.pageBreaks).toBe(0);
    expect(docx.sections).toBe(1);
    for (const words of [text, docx.words]) {
      const listed = BIG.filter((name) => words.includes(name));
      // the register's order: the first ones listed, the rest counted in one line
      expect(listed).toEqual(BIG.slice(0, listed.length));
      expect(listed.length).toBeGreaterThanOrEqual(6);
      if (listed.length < BIG.length)
        expect(words).toContain(`另有 ${BIG.length - listed.length} 人的待遇未能列入本页`);
      // 12 × (3000.00 + 2600.50)
      expect(words.replace(/\s+/g, ' ')).toContain('本户每月合计：67206.00 元');
    }
  });

  it('another district gets 404 for the household and the person, in either format; the city gets the card; a bad format is 400', async () => {
    expect((await dsz.get(householdUrl(householdId, 'pdf'))).statusCode).toBe(404);
    expect((await dsz.get(householdUrl(householdId, 'docx'))).statusCode).toBe(404);
    expect((await dsz.get(cardUrl('pdf'))).statusCode).toBe(404);
    expect((await dsz.get(cardUrl('docx'))).statusCode).toBe(404);
    expect((await city.get(householdUrl(householdId, 'pdf'))).statusCode).toBe(200);
    expect((await klmy.get(householdUrl(householdId, 'odt'))).statusCode).toBe(400);
    expect((await klmy.get(cardUrl('odt'))).statusCode).toBe(400);
  });
});
