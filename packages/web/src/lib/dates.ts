import dayjs, { type Dayjs } from 'dayjs';

/** A DatePicker value → 'YYYY-MM-DD' (undefined when empty). */
export function toIsoDate(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DD') : undefined;
}

/** 'YYYY-MM-DD' → a DatePicker value. */
export function fromIsoDate(value: string | null | undefined): Dayjs | undefined {
  if (!value) return undefined;
  const d = dayjs(value);
  return d.isValid() ? d : undefined;
}

/** Today in the browser's calendar as 'YYYY-MM-DD'. */
export function todayIsoDate(): string {
  return dayjs().format('YYYY-MM-DD');
}
