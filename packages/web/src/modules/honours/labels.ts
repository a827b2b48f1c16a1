import { AWARD_LEVELS, PLAQUE_CANCEL_REASONS, PLAQUE_EVENT_KINDS } from '@shuangyong/shared';
import { label } from '../../i18n';

export const PLAQUE_EVENT_OPTIONS = PLAQUE_EVENT_KINDS.map((k) => ({ value: k, label: label('plaqueEvent', k) }));
export const PLAQUE_REASON_OPTIONS = PLAQUE_CANCEL_REASONS.map((r) => ({ value: r, label: label('plaqueReason', r) }));
export const AWARD_LEVEL_OPTIONS = AWARD_LEVELS.map((a) => ({ value: a, label: label('awardLevel', a) }));
