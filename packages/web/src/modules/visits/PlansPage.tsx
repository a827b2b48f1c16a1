import { CATEGORY_CODES, type CategoryCode } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { type NewPlan, type PlanListItem, visitsApi } from '../../api/visits';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { CampaignScope } from './CampaignPicker';

interface RuleValues {
  categories?: CategoryCode[];
  minAge?: number | null;
  merit?: boolean;
  livingAloneOnly?: boolean;
}

/** The rules of the form as the API takes them (a merit rule stands alone; empty parts are left out). */
export function rulesOf(values: readonly RuleValues[], year: number): NonNullable<NewPlan['rules']> {
  return values.map((r) =>
    r.merit
      ? { kind: 'merit_citation' as const, meritCitationYear: year }
      : {
          kind: 'registry' as const,
          ...(r.categories?.length ? { categories: r.categories } : {}),
          ...(typeof r.minAge === 'number' ? { minAge: r.minAge } : {}),
          ...(r.livingAloneOnly ? { livingAloneOnly: true } : {}),
        },
  );
}

/** Visit plans of a campaign, and the builder of a new one from rules over the registry. */
export function PlansPage() {
  return <CampaignScope>{(c, picker) => <Plans campaignId={c.id} picker={picker} />}</CampaignScope>;
}

function Plans({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const navigate = useNavigate();
  const can = useCan();
  const writer = can('visit:write');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const plans = useQuery({
    queryKey: ['visit-plans', campaignId],
    queryFn: ({ signal }) => visitsApi.plans(campaignId, { signal }),
  });
  const [form] = Form.useForm<{ title: string; rules: RuleValues[] }>();
  const [saving, setSaving] = useState(false);

  const create = async (v: { title: string; rules: RuleValues[] }) => {
    setSaving(true);
    try {
      const plan = await visitsApi.createPlan({
        campaignId,
        title: v.title.trim(),
        rules: rulesOf(v.rules ?? [], new Date().getFullYear()),
      });
      void message.success(t('web.visits.planCreated'));
      void queryClient.invalidateQueries({ queryKey: ['visit-plans'] });
      navigate(`/visits/plans/${plan.id}`);
    } catch {
      // shown by the global handler
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <DocTitle title={t('web.visits.plans')} />
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.visits.plans')}
        </Typography.Title>
        {picker}
        {writer && <Link to="/visits/record">{t('web.visits.record')}</Link>}
        <Link to="/visits/coverage">{t('web.visits.coverage')}</Link>
        <Link to="/visit-money">{t('web.visits.money.menu')}</Link>
      </Space>
      <Table<PlanListItem>
        size="small"
        rowKey="id"
        pagination={false}
        loading={plans.isPending}
        dataSource={plans.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="plan-list"
        columns={[
          { title: t('web.visits.title'), render: (_, p) => <Link to={`/visits/plans/${p.id}`}>{p.title}</Link> },
          { title: t('web.visits.org'), dataIndex: 'orgName' },
          { title: t('web.visits.targets'), dataIndex: 'targetCount', align: 'right' },
          {
            title: t('web.visits.planStatus'),
            render: (_, p) => (
              <Tag color={p.status === 'confirmed' ? 'green' : 'default'}>
                {t(p.status === 'confirmed' ? 'web.visits.planStatus.confirmed' : 'web.visits.planStatus.draft')}
              </Tag>
            ),
          },
        ]}
      />
      {writer ? (
        <Card title={t('web.visits.newPlan')} size="small" data-testid="plan-form">
          <Form form={form} layout="vertical" onFinish={(v) => void create(v)} initialValues={{ rules: [{}] }}>
            <Form.Item
              name="title"
              label={t('web.visits.title')}
              rules={[{ required: true, whitespace: true, max: 100 }]}
            >
              <Input maxLength={100} data-testid="plan-title" />
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
                        <Button size="small" onClick={() => remove(f.name)} aria-label={t('web.visits.removeRule')}>
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
                          <InputNumber min={0} max={130} precision={0} />
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
            <Button
              type="primary"
              htmlType="submit"
              loading={saving}
              style={{ marginTop: 12 }}
              data-testid="plan-create"
            >
              {t('web.visits.create')}
            </Button>
          </Form>
        </Card>
      ) : (
        <Alert type="info" showIcon title={t('web.visits.readOnly')} data-testid="visits-read-only" />
      )}
    </Space>
  );
}
