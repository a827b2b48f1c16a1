import { PLACE_KINDS, REACHED_GROUPS } from '@shuangyong/shared';
import { label, t } from '../../i18n';

export const PLACE_OPTIONS = PLACE_KINDS.map((k) => ({ value: k, label: label('troops.place', k) }));
export const REACHED_LABELS = REACHED_GROUPS.map((g) => ({ group: g, label: label('troops.reached', g) }));

/** Minutes as hours for people ("3 小时", "1.5 小时"). */
export const hours = (minutes: number) => t('web.troops.hours', { n: Math.round((minutes / 60) * 10) / 10 });
