import { UploadOutlined } from '@ant-design/icons';
import type { CampaignAction } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Flex, Form, Input, InputNumber, List, Tabs, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { campaignsApi } from '../../api/campaigns';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import styles from './campaigns.module.css';
import { Inspections } from './Inspections';
import { AssignmentStatusTag, CampaignStatusTag, formatSize } from './labels';

const NEXT_ACTION: Record<string, CampaignAction> = { draft: 'issue', issued: 'close', closed: 'reopen' };

/** `/campaigns/:id`: the notice, its work items and tasks with each assignee's status, supervision, reminders. */
export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [copying, setCopying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [copyForm] = Form.useForm<{ title: string; shiftDays: number }>();
  const query = useQuery({
    queryKey: ['campaign', id],
    queryFn: ({ signal }) => campaignsApi.get(id, { signal, quiet: true }),
  });
  const issued = !!query.data && query.data.status !== 'draft';
  const reminders =
    useQuery({
      queryKey: ['campaign-reminders', id],
      queryFn: ({ signal }) => campaignsApi.reminders(id, { signal }),
      enabled: issued,
    }).data ?? [];
  const load = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['campaign', id] }),
      queryClient.invalidateQueries({ queryKey: ['campaign-reminders', id] }),
      queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
    ]);

  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} backTo="/campaigns" backLabel={t('wc.backToList')} />;
  const c = query.data;

  const manage = can('campaign:manage') && c.issuerView;
  const action = NEXT_ACTION[c.status]!;
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await fn();
      if (done) void message.success(done);
      await load();
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  };

  const tasksTab = (
    <>
      {c.items.map((item) => (
        <Card
          key={item.id}
          size="small"
          className={styles.item}
          title={`${item.ordinal}. ${item.title}`}
          data-testid="campaign-item"
        >
          {item.body && item.body !== item.title && <p className={styles.pre}>{item.body}</p>}
          {item.tasks.map((tk) => (
            <Card
              key={tk.id}
              size="small"
              type="inner"
              className={styles.taskCard}
              title={tk.title}
              data-testid="campaign-task"
            >
              <Flex wrap gap={16} className={styles.muted}>
                <span>{t('wc.deadlineValue', { date: tk.deadline })}</span>
                {tk.figures.length > 0 && (
                  <span>{t('wc.figuresValue', { list: tk.figures.map((f) => f.label).join('、') })}</span>
                )}
                {tk.requireAttachment && <span>{t('wc.requireAttachment')}</span>}
              </Flex>
              <Flex wrap gap={6} style={{ marginTop: 8 }}>
                {tk.assignments.map((a) => (
                  <Link
                    key={a.id}
                    to={`/assignments/${a.id}`}
                    data-testid="assignment-link"
                    data-org={a.orgName}
                    data-status={a.displayStatus}
                  >
                    {a.orgName} <AssignmentStatusTag status={a.displayStatus} />
                  </Link>
                ))}
              </Flex>
            </Card>
          ))}
        </Card>
      ))}
      {c.requirements.length > 0 && (
        <Card size="small" title={t('wc.requirements')} className={styles.item}>
          <ol>
            {c.requirements.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ol>
        </Card>
      )}
      {c.files.length > 0 && (
        <List
          size="small"
          header={t('wc.files')}
          dataSource={c.files}
          renderItem={(f) => (
            <List.Item>
              <Button type="link" onClick={() => void campaignsApi.downloadFile(f).catch(() => undefined)}>
                {f.name}
              </Button>
              <span className={styles.muted}>{formatSize(f.size)}</span>
            </List.Item>
          )}
        />
      )}
    </>
  );

  return (
    <Card data-testid="campaign-detail" data-id={c.id} data-status={c.status}>
      <DocTitle title={c.title} />
      <Flex wrap gap={8} align="center" className={styles.toolbar}>
        <BackButton fallback="/campaigns" label={t('wc.backToList')} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {c.title}
        </Typography.Title>
        <CampaignStatusTag status={c.status} />
      </Flex>
      <Flex wrap gap={8} className={styles.toolbar}>
        {manage && (
          <Button
            type={action === 'issue' ? 'primary' : 'default'}
            loading={busy}
            onClick={() => run(() => campaignsApi.act(c.id, c.version, action), label('campaignAction', action))}
            data-testid={`campaign-${action}`}
          >
            {label('campaignAction', action)}
          </Button>
        )}
        {c.status !== 'draft' && (
          <Button onClick={() => navigate(`/campaigns/${c.id}/dashboard`)} data-testid="campaign-dashboard">
            {t('wc.dashboard')}
          </Button>
        )}
        {manage && (
          <Button
            onClick={() => {
              copyForm.setFieldsValue({ title: c.title, shiftDays: 365 });
              setCopying(true);
            }}
            data-testid="campaign-copy"
          >
            {t('wc.copy')}
          </Button>
        )}
        {c.status !== 'draft' && (
          <Button onClick={() => void campaignsApi.exportReport(c.id).catch(() => undefined)}>
            {t('wc.exportReport')}
          </Button>
        )}
        {manage && c.status !== 'closed' && (
          <Upload
            showUploadList={false}
            beforeUpload={(file) => {
              void run(() => campaignsApi.uploadFile(c.id, file), t('wc.uploaded'));
              return false;
            }}
          >
            <Button icon={<UploadOutlined />}>{t('wc.uploadAttachment')}</Button>
          </Upload>
        )}
      </Flex>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} className={styles.toolbar}>
        <Descriptions.Item label={t('wc.docNumber')}>{c.docNumber ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('wc.kind')}>{label('campaignKind', c.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('wc.issuers')}>{c.issuers.join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('wc.issueDate')}>{c.issueDate ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('wc.recipients')}>{c.recipients.join('、') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('wc.completion')}>
          {t('wc.countsLine', { accepted: c.counts.accepted, assigned: c.counts.assigned, overdue: c.counts.overdue })}
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          { key: 'tasks', label: t('wc.tabTasks'), children: tasksTab },
          ...(c.status !== 'draft'
            ? [{ key: 'inspections', label: t('wc.tabInspections'), children: <Inspections campaign={c} /> }]
            : []),
          ...(c.status !== 'draft'
            ? [
                {
                  key: 'reminders',
                  label: t('wc.tabReminders'),
                  children: (
                    <List
                      size="small"
                      dataSource={reminders}
                      locale={{ emptyText: t('wc.noReminders') }}
                      renderItem={(r) => (
                        <List.Item>
                          <Flex vertical>
                            <span>
                              {label('reminderKind', r.kind)} · {r.orgName} · {formatDateTime(r.createdAt)}
                              {r.createdBy ? ` · ${r.createdBy}` : ''}
                            </span>
                            <span className={styles.muted}>{r.message}</span>
                          </Flex>
                        </List.Item>
                      )}
                    />
                  ),
                },
              ]
            : []),
          ...(c.fullText
            ? [{ key: 'text', label: t('wc.tabFullText'), children: <pre className={styles.pre}>{c.fullText}</pre> }]
            : []),
        ]}
      />
      {copying && (
        <FormModal
          title={t('wc.copy')}
          onCancel={() => setCopying(false)}
          onOk={async () => {
            const v = await copyForm.validateFields();
            try {
              const next = await campaignsApi.copy(c.id, v);
              setCopying(false);
              navigate(`/campaigns/${next.id}`);
            } catch {
              // shown by the global handler
            }
          }}
        >
          <Form form={copyForm} layout="vertical">
            <Form.Item name="title" label={t('wc.title')} rules={[{ required: true, message: t('wc.required') }]}>
              <Input />
            </Form.Item>
            <Form.Item name="shiftDays" label={t('wc.shiftDays')}>
              <InputNumber min={-3660} max={3660} />
            </Form.Item>
          </Form>
        </FormModal>
      )}
    </Card>
  );
}
