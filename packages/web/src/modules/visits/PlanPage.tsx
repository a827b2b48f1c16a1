import type { VisitPlan, VisitTarget } from '@shuangyong/shared';
import { Alert, App, Button, Card, Form, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { downloadFile } from '../../api/files';
import { jobsApi } from '../../api/jobs';
import { t } from '../../i18n';
import { type Conflict, type Team, visitsApi } from './api';

const split = (s?: string) => (s ?? '').split(/[,，、\s]+/).filter(Boolean);

/** One plan: its rules with counts, the targets with the reason each is listed, conflicts, teams, letters. */
export function PlanPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const [plan, setPlan] = useState<VisitPlan | null>(null);
  const [page, setPage] = useState(1);
  const [targets, setTargets] = useState<{ items: VisitTarget[]; total: number }>({ items: [], total: 0 });
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [teamId, setTeamId] = useState<string>();
  const [letters, setLetters] = useState<{ id: string; percent: number; done: boolean } | null>(null);

  const load = useCallback(async () => {
    const [p, tg, c, tm] = await Promise.all([
      visitsApi.plan(id),
      visitsApi.targets(id, page),
      visitsApi.conflicts(id),
      visitsApi.teams(id),
    ]);
    setPlan(p);
    setTargets(tg);
    setConflicts(c.items);
    setTeams(tm.items);
  }, [id, page]);
  useEffect(() => {
    load().catch(() => {});
  }, [load]);

  const confirm = async (drop?: boolean) => {
    if (!plan) return;
    await visitsApi.confirm(id, plan.version, drop);
    message.success(t('web.visits.confirm'));
    await load();
  };

  const bulkLetters = async () => {
    const job = await visitsApi.letters(id);
    setLetters({ id: job.id, percent: 0, done: false });
    for (;;) {
      await new Promise((r) => setTimeout(r, 700));
      const j = await jobsApi.get(job.id);
      const percent = j.total ? Math.round(((j.processed ?? 0) * 100) / j.total) : 0;
      setLetters({ id: job.id, percent, done: j.status === 'succeeded' });
      if (j.status === 'succeeded' || j.status === 'failed') break;
    }
  };

  if (!plan) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4}>
        {plan.title}{' '}
        <Tag color={plan.status === 'confirmed' ? 'green' : 'default'}>
          {t(plan.status === 'confirmed' ? 'web.visits.planStatus.confirmed' : 'web.visits.planStatus.draft')}
        </Tag>
      </Typography.Title>
      <Card size="small" title={t('web.visits.rules')}>
        {plan.rules.map((r) => (
          <div key={r.id}>
            {r.label}：<b>{r.matched}</b>
          </div>
        ))}
      </Card>
      {plan.status === 'draft' && (
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
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" onClick={() => confirm()} data-testid="plan-confirm">
              {t('web.visits.confirm')}
            </Button>
            {conflicts.length > 0 && <Button onClick={() => confirm(true)}>{t('web.visits.dropConflicts')}</Button>}
          </Space>
        </Card>
      )}
      <Card size="small" title={t('web.visits.teams')}>
        <Form
          layout="inline"
          onFinish={async (v: { name: string; staff?: string; leaders?: string; plannedDate?: string }) => {
            await visitsApi.createTeam(id, {
              name: v.name,
              staff: split(v.staff),
              leaders: split(v.leaders),
              plannedDate: v.plannedDate || undefined,
            });
            await load();
          }}
        >
          <Form.Item name="name" rules={[{ required: true }]}>
            <Input placeholder={t('web.visits.addTeam')} />
          </Form.Item>
          <Form.Item name="staff">
            <Input placeholder={t('web.visits.staff')} />
          </Form.Item>
          <Form.Item name="leaders">
            <Input placeholder={t('web.visits.leaders')} />
          </Form.Item>
          <Form.Item name="plannedDate">
            <Input type="date" />
          </Form.Item>
          <Button htmlType="submit">{t('web.visits.addTeam')}</Button>
        </Form>
        <div style={{ marginTop: 8 }}>
          {teams.map((x) => (
            <Tag key={x.id}>
              {x.name}（{x.targets}）{[...x.leaders, ...x.staff].join('、')} {x.plannedDate ?? ''}
            </Tag>
          ))}
        </div>
      </Card>
      <Space wrap>
        <Select
          style={{ width: 200 }}
          placeholder={t('web.visits.teams')}
          value={teamId}
          onChange={setTeamId}
          options={teams.map((x) => ({ value: x.id, label: x.name }))}
        />
        <Button
          disabled={!teamId || !selected.length}
          onClick={async () => {
            await visitsApi.assign(id, { teamId, targetIds: selected });
            setSelected([]);
            await load();
          }}
        >
          {t('web.visits.assign')}
        </Button>
        <Button onClick={bulkLetters}>{t('web.visits.bulkLetters')}</Button>
        {letters && <Progress percent={letters.percent} size="small" style={{ width: 160 }} />}
        {letters?.done && (
          <Button
            type="link"
            onClick={() => downloadFile('GET', `/visit-letters/${letters.id}`, t('web.visits.lettersZip'))}
          >
            {t('web.visits.download')}
          </Button>
        )}
      </Space>
      <Table
        size="small"
        rowKey="id"
        dataSource={targets.items}
        rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) }}
        pagination={{ current: page, total: targets.total, pageSize: 20, onChange: setPage }}
        data-testid="plan-targets"
        columns={[
          { title: t('web.visits.target'), dataIndex: 'name' },
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
                      downloadFile(
                        'GET',
                        `/visit-targets/${r.id}/letter?format=${format}`,
                        `${t('visits.letter.title')}.${format}`,
                      )
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
