import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, Segmented, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type Transfer, type TransferQuery, type TransferStatus, transfersApi } from '../../api/transfers';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { orDash } from './labels';
import styles from './registry.module.css';

const FILTERS = ['pending', 'accepted', 'rejected', 'all'] as const;
type Filter = (typeof FILTERS)[number];

const STATUS_COLOR: Record<TransferStatus, string | undefined> = {
  pending: 'gold',
  accepted: 'green',
  rejected: 'red',
  cancelled: undefined,
};

type Decision = { transfer: Transfer; accept: boolean } | null;

/** 迁移: requests to move a person between districts; the receiving side accepts or rejects. */
export function TransfersPage() {
  const isMobile = useIsMobile();
  const [filter, setFilter] = useState<Filter>('pending');
  const [query, setQuery] = useState<TransferQuery>({ page: 1, pageSize: 20, status: 'pending' });
  const [decision, setDecision] = useState<Decision>(null);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['transfers', query],
    queryFn: ({ signal }) => transfersApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const load = () => queryClient.invalidateQueries({ queryKey: ['transfers'] });

  const columns: TableColumnsType<Transfer> = [
    {
      title: t('beneficiaries.name'),
      dataIndex: 'beneficiaryName',
      fixed: isMobile ? undefined : 'left',
      render: (v: string) => <span data-testid="transfer-name">{v}</span>,
    },
    {
      title: t('beneficiaries.idNumber'),
      dataIndex: 'idMasked',
      render: (v: string) => <span className={styles.mono}>{v}</span>,
    },
    { title: t('transfers.from'), dataIndex: 'fromOrgName' },
    { title: t('transfers.to'), dataIndex: 'toOrgName' },
    {
      title: t('transfers.status'),
      dataIndex: 'status',
      render: (v: TransferStatus) => (
        <Tag className={styles.tag} color={STATUS_COLOR[v]} data-testid="transfer-status" data-status={v}>
          {label('transferStatus', v)}
        </Tag>
      ),
    },
    {
      title: t('transfers.reason'),
      dataIndex: 'reason',
      render: (v: string | null) => (
        <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 240 }}>
          {orDash(v)}
        </Typography.Text>
      ),
    },
    { title: t('transfers.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('transfers.decidedAt'),
      dataIndex: 'decidedAt',
      render: (v: string | null) => (v ? formatDateTime(v) : orDash(null)),
    },
    {
      title: t('web.actions'),
      key: 'actions',
      fixed: isMobile ? undefined : 'right',
      render: (_, tr) =>
        tr.abilities.accept || tr.abilities.reject ? (
          <Flex gap={4}>
            {tr.abilities.accept && (
              <Button
                size="small"
                type="link"
                onClick={() => setDecision({ transfer: tr, accept: true })}
                data-testid="transfer-accept"
              >
                {t('transfers.accept')}
              </Button>
            )}
            {tr.abilities.reject && (
              <Button
                size="small"
                type="link"
                danger
                onClick={() => setDecision({ transfer: tr, accept: false })}
                data-testid="transfer-reject"
              >
                {t('transfers.reject')}
              </Button>
            )}
          </Flex>
        ) : null,
    },
  ];

  return (
    <Card title={t('nav.transfers')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.transfers')} />
      <Typography.Paragraph type="secondary">{t('transfers.intro')}</Typography.Paragraph>
      <Flex className={styles.filters}>
        <Segmented<Filter>
          value={filter}
          options={FILTERS.map((f) => ({
            value: f,
            label: f === 'all' ? t('transfers.all') : label('transferStatus', f),
          }))}
          onChange={(f) => {
            setFilter(f);
            setQuery((q) => ({ ...q, page: 1, status: f === 'all' ? undefined : f }));
          }}
          data-testid="transfer-filter"
        />
      </Flex>
      <Table<Transfer>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="transfer-table"
        pagination={listPagination(query, setQuery, data?.total, isMobile)}
      />
      {decision && (
        <DecideModal
          decision={decision}
          onClose={() => setDecision(null)}
          onDone={() => {
            setDecision(null);
            void load();
          }}
        />
      )}
    </Card>
  );
}

function DecideModal({
  decision: { transfer, accept },
  onClose,
  onDone,
}: {
  decision: NonNullable<Decision>;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<{ note?: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await (accept ? transfersApi.accept(transfer.id, v.note) : transfersApi.reject(transfer.id, v.note));
      void message.success(t(accept ? 'transfers.accepted' : 'transfers.rejected', { name: transfer.beneficiaryName }));
      onDone();
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal
      title={t(accept ? 'transfers.acceptTitle' : 'transfers.rejectTitle', { name: transfer.beneficiaryName })}
      okText={accept ? t('transfers.accept') : t('transfers.reject')}
      okButtonProps={{ danger: !accept }}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={busy}
    >
      <Typography.Paragraph>
        {t('transfers.summary', { from: transfer.fromOrgName, to: transfer.toOrgName })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item name="note" label={t('transfers.note')} rules={[{ max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="transfer-note" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
