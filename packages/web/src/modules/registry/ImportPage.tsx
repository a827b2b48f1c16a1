import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { emptyImportResult, type OrgType } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Progress,
  Result,
  Row,
  Statistic,
  Steps,
  Table,
  Tag,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { beneficiariesApi } from '../../api/beneficiaries';
import { ApiError } from '../../api/client';
import { type ImportResult, type Job, type JobStatus, jobsApi } from '../../api/jobs';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { ImportErrors } from './ImportErrors';
import styles from './registry.module.css';

const REGISTRY_ORG_TYPES: readonly OrgType[] = ['veterans_bureau', 'service_station'];
const POLL_MS = 500;
/** Statuses during which the job is still working. */
const RUNNING: readonly JobStatus[] = ['queued', 'validating', 'committing'];
const ACCEPT = '.xlsx,.csv';

/** Which wizard step a job status belongs to. */
function stepOf(job: Job | null, committed: boolean): number {
  if (!job) return 0;
  if (job.status === 'succeeded') return 3;
  if (job.status === 'failed') return committed ? 2 : 1;
  if (job.status === 'committing' || committed) return 2;
  return 1;
}

/** The caller's imports of the last week that wait on them; a row opens the job in the wizard. */
function RecentImports({ onOpen }: { onOpen(job: Job): void }) {
  const isMobile = useIsMobile();
  const [page, setPage] = useState(1);
  const recent = useQuery({
    queryKey: ['imports-recent', page],
    queryFn: ({ signal }) => jobsApi.recent(page, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = recent.data;
  if (!data?.total) return null;
  return (
    <Card size="small" title={t('import.recent')} className={styles.filters} data-testid="import-recent">
      <Table<Job>
        rowKey="id"
        size="small"
        dataSource={data.items}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize: 10,
          total: data.total,
          simple: isMobile,
          showTotal: (total) => t('web.total', { total }),
          onChange: setPage,
        }}
        columns={[
          { title: t('import.recentFile'), dataIndex: 'fileName', render: (v: string | null) => v ?? '—' },
          {
            title: t('import.recentStatus'),
            dataIndex: 'status',
            render: (v: JobStatus) =>
              v === 'failed' ? (
                <Tag color="red">{t('import.recentFailed')}</Tag>
              ) : (
                <Tag color="blue">{t('import.recentValidated')}</Tag>
              ),
          },
          { title: t('import.recentAt'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
          {
            title: '',
            render: (_, j) => (
              <Button size="small" onClick={() => onOpen(j)} data-testid="import-recent-open">
                {t('import.recentOpen')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** 导入: choose org and file → upload and dry run (progress) → summary → commit (progress) → done. */
export function ImportPage() {
  const me = useMe();
  const can = useCan();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const { forest } = useOrgTree(false, can('org:read'));
  const treeData = useMemo(
    () => toSelectTree(forest, (o) => !o.active || !REGISTRY_ORG_TYPES.includes(o.type)),
    [forest],
  );
  const [orgId, setOrgId] = useState<string | undefined>(
    REGISTRY_ORG_TYPES.includes(me.org.type) ? me.org.id : undefined,
  );
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [committed, setCommitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [pollError, setPollError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);

  // Poll while the job works; stops on validated / succeeded / failed and when the page is left.
  const running = !!job && RUNNING.includes(job.status);
  const poll = useQuery({
    queryKey: ['job', job?.id, committed],
    queryFn: ({ signal }) => jobsApi.get(job?.id ?? '', { signal }),
    enabled: running,
    refetchInterval: POLL_MS,
    retry: false,
    gcTime: 0,
  });
  useEffect(() => {
    if (poll.data && poll.data.id === job?.id && running) setJob(poll.data);
  }, [poll.data, job?.id, running]);
  useEffect(() => {
    if (poll.error) setPollError(poll.error instanceof ApiError ? poll.error.display : String(poll.error));
  }, [poll.error]);

  async function start() {
    setTouched(true);
    if (!orgId || !file) return;
    setBusy(true);
    setPollError(null);
    try {
      setCommitted(false);
      setJob(await jobsApi.startImport(orgId, file));
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  async function commit() {
    if (!job) return;
    setBusy(true);
    setPollError(null);
    try {
      const next = await jobsApi.commit(job.id);
      setCommitted(true);
      // 202 with the job; if the answer carries none, keep polling from 'committing'
      setJob(next && typeof next === 'object' && 'status' in next ? next : { ...job, status: 'committing' });
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  function restart() {
    setJob(null);
    setFile(null);
    setCommitted(false);
    setPollError(null);
    setTouched(false);
  }

  const step = stepOf(job, committed);
  const title = t('import.title');

  return (
    <Card title={title} styles={{ body: { padding: isMobile ? 12 : 24 } }} data-testid="import-page">
      <DocTitle title={title} />
      <Steps
        size="small"
        current={step}
        status={job?.status === 'failed' ? 'error' : undefined}
        className={styles.filters}
        items={[
          { title: t('import.stepChoose') },
          { title: t('import.stepValidate') },
          { title: t('import.stepCommit') },
          { title: t('import.stepDone') },
        ]}
      />

      {!job && <RecentImports onOpen={setJob} />}
      {!job && (
        <Form layout="vertical" style={{ maxWidth: 640 }}>
          <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
          <Form.Item
            label={t('import.org')}
            required
            extra={t('import.orgHint')}
            validateStatus={touched && !orgId ? 'error' : undefined}
            help={touched && !orgId ? t('beneficiaries.orgRequired') : undefined}
          >
            <TreeSelect
              treeData={treeData}
              value={orgId}
              onChange={(v?: string) => setOrgId(v || undefined)}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll={treeData.length < 50}
              placeholder={t('beneficiaries.pickOrg')}
              data-testid="import-org"
            />
          </Form.Item>
          <Form.Item
            label={t('import.file')}
            required
            validateStatus={touched && !file ? 'error' : undefined}
            help={touched && !file ? t('import.fileRequired') : undefined}
          >
            <Upload.Dragger
              accept={ACCEPT}
              maxCount={1}
              multiple={false}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'import', name: file.name, status: 'done', size: file.size }] : []}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('import.fileDrop')}</p>
              <p className="ant-upload-hint">{t('import.fileHint')}</p>
            </Upload.Dragger>
          </Form.Item>
          <Flex wrap gap={8} justify="space-between" align="center">
            <Button
              type="link"
              icon={<DownloadOutlined />}
              style={{ paddingInline: 0 }}
              onClick={() => void beneficiariesApi.importTemplate(t('import.templateFileName')).catch(() => {})}
              data-testid="import-template"
            >
              {t('import.template')}
            </Button>
            <Button type="primary" loading={busy} onClick={() => void start()} data-testid="import-start">
              {t('import.start')}
            </Button>
          </Flex>
        </Form>
      )}

      {job && RUNNING.includes(job.status) && (
        <div data-testid="import-progress" data-status={job.status}>
          <Typography.Paragraph>
            {label('jobStatus', job.status)}
            {file && <span className={styles.derived}> · {file.name}</span>}
          </Typography.Paragraph>
          <Progress
            percent={job.total ? Math.min(100, Math.floor(((job.processed ?? 0) / job.total) * 100)) : 0}
            status="active"
          />
          {job.total ? (
            <Typography.Text type="secondary">
              {t('import.progressRows', { processed: job.processed ?? 0, total: job.total })}
            </Typography.Text>
          ) : null}
        </div>
      )}

      {pollError && (
        <Alert
          type="warning"
          showIcon
          className={styles.filters}
          title={pollError}
          action={
            <Button
              size="small"
              onClick={() => {
                setPollError(null);
                void poll.refetch();
              }}
            >
              {t('web.retry')}
            </Button>
          }
        />
      )}

      {job?.status === 'validated' && (
        <Summary
          job={job}
          busy={busy}
          onCommit={() => void commit()}
          onRestart={restart}
          onErrorReport={() => void jobsApi.errorReport(job.id, t('import.errorReportFileName')).catch(() => {})}
        />
      )}

      {job?.status === 'succeeded' && (
        <Result
          status="success"
          title={t('import.doneTitle')}
          subTitle={t('import.doneCounts', {
            created: job.result?.created ?? 0,
            updated: job.result?.updated ?? 0,
            unchanged: job.result?.unchanged ?? 0,
          })}
          data-testid="import-done"
          extra={[
            <Button
              type="primary"
              key="list"
              onClick={() => navigate(`/beneficiaries${orgId ? `?orgId=${orgId}` : ''}`)}
            >
              {t('import.openList')}
            </Button>,
            <Button key="again" onClick={restart}>
              {t('import.again')}
            </Button>,
          ]}
        />
      )}

      {job?.status === 'failed' && (
        <Result
          status="error"
          title={committed ? t('import.commitFailed') : t('import.validateFailed')}
          subTitle={job.error ?? undefined}
          data-testid="import-failed"
          extra={
            <Button type="primary" onClick={restart}>
              {t('import.again')}
            </Button>
          }
        />
      )}
    </Card>
  );
}

function Summary({
  job,
  busy,
  onCommit,
  onRestart,
  onErrorReport,
}: {
  job: Job;
  busy: boolean;
  onCommit: () => void;
  onRestart: () => void;
  onErrorReport: () => void;
}) {
  const r: ImportResult = job.result ?? emptyImportResult();
  const importable = r.created + r.updated;
  const stat = (key: Parameters<typeof t>[0], value: number, testId: string, color?: string) => (
    <Col xs={12} sm={8} md={4}>
      <Statistic
        title={t(key)}
        value={value}
        styles={{ content: color ? { color } : undefined }}
        data-testid={testId}
      />
    </Col>
  );
  return (
    <div data-testid="import-summary">
      <Typography.Title level={5}>{t('import.summaryTitle')}</Typography.Title>
      <Row gutter={[16, 16]} className={styles.filters}>
        {stat('import.total', r.total, 'import-summary-total')}
        {stat('import.created', r.created, 'import-summary-created', '#389e0d')}
        {stat('import.updated', r.updated, 'import-summary-updated')}
        {stat('import.unchanged', r.unchanged ?? 0, 'import-summary-unchanged')}
        {(r.gradeChanges ?? 0) > 0 && stat('import.gradeChanges', r.gradeChanges ?? 0, 'import-summary-grade-changes')}
        {stat('import.duplicates', r.duplicates, 'import-summary-duplicates', r.duplicates ? '#d48806' : undefined)}
        {stat('import.invalid', r.invalid, 'import-summary-invalid', r.invalid ? '#cf1322' : undefined)}
        {(r.otherDistrict ?? 0) > 0 && stat('import.otherDistrict', r.otherDistrict ?? 0, 'import-summary-other')}
      </Row>
      <ImportErrors result={r} />
      {importable === 0 && (
        <Alert type="warning" showIcon className={styles.filters} title={t('import.nothingToImport')} />
      )}
      <Flex wrap gap={8} justify="flex-end" style={{ marginTop: 16 }}>
        <Button onClick={onRestart}>{t('import.chooseAgain')}</Button>
        <Button icon={<DownloadOutlined />} onClick={onErrorReport} data-testid="import-error-report">
          {t('import.errorReport')}
        </Button>
        <Button
          type="primary"
          loading={busy}
          disabled={importable === 0}
          onClick={onCommit}
          data-testid="import-commit"
        >
          {t('import.commit', { count: importable })}
        </Button>
      </Flex>
    </div>
  );
}
