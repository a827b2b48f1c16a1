import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay } from '../src/platform/calendar/working-days.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
let klmy: Client;
let householdId: string;

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.5.0.1');
  const community = await orgId(env.p, '650200/650203/650203002/650203002001/');
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '王秀英',
    idNumber: makeId('650203', '1940-02-02', 8, 'female'),
    categories: martyrSurvivor(),
  });
  householdId = res.json().household.id;
  // a household with no plaque-worthy member
  await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '李伤残',
    idNumber: makeId('650203', '1960-02-02', 9),
    categories: [{ code: 'disabled_person', startDate: '2000-01-01', disabilityGrade: 6 }],
  });
});
afterAll(async () => env?.close());

describe('working days', () => {
  it('skip the Spring Festival holiday and count its swapped working Saturday', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2026-02-16')).toBe(false); // Monday in the holiday
    expect(isWorkingDay('2026-02-21')).toBe(false);
    expect(addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Friday → Monday
  });
});

describe('光荣牌', () => {
  it('lists the households that should have a plaque but have none', async () => {
    const res = (await klmy.get('/api/v1/households?plaqueEligible=true&plaqueStatus=none')).json();
    expect(res.items.map((h: { id: string }) => h.id)).toEqual([householdId]);
    expect(res.items[0].members).toEqual(['王秀英']);
  });

  it('follows the life cycle and refuses an illegal event with the allowed ones', async () => {
    const url = `/api/v1/households/${householdId}/plaque-events`;
    const wrong = await klmy.post(url, { kind: 'reinstated', eventDate: '2026-07-25' });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().allowed).toEqual(['issued']);
    expect(wrong.json().detail).toContain('未悬挂');
    const hung = await klmy.post(url, { kind: 'issued', eventDate: '2026-07-25', hungBy: '区局张科长、人武部李干事' });
    expect(hung.json().plaqueStatus).toBe('hung');
    expect((await klmy.post(url, { kind: 'cancelled', eventDate: '2026-08-01' })).statusCode).toBe(400);
    const cancelled = await klmy.post(url, { kind: 'cancelled', eventDate: '2026-08-01', reason: 'dishonest_list' });
    expect(cancelled.json().plaqueStatus).toBe('cancelled');
    const back = await klmy.post(url, { kind: 'reinstated', eventDate: '2026-09-01' });
    expect(back.json().plaqueStatus).toBe('hung');
    expect(back.json().plaqueEvents.map((e: { kind: string }) => e.kind)).toEqual([
      'issued',
      'cancelled',
      'reinstated',
    ]);
    expect((await klmy.get('/api/v1/households?plaqueEligible=true&plaqueStatus=none')).json().total).toBe(0);
  });

  it('records couplets once per household and year', async () => {
    const url = `/api/v1/households/${householdId}/couplets`;
    expect(
      (await klmy.post(url, { year: 2026, deliveredAt: '2026-02-10', deliveredBy: '社区网格员' })).statusCode,
    ).toBe(200);
    expect((await klmy.post(url, { year: 2026, deliveredAt: '2026-02-11' })).statusCode).toBe(409);
  });
});

describe('立功喜报', () => {
  it('computes the register deadline in working days and walks the workflow in order', async () => {
    const created = await klmy.post('/api/v1/citations', {
      householdId,
      memberName: '王小兵',
      unitCodeName: '驻市部队甲',
      awardLevel: 'third_class',
      awardYear: 2026,
      receivedAt: '2026-02-12',
    });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ status: 'received', registerDeadline: '2026-02-26', overdue: true });
    const skip = await klmy.post(`/api/v1/citations/${c.id}/advance`, {
      version: 1,
      step: 'deliver',
      date: '2026-02-13',
    });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().allowed).toEqual(['register']);
    let v = 1;
    for (const step of ['register', 'verify_address', 'deliver', 'report']) {
      const res = await klmy.post(`/api/v1/citations/${c.id}/advance`, {
        version: v,
        step,
        date: '2026-02-13',
        ...(step === 'deliver' ? { deliverers: '区局局长、人武部部长', rewardFen: 200000 } : {}),
      });
      expect(res.statusCode, step).toBe(200);
      v = res.json().version;
    }
    const detail = (await klmy.get(`/api/v1/households/${householdId}`)).json();
    expect(detail.citations[0]).toMatchObject({ status: 'reported', rewardFen: 200000, overdue: false });
  });

  it('lists every citation with its household, the unregistered by deadline first, filterable by due and overdue', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const due = await klmy.post('/api/v1/citations', {
      householdId,
      memberName: '王二兵',
      awardLevel: 'second_class',
      awardYear: 2026,
      receivedAt: today,
    });
    expect(due.statusCode).toBe(201);
    const overdue = await klmy.post('/api/v1/citations', {
      householdId,
      memberName: '王三兵',
      awardLevel: 'third_class',
      awardYear: 2025,
      receivedAt: '2025-03-03',
    });
    const all = (await klmy.get('/api/v1/citations')).json();
    expect(all.items.map((c: { memberName: string }) => c.memberName)).toEqual(['王三兵', '王二兵', '王小兵']);
    expect(all.items[0]).toMatchObject({
      householdLabel: '王秀英家（胜利社区）',
      orgName: '胜利社区退役军人服务站',
      overdue: true,
      due: false,
    });
    expect(all.items[1]).toMatchObject({ overdue: false, due: true, status: 'received' });
    expect(all.items[2]).toMatchObject({ overdue: false, due: false, status: 'reported' });
    const names = async (q: string) =>
      (await klmy.get(`/api/v1/citations?${q}`)).json().items.map((c: { memberName: string }) => c.memberName);
    expect(await names('overdue=true')).toEqual(['王三兵']);
    expect(await names('pending=true')).toEqual(['王三兵', '王二兵']);
    expect(await names('pending=true&overdue=false')).toEqual(['王二兵']);
    expect(await names('year=2025')).toEqual(['王三兵']);
    expect(await names('status=reported')).toEqual(['王小兵']);
    const street = await orgId(env.p, '650200/650203/650203001/');
    expect(await names(`orgId=${street}`)).toEqual([]);
    expect(overdue.statusCode).toBe(201);
  });

  it('labels households by the head’s name and community, masked for the city’s read-only roles', async () => {
    const own = (await klmy.get('/api/v1/households?plaqueEligible=true')).json();
    expect(own.items[0]).toMatchObject({ label: '王秀英家（胜利社区）', members: ['王秀英'] });
    expect((await klmy.get(`/api/v1/households/${householdId}`)).json().label).toBe('王秀英家（胜利社区）');
    const city = await signedIn(env.app, 'city', '10.5.0.3');
    const seen = (await city.get('/api/v1/households?plaqueEligible=true')).json();
    expect(seen.items[0]).toMatchObject({ label: '王＊＊家（胜利社区）', members: ['王＊＊'] });
    expect((await city.get('/api/v1/citations?overdue=true')).json().items[0].householdLabel).toBe(
      '王＊＊家（胜利社区）',
    );
  });

  it('keeps other districts out', async () => {
    const dsz = await signedIn(env.app, 'dsz', '10.5.0.2');
    expect((await dsz.get(`/api/v1/households/${householdId}`)).statusCode).toBe(404);
    expect(
      (await dsz.post(`/api/v1/households/${householdId}/couplets`, { year: 2027, deliveredAt: '2027-01-01' }))
        .statusCode,
    ).toBe(404);
    expect((await dsz.get('/api/v1/citations')).json().total).toBe(0);
  });
});
