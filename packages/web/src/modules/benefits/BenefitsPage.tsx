import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { BenefitType, CategoryCode, DiscrepancyKind, RosterStatus } from '@shuangyong/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  type BenefitStandard,
  benefitsApi,
  type Discrepancy,
  type DiscrepancyQuery,
  type ReconcileJob,
  type ReconcileResult,
  type Roster,
  type RosterLine,
  type RosterQuery,
} from '../../api/benefits';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { formatFen } from '../../lib/money';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { CardContacts } from './CardContacts';
import { BackpayJobStatus, NewStandardButton } from './StandardForm';

const STATUS_COLOR: Record<RosterStatus, string> = {
  draft: 'default',
  pending: 'blue',
  released: 'green',
  reconciled: 'gold',
};

const thisMonth = (back = 0) => {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - back);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

/** `/benefits`: the district's monthly rosters, the reconciliation worklist, the standards. */
export function BenefitsPage() {
  const can = useCan();
  const [params] = useSearchParams();
  const [tab, setTab] = useState(params.get('tab') ?? 'rosters');
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.benefits.title')}
        </Typography.Title>
      }
    >
      <DocTitle title={t('web.benefits.title')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'rosters', label: t('web.benefits.tab.rosters'), children: <Rosters /> },
          { key: 'discrepancies', label: t('web.benefits.tab.discrepancies'), children: <Discrepancies /> },
          { key: 'totals', label: t('web.benefits.tab.totals'), children: <Totals /> },
          { key: 'standards', label: t('web.benefits.tab.standards'), children: <Standards /> },
          // the 明白卡's contact lines: edited by who keeps the standards (decisions/0065)
          ...(can('benefit:standards')
            ? [{ key: 'cardContacts', label: t('web.benefits.tab.cardContacts'), children: <CardContacts /> }]
            : []),
        ]}
      />
    </Card>
  );
}

function Rosters() {
  const can = useCan();
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [query, setQuery] = useState<RosterQuery>({ page: 1, pageSize: 20 });
  const [period, setPeriod] = useState(thisMonth());
  const [open, setOpen] = useState<Roster | null>(null);
  const [result, setResult] = useState<ReconcileResult | null>(null);
  // the reconciliation runs as a job: follow its progress until it ends
  const [job, setJob] = useState<ReconcileJob | null>(null);
  const follow = async (id: string) => {
    for (;;) {
      const j = await benefitsApi.job(id);
      setJob(j);
      if (j.status === 'succeeded' || j.status === 'failed') return j;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const reconcileFile = (r: Roster, file: File) => {
    setResult(null);
    benefitsApi
      .importReturn(r, file)
      .then((started) => follow(started.id))
      .then((j) => {
        setJob(null);
        if (j.status === 'succeeded' && j.result) setResult(j.result);
        else message.error(j.error ?? t('web.benefits.reconcileFailed'));
        refresh();
        qc.invalidateQueries({ queryKey: ['benefit-discrepancies'] });
        qc.invalidateQueries({ queryKey: ['benefit-totals'] });
      })
      .catch(() => setJob(null));
  };
  const list = useQuery({
    queryKey: ['benefit-rosters', query],
    queryFn: ({ signal }) => benefitsApi.rosters(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['benefit-rosters'] });
  const create = useMutation({
    mutationFn: () => benefitsApi.createRoster(period),
    onSuccess: (r) => {
      message.success(t('web.benefits.created', { lines: r.lineCount, total: formatFen(r.totalFen) }));
      refresh();
    },
  });
  const act = useMutation({
    mutationFn: (f: () => Promise<unknown>) => f(),
    onSuccess: () => refresh(),
  });
  const columns: TableColumnsType<Roster> = [
    { title: t('web.benefits.col.period'), dataIndex: 'period' },
    { title: t('web.benefits.col.org'), dataIndex: 'orgName' },
    {
      title: t('web.benefits.col.status'),
      dataIndex: 'status',
      render: (s: RosterStatus) => (
        <Tag color={STATUS_COLOR[s]} data-testid="roster-status">
          {t(`benefits.rosterStatus.${s}`)}
        </Tag>
      ),
    },
    { title: t('web.benefits.col.lines'), dataIndex: 'lineCount' },
    {
      title: t('web.benefits.col.total'),
      dataIndex: 'totalFen',
      render: (v: number) => <span data-testid="roster-total">{formatFen(v)}</span>,
    },
    {
      title: t('web.benefits.col.paid'),
      dataIndex: 'paidFen',
      render: (v: number | null) => (v === null ? t('web.none') : formatFen(v)),
    },
    { title: t('web.benefits.col.open'), dataIndex: 'openDiscrepancies' },
    {
      title: t('web.benefits.col.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space wrap size={4}>
          <Button size="small" data-testid="roster-lines" onClick={() => setOpen(r)}>
            {t('web.benefits.lines')}
          </Button>
          {r.abilities.request && (
            <Button
              size="small"
              type="primary"
              data-testid="roster-request"
              onClick={() => act.mutate(() => benefitsApi.request(r))}
            >
              {t('web.benefits.request')}
            </Button>
          )}
          {r.abilities.approve && (
            <Button size="small" type="primary" onClick={() => act.mutate(() => benefitsApi.decide(r, 'approve'))}>
              {t('web.benefits.approve')}
            </Button>
          )}
          {r.abilities.approve && (
            <Button size="small" onClick={() => act.mutate(() => benefitsApi.decide(r, 'return'))}>
              {t('web.benefits.return')}
            </Button>
          )}
          {r.abilities.export && (
            <Button
              size="small"
              icon={<DownloadOutlined />}
              data-testid="roster-bank-list"
              onClick={() => act.mutate(() => benefitsApi.bankList(r))}
            >
              {t('web.benefits.bankList')}
            </Button>
          )}
          {r.abilities.importReturn && (
            <Upload
              accept=".xlsx,.csv"
              showUploadList={false}
              beforeUpload={(file) => {
                reconcileFile(r, file);
                return false;
              }}
            >
              <Button size="small" icon={<UploadOutlined />} data-testid="roster-import-return">
                {t('web.benefits.importReturn')}
              </Button>
            </Upload>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {can('benefit:pay') && (
        <Space wrap>
          <Input
            aria-label={t('web.benefits.period')}
            data-testid="roster-period"
            style={{ width: 120 }}
            value={period}
            onChange={(e) => setPeriod(e.target.value.trim())}
          />
          <Button type="primary" data-testid="roster-create" loading={create.isPending} onClick={() => create.mutate()}>
            {t('web.benefits.generate')}
          </Button>
        </Space>
      )}
      {job && (
        <Progress
          data-testid="reconcile-progress"
          percent={job.total ? Math.floor(((job.processed ?? 0) * 100) / Math.max(1, job.total)) : 0}
          status="active"
          format={(pct) => t('web.benefits.reconciling', { pct: pct ?? 0 })}
        />
      )}
      {result && (
        <Descriptions
          bordered
          size="small"
          column={1}
          data-testid="reconcile-result"
          title={t('web.benefits.reconciled')}
          items={[
            { key: 'lines', label: t('web.benefits.returnLines'), children: result.returnLines },
            { key: 'paid', label: t('web.benefits.col.paid'), children: formatFen(result.paidFen) },
            ...(Object.entries(result.discrepancies) as [DiscrepancyKind, number][]).map(([k, n]) => ({
              key: k,
              label: t(`benefits.kind.${k}`),
              children: <span data-testid={`reconcile-${k}`}>{n}</span>,
            })),
          ]}
        />
      )}
      <Table
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('web.benefits.noRosters') }}
        pagination={listPagination(query, setQuery, list.data?.total, isMobile)}
      />
      <LinesModal roster={open} onClose={() => setOpen(null)} />
    </Space>
  );
}

function LinesModal({ roster, onClose }: { roster: Roster | null; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const lines = useQuery({
    queryKey: ['benefit-roster-lines', roster?.id, page],
    queryFn: ({ signal }) => benefitsApi.lines(roster!.id, page, 20, { signal }),
    enabled: !!roster,
  });
  const columns: TableColumnsType<RosterLine> = [
    { title: t('web.benefits.col.name'), dataIndex: 'name' },
    { title: t('web.benefits.col.idNumber'), dataIndex: 'idMasked' },
    { title: t('web.benefits.col.month'), dataIndex: 'month' },
    {
      title: t('web.benefits.col.account'),
      dataIndex: 'accountMasked',
      render: (v: string | null) => v ?? t('web.none'),
    },
    {
      title: t('web.benefits.col.type'),
      dataIndex: 'benefitType',
      render: (v: BenefitType) => t(`benefits.type.${v}`),
    },
    {
      title: t('web.benefits.col.kind'),
      dataIndex: 'kind',
      render: (v: 'regular' | 'backpay') => t(`benefits.lineKind.${v}`),
    },
    { title: t('web.benefits.col.amount'), dataIndex: 'amountFen', render: (v: number) => formatFen(v) },
    {
      title: t('web.benefits.col.actions'),
      key: 'card',
      render: (_, l) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            data-testid="line-card"
            onClick={() => void benefitsApi.card(l.beneficiaryId, l.month, l.name)}
          >
            {t('web.benefits.card')}
          </Button>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            data-testid="line-card-pdf"
            onClick={() => void benefitsApi.card(l.beneficiaryId, l.month, l.name, 'pdf')}
          >
            {t('web.benefits.cardPdf')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Modal open={!!roster} onCancel={onClose} footer={null} width={900} title={t('web.benefits.lines')}>
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={lines.data?.items}
        loading={lines.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: 20, total: lines.data?.total ?? 0, onChange: setPage, simple: true }}
      />
    </Modal>
  );
}

function Discrepancies() {
  const isMobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [query, setQuery] = useState<DiscrepancyQuery>({
    page: 1,
    pageSize: 20,
    status: 'open',
    ...(params.get('mine') === 'true' ? { mine: 'true' as const } : {}),
    ...(params.get('overdue') === 'true' ? { overdue: 'true' as const } : {}),
  });
  const [closing, setClosing] = useState<Discrepancy | null>(null);
  const [moving, setMoving] = useState<Discrepancy | null>(null);
  const [form] = Form.useForm<{ resolution: 'paid' | 'recovered' | 'explained'; note: string }>();
  const list = useQuery({
    queryKey: ['benefit-discrepancies', query],
    queryFn: ({ signal }) => benefitsApi.discrepancies(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['benefit-discrepancies'] });
    qc.invalidateQueries({ queryKey: ['benefit-rosters'] });
    qc.invalidateQueries({ queryKey: ['benefit-totals'] });
    qc.invalidateQueries({ queryKey: ['home'] });
  };
  const close = useMutation({
    mutationFn: (v: { resolution: 'paid' | 'recovered' | 'explained'; note: string }) =>
      benefitsApi.close(closing!, v.resolution, v.note),
    onSuccess: () => {
      setClosing(null);
      form.resetFields();
      refresh();
    },
  });
  const columns: TableColumnsType<Discrepancy> = [
    {
      title: t('web.benefits.col.kind'),
      dataIndex: 'kind',
      render: (k: DiscrepancyKind) => <Tag data-testid="discrepancy-kind">{t(`benefits.kind.${k}`)}</Tag>,
    },
    { title: t('web.benefits.col.name'), dataIndex: 'name' },
    { title: t('web.benefits.col.idNumber'), dataIndex: 'idMasked' },
    {
      title: t('web.benefits.col.period'),
      dataIndex: 'period',
      // a late grade's overpayment names its month (a quarterly roster pays three)
      render: (v: string, d) =>
        d.month && d.month !== v ? t('web.benefits.periodMonth', { period: v, month: d.month }) : v,
    },
    { title: t('web.benefits.col.expected'), dataIndex: 'expectedFen', render: (v: number) => formatFen(v) },
    { title: t('web.benefits.col.paid'), dataIndex: 'paidFen', render: (v: number) => formatFen(v) },
    {
      title: t('web.benefits.col.owner'),
      key: 'owner',
      render: (_, d) => (
        <span data-testid="discrepancy-owner">
          {d.ownerOrgName}
          {d.ownerUserName ? ` · ${d.ownerUserName}` : ''}
        </span>
      ),
    },
    {
      title: t('web.benefits.col.deadline'),
      dataIndex: 'deadline',
      render: (v: string, d) => (
        <Space size={4} data-testid="discrepancy-deadline" data-overdue={d.overdue ? 'true' : 'false'}>
          <Typography.Text type={d.overdue ? 'danger' : undefined}>{v}</Typography.Text>
          {d.overdue && <Tag color="red">{t('web.benefits.overdueTag')}</Tag>}
          {d.escalatedAt && <Tag color="volcano">{t('web.benefits.col.escalated')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('web.benefits.col.actions'),
      key: 'actions',
      render: (_, d) =>
        d.status === 'open' ? (
          <Space size={4}>
            {d.abilities.close && (
              <Button size="small" data-testid="discrepancy-close" onClick={() => setClosing(d)}>
                {t('web.benefits.close')}
              </Button>
            )}
            {d.abilities.reassign && (
              <Button size="small" data-testid="discrepancy-reassign" onClick={() => setMoving(d)}>
                {t('web.benefits.reassign')}
              </Button>
            )}
          </Space>
        ) : (
          <Tag color="green">{t(`benefits.resolution.${d.resolution ?? 'explained'}`)}</Tag>
        ),
    },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('web.benefits.col.status')}
          data-testid="discrepancy-status"
          style={{ width: 160 }}
          value={query.status ?? 'all'}
          onChange={(v: 'open' | 'closed' | 'all') =>
            setQuery((q) => ({ ...q, page: 1, status: v === 'all' ? undefined : v }))
          }
          options={[
            { value: 'open', label: t('web.benefits.open') },
            { value: 'closed', label: t('web.benefits.closed') },
            { value: 'all', label: t('web.benefits.all') },
          ]}
        />
        <Checkbox
          data-testid="discrepancy-mine"
          checked={query.mine === 'true'}
          onChange={(e) => setQuery((q) => ({ ...q, page: 1, mine: e.target.checked ? 'true' : undefined }))}
        >
          {t('web.benefits.filter.mine')}
        </Checkbox>
        <Checkbox
          data-testid="discrepancy-overdue"
          checked={query.overdue === 'true'}
          onChange={(e) => setQuery((q) => ({ ...q, page: 1, overdue: e.target.checked ? 'true' : undefined }))}
        >
          {t('web.benefits.filter.overdue')}
        </Checkbox>
      </Space>
      <Table
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('web.benefits.noDiscrepancies') }}
        pagination={listPagination(query, setQuery, list.data?.total, isMobile)}
      />
      <Modal
        open={!!closing}
        title={t('web.benefits.close')}
        onCancel={() => setClosing(null)}
        onOk={() => form.validateFields().then((v) => close.mutate(v))}
        okButtonProps={{ loading: close.isPending, 'data-testid': 'discrepancy-close-ok' } as never}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="resolution" label={t('web.benefits.resolution')} rules={[{ required: true }]}>
            <Select
              data-testid="discrepancy-resolution"
              options={(['paid', 'recovered', 'explained'] as const).map((r) => ({
                value: r,
                label: t(`benefits.resolution.${r}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('web.benefits.note')} rules={[{ required: true, max: 200 }]}>
            <Input.TextArea data-testid="discrepancy-note" rows={2} />
          </Form.Item>
        </Form>
      </Modal>
      {moving && (
        <ReassignDialog
          discrepancy={moving}
          onClose={() => setMoving(null)}
          onDone={() => {
            setMoving(null);
            message.success(t('web.benefits.reassign.done'));
            refresh();
          }}
        />
      )}
    </Space>
  );
}

/** 转交: the district's office (or the city), optionally one of its payment staff, and why. */
function ReassignDialog(props: { discrepancy: Discrepancy; onClose: () => void; onDone: () => void }) {
  const d = props.discrepancy;
  const [form] = Form.useForm<{ ownerOrgId: string; ownerUserId?: string; note?: string }>();
  const orgId = Form.useWatch('ownerOrgId', form);
  const owners = useQuery({
    queryKey: ['benefit-discrepancy-owners', d.id],
    queryFn: ({ signal }) => benefitsApi.owners(d, { signal }),
  });
  const assign = useMutation({
    mutationFn: (v: { ownerOrgId: string; ownerUserId?: string; note?: string }) =>
      benefitsApi.assign(d, {
        ownerOrgId: v.ownerOrgId,
        ownerUserId: v.ownerUserId ?? null,
        note: v.note || undefined,
      }),
    onSuccess: props.onDone,
  });
  return (
    <Modal
      open
      title={t('web.benefits.reassign.title')}
      onCancel={props.onClose}
      onOk={() => form.validateFields().then((v) => assign.mutate(v))}
      okButtonProps={{ loading: assign.isPending, 'data-testid': 'discrepancy-reassign-ok' } as never}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ ownerOrgId: d.ownerOrgId, ownerUserId: d.ownerUserId ?? undefined }}
      >
        <Form.Item name="ownerOrgId" label={t('web.benefits.reassign.org')} rules={[{ required: true }]}>
          <Select
            data-testid="discrepancy-reassign-org"
            loading={owners.isFetching}
            options={(owners.data?.orgs ?? []).map((o) => ({ value: o.id, label: o.name }))}
            onChange={() => form.setFieldValue('ownerUserId', undefined)}
          />
        </Form.Item>
        <Form.Item name="ownerUserId" label={t('web.benefits.reassign.user')}>
          <Select
            allowClear
            data-testid="discrepancy-reassign-user"
            options={(owners.data?.users ?? [])
              .filter((u) => u.orgId === orgId)
              .map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('web.benefits.reassign.note')} rules={[{ max: 200 }]}>
          <Input.TextArea data-testid="discrepancy-reassign-note" rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Standards() {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const list = useQuery({
    queryKey: ['benefit-standards'],
    queryFn: ({ signal }) => benefitsApi.standards({ signal }),
  });
  // the back pay of a retroactive standard runs as a job: the page follows the latest one
  const [backpayJob, setBackpayJob] = useState<string | null>(null);
  const upload = (file: File) => {
    benefitsApi.importStandards(file).then((res) => {
      if (res.errors.length)
        message.error(t('web.benefits.importErrors', { row: res.errors[0]!.row, message: res.errors[0]!.message }));
      else {
        message.success(t('web.benefits.imported', { created: res.created }));
        if (res.backPayJobId) setBackpayJob(res.backPayJobId);
      }
      qc.invalidateQueries({ queryKey: ['benefit-standards'] });
    });
    return false;
  };
  const columns: TableColumnsType<BenefitStandard> = [
    {
      title: t('web.benefits.col.type'),
      dataIndex: 'benefitType',
      render: (v: BenefitType) => t(`benefits.type.${v}`),
    },
    { title: t('web.benefits.col.category'), dataIndex: 'category', render: (v: CategoryCode) => t(`category.${v}`) },
    {
      title: t('web.benefits.col.grade'),
      key: 'grade',
      render: (_, s) => (s.gradeMin === null ? t('web.none') : `${s.gradeMin}–${s.gradeMax}`),
    },
    {
      title: t('web.benefits.col.cause'),
      dataIndex: 'disabilityCause',
      render: (v: BenefitStandard['disabilityCause']) => (v ? t(`registry.disabilityCause.${v}`) : t('web.none')),
    },
    {
      title: t('web.benefits.col.layer'),
      dataIndex: 'layer',
      render: (v: 'national' | 'province' | 'city') => t(`benefits.layer.${v}`),
    },
    { title: t('web.benefits.col.amount'), dataIndex: 'amountFen', render: (v: number) => formatFen(v) },
    { title: t('web.benefits.col.from'), dataIndex: 'validFrom' },
    { title: t('web.benefits.col.to'), dataIndex: 'validTo', render: (v: string | null) => v ?? t('web.none') },
    { title: t('web.benefits.col.docNo'), dataIndex: 'docNo' },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {can('benefit:standards') && (
        <Space wrap>
          <NewStandardButton onBackpay={setBackpayJob} />
          <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={upload}>
            <Button icon={<UploadOutlined />} data-testid="standards-import">
              {t('web.benefits.importStandards')}
            </Button>
          </Upload>
        </Space>
      )}
      {backpayJob && <BackpayJobStatus key={backpayJob} jobIds={[backpayJob]} />}
      <Table
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
      />
    </Space>
  );
}

type TotalsRow = Awaited<ReturnType<typeof benefitsApi.totals>>['items'][number];
type KindRow = Awaited<ReturnType<typeof benefitsApi.totals>>['byKind'][number];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 汇总: per district and period, what was owed, what the bank paid, the problems open and closed. */
function Totals() {
  const [from, setFrom] = useState(thisMonth(11));
  const [to, setTo] = useState(thisMonth());
  const valid = MONTH.test(from) && MONTH.test(to) && from <= to;
  const totals = useQuery({
    queryKey: ['benefit-totals', from, to],
    queryFn: ({ signal }) => benefitsApi.totals(from, to, { signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
  });
  const rows = totals.data?.items ?? [];
  const sum = (f: (r: TotalsRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const columns: TableColumnsType<TotalsRow> = [
    { title: t('web.benefits.col.org'), dataIndex: 'orgName' },
    { title: t('web.benefits.col.period'), dataIndex: 'period' },
    {
      title: t('web.benefits.col.status'),
      dataIndex: 'status',
      render: (s: RosterStatus) => <Tag color={STATUS_COLOR[s]}>{t(`benefits.rosterStatus.${s}`)}</Tag>,
    },
    { title: t('web.benefits.col.total'), dataIndex: 'totalFen', render: (v: number) => formatFen(v) },
    {
      title: t('web.benefits.col.paid'),
      dataIndex: 'paidFen',
      render: (v: number | null) => (v === null ? t('web.none') : formatFen(v)),
    },
    {
      title: t('web.benefits.col.open'),
      dataIndex: 'openDiscrepancies',
      render: (v: number) => <span data-testid="totals-open">{v}</span>,
    },
    {
      title: t('web.benefits.col.closed'),
      dataIndex: 'closedDiscrepancies',
      render: (v: number) => <span data-testid="totals-closed">{v}</span>,
    },
  ];
  const kindColumns: TableColumnsType<KindRow> = [
    { title: t('web.benefits.col.org'), dataIndex: 'orgName' },
    { title: t('web.benefits.col.period'), dataIndex: 'period' },
    {
      title: t('web.benefits.col.kind'),
      dataIndex: 'kind',
      render: (k: DiscrepancyKind) => <Tag>{t(`benefits.kind.${k}`)}</Tag>,
    },
    { title: t('web.benefits.col.open'), dataIndex: 'open' },
    {
      title: t('web.benefits.col.overdue'),
      dataIndex: 'overdue',
      render: (v: number) => <Typography.Text type={v ? 'danger' : undefined}>{v}</Typography.Text>,
    },
    { title: t('web.benefits.col.closed'), dataIndex: 'closed' },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Input
          aria-label={t('web.benefits.col.from')}
          prefix={t('web.benefits.col.from')}
          data-testid="totals-from"
          style={{ width: 190 }}
          value={from}
          status={MONTH.test(from) ? undefined : 'error'}
          onChange={(e) => setFrom(e.target.value.trim())}
        />
        <Input
          aria-label={t('web.benefits.col.to')}
          prefix={t('web.benefits.col.to')}
          data-testid="totals-to"
          style={{ width: 190 }}
          value={to}
          status={MONTH.test(to) ? undefined : 'error'}
          onChange={(e) => setTo(e.target.value.trim())}
        />
      </Space>
      {!valid && <Typography.Text type="danger">{t('web.benefits.totals.badRange')}</Typography.Text>}
      <Table
        rowKey={(r) => `${r.orgName}:${r.period}`}
        columns={columns}
        dataSource={rows}
        loading={totals.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('web.benefits.noRosters') }}
        summary={() =>
          rows.length ? (
            <Table.Summary.Row data-testid="totals-sum">
              <Table.Summary.Cell index={0} colSpan={3}>
                {t('web.benefits.totals.sum')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3}>{formatFen(sum((r) => r.totalFen))}</Table.Summary.Cell>
              <Table.Summary.Cell index={4}>{formatFen(sum((r) => r.paidFen ?? 0))}</Table.Summary.Cell>
              <Table.Summary.Cell index={5}>{sum((r) => r.openDiscrepancies)}</Table.Summary.Cell>
              <Table.Summary.Cell index={6}>{sum((r) => r.closedDiscrepancies)}</Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('web.benefits.totals.byKind')}
      </Typography.Title>
      <Table
        data-testid="totals-by-kind"
        rowKey={(r) => `${r.orgName}:${r.period}:${r.kind}`}
        columns={kindColumns}
        dataSource={totals.data?.byKind ?? []}
        loading={totals.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={false}
        locale={{ emptyText: t('web.benefits.noDiscrepancies') }}
      />
    </Space>
  );
}
