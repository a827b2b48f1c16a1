import { LockOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Image, Tag, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { troopsApi } from '../../api/troops';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { formatFen } from '../../lib/money';
import { hours, REACHED_LABELS } from './labels';

/** `/troops/:id`: one activity; the military-only section exists only in the military side's answer. */
export function ActivityPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['troop-activities', id],
    queryFn: ({ signal }) => troopsApi.get(id, { signal }),
  });
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} backTo="/troops" backLabel={t('web.troops.title')} />;
  const a = query.data;
  const military = 'participantNames' in a;
  const reached = REACHED_LABELS.filter(({ group }) => a.reached[group] > 0);
  return (
    <Card
      title={
        <Flex align="center" gap={8} wrap>
          <BackButton fallback="/troops" label={t('web.troops.title')} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="activity-title">
            {a.typeLabel}
          </Typography.Title>
          {a.status === 'withdrawn' ? <Tag color="red">{label('troops.status', a.status)}</Tag> : null}
        </Flex>
      }
    >
      <DocTitle title={`${a.typeLabel} ${a.occurredOn}`} />
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered data-testid="activity-detail">
        <Descriptions.Item label={t('web.troops.col.unit')}>{a.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('web.troops.f.date')}>
          {a.occurredOn}（{hours(a.durationMinutes)}）
        </Descriptions.Item>
        <Descriptions.Item label={t('web.troops.col.place')}>
          {label('troops.place', a.placeKind)} · {[a.placeOrgName, a.placeName].filter(Boolean).join(' · ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('web.troops.f.participants')}>{a.participants}</Descriptions.Item>
        <Descriptions.Item label={t('web.troops.f.reached')}>
          {reached.length
            ? reached.map(({ group, label: l }) => (
                <Tag key={group}>
                  {l} {a.reached[group]}
                </Tag>
              ))
            : '—'}
        </Descriptions.Item>
        {a.patientsSeen ? (
          <Descriptions.Item label={t('web.troops.f.patients')}>{a.patientsSeen}</Descriptions.Item>
        ) : null}
        {a.lessonsTaught ? (
          <Descriptions.Item label={t('web.troops.f.lessons')}>{a.lessonsTaught}</Descriptions.Item>
        ) : null}
        {a.serviceMinutes ? (
          <Descriptions.Item label={t('web.troops.f.serviceHours')}>{hours(a.serviceMinutes)}</Descriptions.Item>
        ) : null}
        {a.items ? (
          <Descriptions.Item label={t('web.troops.f.items')}>
            {a.items}
            {a.itemsValueFen ? `（${formatFen(a.itemsValueFen)}）` : ''}
          </Descriptions.Item>
        ) : null}
        {a.counterpartOrg || a.counterpartContact ? (
          <Descriptions.Item label={t('web.troops.f.counterpartOrg')}>
            {[a.counterpartOrg, a.counterpartContact].filter(Boolean).join(' · ')}
          </Descriptions.Item>
        ) : null}
        {a.summary ? <Descriptions.Item label={t('web.troops.f.summary')}>{a.summary}</Descriptions.Item> : null}
        <Descriptions.Item label={t('web.troops.recordedAt')}>{formatDateTime(a.createdAt)}</Descriptions.Item>
      </Descriptions>
      {a.photos.length ? (
        <Image.PreviewGroup>
          <Flex gap={8} wrap style={{ marginTop: 16 }} data-testid="activity-photos-list">
            {a.photos.map((p) => (
              <Flex key={p.id} vertical gap={4} style={{ width: 120 }}>
                <Image
                  src={troopsApi.photoUrl(a.id, p.id)}
                  alt={p.caption || p.fileName}
                  width={120}
                  height={90}
                  style={{ objectFit: 'cover' }}
                />
                {p.militaryOnly ? <Tag icon={<LockOutlined />}>{t('web.troops.militaryOnly')}</Tag> : null}
                {p.findings?.length ? (
                  <Tag color="orange">{t('web.troops.findingsN', { n: p.findings.length })}</Tag>
                ) : null}
              </Flex>
            ))}
          </Flex>
        </Image.PreviewGroup>
      ) : null}
      {military ? (
        <Card
          size="small"
          type="inner"
          style={{ marginTop: 16 }}
          data-testid="activity-military"
          title={
            <Flex gap={6} align="center">
              <LockOutlined />
              {t('web.troops.militaryOnly')}
            </Flex>
          }
        >
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('web.troops.f.participantNames')}>
              {a.participantNames?.length ? a.participantNames.join('、') : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('web.troops.f.militaryNote')}>{a.militaryNote || '—'}</Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}
    </Card>
  );
}
