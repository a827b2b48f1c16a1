import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Form, Input, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type AssignmentDetail, assignmentsApi, campaignsApi } from '../../api/campaigns';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import styles from './campaigns.module.css';
import { AssignmentStatusTag } from './labels';
import { ReportForm } from './ReportForm';

/** `/assignments/:id`: one org's task — report it, or review it, with the history of reports and reminders. */
export function AssignmentPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const key = ['assignment', id];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => assignmentsApi.get(id, { signal, quiet: true }) });

  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} backTo="/campaign-tasks" backLabel={t('wc.backToTasks')} />;

  const a = query.data;
  const setA = (next: AssignmentDetail) => {
    queryClient.setQueryData(key, next);
    void queryClient.invalidateQueries({ queryKey: ['assignments'] });
  };

  const can = (x: string) => a.allowed.includes(x);
  const review = async (decision: 'accept' | 'return', reason?: string) => {
    setBusy(true);
    try {
      setA(await assignmentsApi.review(a.id, a.version, decision, reason));
      void message.success(label('assignmentAction', decision));
      return true;
    } catch {
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card data-testid="assignment-detail" data-status={a.displayStatus}>
      <DocTitle title={a.task.title} />
      <Flex wrap gap={8} align="center" className={styles.toolbar}>
        <BackButton fallback="/campaign-tasks" label={t('wc.backToTasks')} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {a.task.title}
        </Typography.Title>
        <AssignmentStatusTag status={a.displayStatus} />
      </Flex>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} className={styles.toolbar}>
        <Descriptions.Item label={t('wc.campaign')}>
          <Link to={`/campaigns/${a.campaign.id}`}>{a.campaign.title}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('wc.item')}>{a.task.itemTitle}</Descriptions.Item>
        <Descriptions.Item label={t('wc.org')}>{a.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('wc.deadline')}>{a.task.deadline}</Descriptions.Item>
        {a.task.description && (
          <Descriptions.Item label={t('wc.taskDescription')} span={2}>
            {a.task.description}
          </Descriptions.Item>
        )}
        {a.metric && (
          <Descriptions.Item label={a.metric.label} span={2}>
            <span data-testid="assignment-metric">{a.metric.value}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
      {a.status === 'returned' && a.returnReason && (
        <Alert
          type="warning"
          showIcon
          className={styles.toolbar}
          title={t('wc.returnedBecause', { reason: a.returnReason })}
          data-testid="return-reason"
        />
      )}
      {(can('save') || can('submit')) && <ReportForm a={a} onChange={setA} />}
      {(can('accept') || can('return') || can('nudge')) && (
        <Flex gap={8} wrap className={styles.section}>
          {can('accept') && (
            <Button type="primary" loading={busy} onClick={() => void review('accept')} data-testid="review-accept">
              {label('assignmentAction', 'accept')}
            </Button>
          )}
          {can('return') && (
            <Button danger onClick={() => setReturning(true)} data-testid="review-return">
              {label('assignmentAction', 'return')}
            </Button>
          )}
          {can('nudge') && (
            <Button
              onClick={async () => {
                try {
                  await assignmentsApi.nudge(a.id);
                  void message.success(t('wc.nudged'));
                  await queryClient.invalidateQueries({ queryKey: key });
                } catch {
                  // shown by the global handler
                }
              }}
              data-testid="assignment-nudge"
            >
              {label('assignmentAction', 'nudge')}
            </Button>
          )}
        </Flex>
      )}
      <Typography.Title level={5} className={styles.section}>
        {t('wc.history')}
      </Typography.Title>
      <Timeline
        items={[
          ...a.reports.map((r) => ({
            key: r.id,
            color: r.review === 'accepted' ? 'green' : r.review === 'returned' ? 'orange' : 'blue',
            children: (
              <Flex vertical gap={4} data-testid="report-entry">
                <span>
                  {t('wc.submittedBy', { name: r.submittedBy, at: formatDateTime(r.submittedAt) })}
                  {r.late ? ` · ${t('wc.late')}` : ''}
                </span>
                {a.task.figures.length > 0 && (
                  <span className={styles.muted}>
                    {a.task.figures.map((f) => `${f.label}：${r.figures[f.key] ?? '—'}${f.unit ?? ''}`).join('；')}
                  </span>
                )}
                {r.narrative && <p className={styles.pre}>{r.narrative}</p>}
                {r.files.map((f) => (
                  <Button
                    key={f.id}
                    type="link"
                    size="small"
                    onClick={() => void campaignsApi.downloadFile(f)}
                    style={{ padding: 0 }}
                  >
                    {f.name}
                  </Button>
                ))}
                {r.review && (
                  <span className={styles.muted}>
                    {t(r.review === 'accepted' ? 'wc.reviewAccepted' : 'wc.reviewReturned', {
                      name: r.reviewedBy ?? '',
                      at: formatDateTime(r.reviewedAt),
                      reason: r.reviewReason ?? '',
                    })}
                  </span>
                )}
              </Flex>
            ),
          })),
          ...a.reminders.map((r) => ({
            key: r.id,
            color: 'gray',
            children: (
              <span className={styles.muted}>
                {label('reminderKind', r.kind)} · {formatDateTime(r.createdAt)}：{r.message}
              </span>
            ),
          })),
        ]}
      />
      {a.reports.length === 0 && a.reminders.length === 0 && <span className={styles.muted}>{t('wc.noHistory')}</span>}
      {returning && (
        <FormModal
          title={label('assignmentAction', 'return')}
          onCancel={() => setReturning(false)}
          onOk={async () => {
            const { reason } = await reasonForm.validateFields();
            if (await review('return', reason)) setReturning(false);
          }}
          okButtonProps={{ 'data-testid': 'return-confirm' } as never}
        >
          <Form form={reasonForm} layout="vertical">
            <Form.Item
              name="reason"
              label={t('wc.returnReason')}
              rules={[{ required: true, message: t('wc.required') }]}
            >
              <Input.TextArea autoSize={{ minRows: 3 }} data-testid="return-reason-input" />
            </Form.Item>
          </Form>
        </FormModal>
      )}
    </Card>
  );
}
