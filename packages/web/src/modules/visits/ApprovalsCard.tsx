import type { Visit } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type ApprovalFilter, visitsApi } from '../../api/visits';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { formatFen } from '../../lib/money';
import { VisitPhotos } from './VisitPhotos';

const STATUS_COLOR: Record<Visit['approvalStatus'], string> = {
  none: 'default',
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
};

export function ApprovalTag({ status }: { status: Visit['approvalStatus'] }) {
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="approval-status" data-status={status}>
      {t(`web.visits.approval.${status}`)}
    </Tag>
  );
}

interface Deciding {
  visit: Visit;
  decision: 'approve' | 'reject';
}

/**
 * Visits above a hard cap wait here for a holder of `visit:approve` (never their author — the
 * server refuses that); a rejection needs a reason. Decided visits stay listed under their filter.
 */
export function ApprovalsCard({ campaignId }: { campaignId: string }) {
  const { message } = App.useApp();
  const can = useCan();
  const [filter, setFilter] = useState<ApprovalFilter>('pending');
  const queryClient = useQueryClient();
  const key = ['visit-approvals', campaignId, filter];
  // a work queue others add to: every switch of the filter asks the server again
  const list = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => visitsApi.byApproval(campaignId, filter, { signal }),
    staleTime: 0,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ note?: string }>();

  const open = (visit: Visit, decision: Deciding['decision']) => {
    form.resetFields();
    setDeciding({ visit, decision });
  };

  const decide = async ({ note }: { note?: string }) => {
    if (!deciding) return;
    setSaving(true);
    try {
      const updated = await visitsApi.decide(deciding.visit, deciding.decision, note?.trim() || undefined);
      // the decided row stays in place with its new status until the list is reloaded
      queryClient.setQueryData(key, (page: typeof list.data) =>
        page ? { ...page, items: page.items.map((x) => (x.id === updated.id ? updated : x)) } : page,
      );
      void queryClient.invalidateQueries({ queryKey: ['visit-spending', campaignId] });
      message.success(
        t(deciding.decision === 'approve' ? 'web.visits.approval.approvedMsg' : 'web.visits.approval.rejectedMsg'),
      );
      setDeciding(null);
    } catch {
      // shown by the global handler
    } finally {
      setSaving(false);
    }
  };

  const approver = can('visit:approve');
  return (
    <Card
      size="small"
      title={t('web.visits.approval.title')}
      data-testid="approvals"
      extra={
        <Segmented<ApprovalFilter>
          value={filter}
          onChange={setFilter}
          data-testid="approval-filter"
          options={(['pending', 'approved', 'rejected'] as const).map((s) => ({
            value: s,
            label: t(`web.visits.approval.${s}`),
          }))}
        />
      }
    >
      <Table<Visit>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: true }}
        loading={list.isPending}
        dataSource={items}
        locale={{
          emptyText: t(filter === 'pending' ? 'web.visits.approval.nonePending' : 'web.visits.approval.empty'),
        }}
        footer={total > items.length ? () => t('web.visits.approval.more', { shown: items.length, total }) : undefined}
        columns={[
          { title: t('web.visits.approval.district'), render: (_, v) => v.districtName ?? '—' },
          { title: t('web.visits.target'), dataIndex: 'targetName' },
          { title: t('web.visits.visitedAt'), render: (_, v) => formatDateTime(v.visitedAt) },
          { title: t('web.visits.staff'), render: (_, v) => v.visitors.staff.join(t('web.enumSeparator')) },
          { title: t('web.visits.cash'), render: (_, v) => formatFen(v.cashFen), align: 'right' },
          { title: t('web.visits.money.goods'), render: (_, v) => formatFen(v.goodsFen), align: 'right' },
          {
            title: t('web.visits.approval.reasons'),
            render: (_, v) => (
              <Space direction="vertical" size={0}>
                {v.approvalReasons.map((r) => (
                  <Typography.Text key={r} type="danger">
                    {r}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          { title: t('web.visits.photo'), render: (_, v) => <VisitPhotos visit={v} /> },
          {
            title: t('web.visits.approval.status'),
            render: (_, v) => (
              <Space direction="vertical" size={0}>
                <ApprovalTag status={v.approvalStatus} />
                {v.approvedBy && <Typography.Text type="secondary">{v.approvedBy}</Typography.Text>}
              </Space>
            ),
          },
          ...(approver
            ? [
                {
                  title: '',
                  render: (_: unknown, v: Visit) =>
                    v.approvalStatus === 'pending' ? (
                      <Space>
                        <Button size="small" type="primary" onClick={() => open(v, 'approve')} data-testid="approve">
                          {t('web.visits.approval.approve')}
                        </Button>
                        <Button size="small" danger onClick={() => open(v, 'reject')} data-testid="reject">
                          {t('web.visits.approval.reject')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!deciding}
        title={t(
          deciding?.decision === 'reject' ? 'web.visits.approval.rejectTitle' : 'web.visits.approval.approveTitle',
        )}
        okText={t(deciding?.decision === 'reject' ? 'web.visits.approval.reject' : 'web.visits.approval.approve')}
        okButtonProps={{ danger: deciding?.decision === 'reject', loading: saving }}
        onOk={() => form.submit()}
        onCancel={() => setDeciding(null)}
        forceRender
      >
        {deciding && (
          <Typography.Paragraph>
            {t('web.visits.approval.summary', {
              name: deciding.visit.targetName,
              cash: formatFen(deciding.visit.cashFen),
              goods: formatFen(deciding.visit.goodsFen),
            })}
          </Typography.Paragraph>
        )}
        <Form form={form} layout="vertical" onFinish={decide}>
          <Form.Item
            name="note"
            label={t(deciding?.decision === 'reject' ? 'web.visits.approval.reason' : 'web.visits.approval.note')}
            rules={
              deciding?.decision === 'reject'
                ? [{ required: true, whitespace: true, message: t('web.visits.approval.reasonRequired') }]
                : []
            }
          >
            <Input.TextArea rows={3} maxLength={500} data-testid="decision-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
