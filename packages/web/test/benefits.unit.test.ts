import { describe, expect, it } from 'vitest';
import { accountNoProblem } from '../src/modules/benefits/AccountPanel';
import { dueMonth } from '../src/modules/benefits/ConfirmationsPage';

describe('年度确认: the month whose list says who still owes this year’s confirmation', () => {
  it('is this month once the grace months are over, April before, a past year’s December', () => {
    expect(dueMonth(2027, '2027-06-15')).toBe('2027-06');
    expect(dueMonth(2027, '2027-04-01')).toBe('2027-04');
    // in the grace months last year's confirmation still holds: who will be held from April
    expect(dueMonth(2027, '2027-02-10')).toBe('2027-04');
    expect(dueMonth(2026, '2027-02-10')).toBe('2026-12');
  });
});

describe('发放账户: the account number as the form checks it', () => {
  it('takes 8–30 digits, spaces and dashes allowed, and says what is wrong in Chinese', () => {
    expect(accountNoProblem('6228 4800 1234 5678 901')).toBeNull();
    expect(accountNoProblem('6228-4800-1234')).toBeNull();
    expect(accountNoProblem('')).toBe('请填写银行账号');
    expect(accountNoProblem('   ')).toBe('请填写银行账号');
    expect(accountNoProblem('6222abc')).toBe('银行账号应为 8—30 位数字');
    expect(accountNoProblem('1234567')).toBe('银行账号应为 8—30 位数字');
    expect(accountNoProblem('1'.repeat(31))).toBe('银行账号应为 8—30 位数字');
  });
});
