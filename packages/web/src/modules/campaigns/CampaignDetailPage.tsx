import { ArrowLeftOutlined, UploadOutlined } from '@ant-design/icons';
import type { CampaignAction } from '@shuangyong/shared';
import {
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Result,
  Skeleton,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useBack } from '../../lib/useBack';
import { type CampaignDetail, type CampaignReminder, campaignsApi } from './api';
import styles from './campaigns.module.css';
import { Inspections } from './Inspections';
import { AssignmentStatusTag, CampaignStatusTag, formatSize } from './labels';

const NEXT_ACTION: Record<string, CampaignAction> = { draft: 'issue', issued: 'close', closed: 'reopen' };

/** `/campaigns/:id`: the notice, its work items and tasks with each assignee's status, supervision, reminders. */
export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const back = useBack('/campaigns');
  const { message } = App.useApp();
  const [c, setC] = useState<CampaignDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reminders, setReminders] = useState<CampaignReminder[]>([]);
  const [copying, setCopying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [copyForm] = Form.useForm<{ title: string; shiftDays: number }>();

  const load = useCallback(async () => {
    try {
      const next = await campaignsApi.get(id, true);
      setC(next);
      setError(null);
      if (next.status !== 'draft') setReminders(await campaignsApi.reminders(id));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, [id]);

  useEffect(() => {
    setC(null);
    void load();
  }, [load]);

  if (error && !c)
    return (
      <Card>
        <Result
          status={error.status === 404 ? '404' : error.status === 403 ? '403' : 'error'}
          title={error.display}
          extra={<Button onClick={() => navigate('/campaigns')}>{t('wc.backToList')}</Button>}
        />
      </Card>
    );
  if (!c)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );

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
              <Button type="link" onClick={() => void campaignsApi.downloadFile(f)}>
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
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('wc.backToList')} />
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
          <Button onClick={() => void campaignsApi.exportReport(c.id)}>{t('wc.exportReport')}</Button>
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
