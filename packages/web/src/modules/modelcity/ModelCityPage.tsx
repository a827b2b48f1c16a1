import { DownloadOutlined, FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import { type ElementStatus, EVIDENCE_DOC_TYPES } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
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
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import {
  type ElementReadiness,
  type EvidenceDocType,
  type ModelEvidence,
  modelcityApi,
  type Readiness,
} from '../../api/modelcity';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { PageError, PageLoading } from '../../components/PageState';
import { t } from '../../i18n';
import { todayIsoDate } from '../../lib/dates';

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
}: {
  e: ElementReadiness;
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
        {canUpload && e.kinds.includes('document') ? (
          <Button size="small" icon={<UploadOutlined />} onClick={() => onUpload(e)} data-testid="modelcity-upload">
            {t('web.modelcity.upload')}
          </Button>
        ) : null}
      </Flex>
      <EvidenceList items={e.evidence} onRemove={onRemove} />
    </div>
  );
}

function Standards({
  r,
  canUpload,
  onUpload,
  onRemove,
}: {
  r: Readiness;
  canUpload: boolean;
  onUpload: (e: ElementReadiness) => void;
  onRemove: (ev: ModelEvidence) => void;
}) {
  return (
    <Collapse
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
            {i.elements.map((e) => (
              <ElementRow key={e.id} e={e} canUpload={canUpload} onUpload={onUpload} onRemove={onRemove} />
            ))}
          </div>
        )),
      }))}
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
  const fileRef = useRef<HTMLInputElement>(null);
  const readiness = useQuery({
    queryKey: ['modelcity', 'readiness'],
    queryFn: ({ signal }) => modelcityApi.readiness({ signal }),
  });
  const suggestions = useQuery({
    queryKey: ['modelcity', 'suggestions'],
    queryFn: ({ signal }) => modelcityApi.suggestions({ signal }),
    enabled: can('modelcity:write'),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['modelcity'] });

  if (readiness.isPending) return <PageLoading />;
  if (readiness.isError) return <PageError error={readiness.error} backTo="/" backLabel={t('web.modelcity.home')} />;
  const r = readiness.data;
  const canWrite = can('modelcity:write');

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

  const tag = async (s: { sourceId: string; elementId: string }) => {
    await modelcityApi.tag({ sourceKind: 'publicity', sourceId: s.sourceId, elementId: s.elementId });
    message.success(t('web.modelcity.tagged'));
    await refresh();
  };

  const download = async (kind: 'binder' | 'xlsx') => {
    setBusy(true);
    try {
      if (kind === 'binder') await modelcityApi.binder(t('web.modelcity.binderFile'));
      else await modelcityApi.selfAssessment(t('web.modelcity.xlsxFile'));
    } catch {
      // the API client shows the error
    } finally {
      setBusy(false);
    }
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
        <Typography.Text>{r.round.name}</Typography.Text>
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
          <Button
            icon={<FileWordOutlined />}
            loading={busy}
            onClick={() => void download('binder')}
            data-testid="modelcity-binder"
          >
            {t('web.modelcity.binder')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            loading={busy}
            onClick={() => void download('xlsx')}
            data-testid="modelcity-xlsx"
          >
            {t('web.modelcity.xlsx')}
          </Button>
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
              />
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
