import { t } from '@shuangyong/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { open } from '../src/modules/registry/personal-data.js';
import { LISTED_STATUSES } from '../src/modules/registry/registry.repo.js';
import { seedSynthetic } from '../src/seed/synthetic.js';
import { type Client, signedIn, type TestEnv, testEnv } from './helpers.js';

// The export runs in a worker thread of its own (decisions/0059): its file must hold exactly the
// rows and cells the server computes from the register — over more than one of the worker's
// fetches (2,000 rows), masked and revealed, driven from the people or from the category table.
let env: TestEnv;
let klmy: Client;
const DISTRICT = '650200/650203/';

beforeAll(async () => {
  env = await testEnv();
  await seedSynthetic(env.p, { count: 6000, seed: 11 });
  klmy = await signedIn(env.app, 'klmy', '10.8.3.1');
}, 240_000);
afterAll(async () => env?.close());

async function sheet(body: unknown): Promise<string[][]> {
  const res = await klmy.post('/api/v1/beneficiaries/export', body);
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((r) => rows.push(Array.from((r.values as unknown[]).slice(1), (v) => String(v ?? ''))));
  return rows;
}

/** What the file must say, computed here from the tables (the export's cells before the worker). */
/** A row read back ends at its last non-empty cell. */
function trimmed(row: string[]): string[] {
  let n = row.length;
  while (n > 0 && row[n - 1] === '') n--;
  return row.slice(0, n);
}

async function expected(opts: { reveal: boolean; category?: string }): Promise<string[][]> {
  const db = env.p.handle.db;
  let q = db
    .selectFrom('beneficiaries as b')
    .innerJoin('orgs as o', 'o.id', 'b.org_id')
    .selectAll('b')
    .select('o.name as org_name')
    .where('b.district_path', '=', DISTRICT)
    .where('b.status', 'in', [...LISTED_STATUSES]);
  q = opts.category
    ? q
        .innerJoin('beneficiary_categories as bc', 'bc.beneficiary_id', 'b.id')
        .where('bc.code', '=', opts.category)
        .orderBy('bc.sort_name')
        .orderBy('bc.beneficiary_id')
    : q.orderBy('b.name_pinyin').orderBy('b.id');
  const crypto = env.p.crypto;
  // the grade in force (first graded category by code) and the last grade decision (decisions/0065)
  const graded = new Map<string, { disability_grade: number | null; disability_cause?: string | null }>();
  for (const c of await db
    .selectFrom('beneficiary_categories')
    .select(['beneficiary_id', 'disability_grade', 'disability_cause'])
    .where('disability_grade', 'is not', null)
    .orderBy('code', 'desc')
    .execute())
    graded.set(c.beneficiary_id, c);
  const decided = new Map<string, { effective_date: string; document_no: string }>();
  for (const g of await db
    .selectFrom('beneficiary_grade_changes')
    .select(['beneficiary_id', 'effective_date', 'document_no'])
    .orderBy('effective_date')
    .execute())
    decided.set(g.beneficiary_id, g);
  const cell = (v: string | null) => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));
  const header = [
    'name',
    'sex',
    'birthDate',
    'idNumber',
    'phone',
    'address',
    'categories',
    'disabilityGrade',
    'disabilityCause',
    'gradeDecisionDate',
    'gradeDocumentNo',
    'status',
    'org',
    'note',
  ];
  return [
    header.map((k) => t(`export.col.${k}`)),
    ...(await q.execute()).map((r) =>
      trimmed(
        [
          r.name,
          t(`sex.${r.sex}`),
          r.birth_date,
          opts.reveal ? open(crypto, r.id_enc) : r.id_masked,
          opts.reveal ? open(crypto, r.phone_enc) : r.phone_masked,
          opts.reveal ? open(crypto, r.address_enc) : r.address_masked,
          (r.categories ? r.categories.split(',') : []).map((c) => t(`category.${c}`)).join('、'),
          graded.get(r.id)?.disability_grade ? t(`import.grade${graded.get(r.id)!.disability_grade}` as never) : null,
          graded.get(r.id)?.disability_cause
            ? t(`registry.disabilityCause.${graded.get(r.id)!.disability_cause}` as never)
            : null,
          decided.get(r.id)?.effective_date ?? null,
          decided.get(r.id)?.document_no ?? null,
          t(`status.${r.status}`),
          r.org_name,
          r.note,
        ].map(cell),
      ),
    ),
  ];
}

describe('the export worker', () => {
  it('writes every row of the district, masked, in the list order', async () => {
    const want = await expected({ reveal: false });
    expect(want.length).toBeGreaterThan(2001);
    expect(await sheet({})).toEqual(want);
  });

  it('opens the sealed fields row by row when revealed', async () => {
    const want = await expected({ reveal: true });
    const got = await sheet({ reveal: true, reason: '年度复核' });
    expect(got).toEqual(want);
    expect(got.slice(1).every((r) => /^\d{17}[\dX]$/.test(r[3]!))).toBe(true);
  });

  it('walks the category table when the filter has a category', async () => {
    const want = await expected({ reveal: false, category: 'veteran' });
    expect(want.length).toBeGreaterThan(100);
    expect(await sheet({ filters: { category: 'veteran' } })).toEqual(want);
  });
});
