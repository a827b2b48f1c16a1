/** Full years of age on `today` (both 'YYYY-MM-DD'); null when the birth date is missing or malformed. */
export function ageOn(birth: string | null | undefined, today: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(birth ?? '');
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!b || !d) return null;
  const years = Number(d[1]) - Number(b[1]);
  const beforeBirthday = d[2]! + d[3]! < b[2]! + b[3]!;
  return years - (beforeBirthday ? 1 : 0);
}
