import {
  CAMPAIGN_KINDS,
  CAMPAIGN_STATUSES,
  type CampaignStatus,
  DISPLAY_STATUSES,
  type DisplayStatus,
  RECIPIENT_GROUPS,
} from '@shuangyong/shared';
import { Tag } from 'antd';
import { label } from '../../i18n';
import styles from './campaigns.module.css';

export const KIND_OPTIONS = CAMPAIGN_KINDS.map((k) => ({ value: k, label: label('campaignKind', k) }));
export const CAMPAIGN_STATUS_OPTIONS = CAMPAIGN_STATUSES.map((s) => ({ value: s, label: label('campaignStatus', s) }));
export const DISPLAY_STATUS_OPTIONS = DISPLAY_STATUSES.map((s) => ({ value: s, label: label('assignmentStatus', s) }));
export const GROUP_OPTIONS = RECIPIENT_GROUPS.map((g) => ({ value: g, label: label('recipientGroup', g) }));

const CAMPAIGN_COLOR: Record<CampaignStatus, string> = { draft: 'default', issued: 'processing', closed: 'success' };

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  return (
    <Tag className={styles.tag} color={CAMPAIGN_COLOR[status]} data-testid="campaign-status" data-status={status}>
      {label('campaignStatus', status)}
    </Tag>
  );
}

/** Matrix colours: grey not started, blue in progress, gold submitted, orange returned, green accepted, red overdue. */
export const STATUS_COLOR: Record<DisplayStatus, string> = {
  not_started: 'default',
  in_progress: 'processing',
  submitted: 'gold',
  returned: 'orange',
  accepted: 'success',
  overdue: 'error',
};

export function AssignmentStatusTag({ status }: { status: DisplayStatus }) {
  return (
    <Tag className={styles.tag} color={STATUS_COLOR[status]} data-testid="assignment-status" data-status={status}>
      {label('assignmentStatus', status)}
    </Tag>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
