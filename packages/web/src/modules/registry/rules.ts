import type { Rule } from 'antd/es/form';
import { t } from '../../i18n';

/** A reason for seeing or exporting full personal data: 2–200 characters after trimming. */
export const REASON_RULES: Rule[] = [
  {
    validator: (_, value: string | undefined) => {
      const n = [...(value ?? '').trim()].length;
      if (n === 0) return Promise.reject(new Error(t('beneficiaries.reasonRequired')));
      if (n < 2 || n > 200) return Promise.reject(new Error(t('beneficiaries.reasonLength')));
      return Promise.resolve();
    },
  },
];
