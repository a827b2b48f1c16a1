import { idChecksum } from '@shuangyong/shared';

/** A valid 18-digit ID number (GB 11643 checksum) for a region, birth date and sequence. */
export function makeId(region: string, birth: string, seq: number, sex: 'male' | 'female' = 'male'): string {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (sex === 'male')) s = (s + 1) % 1000;
  const first17 = `${region}${birth.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
  return first17 + idChecksum(first17);
}

export const martyrSurvivor = (startDate = '2010-01-01') => [
  { code: 'martyr_survivor', startDate, relation: 'mother' },
];
