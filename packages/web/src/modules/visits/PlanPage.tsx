import type { VisitTarget } from '@shuangyong/shared';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { downloadFile } from '../../api/files';
import { jobsApi } from '../../api/jobs';
import { visitsApi } from '../../api/visits';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { SelectionBar } from '../../components/SelectionBar';
import { t } from '../../i18n';
import { toIsoDate } from '../../lib/dates';
import { TargetName } from './TargetName';

const split = (s?: string) => (s ?? '').split(/[,，、\s]+/).filter(Boolean);

interface TeamValues {
  name: string;
  staff?: string;
  leaders?: string;
  plannedDate?: Dayjs | null;
}

/** One plan: its rules with counts, the targets with the reason each is listed, conflicts, teams, letters. */
export function PlanPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const can = useCan();
  const writer = can('visit:write');
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [teamId, setTeamId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [letters, setLetters] = useState<{ id: string; percent: number; done: boolean } | null>(null);
  const [teamForm] = Form.useForm<TeamValues>();

  const plan = useQuery({ queryKey: ['visit-plan', id], queryFn: ({ signal }) => visitsApi.plan(id, { signal }) });
  const targets = useQuery({
    queryKey: ['visit-plan-targets', id, page],
    queryFn: ({ signal }) => visitsApi.targets(id, page, { signal }),
    placeholderData: keepPreviousData,
  });
  const draft = plan.data?.status === 'draft';
  const conflicts =
    useQuery({
      queryKey: ['visit-plan-conflicts', id],
      queryFn: ({ signal }) => visitsApi.conflicts(id, { signal }),
      enabled: draft,
    }).data?.items ?? [];
  const teams =
    useQuery({ queryKey: ['visit-plan-teams', id], queryFn: ({ signal }) => visitsApi.teams(id, { signal }) }).data
      ?.items ?? [];

  const reload = () =>
    Promise.all(
      ['visit-plan', 'visit-plan-targets', 'visit-plan-conflicts', 'visit-plan-teams'].map((k) =>
        queryClient.invalidateQueries({ queryKey: [k, id] }),
      ),
    );

  /** Runs a change; its success message, then the plan's data again. Refusals are shown by the API client. */
  async function change(run: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await run();
      void message.success(done);
      await reload();
      void queryClient.invalidateQueries({ queryKey: ['visit-plans'] });
      return true;
    } catch {
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (plan.isPending) return <PageLoading />;
  if (plan.isError) return <PageError error={plan.error} backTo="/visits" backLabel={t('web.visits.backToPlans')} />;
  const p = plan.data;

  const confirm = (drop?: boolean) => change(() => visitsApi.confirm(id, p.version, drop), t('web.visits.confirmed'));

  const createTeam = async (v: TeamValues) => {
    const plannedDate = toIsoDate(v.plannedDate);
    const ok = await change(
      () =>
        visitsApi.createTeam(id, {
          name: v.name.trim(),
          staff: split(v.staff),
          leaders: split(v.leaders),
          ...(plannedDate ? { plannedDate } : {}),
        }),
      t('web.visits.teamCreated', { name: v.name.trim() }),
    );
    if (ok) teamForm.resetFields();
  };

  const assign = async () => {
    if (!teamId) return;
    const n = selected.length;
    if (await change(() => visitsApi.assign(id, { teamId, targetIds: selected }), t('web.visits.assigned', { n })))
      setSelected([]);
  };

  const bulkLetters = async () => {
    try {
      const job = await visitsApi.letters(id);
      setLetters({ id: job.id, percent: 0, done: false });
      for (;;) {
        await new Promise((r) => setTimeout(r, 700));
        const j = await jobsApi.get(job.id);
        const percent = j.total ? Math.round(((j.processed ?? 0) * 100) / j.total) : 0;
        setLetters({ id: job.id, percent, done: j.status === 'succeeded' });
        if (j.status === 'failed') void message.error(t('web.visits.lettersFailed'));
        if (j.status === 'succeeded' || j.status === 'failed') break;
      }
    } catch {
      // shown by the global handler
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="plan-page">
      <DocTitle title={p.title} />
      <Flex wrap gap={8} align="center">
        <BackButton fallback="/visits" label={t('web.visits.backToPlans')} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {p.title}
        </Typography.Title>
        <Tag color={p.status === 'confirmed' ? 'green' : 'default'}>
          {t(p.status === 'confirmed' ? 'web.visits.planStatus.confirmed' : 'web.visits.planStatus.draft')}
        </Tag>
      </Flex>
      <Card size="small" title={t('web.visits.rules')}>
        {p.rules.map((r) => (
          <div key={r.id}>
            {r.label}：<b>{r.matched}</b>
          </div>
        ))}
      </Card>
      {draft && (
        <Card size="small" title={t('web.visits.conflicts')}>
          {conflicts.length ? (
            <Alert
              type="warning"
              showIcon
              title={conflicts.map((c) => `${c.name}（${c.otherOrgName}「${c.otherPlanTitle}」）`).join('；')}
            />
          ) : (
            <Typography.Text type="secondary">{t('web.visits.noConflicts')}</Typography.Text>
          )}
          {writer && (
            <Space style={{ marginTop: 8 }} wrap>
              <Button type="primary" loading={busy} onClick={() => void confirm()} data-testid="plan-confirm">
                {t('web.visits.confirm')}
              </Button>
              {conflicts.length > 0 && (
                <Button loading={busy} onClick={() => void confirm(true)}>
                  {t('web.visits.dropConflicts')}
                </Button>
              )}
            </Space>
          )}
        </Card>
      )}
      <Card size="small" title={t('web.visits.teams')}>
        {writer && (
          <Form form={teamForm} layout="inline" onFinish={(v) => void createTeam(v)} data-testid="team-form">
            <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 64 }]}>
              <Input placeholder={t('web.visits.teamName')} maxLength={64} data-testid="team-name" />
            </Form.Item>
            <Form.Item name="staff">
              <Input placeholder={t('web.visits.staff')} data-testid="team-staff" />
            </Form.Item>
            <Form.Item name="leaders">
              <Input placeholder={t('web.visits.leaders')} data-testid="team-leaders" />
            </Form.Item>
            <Form.Item name="plannedDate">
              <DatePicker placeholder={t('web.visits.plannedDate')} data-testid="team-date" />
            </Form.Item>
            <Button htmlType="submit" loading={busy} data-testid="team-create">
              {t('web.visits.addTeam')}
            </Button>
          </Form>
        )}
        <Flex wrap gap={6} style={{ marginTop: 8 }} data-testid="team-list">
          {teams.map((x) => (
            <Tag key={x.id} data-testid="team">
              {x.name}（{x.targets}）{[...x.leaders, ...x.staff].join('、')} {x.plannedDate ?? ''}
            </Tag>
          ))}
        </Flex>
      </Card>
      {writer && (
        <Space wrap>
          <Button onClick={() => void bulkLetters()}>{t('web.visits.bulkLetters')}</Button>
          {letters && <Progress percent={letters.percent} size="small" style={{ width: 160 }} />}
          {letters?.done && (
            <Button
              type="link"
              onClick={() =>
                void downloadFile('GET', `/visit-letters/${letters.id}`, t('web.visits.lettersZip')).catch(
                  () => undefined,
                )
              }
            >
              {t('web.visits.download')}
            </Button>
          )}
        </Space>
      )}
      {writer && (
        <SelectionBar
          count={selected.length}
          onClear={() => setSelected([])}
          actions={
            <>
              <Select
                size="small"
                style={{ width: 180 }}
                placeholder={t('web.visits.pickTeam')}
                value={teamId}
                onChange={setTeamId}
                options={teams.map((x) => ({ value: x.id, label: x.name }))}
                data-testid="assign-team"
              />
              <Button
                size="small"
                type="primary"
                disabled={!teamId}
                loading={busy}
                onClick={() => void assign()}
                data-testid="assign-selected"
              >
                {t('web.visits.assign')}
              </Button>
            </>
          }
        />
      )}
      <Table<VisitTarget>
        size="small"
        rowKey="id"
        loading={targets.isFetching}
        dataSource={targets.data?.items ?? []}
        rowSelection={
          writer
            ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]), preserveSelectedRowKeys: true }
            : undefined
        }
        pagination={{
          current: page,
          total: targets.data?.total ?? 0,
          pageSize: 20,
          onChange: setPage,
          showSizeChanger: false,
        }}
        scroll={{ x: 'max-content' }}
        data-testid="plan-targets"
        columns={[
          { title: t('web.visits.target'), render: (_, r) => <TargetName target={r} /> },
          { title: t('web.visits.groups'), render: (_, r) => r.streetName ?? r.orgName },
          {
            title: t('web.visits.reasons'),
            render: (_, r) =>
              r.reasons.map((x) => (
                <div key={x.ruleId}>
                  <Tag>{x.label}</Tag>
                  {x.detail}
                </div>
              )),
          },
          { title: t('web.visits.teams'), render: (_, r) => teams.find((x) => x.id === r.teamId)?.name ?? '' },
          { title: t('web.visits.visited'), render: (_, r) => (r.status === 'excluded' ? '—' : r.visitCount) },
          {
            title: t('web.visits.letters'),
            render: (_, r) => (
              <Space size={0}>
                {(['docx', 'pdf'] as const).map((format) => (
                  <Button
                    key={format}
                    size="small"
                    type="link"
                    data-testid={`letter-${format}`}
                    onClick={() =>
                      void downloadFile(
                        'GET',
                        `/visit-targets/${r.id}/letter?format=${format}`,
                        `${t('visits.letter.title')}.${format}`,
                      ).catch(() => undefined)
                    }
                  >
                    {format === 'pdf' ? 'PDF' : t('web.visits.letter')}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
