import { DISPLAY_STATUSES, type DisplayStatus } from '@shuangyong/shared';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Segmented,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  type AssignmentListItem,
  type AssignmentQuery,
  assignmentsApi,
  type ReviewManyResult,
} from '../../api/campaigns';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { SelectionBar } from '../../components/SelectionBar';
import { t } from '../../i18n';
import { useIsMobile } from '../../lib/useIsMobile';
import styles from './campaigns.module.css';
import { AssignmentStatusTag, DISPLAY_STATUS_OPTIONS } from './labels';

/** 任务填报: an assignee's tasks (to report), or for the issuer every assignee's (to review). */
export function MyTasksPage() {
  const can = useCan();
  const isMobile = useIsMobile();
  const reviewer = can('campaign:manage');
  // a link may carry the status (the home page's to-dos) or a campaign and org (the cockpit's
  // completion bar); a reviewer otherwise starts on the reports to review
  const [params, setParams] = useSearchParams();
  const linked = params.get('status');
  const campaignId = params.get('campaignId') ?? undefined;
  const orgId = params.get('orgId') ?? undefined;
  const status =
    DISPLAY_STATUSES.find((s) => s === linked) ?? (reviewer && !campaignId && !orgId ? 'submitted' : undefined);
  const [query, setQuery] = useState<AssignmentQuery>({
    page: 1,
    pageSize: 20,
    ...(status ? { status } : {}),
    ...(campaignId ? { campaignId } : {}),
    ...(orgId ? { orgId } : {}),
  });
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['assignments', query],
    queryFn: ({ signal }) => assignmentsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const [selected, setSelected] = useState<AssignmentListItem[]>([]);
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reasonForm] = Form.useForm<{ reason: string }>();

  /** Reviews the chosen reports; rows another reviewer took or that changed are reported, the rest done. */
  async function review(decision: 'accept' | 'return', reason?: string) {
    setBusy(true);
    try {
      const { results } = await assignmentsApi.reviewMany(
        selected.map((a) => ({ id: a.id, version: a.version })),
        decision,
        reason,
      );
      report(results);
      setSelected([]);
      setReturning(false);
      await queryClient.invalidateQueries({ queryKey: ['assignments'] });
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  function report(results: ReviewManyResult['results']) {
    const failed = results.filter((r) => !r.ok);
    const ok = results.length - failed.length;
    if (!failed.length) {
      void message.success(t('wc.batchDone', { n: ok }));
      return;
    }
    const nameOf = (id: string) => selected.find((a) => a.id === id)?.orgName ?? id;
    modal.warning({
      title: t('web.batchResult', { ok, failed: failed.length }),
      content: (
        <ul data-testid="batch-failures">
          {failed.map((r) => (
            <li key={r.id}>{t('web.batchFailedRow', { name: nameOf(r.id), reason: r.message ?? r.code ?? '' })}</li>
          ))}
        </ul>
      ),
    });
  }

  const columns: TableColumnsType<AssignmentListItem> = [
    {
      title: t('wc.taskTitle'),
      dataIndex: 'taskTitle',
      render: (v: string, a) => (
        <Link to={`/assignments/${a.id}`} data-testid="task-row" data-id={a.id} data-org={a.orgName}>
          {v}
        </Link>
      ),
    },
    {
      title: t('wc.campaign'),
      dataIndex: 'campaignTitle',
      render: (v: string, a) => <Link to={`/campaigns/${a.campaignId}`}>{v}</Link>,
    },
    { title: t('wc.org'), dataIndex: 'orgName' },
    { title: t('wc.deadline'), dataIndex: 'deadline' },
    {
      title: t('wc.status'),
      dataIndex: 'displayStatus',
      render: (v: DisplayStatus) => <AssignmentStatusTag status={v} />,
    },
  ];

  return (
    <Card title={t('nav.campaignTasks')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.campaignTasks')} />
      <Flex wrap gap={8} className={styles.toolbar}>
        {reviewer && (
          <Segmented
            value={query.status === 'submitted' ? 'review' : 'all'}
            options={[
              { value: 'review', label: t('wc.toReview') },
              { value: 'all', label: t('wc.allTasks') },
            ]}
            onChange={(v) => setQuery((q) => ({ ...q, page: 1, status: v === 'review' ? 'submitted' : undefined }))}
          />
        )}
        {(query.campaignId || query.orgId) && (
          <Tag
            closable
            data-testid="task-filter"
            onClose={() => {
              setParams({}, { replace: true });
              setQuery((q) => ({ page: 1, pageSize: q.pageSize, status: q.status }));
            }}
          >
            {t('wc.filtered', {
              what: [data?.items[0]?.campaignTitle, query.orgId ? data?.items[0]?.orgName : undefined]
                .filter(Boolean)
                .join(' · '),
            })}
          </Tag>
        )}
        <Select
          allowClear
          className={styles.filter}
          options={DISPLAY_STATUS_OPTIONS}
          placeholder={t('wc.status')}
          value={query.status}
          onChange={(status?: DisplayStatus) => setQuery((q) => ({ ...q, page: 1, status }))}
        />
      </Flex>
      {reviewer && (
        <SelectionBar
          count={selected.length}
          onClear={() => setSelected([])}
          actions={
            <>
              <Button
                size="small"
                type="primary"
                loading={busy}
                onClick={() => void review('accept')}
                data-testid="batch-accept"
              >
                {t('wc.batchAccept')}
              </Button>
              <Button size="small" danger onClick={() => setReturning(true)} data-testid="batch-return">
                {t('wc.batchReturn')}
              </Button>
            </>
          }
        />
      )}
      <Table<AssignmentListItem>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        rowSelection={
          reviewer
            ? {
                selectedRowKeys: selected.map((a) => a.id),
                getCheckboxProps: (a) => ({ disabled: a.status !== 'submitted', 'aria-label': a.orgName }),
                onChange: (_keys, rows) => setSelected(rows),
              }
            : undefined
        }
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="task-table"
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: data?.total ?? 0,
          simple: isMobile,
          showTotal: (total) => t('web.total', { total }),
          onChange: (page, pageSize) => setQuery((s) => ({ ...s, page: pageSize === s.pageSize ? page : 1, pageSize })),
        }}
      />
      {returning && (
        <FormModal
          title={t('wc.batchReturnTitle', { n: selected.length })}
          onCancel={() => setReturning(false)}
          confirmLoading={busy}
          onOk={async () => {
            const { reason } = await reasonForm.validateFields();
            await review('return', reason.trim());
          }}
          okButtonProps={{ danger: true, 'data-testid': 'batch-return-confirm' } as never}
        >
          <Typography.Paragraph type="secondary">{t('wc.batchReturnHint')}</Typography.Paragraph>
          <Form form={reasonForm} layout="vertical">
            <Form.Item
              name="reason"
              label={t('wc.returnReason')}
              rules={[{ required: true, whitespace: true, message: t('wc.required') }]}
            >
              <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} data-testid="batch-return-reason" />
            </Form.Item>
          </Form>
        </FormModal>
      )}
    </Card>
  );
}
