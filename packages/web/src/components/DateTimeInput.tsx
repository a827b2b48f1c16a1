import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { t } from '../i18n';
import { isFutureDay } from '../lib/dates';

/**
 * A date-time field whose value is wall-clock time in the display zone (`2025-01-20T10:05`), as a
 * Form.Item passes it. The antd picker (in Chinese) shows those digits whatever zone the device is
 * set to; `instantOfWall` (lib/zone.ts) turns the value into the instant to send.
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
  return (
    <DatePicker
      {...rest}
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      style={{ width: '100%' }}
      placeholder={t('web.pickDateTime')}
      value={value ? dayjs(value) : null}
      disabledDate={allowFuture ? undefined : isFutureDay}
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DDTHH:mm') : undefined)}
      needConfirm={false}
    />
  );
}
