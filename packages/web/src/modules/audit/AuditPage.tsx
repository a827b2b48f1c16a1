import { DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { type AuditEntry, zhCN } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Flex, Form, Input, Select, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { type AuditQuery, type AuditVerify, auditApi } from '../../api/audit';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { auditFieldLabel, entityTypeLabel } from '../../lib/audit-labels';
import { dayEndIso, dayStartIso, formatDateTime } from '../../lib/format';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import styles from './audit.module.css';

/** Every audit action the catalogue names (`audit.<action>`). */
const ACTION_OPTIONS = Object.keys(zhCN)
  .filter((k) => k.startsWith('audit.'))
  .map((k) => {
    const action = k.slice('audit.'.length);
    return { value: action, label: t('auditLog.actionOption', { label: label('audit', action), action }) };
  });

/** Every audited object type the catalogue names (`entityType.<type>`), by its Chinese name. */
const ENTITY_TYPE_OPTIONS = Object.keys(zhCN)
  .filter((k) => k.startsWith('entityType.'))
  .map((k) => {
    const type = k.slice('entityType.'.length);
    return { value: type, label: entityTypeLabel(type) };
  });

interface FilterValues {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
}

export function AuditPage() {
  const isMobile = useIsMobile();
  const [form] = Form.useForm<FilterValues>();
  const [query, setQuery] = useState<AuditQuery>({ page: 1, pageSize: 20 });
  const [range, setRange] = useState<[string, string] | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: ({ signal }) => auditApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const load = () => list.refetch();

  function applyFilters(v: FilterValues) {
    const clean = (s?: string) => s?.trim() || undefined;
    setQuery((q) => ({
      page: 1,
      pageSize: q.pageSize,
      actor: clean(v.actor),
      action: clean(v.action),
      entityType: clean(v.entityType),
      entityId: clean(v.entityId),
      from: range ? dayStartIso(range[0]) : undefined,
      to: range ? dayEndIso(range[1]) : undefined,
    }));
  }

  async function runExport() {
    setExporting(true);
    try {
      await auditApi.export(query, `${t('auditLog.fileName')}.xlsx`);
    } catch {
      // shown by the global handler
    } finally {
      setExporting(false);
    }
  }

  async function runVerify() {
    setVerifying(true);
    try {
      setVerify(await auditApi.verify());
    } catch {
      setVerify(null);
    } finally {
      setVerifying(false);
    }
  }

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('auditLog.seq'), dataIndex: 'seq' },
    { title: t('auditLog.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
    {
      title: t('auditLog.actor'),
      key: 'actor',
      render: (_, e) => e.actorName ?? e.actorId ?? t('auditLog.system'),
    },
    {
      title: t('auditLog.action'),
      dataIndex: 'action',
      render: (v: string) => (
        <Tag color={v.includes('failed') || v.includes('denied') ? 'red' : 'blue'} title={v}>
          {label('audit', v)}
        </Tag>
      ),
    },
    {
      title: t('auditLog.entityType'),
      dataIndex: 'entityType',
      render: (v: string | null) => (v ? entityTypeLabel(v) : '—'),
    },
    {
      title: t('auditLog.entityLabel'),
      key: 'entity',
      // the record's name; its id stays available on hover and in the export
      render: (_, e) =>
        e.entityLabel ? (
          <span title={e.entityId ?? undefined} data-testid="audit-entity-label">
            {e.entityLabel}
          </span>
        ) : e.entityId ? (
          <code title={e.entityId}>{e.entityId.slice(0, 8)}</code>
        ) : (
          '—'
        ),
    },
    { title: t('auditLog.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
    {
      title: t('auditLog.changes'),
      dataIndex: 'changes',
      render: (v: AuditEntry['changes']) =>
        v ? (
          <span className={styles.changes} data-testid="audit-changes">
            {Object.keys(v).map(auditFieldLabel).join(t('web.enumSeparator'))}
          </span>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Card
      title={t('nav.audit')}
      styles={{ body: { padding: isMobile ? 12 : 24 } }}
      extra={
        <Flex gap={8} wrap>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => void runExport()}
            data-testid="audit-export"
          >
            {t('auditLog.export')}
          </Button>
          <Button
            icon={<SafetyCertificateOutlined />}
            loading={verifying}
            onClick={() => void runVerify()}
            data-testid="audit-verify"
          >
            {t('auditLog.verify')}
          </Button>
        </Flex>
      }
    >
      <DocTitle title={t('nav.audit')} />
      {verify && (
        <Alert
          className={styles.verify}
          showIcon
          type={verify.ok ? 'success' : 'error'}
          title={
            verify.ok
              ? t('auditLog.verifyOk', { checked: verify.checked })
              : t('auditLog.verifyBroken', { seq: verify.firstBrokenSeq ?? '—', checked: verify.checked })
          }
          description={!verify.ok && verify.reason ? t('auditLog.verifyReason', { reason: verify.reason }) : undefined}
          closable={{ onClose: () => setVerify(null) }}
          data-testid="audit-verify-result"
        />
      )}
      <Form form={form} layout={isMobile ? 'vertical' : 'inline'} onFinish={applyFilters} className={styles.filters}>
        <Form.Item name="actor" label={t('auditLog.actor')}>
          <Input allowClear placeholder={t('auditLog.actorPlaceholder')} data-testid="audit-filter-actor" />
        </Form.Item>
        <Form.Item name="action" label={t('auditLog.action')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={ACTION_OPTIONS}
            className={styles.select}
            placeholder={t('auditLog.actionPlaceholder')}
            data-testid="audit-filter-action"
          />
        </Form.Item>
        <Form.Item name="entityType" label={t('auditLog.entityType')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={ENTITY_TYPE_OPTIONS}
            className={styles.select}
            placeholder={t('auditLog.entityTypePlaceholder')}
            data-testid="audit-filter-entityType"
          />
        </Form.Item>
        <Form.Item name="entityId" label={t('auditLog.entityId')}>
          <Input allowClear data-testid="audit-filter-entityId" />
        </Form.Item>
        <Form.Item label={t('auditLog.dateRange')}>
          <DatePicker.RangePicker
            className={styles.range}
            onChange={(_, days) => setRange(days[0] && days[1] ? [days[0], days[1]] : null)}
            data-testid="audit-filter-range"
          />
        </Form.Item>
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
              {t('web.search')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void load()}>
              {t('web.refresh')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      <Table<AuditEntry>
        rowKey="seq"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="audit-table"
        expandable={{
          rowExpandable: (e) => e.changes !== null && Object.keys(e.changes).length > 0,
          expandedRowRender: (e) => <pre className={styles.json}>{JSON.stringify(e.changes, null, 2)}</pre>,
        }}
        pagination={listPagination(query, setQuery, data?.total, isMobile)}
      />
    </Card>
  );
}
