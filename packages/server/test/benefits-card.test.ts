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

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.22.0.1');
  klmy = await signedIn(env.app, 'klmy', '10.22.0.2');
  dsz = await signedIn(env.app, 'dsz', '10.22.0.3');
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, KLMY),
    name: '明白卡甲',
    idNumber: makeId('650203', '1952-04-01', 610),
    categories: [
      { code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' },
      { code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6 },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  personId = res.json().id;
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

describe('待遇明白卡 as DOCX and PDF (issue 21)', () => {
  it('the PDF is one A4 page with the name, each benefit and amount, the 文号 and the office; audited', async () => {
    const res = await klmy.get(cardUrl('pdf'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent(`明白卡甲${MONTH}待遇明白卡.pdf`)}`,
    );
    const { text, pages } = await pdfPages(res.rawPayload);
    expect(pages).toBe(1);
    for (const s of [
      '优抚待遇明白卡',
      '明白卡甲',
      `待遇月份：${MONTH}`,
      '残疾抚恤金：每月 3000.00 元',
      '定期抚恤金：每月 2600.50 元',
      '每月合计：5600.50 元',
      '民发〔2025〕1号',
      '克政办〔2025〕7号',
      '退役军人部发〔2025〕3号',
      '克拉玛依区',
    ])
      expect(text).toContain(s);
    // the ID number is masked on the card
    expect(text).not.toContain(makeId('650203', '1952-04-01', 610));

    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes'])
      .where('action', '=', 'file.download')
      .where('entity_id', '=', personId)
      .execute();
    const changes = audit.map((a) => (typeof a.changes === 'string' ? JSON.parse(a.changes) : a.changes));
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: 'benefit.card', month: MONTH, fileName: `明白卡甲${MONTH}待遇明白卡.pdf` }),
    );
  });

  it('the DOCX (the default) carries the same lines', async () => {
    const res = await klmy.get(cardUrl());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const words = zipText(res.rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(words).toContain('定期抚恤金：每月 2600.50 元');
    expect(words).toContain('克政办〔2025〕7号');
    expect(words).toContain('每月合计：5600.50 元');
  });

  it('another district gets 404 for either format, the city gets the card; a bad format is 400', async () => {
    expect((await dsz.get(cardUrl('pdf'))).statusCode).toBe(404);
    expect((await dsz.get(cardUrl('docx'))).statusCode).toBe(404);
    expect((await city.get(cardUrl('pdf'))).statusCode).toBe(200);
    expect((await klmy.get(cardUrl('odt'))).statusCode).toBe(400);
  });
});
