import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, InputNumber, Modal, Table, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type BudgetLine, type SpendingCell, visitsApi } from '../../api/visits';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import { formatFen, yuanToFen } from '../../lib/money';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import styles from './visits.module.css';

interface LineValues {
  orgId?: string;
  name: string;
  budget: number;
}

const overTag = (over: boolean, testId: string) =>
  over ? (
    <Tag color="red" data-testid={testId}>
      {t('web.visits.money.over')}
    </Tag>
  ) : null;

/** An amount, in red when it ran over its budget. */
function Amount({ fen, over, testId }: { fen: number; over: boolean; testId: string }) {
  return (
    <Typography.Text type={over ? 'danger' : undefined} strong={over} data-testid={testId}>
      {formatFen(fen)}
    </Typography.Text>
  );
}

interface EditValues {
  name: string;
  budget: number;
}

/** A budget line's name and budget (yuan), edited with its version; the spending stays. */
function LineEditor({ line, onClose }: { line: BudgetLine | null; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (line) form.setFieldsValue({ name: line.name, budget: line.budgetFen / 100 });
  }, [line, form]);
  const save = async (v: EditValues) => {
    if (!line) return;
    setSaving(true);
    try {
      await visitsApi.updateBudgetLine(line, { name: v.name, budgetFen: yuanToFen(v.budget) ?? 0 });
      void message.success(t('web.visits.money.lineSaved'));
      onClose(true);
    } catch {
      // shown by the global handler
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={!!line}
      title={t('web.visits.money.editLine')}
      okText={t('web.visits.money.saveLine')}
      okButtonProps={{ loading: saving, 'data-testid': 'line-save' }}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item
          name="name"
          label={t('web.visits.money.lineName')}
          rules={[{ required: true, whitespace: true, message: t('web.visits.money.lineNameRequired') }]}
        >
          <Input maxLength={64} data-testid="line-edit-name" />
        </Form.Item>
        <Form.Item
          name="budget"
          label={t('web.visits.money.budgetYuan')}
          rules={[{ required: true, message: t('web.visits.money.budgetRequired') }]}
        >
          <InputNumber min={0} max={1_000_000_000} precision={2} data-testid="line-edit-budget" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * What the campaign spent: per district against the budget of its lines, and per budget line;
 * over-budget rows stand out. Holders of `visit:approve` add and edit budget lines here.
 */
export function SpendingCard({ campaignId }: { campaignId: string }) {
  const { message } = App.useApp();
  const can = useCan();
  const manage = can('visit:approve');
  const { forest } = useOrgTree(false, manage && can('org:read'));
  const orgTree = useMemo(() => toSelectTree(forest), [forest]);
  const [form] = Form.useForm<LineValues>();
  const queryClient = useQueryClient();
  const spending = useQuery({
    queryKey: ['visit-spending', campaignId],
    queryFn: ({ signal }) => visitsApi.spending(campaignId, { signal }),
  });
  const byOrg: SpendingCell[] = spending.data?.byOrg ?? [];
  const lines: BudgetLine[] = spending.data?.budgetLines ?? [];
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState<BudgetLine | null>(null);
  const load = () => queryClient.invalidateQueries({ queryKey: ['visit-spending', campaignId] });

  const create = async (v: LineValues) => {
    setSaving(true);
    try {
      await visitsApi.createBudgetLine({
        campaignId,
        orgId: v.orgId || undefined,
        name: v.name,
        budgetFen: yuanToFen(v.budget) ?? 0,
      });
      void message.success(t('web.visits.money.lineCreated'));
      form.resetFields();
      await load();
    } catch {
      // shown by the global handler
    } finally {
      setSaving(false);
    }
  };

  return (
    <Flex vertical gap="middle">
      <Card
        size="small"
        title={t('web.visits.money.byOrg')}
        extra={
          <Button onClick={() => void spending.refetch()} loading={spending.isFetching}>
            {t('web.visits.money.refresh')}
          </Button>
        }
        data-testid="spending-by-org"
      >
        <Table<SpendingCell>
          size="small"
          rowKey="key"
          pagination={false}
          scroll={{ x: true }}
          loading={spending.isPending}
          dataSource={byOrg}
          columns={[
            { title: t('web.visits.money.org'), dataIndex: 'label' },
            { title: t('web.visits.money.visits'), dataIndex: 'visits', align: 'right' },
            { title: t('web.visits.cash'), render: (_, c) => formatFen(c.cashFen), align: 'right' },
            { title: t('web.visits.money.goods'), render: (_, c) => formatFen(c.goodsFen), align: 'right' },
            {
              title: t('web.visits.money.total'),
              render: (_, c) => <Amount fen={c.cashFen + c.goodsFen} over={c.over} testId="spending-total" />,
              align: 'right',
            },
            {
              title: t('web.visits.money.budget'),
              render: (_, c) => (c.budgetFen === null ? t('web.visits.money.noBudget') : formatFen(c.budgetFen)),
              align: 'right',
            },
            { title: '', render: (_, c) => overTag(c.over, 'spending-over') },
          ]}
        />
      </Card>
      <Card size="small" title={t('web.visits.money.lines')} data-testid="budget-lines">
        <Table<BudgetLine>
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={lines}
          columns={[
            { title: t('web.visits.money.org'), dataIndex: 'orgName' },
            { title: t('web.visits.money.lineName'), dataIndex: 'name' },
            { title: t('web.visits.money.budget'), render: (_, l) => formatFen(l.budgetFen), align: 'right' },
            {
              title: t('web.visits.money.spent'),
              render: (_, l) => <Amount fen={l.spentFen} over={l.over} testId="line-spent" />,
              align: 'right',
            },
            {
              title: t('web.visits.money.left'),
              render: (_, l) => formatFen(l.budgetFen - l.spentFen),
              align: 'right',
            },
            { title: '', render: (_, l) => overTag(l.over, 'line-over') },
            ...(manage
              ? [
                  {
                    title: '',
                    render: (_: unknown, l: BudgetLine) => (
                      <Button size="small" onClick={() => setEditing(l)} data-testid="line-edit">
                        {t('web.visits.money.editLine')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <LineEditor
          line={editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) void load();
          }}
        />
        {manage && (
          <Form form={form} layout="inline" onFinish={create} className={styles.lineForm}>
            {orgTree.length > 0 && (
              <Form.Item name="orgId">
                <TreeSelect
                  allowClear
                  treeData={orgTree}
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  placeholder={t('web.visits.money.lineOrg')}
                  className={styles.lineOrg}
                  data-testid="line-org"
                />
              </Form.Item>
            )}
            <Form.Item name="name" rules={[{ required: true, message: t('web.visits.money.lineNameRequired') }]}>
              <Input placeholder={t('web.visits.money.lineName')} maxLength={64} data-testid="line-name" />
            </Form.Item>
            <Form.Item name="budget" rules={[{ required: true, message: t('web.visits.money.budgetRequired') }]}>
              <InputNumber
                min={0}
                max={1_000_000_000}
                precision={2}
                placeholder={t('web.visits.money.budgetYuan')}
                className={styles.lineBudget}
                data-testid="line-budget"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="line-create">
              {t('web.visits.money.addLine')}
            </Button>
          </Form>
        )}
      </Card>
    </Flex>
  );
}
