import { afterEach, describe, expect, it } from 'vitest';
import { typedDateTime } from '../src/lib/dates';
import { dayEndIso, dayStartIso, formatDateTime } from '../src/lib/format';
import { instantOfWall, nowWallMinutes, setDisplayZone, todayInZone, wallOf } from '../src/lib/zone';

afterEach(() => setDisplayZone('Asia/Shanghai'));

describe('display zone (TZ_DISPLAY), whatever the device zone', () => {
  it('turns wall-clock time entered in the display zone into the instant it means', () => {
    expect(instantOfWall('2025-01-20T10:00')).toBe('2025-01-20T02:00:00.000Z');
    expect(instantOfWall('2025-01-20T10:00', 'Asia/Urumqi')).toBe('2025-01-20T04:00:00.000Z');
    expect(instantOfWall('2025-01-20')).toBe('2025-01-19T16:00:00.000Z');
    expect(instantOfWall('2025-01-20T23:59:59.999')).toBe('2025-01-20T15:59:59.999Z');
    expect(instantOfWall('20.01.2025')).toBeNull();
  });

  it('shows an instant as the display zone reads it, and round-trips', () => {
    expect(wallOf('2025-01-20T02:00:00.000Z')).toBe('2025-01-20T10:00:00');
    expect(formatDateTime('2025-01-20T02:00:00.000Z')).toBe('2025-01-20 10:00:00');
    for (const wall of ['2025-03-09T02:30:00', '2024-12-31T23:59:00', '2025-07-01T00:00:00'])
      expect(wallOf(instantOfWall(wall) ?? '')).toBe(wall);
  });

  it('follows the zone the server names, including zones with daylight saving', () => {
    setDisplayZone('America/New_York');
    // before and after the spring change (2025-03-09, UTC-5 → UTC-4)
    expect(instantOfWall('2025-03-08T12:00')).toBe('2025-03-08T17:00:00.000Z');
    expect(instantOfWall('2025-03-10T12:00')).toBe('2025-03-10T16:00:00.000Z');
    expect(formatDateTime('2025-03-10T16:00:00.000Z')).toBe('2025-03-10 12:00:00');
  });

  it('counts days and "now" in the display zone', () => {
    // 23:30 in Urumqi (UTC+6) is already the next day in Shanghai (UTC+8)
    const at = Date.parse('2025-01-20T17:30:00Z');
    expect(todayInZone(at)).toBe('2025-01-21');
    expect(todayInZone(at, 'Asia/Urumqi')).toBe('2025-01-20');
    expect(nowWallMinutes(at)).toBe('2025-01-21T01:30');
    expect(dayStartIso('2025-01-21')).toBe('2025-01-20T16:00:00.000Z');
    expect(dayEndIso('2025-01-21')).toBe('2025-01-21T15:59:59.999Z');
  });
});

describe('a date-time typed into a picker', () => {
  it('stands for the wall-clock value it shows, and nothing when incomplete or in the future', () => {
    expect(typedDateTime(' 2025-01-20 10:05 ', false)).toBe('2025-01-20T10:05');
    expect(typedDateTime('2025-01-20 10:5', false)).toBeUndefined();
    expect(typedDateTime('2025-02-30 10:05', false)).toBeUndefined();
    expect(typedDateTime('', false)).toBeUndefined();
    const tomorrow = `${new Date(Date.parse(`${todayInZone()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)} 09:00`;
    expect(typedDateTime(tomorrow, false)).toBeUndefined();
    expect(typedDateTime(tomorrow, true)).toBe(tomorrow.replace(' ', 'T'));
  });
});
