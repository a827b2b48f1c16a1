import {
  NEED_PRIORITIES,
  NEED_SOURCES,
  NEED_STATUSES,
  NEED_TAGS,
  type NeedPriority,
  type NeedStatus,
  type NeedTag,
  ORG_TYPE_SIDE,
  type OrgType,
} from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { type NeedCategory, needsApi } from '../../api/needs';
import { label } from '../../i18n';
import styles from './needs.module.css';

export const STATUS_OPTIONS = NEED_STATUSES.map((s) => ({ value: s, label: label('needStatus', s) }));
export const PRIORITY_OPTIONS = NEED_PRIORITIES.map((p) => ({ value: p, label: label('needPriority', p) }));
export const SOURCE_OPTIONS = NEED_SOURCES.map((s) => ({ value: s, label: label('needSource', s) }));
export const TAG_OPTIONS = NEED_TAGS.map((s) => ({ value: s, label: label('needTag', s) }));

const STATUS_COLOR: Record<NeedStatus, string | undefined> = {
  submitted: 'blue',
  accepted: 'cyan',
  declined: 'default',
  merged: 'default',
  assigned: 'geekblue',
  in_progress: 'processing',
  resolved: 'gold',
  confirmed: 'green',
  closed: 'success',
};

export function NeedStatusTag({ status }: { status: NeedStatus }) {
  return (
    <Tag className={styles.tag} color={STATUS_COLOR[status]} data-testid="need-status" data-status={status}>
      {label('needStatus', status)}
    </Tag>
  );
}

const PRIORITY_COLOR: Record<NeedPriority, string | undefined> = {
  normal: undefined,
  urgent: 'orange',
  critical: 'red',
};

export function PriorityTag({ priority }: { priority: NeedPriority }) {
  return (
    <Tag className={styles.tag} color={PRIORITY_COLOR[priority]}>
      {label('needPriority', priority)}
    </Tag>
  );
}

export function CampaignTags({ tags }: { tags: NeedTag[] }) {
  return (
    <>
      {tags.map((x) => (
        <Tag key={x} className={styles.tag} color="volcano">
          {label('needTag', x)}
        </Tag>
      ))}
    </>
  );
}

/** Is the signed-in org on the military side (it writes and reads military-only content)? */
export function isMilitaryOrg(type: OrgType): boolean {
  return ORG_TYPE_SIDE[type] === 'military';
}

/** The configurable category list (labels and deadlines) from the server. */
export function useCategories(): { categories: NeedCategory[]; labelOf: (code: string) => string } {
  const categories =
    useQuery({
      queryKey: ['need-categories'],
      queryFn: ({ signal }) => needsApi.categories({ signal }),
      staleTime: 5 * 60_000,
    }).data?.items ?? [];
  return {
    categories,
    labelOf: (code: string) => categories.find((c) => c.code === code)?.label ?? code,
  };
}
