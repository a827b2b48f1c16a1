import { DownloadOutlined, EditOutlined, ImportOutlined, UploadOutlined } from '@ant-design/icons';
import { type ElementStatus, EVIDENCE_DOC_TYPES } from '@shuangyong/shared';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Collapse,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  type ElementReadiness,
  type EvidenceDocType,
  type EvidenceSuggestion,
  type ItemOwner,
  type ModelEvidence,
  modelcityApi,
  type Readiness,
  type TrendPoint,
} from '../../api/modelcity';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { PageError, PageLoading } from '../../components/PageState';
import { t } from '../../i18n';
import { todayIsoDate } from '../../lib/dates';
import { useOrgTree } from '../orgs/useOrgTree';
import { BinderExport } from './BinderExport';
import { TableEditDialog } from './TableEdit';

const STATUS_COLOR: Record<ElementStatus, string> = { met: 'green', partly: 'gold', missing: 'red' };
/** Hundredths of a point as shown: 50 → 0.5. */
const pts = (n: number) => String(n / 100);
const percent = (score: number, points: number) => (points ? Math.round((score * 100) / points) : 0);

function EvidenceList({ items, onRemove }: { items: ModelEvidence[]; onRemove: (e: ModelEvidence) => void }) {
  if (!items.length)
    return (
      <Typography.Text type="secondary" data-testid="modelcity-no-evidence">
        {t('web.modelcity.noEvidence')}
      </Typography.Text>
    );
  return (
    <List
      size="small"
      dataSource={items}
      renderItem={(e) => (
        <List.Item
          data-testid="modelcity-evidence"
          actions={[
            e.fileName ? (
              <Button
                key="get"
                type="link"
                size="small"
                icon={<DownloadOutlined />}
                aria-label={t('web.modelcity.download')}
                onClick={() => void modelcityApi.downloadEvidence(e).catch(() => undefined)}
              />
            ) : null,
            e.removable ? (
              <Button
                key="rm"
                type="link"
                size="small"
                danger
                onClick={() => onRemove(e)}
                data-testid="modelcity-remove"
              >
                {t('web.modelcity.remove')}
              </Button>
            ) : null,
          ].filter(Boolean)}
        >
          <Space wrap size={4}>
            <span>{e.date}</span>
            <span>{e.title}</span>
            <Tag>{e.docType ? t(`modelcity.docType.${e.docType}`) : t(`modelcity.kind.${e.sourceKind}`)}</Tag>
            <Typography.Text type="secondary">{e.orgName}</Typography.Text>
            {e.stale ? <Tag color="orange">{t('web.modelcity.staleTag')}</Tag> : null}
          </Space>
        </List.Item>
      )}
    />
  );
}

function ElementRow({
  e,
  canUpload,
  onUpload,
  onRemove,
  onEdit,
}: {
  e: ElementReadiness;
  onEdit?: () => void;
  canUpload: boolean;
  onUpload: (e: ElementReadiness) => void;
  onRemove: (ev: ModelEvidence) => void;
}) {
  return (
    <div
      data-testid="modelcity-element"
      data-code={e.code}
      style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0' }}
    >
      <Flex wrap gap={8} align="center" justify="space-between">
        <Space wrap size={4}>
          <Typography.Text strong>{e.code}</Typography.Text>
          <span>{e.text}</span>
          <Tag color={STATUS_COLOR[e.status]} data-testid="modelcity-element-status">
            {t(`modelcity.status.${e.status}`)}
          </Tag>
          <Typography.Text type="secondary" data-testid="modelcity-element-score">
            {t('web.modelcity.score', { score: pts(e.score), points: pts(e.points) })}
          </Typography.Text>
          {e.minCount > 1 ? (
            <Typography.Text type="secondary">{t('web.modelcity.minCount', { n: e.minCount })}</Typography.Text>
          ) : null}
        </Space>
        <Space size={4}>
          {onEdit ? (
            <Button size="small" icon={<EditOutlined />} onClick={onEdit} data-testid="modelcity-edit-element-open">
              {t('web.modelcity.edit')}
            </Button>
          ) : null}
          {canUpload && e.kinds.includes('document') ? (
            <Button size="small" icon={<UploadOutlined />} onClick={() => onUpload(e)} data-testid="modelcity-upload">
              {t('web.modelcity.upload')}
            </Button>
          ) : null}
        </Space>
      </Flex>
      <EvidenceList items={e.evidence} onRemove={onRemove} />
    </div>
  );
}

type ItemOf = Readiness['standards'][number]['items'][number];

function Owners({ owners }: { owners: ItemOwner[] }) {
  if (!owners.length) return null;
  return (
    <Space wrap size={4} data-testid="modelcity-owners">
      {owners.map((o) => (
        <Tag key={o.orgId} color={o.role === 'lead' ? 'blue' : undefined}>
          {t(o.role === 'lead' ? 'web.modelcity.owner.lead' : 'web.modelcity.owner.co', { org: o.orgName })}
        </Tag>
      ))}
      <Typography.Text type="secondary">
        {t('web.modelcity.owner.deadline', { date: owners[0]!.deadline })}
      </Typography.Text>
    </Space>
  );
}

function Standards({
  r,
  canUpload,
  onUpload,
  onRemove,
  onAssign,
  onEdit,
}: {
  r: Readiness;
  onEdit?: (i: ItemOf, elementId?: string) => void;
  canUpload: boolean;
  onUpload: (e: ElementReadiness) => void;
  onRemove: (ev: ModelEvidence) => void;
  onAssign?: (i: ItemOf) => void;
}) {
  // the cockpit's readiness chart opens the page at the clicked standard
  const [params] = useSearchParams();
  const open = r.standards.find((s) => s.code === params.get('standard'))?.id;
  return (
    <Collapse
      defaultActiveKey={open ? [open] : undefined}
      items={r.standards.map((s) => ({
        key: s.id,
        label: (
          <Flex wrap gap={8} align="center" data-testid="modelcity-standard" data-code={s.code}>
            <span>
              {s.code}. {s.title}
            </span>
            <Typography.Text type="secondary">
              {t('web.modelcity.score', { score: pts(s.score), points: pts(s.points) })}
            </Typography.Text>
          </Flex>
        ),
        children: s.items.map((i) => (
          <div key={i.id} style={{ marginBottom: 16 }} data-testid="modelcity-item" data-code={i.code}>
            <Typography.Text strong>
              {i.code} {i.content}
            </Typography.Text>
            <div>
              <Typography.Text type="secondary">
                {t('web.modelcity.rule', { rule: i.rule })}　
                {t('web.modelcity.score', { score: pts(i.score), points: pts(i.points) })}
              </Typography.Text>
            </div>
            <Flex wrap gap={8} align="center">
              {onEdit ? (
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => onEdit(i)}
                  data-testid="modelcity-edit-item"
                >
                  {t('web.modelcity.edit')}
                </Button>
              ) : null}
              <Owners owners={i.owners} />
              {onAssign ? (
                <Button
                  size="small"
                  onClick={() => onAssign(i)}
                  data-testid={i.owners.length ? 'modelcity-reassign' : 'modelcity-assign'}
                >
                  {t(i.owners.length ? 'web.modelcity.owner.reassign' : 'web.modelcity.owner.assign')}
                </Button>
              ) : null}
            </Flex>
            {i.elements.map((e) => (
              <ElementRow
                key={e.id}
                e={e}
                canUpload={canUpload}
                onUpload={onUpload}
                onRemove={onRemove}
                onEdit={onEdit ? () => onEdit(i, e.id) : undefined}
              />
            ))}
          </div>
        )),
      }))}
    />
  );
}

interface AssignForm {
  leadOrgId: string;
  coOrgIds: string[];
  deadline: string;
}

interface ImportForm {
  name: string;
  periodStart: string;
  periodEnd: string;
}

/** The score of every round in the caller's scope, oldest first: is the bid getting closer? */
function Trend({ items, current }: { items: TrendPoint[]; current: string }) {
  return (
    <Table<TrendPoint>
      size="small"
      rowKey={(x) => x.round.id}
      pagination={false}
      dataSource={items}
      locale={{ emptyText: t('web.modelcity.trend.empty') }}
      onRow={(x) => ({ 'data-testid': 'modelcity-trend', 'data-round': x.round.name }) as Record<string, string>}
      columns={[
        {
          key: 'round',
          title: t('web.modelcity.trend.round'),
          render: (_, x) => (
            <Space wrap size={4}>
              <span>{x.round.name}</span>
              {x.round.id === current ? <Tag color="blue">{t('web.modelcity.trend.current')}</Tag> : null}
              <Typography.Text type="secondary">
                {t('web.modelcity.period', { start: x.round.periodStart, end: x.round.periodEnd })}
              </Typography.Text>
            </Space>
          ),
        },
        {
          key: 'score',
          title: t('web.modelcity.trend.score'),
          width: 180,
          render: (_, x) => (
            <Progress
              style={{ margin: 0 }}
              percent={percent(x.score, x.points)}
              format={() => <span data-testid="modelcity-trend-score">{`${pts(x.score)}/${pts(x.points)}`}</span>}
            />
          ),
        },
      ]}
    />
  );
}

interface UploadForm {
  docType: EvidenceDocType;
  date: string;
  title: string;
}

/** `/model-city`: the readiness of the bid in the caller's scope — score, gaps, evidence, binder. */
export function ModelCityPage() {
  const can = useCan();
  const client = useQueryClient();
  const { message, modal } = App.useApp();
  const [uploadFor, setUploadFor] = useState<ElementReadiness | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<UploadForm>();
  const [assignFor, setAssignFor] = useState<ItemOf | null>(null);
  const [editFor, setEditFor] = useState<{ item: ItemOf; elementId?: string } | null>(null);
  const [assignForm] = Form.useForm<AssignForm>();
  const canAssign = can('modelcity:write') && can('campaign:manage');
  const { items: orgs } = useOrgTree(false, canAssign && can('org:read'));
  const mine = useQuery({
    queryKey: ['modelcity', 'responsibilities'],
    queryFn: ({ signal }) => modelcityApi.responsibilities({ signal }),
  });
  const fileRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLInputElement>(null);
  const [search] = useSearchParams();
  const [roundId, setRoundId] = useState<string | undefined>(() => search.get('roundId') ?? undefined);
  const [importing, setImporting] = useState(false);
  const [importForm] = Form.useForm<ImportForm>();
  const readiness = useQuery({
    queryKey: ['modelcity', 'readiness', roundId],
    queryFn: ({ signal }) => modelcityApi.readiness(roundId, { signal }),
    // switching rounds keeps the page (and the open tab) while the other round loads
    placeholderData: keepPreviousData,
  });
  const suggestions = useQuery({
    queryKey: ['modelcity', 'suggestions', roundId],
    queryFn: ({ signal }) => modelcityApi.suggestions(roundId, { signal }),
    enabled: can('modelcity:write'),
  });
  const rounds = useQuery({
    queryKey: ['modelcity', 'rounds'],
    queryFn: ({ signal }) => modelcityApi.rounds({ signal }),
  });
  const trend = useQuery({
    queryKey: ['modelcity', 'trend'],
    queryFn: ({ signal }) => modelcityApi.trend({ signal }),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['modelcity'] });

  if (readiness.isPending) return <PageLoading />;
  if (readiness.isError) return <PageError error={readiness.error} backTo="/" backLabel={t('web.modelcity.home')} />;
  const r = readiness.data;
  const canWrite = can('modelcity:write');
  // only the city brings in a new table (the API refuses the others)
  const canImport = canWrite && r.scopeName === t('modelcity.scope.city');

  const submitImport = async () => {
    const values = await importForm.validateFields();
    const file = tableRef.current?.files?.[0];
    if (!file) {
      message.error(t('web.modelcity.fileRequired'));
      return;
    }
    setBusy(true);
    try {
      const round = await modelcityApi.importRound(values, file);
      message.success(t('web.modelcity.import.done', { name: round.name }));
      setImporting(false);
      setRoundId(round.id);
      await refresh();
    } catch {
      // the API client shows the error (which row, which column)
    } finally {
      setBusy(false);
    }
  };

  const template = async () => {
    try {
      await modelcityApi.template(t('web.modelcity.import.templateFile'), r.round.id);
    } catch {
      // the API client shows the error
    }
  };

  const submitUpload = async () => {
    const values = await form.validateFields();
    const file = fileRef.current?.files?.[0];
    if (!file || !uploadFor) {
      message.error(t('web.modelcity.fileRequired'));
      return;
    }
    setBusy(true);
    try {
      await modelcityApi.upload({ elementId: uploadFor.id, ...values }, file);
      message.success(t('web.modelcity.uploaded'));
      setUploadFor(null);
      await refresh();
    } catch {
      // the API client shows the error
    } finally {
      setBusy(false);
    }
  };

  const remove = (e: ModelEvidence) =>
    modal.confirm({
      title: t('web.modelcity.removeConfirm', { title: e.title }),
      okText: t('web.modelcity.remove'),
      okButtonProps: { danger: true },
      onOk: async () => {
        await modelcityApi.remove(e.id, t('web.modelcity.removeReason'));
        await refresh();
      },
    });

  const submitAssign = async () => {
    const values = await assignForm.validateFields();
    if (!assignFor) return;
    setBusy(true);
    try {
      const body = { ...values, coOrgIds: values.coOrgIds ?? [] };
      if (assignFor.owners.length) {
        await modelcityApi.reassign(assignFor.id, body);
        message.success(t('web.modelcity.owner.reassigned'));
      } else {
        await modelcityApi.assign(assignFor.id, body);
        message.success(t('web.modelcity.owner.done'));
      }
      setAssignFor(null);
      await refresh();
    } catch {
      // the API client shows the error
    } finally {
      setBusy(false);
    }
  };

  const tag = async (s: { sourceKind: EvidenceSuggestion['sourceKind']; sourceId: string; elementId: string }) => {
    if (s.sourceKind === 'document') return;
    await modelcityApi.tag({ sourceKind: s.sourceKind, sourceId: s.sourceId, elementId: s.elementId });
    message.success(t('web.modelcity.tagged'));
    await refresh();
  };

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.modelcity.title')}
        </Typography.Title>
      }
    >
      <DocTitle title={t('web.modelcity.title')} />
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <Select
          aria-label={t('web.modelcity.round')}
          style={{ minWidth: 0, maxWidth: '100%', width: 280 }}
          value={r.round.id}
          onChange={(id: string) => setRoundId(id)}
          options={(rounds.data?.items ?? [r.round]).map((x) => ({ value: x.id, label: x.name }))}
          data-testid="modelcity-round"
        />
        {r.round.isExample ? <Tag color="blue">{t('web.modelcity.example')}</Tag> : null}
        <Typography.Text type="secondary">
          {t('web.modelcity.period', { start: r.round.periodStart, end: r.round.periodEnd })}
        </Typography.Text>
        <Typography.Text type="secondary" data-testid="modelcity-scope">
          {t('web.modelcity.scope', { scope: r.scopeName })}
        </Typography.Text>
      </Flex>
      <Flex wrap gap={16} align="center" style={{ marginBottom: 16 }}>
        <Progress type="circle" size={96} percent={percent(r.score, r.points)} />
        <div>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="modelcity-total">
            {t('web.modelcity.total', { score: pts(r.score), points: pts(r.points) })}
          </Typography.Title>
          <Typography.Text type="secondary">{t('web.modelcity.gapCount', { n: r.gaps.length })}</Typography.Text>
        </div>
        <Space wrap>
          <BinderExport round={r.round} />
        </Space>
      </Flex>
      <div style={{ marginBottom: 16 }}>
        {r.standards.map((s) => (
          <Flex key={s.id} gap={8} align="center" wrap>
            <span style={{ minWidth: 0, flex: '1 1 160px' }}>
              {s.code}. {s.title}
            </span>
            <Progress
              style={{ flex: '1 1 140px', margin: 0 }}
              percent={percent(s.score, s.points)}
              format={() => `${pts(s.score)}/${pts(s.points)}`}
            />
          </Flex>
        ))}
      </div>
      {r.vetoes.length ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('web.modelcity.vetoes')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {r.vetoes.map((v) => (
                <li key={v.id}>{v.text}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Tabs
        items={[
          {
            key: 'table',
            label: t('web.modelcity.tab.table'),
            children: (
              <Standards
                r={r}
                canUpload={canWrite}
                onUpload={(e) => {
                  form.resetFields();
                  setUploadFor(e);
                }}
                onRemove={remove}
                onEdit={r.canEditTable ? (i, elementId) => setEditFor({ item: i, elementId }) : undefined}
                onAssign={
                  canAssign
                    ? (i) => {
                        assignForm.resetFields();
                        // re-assigning starts from the current owners and deadline
                        if (i.owners.length)
                          assignForm.setFieldsValue({
                            leadOrgId: i.owners.find((o) => o.role === 'lead')?.orgId,
                            coOrgIds: i.owners.filter((o) => o.role === 'co').map((o) => o.orgId),
                            deadline: i.owners[0]?.deadline,
                          });
                        setAssignFor(i);
                      }
                    : undefined
                }
              />
            ),
          },
          {
            key: 'mine',
            label: (
              <span data-testid="modelcity-tab-mine">
                {t('web.modelcity.tab.mine', { n: mine.data?.items.length ?? 0 })}
              </span>
            ),
            children: (
              <List
                size="small"
                dataSource={mine.data?.items ?? []}
                locale={{ emptyText: t('web.modelcity.mine.empty') }}
                renderItem={(x) => (
                  <List.Item
                    data-testid="modelcity-mine"
                    data-code={x.code}
                    actions={[
                      <Link key="todo" to="/campaign-tasks">
                        {t('web.modelcity.mine.todo')}
                      </Link>,
                    ]}
                  >
                    <Space wrap size={4}>
                      <Typography.Text strong>{x.code}</Typography.Text>
                      <span>{x.content}</span>
                      <Tag color={x.role === 'lead' ? 'blue' : undefined}>{t(`web.modelcity.mine.role.${x.role}`)}</Tag>
                      <Typography.Text type="secondary">{x.orgName}</Typography.Text>
                      <Typography.Text type="secondary">
                        {t('web.modelcity.owner.deadline', { date: x.deadline })}
                      </Typography.Text>
                      {x.overdue ? <Tag color="red">{t('web.modelcity.mine.overdue')}</Tag> : null}
                      <Typography.Text data-testid="modelcity-mine-score">
                        {t('web.modelcity.score', { score: pts(x.score), points: pts(x.points) })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            ),
          },
          {
            key: 'trend',
            label: <span data-testid="modelcity-tab-trend">{t('web.modelcity.tab.trend')}</span>,
            children: (
              <>
                <Flex wrap gap={8} style={{ marginBottom: 12 }}>
                  <Button icon={<DownloadOutlined />} onClick={() => void template()} data-testid="modelcity-template">
                    {t('web.modelcity.import.template')}
                  </Button>
                  {canImport ? (
                    <Button
                      icon={<ImportOutlined />}
                      onClick={() => {
                        importForm.resetFields();
                        setImporting(true);
                      }}
                      data-testid="modelcity-import"
                    >
                      {t('web.modelcity.import.open')}
                    </Button>
                  ) : null}
                </Flex>
                <Trend items={trend.data?.items ?? []} current={r.round.id} />
              </>
            ),
          },
          {
            key: 'gaps',
            label: <span data-testid="modelcity-tab-gaps">{t('web.modelcity.tab.gaps', { n: r.gaps.length })}</span>,
            children: (
              <List
                size="small"
                dataSource={r.gaps}
                renderItem={(g) => (
                  <List.Item data-testid="modelcity-gap" data-code={g.code}>
                    <Space wrap size={4}>
                      <Typography.Text strong>{g.code}</Typography.Text>
                      <span>{g.text}</span>
                      <Tag color={STATUS_COLOR[g.status]}>{t(`modelcity.status.${g.status}`)}</Tag>
                      {g.staleOnly ? <Tag color="orange">{t('web.modelcity.staleOnly')}</Tag> : null}
                      <Typography.Text type="secondary">
                        {t('web.modelcity.missingPoints', { n: pts(g.missingPoints) })}
                      </Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            ),
          },
          ...(canWrite
            ? [
                {
                  key: 'suggest',
                  label: (
                    <span data-testid="modelcity-tab-suggest">
                      {t('web.modelcity.tab.suggest', { n: suggestions.data?.items.length ?? 0 })}
                    </span>
                  ),
                  children: (
                    <List
                      size="small"
                      dataSource={suggestions.data?.items ?? []}
                      locale={{ emptyText: t('web.modelcity.noSuggestions') }}
                      renderItem={(s) => (
                        <List.Item
                          data-testid="modelcity-suggestion"
                          actions={[
                            <Button
                              key="tag"
                              size="small"
                              type="primary"
                              onClick={() => void tag(s).catch(() => undefined)}
                              data-testid="modelcity-tag"
                            >
                              {t('web.modelcity.tag')}
                            </Button>,
                          ]}
                        >
                          <Space wrap size={4}>
                            <Tag>{t(`modelcity.kind.${s.sourceKind}`)}</Tag>
                            <span>{s.title}</span>
                            <Typography.Text type="secondary">{s.orgName}</Typography.Text>
                            <span>
                              → {s.elementCode} {s.elementText}
                            </span>
                          </Space>
                        </List.Item>
                      )}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <TableEditDialog
        item={editFor?.item ?? null}
        elementId={editFor?.elementId}
        onClose={() => setEditFor(null)}
        onSaved={() => {
          setEditFor(null);
          void refresh();
        }}
      />
      <Modal
        open={!!assignFor}
        title={
          assignFor
            ? t(assignFor.owners.length ? 'web.modelcity.owner.reassignTitle' : 'web.modelcity.owner.title', {
                code: assignFor.code,
                content: assignFor.content,
              })
            : ''
        }
        onCancel={() => setAssignFor(null)}
        onOk={() => void submitAssign()}
        okText={t('web.modelcity.owner.ok')}
        okButtonProps={{ loading: busy, ...({ 'data-testid': 'modelcity-assign-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t(assignFor?.owners.length ? 'web.modelcity.owner.reassignHint' : 'web.modelcity.owner.hint')}
        </Typography.Paragraph>
        <Form form={assignForm} layout="vertical" initialValues={{ coOrgIds: [] }}>
          <Form.Item name="leadOrgId" label={t('web.modelcity.owner.lead.field')} rules={[{ required: true }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={orgs.map((o) => ({ value: o.id, label: o.name }))}
              data-testid="modelcity-assign-lead"
            />
          </Form.Item>
          <Form.Item name="coOrgIds" label={t('web.modelcity.owner.co.field')}>
            <Select
              mode="multiple"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              options={orgs.map((o) => ({ value: o.id, label: o.name }))}
              data-testid="modelcity-assign-co"
            />
          </Form.Item>
          <Form.Item name="deadline" label={t('web.modelcity.owner.deadline.field')} rules={[{ required: true }]}>
            <Input type="date" data-testid="modelcity-assign-deadline" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={importing}
        title={t('web.modelcity.import.title')}
        onCancel={() => setImporting(false)}
        onOk={() => void submitImport()}
        okText={t('web.modelcity.import.ok')}
        okButtonProps={{ loading: busy, ...({ 'data-testid': 'modelcity-import-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('web.modelcity.import.hint')}</Typography.Paragraph>
        <Form form={importForm} layout="vertical">
          <Form.Item
            name="name"
            label={t('web.modelcity.import.name')}
            rules={[{ required: true, whitespace: true, max: 100 }]}
          >
            <Input data-testid="modelcity-import-name" maxLength={100} />
          </Form.Item>
          <Form.Item name="periodStart" label={t('web.modelcity.import.periodStart')} rules={[{ required: true }]}>
            <Input type="date" data-testid="modelcity-import-start" />
          </Form.Item>
          <Form.Item name="periodEnd" label={t('web.modelcity.import.periodEnd')} rules={[{ required: true }]}>
            <Input type="date" data-testid="modelcity-import-end" />
          </Form.Item>
          <Form.Item label={t('web.modelcity.import.file')} required>
            <input ref={tableRef} type="file" accept=".xlsx" data-testid="modelcity-import-file" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!uploadFor}
        title={uploadFor ? t('web.modelcity.uploadTitle', { code: uploadFor.code, text: uploadFor.text }) : ''}
        onCancel={() => setUploadFor(null)}
        onOk={() => void submitUpload()}
        okText={t('web.modelcity.uploadOk')}
        okButtonProps={{ loading: busy, ...({ 'data-testid': 'modelcity-upload-ok' } as Record<string, string>) }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ docType: 'minutes', date: todayIsoDate() }}>
          <Form.Item
            name="title"
            label={t('web.modelcity.field.title')}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input data-testid="modelcity-upload-title" maxLength={200} />
          </Form.Item>
          <Form.Item name="docType" label={t('web.modelcity.field.docType')} rules={[{ required: true }]}>
            <Select
              data-testid="modelcity-upload-type"
              options={EVIDENCE_DOC_TYPES.map((d) => ({ value: d, label: t(`modelcity.docType.${d}`) }))}
            />
          </Form.Item>
          <Form.Item name="date" label={t('web.modelcity.field.date')} rules={[{ required: true }]}>
            <Input type="date" data-testid="modelcity-upload-date" />
          </Form.Item>
          <Form.Item label={t('web.modelcity.field.file')} required>
            <input
              ref={fileRef}
              type="file"
              accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
              data-testid="modelcity-upload-file"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
