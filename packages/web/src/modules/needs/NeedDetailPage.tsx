import { LockOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Flex,
  Rate,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type NeedDetail, needsApi } from '../../api/needs';
import { useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/useIsMobile';
import { CampaignTags, isMilitaryOrg, NeedStatusTag, PriorityTag, useCategories } from './labels';
import { type DialogKind, NeedActionModal } from './NeedActions';
import styles from './needs.module.css';

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);
/** Actions shown as buttons, in the order of the life cycle. */
const BUTTONS: DialogKind[] = [
  'acceptAssign',
  'accept',
  'assign',
  'start',
  'resolve',
  'confirm',
  'close',
  'reopen',
  'merge',
  'decline',
  'tag',
  'comment',
];

/** `/needs/:id`: the case, its handlers, deadline and timeline, and the actions the caller may take now. */
export function NeedDetailPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { labelOf } = useCategories();
  const military = isMilitaryOrg(me.org.type);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [uploadMilitary, setUploadMilitary] = useState(false);
  const key = ['need', id];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => needsApi.get(id, { signal, quiet: true }) });

  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} backTo="/needs" backLabel={t('needs.backToList')} />;

  const n = query.data;
  const reload = () => queryClient.invalidateQueries({ queryKey: key });
  const done = (next: NeedDetail) => {
    setDialog(null);
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: ['needs'] });
    void message.success(t('needs.done'));
  };
  // 受理并分派: city staff's one step, offered wherever 受理 is (the two-step path stays)
  const actions: string[] = [...n.actions, ...(n.actions.includes('accept') ? ['acceptAssign'] : [])];
  const buttons = BUTTONS.filter((a) => actions.includes(a));

  async function upload(file: File) {
    try {
      await needsApi.upload(n.id, file, n.actions.includes('resolve') ? 'evidence' : 'material', uploadMilitary);
      void message.success(t('needs.uploaded'));
      await reload();
    } catch {
      // reported by the API layer
    }
  }

  return (
    <Card
      styles={{ body: { padding: isMobile ? 12 : 24 } }}
      data-testid="need-detail"
      data-id={n.id}
      data-status={n.status}
    >
      <DocTitle title={t('needs.detail.title')} />
      <Flex wrap gap={8} align="center">
        <BackButton fallback="/needs" label={t('needs.backToList')} />
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="need-title">
          {n.title}
        </Typography.Title>
        <NeedStatusTag status={n.status} />
        <PriorityTag priority={n.priority} />
        <CampaignTags tags={n.tags} />
        {n.overdue && (
          <Tag color="red" data-testid="need-overdue">
            {t('needs.overdue')}
          </Tag>
        )}
      </Flex>
      {n.redacted && (
        <Alert
          className={styles.section}
          type="info"
          showIcon
          title={t('needs.redactedHint')}
          data-testid="need-redacted"
        />
      )}
      {buttons.length > 0 && (
        <Flex wrap gap={8} className={styles.actions} data-testid="need-actions">
          {buttons.map((a) => (
            <Button
              key={a}
              type={
                ['acceptAssign', 'assign', 'start', 'resolve', 'confirm', 'close'].includes(a) ? 'primary' : 'default'
              }
              danger={a === 'decline'}
              onClick={() => setDialog(a)}
              data-testid={`need-action-${a}`}
            >
              {a === 'acceptAssign' ? t('needs.acceptAssign') : label('needAction', a)}
            </Button>
          ))}
        </Flex>
      )}
      <Descriptions
        bordered
        size="small"
        className={styles.section}
        column={{ xs: 1, sm: 1, md: 2 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          { key: 'category', label: t('needs.field.category'), children: labelOf(n.category) },
          { key: 'source', label: t('needs.field.source'), children: label('needSource', n.source) },
          { key: 'org', label: t('needs.field.org'), children: n.orgName },
          { key: 'requester', label: t('needs.field.requester'), children: n.requesterName },
          { key: 'createdAt', label: t('needs.field.createdAt'), children: formatDateTime(n.createdAt) },
          {
            key: 'deadline',
            label: t('needs.field.deadline'),
            children: n.deadline ? (
              <span className={n.overdue ? styles.overdue : undefined} data-testid="need-deadline">
                {t('needs.field.deadlineValue', { date: n.deadline, days: n.deadlineDays ?? '' })}
              </span>
            ) : (
              t('needs.field.deadlinePending')
            ),
          },
          {
            key: 'handlers',
            label: t('needs.field.handlers'),
            span: 2,
            children: n.handlers.length ? (
              <Flex wrap gap={4} data-testid="need-handlers">
                {n.handlers.map((h) => (
                  <Tag key={h.orgId} color={h.role === 'lead' ? 'blue' : undefined}>
                    {label('needHandlerRole', h.role)}：{h.orgName}
                  </Tag>
                ))}
              </Flex>
            ) : (
              '—'
            ),
          },
          {
            key: 'description',
            label: t('needs.field.description'),
            span: 2,
            children: <div className={styles.pre}>{n.description}</div>,
          },
          ...(n.resolution
            ? [
                {
                  key: 'resolution',
                  label: t('needs.field.resolution'),
                  span: 2,
                  children: (
                    <div className={styles.pre} data-testid="need-resolution">
                      {n.resolution}
                      {n.resolvedOnTime !== null && (
                        <Tag color={n.resolvedOnTime ? 'green' : 'red'} style={{ marginInlineStart: 8 }}>
                          {n.resolvedOnTime ? t('needs.onTime') : t('needs.late')}
                        </Tag>
                      )}
                    </div>
                  ),
                },
              ]
            : []),
          ...(n.rating
            ? [
                {
                  key: 'rating',
                  label: t('needs.field.rating'),
                  span: 2,
                  children: (
                    <Flex wrap gap={8} align="center" data-testid="need-rating">
                      <Rate disabled value={n.rating} style={{ whiteSpace: 'nowrap' }} />
                      {n.ratingComment}
                    </Flex>
                  ),
                },
              ]
            : []),
          ...(n.declineReason
            ? [{ key: 'decline', label: t('needs.field.declineReason'), span: 2, children: n.declineReason }]
            : []),
          ...(n.reopenReason
            ? [{ key: 'reopen', label: t('needs.field.reopenReason'), span: 2, children: n.reopenReason }]
            : []),
          ...(n.mergedInto
            ? [
                {
                  key: 'mergedInto',
                  label: t('needs.field.mergedInto'),
                  span: 2,
                  children: <Link to={`/needs/${n.mergedInto}`}>{t('needs.field.openCase')}</Link>,
                },
              ]
            : []),
          ...(n.duplicates.length
            ? [
                {
                  key: 'duplicates',
                  label: t('needs.field.duplicates'),
                  span: 2,
                  children: (
                    <Flex wrap gap={8}>
                      {n.duplicates.map((d, i) => (
                        <Link key={d} to={`/needs/${d}`}>
                          {t('needs.field.duplicateN', { n: i + 1 })}
                        </Link>
                      ))}
                    </Flex>
                  ),
                },
              ]
            : []),
        ]}
      />
      {military && (
        <Card
          size="small"
          className={`${styles.section} ${styles.military}`}
          title={
            <Flex gap={6} align="center">
              <LockOutlined />
              {t('needs.military.title')}
            </Flex>
          }
          data-testid="need-military"
        >
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'detail',
                label: t('needs.military.detail'),
                children: <div className={styles.pre}>{dash(n.militaryDetail)}</div>,
              },
              { key: 'contact', label: t('needs.military.contact'), children: dash(n.militaryContact) },
            ]}
          />
        </Card>
      )}
      <Card
        size="small"
        className={styles.section}
        title={t('needs.attachments')}
        extra={
          n.actions.includes('attach') && (
            <Flex gap={8} align="center">
              {military && (
                <Checkbox checked={uploadMilitary} onChange={(e) => setUploadMilitary(e.target.checked)}>
                  {t('needs.uploadMilitaryOnly')}
                </Checkbox>
              )}
              <Upload
                accept=".pdf,.jpg,.jpeg,.png"
                showUploadList={false}
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <Button size="small" icon={<UploadOutlined />} data-testid="need-upload">
                  {t('needs.upload')}
                </Button>
              </Upload>
            </Flex>
          )
        }
      >
        {n.attachments.length ? (
          <Flex vertical gap={4} data-testid="need-attachments">
            {n.attachments.map((a) => (
              <Flex key={a.id} gap={8} align="center">
                <PaperClipOutlined />
                <Typography.Link onClick={() => void needsApi.downloadAttachment(n.id, a).catch(() => undefined)}>
                  {a.fileName}
                </Typography.Link>
                <Tag>{label('needAttachmentPurpose', a.purpose)}</Tag>
                {a.militaryOnly && <Tag color="volcano">{t('needs.attachmentMilitaryOnly')}</Tag>}
              </Flex>
            ))}
          </Flex>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('needs.noAttachments')} />
        )}
      </Card>
      <Card size="small" className={styles.section} title={t('needs.timeline')}>
        <Timeline
          data-testid="need-timeline"
          items={n.events.map((e) => ({
            key: e.id,
            color: e.kind === 'escalated' ? 'red' : e.militaryOnly ? 'orange' : undefined,
            content: (
              <div data-testid="need-event" data-kind={e.kind}>
                <Flex wrap gap={8} align="center">
                  <strong>{label('needEvent', e.kind)}</strong>
                  {e.toStatus && e.fromStatus !== e.toStatus && <NeedStatusTag status={e.toStatus} />}
                  {e.militaryOnly && <Tag color="volcano">{t('needs.attachmentMilitaryOnly')}</Tag>}
                  <span className={styles.muted}>
                    {formatDateTime(e.at)} {e.orgName ?? ''}{' '}
                    {e.actorName === 'system' ? t('needs.system') : (e.actorName ?? '')}
                  </span>
                </Flex>
                {e.note && <div className={styles.pre}>{e.note}</div>}
              </div>
            ),
          }))}
        />
      </Card>
      {dialog && (
        <NeedActionModal need={n} kind={dialog} military={military} onClose={() => setDialog(null)} onDone={done} />
      )}
    </Card>
  );
}
