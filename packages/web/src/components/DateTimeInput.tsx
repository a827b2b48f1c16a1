import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import type { FocusEvent } from 'react';
import { t } from '../i18n';
import { DATE_TIME_SHOWN, isFutureDay, toWallMinutes, typedDateTime } from '../lib/dates';

/**
 * A date-time field whose value is wall-clock time in the display zone (`2025-01-20T10:05`), as a
 * Form.Item passes it. The antd picker (in Chinese) shows those digits whatever zone the device is
 * set to; `instantOfWall` (lib/zone.ts) turns the value into the instant to send.
 *
 * A time typed into the field is also committed when the field loses focus: the picker alone can
 * leave typed digits on screen while the form keeps the previous value (seen on a busy machine), and
 * what is saved must be what the person sees.
 */
export function DateTimeInput({
  value,
  onChange,
  allowFuture = false,
  ...rest
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  allowFuture?: boolean;
  'data-testid'?: string;
  id?: string;
}) {
  const onBlur = (e: FocusEvent<HTMLElement>) => {
    const typed = e.target instanceof HTMLInputElement ? typedDateTime(e.target.value, allowFuture) : undefined;
    if (typed && typed !== value) onChange?.(typed);
  };
  return (
    <DatePicker
      {...rest}
      showTime={{ format: 'HH:mm' }}
      format={DATE_TIME_SHOWN}
      style={{ width: '100%' }}
      placeholder={t('web.pickDateTime')}
      value={value ? dayjs(value) : null}
      disabledDate={allowFuture ? undefined : isFutureDay}
      onChange={(d) => onChange?.(d ? toWallMinutes(d) : undefined)}
      onBlur={onBlur}
      needConfirm={false}
    />
  );
}
