import { CATEGORY_CODES } from '@shuangyong/shared';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { label, t } from '../../i18n';
import { type PlanListItem, visitsApi } from './api';
import { CampaignScope } from './CampaignPicker';

interface RuleValues {
  categories?: string[];
  minAge?: number;
  merit?: boolean;
  livingAloneOnly?: boolean;
}

/** Visit plans of a campaign, and the builder of a new one from rules over the registry. */
export function PlansPage() {
  return <CampaignScope>{(c, picker) => <Plans campaignId={c.id} picker={picker} />}</CampaignScope>;
}

function Plans({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const navigate = useNavigate();
  const [plans, setPlans] = useState<PlanListItem[]>([]);
  const [form] = Form.useForm<{ title: string; rules: RuleValues[] }>();
  const [saving, setSaving] = useState(false);
  const load = useCallback(async () => setPlans((await visitsApi.plans(campaignId)).items), [campaignId]);
  useEffect(() => {
    load().catch(() => {});
  }, [load]);

  const create = async (v: { title: string; rules: RuleValues[] }) => {
    setSaving(true);
    try {
      const rules = (v.rules ?? []).map((r) =>
        r.merit
          ? { kind: 'merit_citation', meritCitationYear: new Date().getFullYear() }
          : {
              kind: 'registry',
              categories: r.categories?.length ? r.categories : undefined,
              minAge: r.minAge ?? undefined,
              livingAloneOnly: r.livingAloneOnly || undefined,
            },
      );
      const plan = await visitsApi.createPlan({ campaignId, title: v.title, rules });
      navigate(`/visits/plans/${plan.id}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.visits.plans')}
        </Typography.Title>
        {picker}
        <Link to="/visits/record">{t('web.visits.record')}</Link>
        <Link to="/visits/coverage">{t('web.visits.coverage')}</Link>
        <Link to="/visit-money">{t('web.visits.money.menu')}</Link>
      </Space>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={plans}
        columns={[
          { title: t('web.visits.title'), render: (_, p) => <Link to={`/visits/plans/${p.id}`}>{p.title}</Link> },
          { title: t('web.visits.org'), dataIndex: 'orgName' },
          { title: t('web.visits.targets'), dataIndex: 'targetCount', align: 'right' },
          {
            title: '',
            render: (_, p) => (
              <Tag color={p.status === 'confirmed' ? 'green' : 'default'}>
                {t(p.status === 'confirmed' ? 'web.visits.planStatus.confirmed' : 'web.visits.planStatus.draft')}
              </Tag>
            ),
          },
        ]}
      />
      <Card title={t('web.visits.newPlan')} size="small">
        <Form form={form} layout="vertical" onFinish={create} initialValues={{ rules: [{}] }}>
          <Form.Item name="title" label={t('web.visits.title')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="plan-title" />
          </Form.Item>
          <Form.List name="rules">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Card
                    key={f.key}
                    size="small"
                    title={`${t('web.visits.rules')} ${i + 1}`}
                    extra={
                      <Button size="small" onClick={() => remove(f.name)}>
                        ✕
                      </Button>
                    }
                    style={{ marginBottom: 8 }}
                  >
                    <Space wrap align="end">
                      <Form.Item name={[f.name, 'categories']} label={t('web.visits.categories')}>
                        <Select
                          mode="multiple"
                          style={{ minWidth: 240 }}
                          data-testid={`rule-categories-${i}`}
                          options={CATEGORY_CODES.map((c) => ({ value: c, label: label('category', c) }))}
                          optionFilterProp="label"
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'minAge']} label={t('web.visits.minAge')}>
                        <InputNumber min={0} max={130} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'merit']} valuePropName="checked">
                        <Checkbox>{t('web.visits.merit')}</Checkbox>
                      </Form.Item>
                      <Form.Item name={[f.name, 'livingAloneOnly']} valuePropName="checked">
                        <Checkbox>{t('web.visits.livingAlone')}</Checkbox>
                      </Form.Item>
                    </Space>
                  </Card>
                ))}
                <Button onClick={() => add({})}>{t('web.visits.addRule')}</Button>
              </>
            )}
          </Form.List>
          <Button type="primary" htmlType="submit" loading={saving} style={{ marginTop: 12 }} data-testid="plan-create">
            {t('web.visits.create')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
