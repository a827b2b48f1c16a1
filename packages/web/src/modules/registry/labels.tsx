import {
  BENEFICIARY_STATUSES,
  type BeneficiaryStatus,
  CATEGORIES,
  type CategoryCode,
  PLAQUE_STATUSES,
  RELATION_CODES,
  SERVICE_MEMBER_KINDS,
} from '@shuangyong/shared';
import { Flex, Tag } from 'antd';
import type { PlaqueStatus } from '../../api/beneficiaries';
import { label, t } from '../../i18n';
import styles from './registry.module.css';

/** Category options grouped by level (who the person is / the groups paid every year). */
export const CATEGORY_OPTIONS = [
  {
    label: t('beneficiaries.categoryTop'),
    title: t('beneficiaries.categoryTop'),
    options: CATEGORIES.filter((c) => c.level === 1).map((c) => ({ value: c.code, label: t(c.labelKey) })),
  },
  {
    label: t('beneficiaries.categoryGroup'),
    title: t('beneficiaries.categoryGroup'),
    options: CATEGORIES.filter((c) => c.level === 2).map((c) => ({ value: c.code, label: t(c.labelKey) })),
  },
];

export const STATUS_OPTIONS = BENEFICIARY_STATUSES.map((s) => ({ value: s, label: label('status', s) }));
export const PLAQUE_OPTIONS = PLAQUE_STATUSES.map((s) => ({ value: s, label: label('plaqueStatus', s) }));
export const RELATION_OPTIONS = RELATION_CODES.map((r) => ({ value: r, label: label('relation', r) }));
export const SERVICE_MEMBER_KIND_OPTIONS = SERVICE_MEMBER_KINDS.map((k) => ({
  value: k,
  label: label('serviceMemberKind', k),
}));

const STATUS_COLOR: Record<BeneficiaryStatus, string | undefined> = {
  active: 'green',
  deceased: undefined,
  moved_out: 'orange',
  suspended: 'red',
};

export function StatusTag({ status }: { status: BeneficiaryStatus }) {
  return (
    <Tag className={styles.tag} color={STATUS_COLOR[status]}>
      {label('status', status)}
    </Tag>
  );
}

const PLAQUE_COLOR: Record<PlaqueStatus, string | undefined> = {
  none: undefined,
  hung: 'red',
  taken_back: 'orange',
  cancelled: 'default',
};

export function PlaqueTag({ status }: { status: PlaqueStatus }) {
  return (
    <Tag className={styles.tag} color={PLAQUE_COLOR[status]} data-testid="plaque-status" data-status={status}>
      {label('plaqueStatus', status)}
    </Tag>
  );
}

export function CategoryTags({ codes }: { codes: readonly CategoryCode[] }) {
  return (
    <Flex gap={4} wrap>
      {codes.map((c) => (
        <Tag key={c} className={styles.tag} color="volcano">
          {label('category', c)}
        </Tag>
      ))}
    </Flex>
  );
}

/** A value or a dash. */
export function orDash(v: string | number | null | undefined): string | number {
  return v === null || v === undefined || v === '' ? t('web.none') : v;
}
