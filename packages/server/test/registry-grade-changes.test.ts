import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

/**
 * 残疾等级 changes with their date through the registry API (decisions/0056): recorded with the
 * decision's date and number, versioned on the person, audited, listed; refused before the
 * category's start, unchanged, on a category without a grade or not held, out of order, in the
 * future, on a stale version, and outside the caller's district.
 */
let env: TestEnv;
let klmy: Client;
let dsz: Client;
let veteran: { id: string; version: number };
let survivor: { id: string };

const change = (over: Record<string, unknown> = {}) => ({
  version: veteran.version,
  code: 'disabled_veteran',
  effectiveDate: '2024-07-15',
  disabilityGrade: 5,
  disabilityCause: 'duty',
  documentNo: '克退役〔2024〕31号',
  ...over,
});

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.38.0.1');
  dsz = await signedIn(env.app, 'dsz', '10.38.0.2');
  const community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  const v = await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '等级甲',
    idNumber: makeId('650203', '1960-05-01', 31),
    categories: [{ code: 'disabled_veteran', startDate: '2015-06-01', disabilityGrade: 6, disabilityCause: 'war' }],
  });
  expect(v.statusCode, v.body).toBe(201);
  veteran = v.json();
  const s = await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '等级乙',
    idNumber: makeId('650203', '1950-05-01', 33, 'female'),
    categories: martyrSurvivor(),
  });
  expect(s.statusCode, s.body).toBe(201);
  survivor = s.json();
});
afterAll(async () => env?.close());

const post = (c: Client, id: string, body: object) => c.post(`/api/v1/beneficiaries/${id}/grade-changes`, body);

describe('registry: disability grade changes', () => {
  it('refuses a change that cannot be right, and records nothing', async () => {
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ effectiveDate: '2015-05-31' }, 400, 'before_category_start'],
      [{ disabilityGrade: 6, disabilityCause: 'war' }, 400, 'grade_unchanged'],
      [{ disabilityGrade: 6, disabilityCause: undefined }, 400, 'grade_unchanged'],
      [{ code: 'martyr_survivor' }, 400, 'grade_not_applicable'],
      [{ code: 'disabled_person' }, 400, 'category_not_held'],
      [{ effectiveDate: '2999-01-01' }, 400, 'future_date'],
      [{ version: veteran.version + 1 }, 409, 'version_conflict'],
      [{ disabilityGrade: 11 }, 400, 'validation_failed'],
      [{ documentNo: '' }, 400, 'validation_failed'],
    ];
    for (const [over, status, code] of refusals) {
      const res = await post(klmy, veteran.id, change(over));
      expect([res.statusCode, res.json().code], JSON.stringify(over)).toEqual([status, code]);
    }
    // a person without the category
    const none = await post(klmy, survivor.id, { ...change(), version: 1 });
    expect([none.statusCode, none.json().code]).toEqual([400, 'category_not_held']);
    // another district sees neither the person nor the history
    expect((await post(dsz, veteran.id, change())).statusCode).toBe(404);
    expect((await dsz.get(`/api/v1/beneficiaries/${veteran.id}/grade-changes`)).statusCode).toBe(404);
    expect((await klmy.get(`/api/v1/beneficiaries/${veteran.id}/grade-changes`)).json().items).toEqual([]);
  });

  it('records a change with its date and number: the new grade from the next month, versioned and audited', async () => {
    const res = await post(klmy, veteran.id, change());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().change).toMatchObject({
      code: 'disabled_veteran',
      effectiveDate: '2024-07-15',
      fromMonth: '2024-08',
      gradeFrom: 6,
      gradeTo: 5,
      causeFrom: 'war',
      causeTo: 'duty',
      documentNo: '克退役〔2024〕31号',
    });
    // nothing was paid yet: no back pay to compute
    expect(res.json().backPayJobId).toBeNull();
    const detail = (await klmy.get(`/api/v1/beneficiaries/${veteran.id}`)).json();
    expect(detail.version).toBe(veteran.version + 1);
    expect(detail.assignments[0]).toMatchObject({ disabilityGrade: 5, disabilityCause: 'duty' });
    // the old version is stale now
    expect((await post(klmy, veteran.id, change({ disabilityGrade: 4 }))).statusCode).toBe(409);
    veteran = { ...veteran, version: detail.version };
    const history = (await klmy.get(`/api/v1/beneficiaries/${veteran.id}/history`)).json().items;
    expect(history[0]).toMatchObject({
      action: 'beneficiary.gradeChange',
      changes: {
        category: 'disabled_veteran',
        disability_grade: [6, 5],
        disability_cause: ['war', 'duty'],
        effective_date: '2024-07-15',
        document_no: '克退役〔2024〕31号',
      },
    });
  });

  it('keeps the history in order: a later change follows, an earlier one is refused; the 性质 stays unless given', async () => {
    const early = await post(klmy, veteran.id, change({ effectiveDate: '2024-07-15', disabilityGrade: 4 }));
    expect([early.statusCode, early.json().code]).toEqual([409, 'grade_change_order']);
    const later = await post(
      klmy,
      veteran.id,
      change({
        effectiveDate: '2025-11-03',
        disabilityGrade: 4,
        disabilityCause: undefined,
        documentNo: '克退役〔2025〕7号',
      }),
    );
    expect(later.statusCode, later.body).toBe(201);
    expect(later.json().change).toMatchObject({
      fromMonth: '2025-12',
      gradeFrom: 5,
      gradeTo: 4,
      causeFrom: 'duty',
      causeTo: 'duty',
    });
    const list = (await klmy.get(`/api/v1/beneficiaries/${veteran.id}/grade-changes`)).json().items;
    expect(
      list.map((c: { effectiveDate: string; gradeFrom: number; gradeTo: number }) => [
        c.effectiveDate,
        c.gradeFrom,
        c.gradeTo,
      ]),
    ).toEqual([
      ['2025-11-03', 5, 4],
      ['2024-07-15', 6, 5],
    ]);
  });
});
