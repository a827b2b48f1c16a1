import type { VisitTarget } from '@shuangyong/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { t } from '../../i18n';
import { yuanToFen } from '../../lib/money';
import { type BudgetLine, type CapWarning, visitsApi } from './api';
import { CampaignScope } from './CampaignPicker';
import { type Draft, drafts } from './drafts';
import { syncDrafts } from './sync';
import styles from './visits.module.css';

interface Values {
  targetId: string;
  visitedAt: string;
  staff: string;
  leaders?: string;
  cash?: number;
  goodsItem?: string;
  goodsQuantity?: number;
  goodsValue?: number;
  budgetLineId?: string;
  needs?: string;
  notes?: string;
  acknowledged?: boolean;
}

const names = (s?: string) =>
  (s ?? '')
    .split(/[,，、\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const localNow = () => {
  const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** The field form: phone-first, keeps working offline (drafts in IndexedDB, sent when back online). */
export function VisitFormPage() {
  return <CampaignScope block>{(c, picker) => <VisitForm campaignId={c.id} picker={picker} />}</CampaignScope>;
}

function VisitForm({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [targets, setTargets] = useState<VisitTarget[]>([]);
  const [lines, setLines] = useState<BudgetLine[]>([]);
  const [warnings, setWarnings] = useState<CapWarning[]>([]);
  const [pending, setPending] = useState<Draft[]>([]);
  const [saving, setSaving] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  const refreshDrafts = useCallback(async () => setPending(await drafts.all()), []);
  const sync = useCallback(async () => {
    const r = await syncDrafts();
    if (r.sent) message.success(`${t('web.visits.synced')}（${r.sent}）`);
    await refreshDrafts();
  }, [message, refreshDrafts]);

  useEffect(() => {
    visitsApi
      .fieldTargets(campaignId)
      .then((p) => setTargets(p.items))
      .catch(() => {});
    visitsApi
      .budgetLines(campaignId)
      .then((r) => setLines(r.items))
      .catch(() => {});
    refreshDrafts();
    if (navigator.onLine) sync();
    window.addEventListener('online', sync);
    return () => window.removeEventListener('online', sync);
  }, [campaignId, refreshDrafts, sync]);

  const onAmounts = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const v = form.getFieldsValue();
      if (!v.targetId || !navigator.onLine) return;
      visitsApi
        .check({ targetId: v.targetId, cashFen: yuanToFen(v.cash) ?? 0, goodsFen: yuanToFen(v.goodsValue) ?? 0 })
        .then((r) => setWarnings(r.warnings))
        .catch(() => {});
    }, 300);
  };

  const save = async (v: Values) => {
    const clientKey = crypto.randomUUID();
    const body = {
      targetId: v.targetId,
      visitedAt: new Date(v.visitedAt).toISOString(),
      visitors: { staff: names(v.staff), leaders: names(v.leaders) },
      cashFen: yuanToFen(v.cash) ?? 0,
      goods: v.goodsItem
        ? [{ item: v.goodsItem, quantity: v.goodsQuantity ?? 1, valueFen: yuanToFen(v.goodsValue) ?? 0 }]
        : [],
      budgetLineId: v.budgetLineId ?? null,
      needs: v.needs || null,
      notes: v.notes || null,
      acknowledged: !!v.acknowledged,
    };
    const draft: Draft = {
      clientKey,
      kind: 'create',
      targetName: targets.find((x) => x.id === v.targetId)?.name ?? '',
      body,
      savedAt: new Date().toISOString(),
      state: 'pending',
    };
    setSaving(true);
    // the draft is stored first: a lost answer is retried with the same key, never duplicated
    await drafts.put(draft);
    try {
      if (!navigator.onLine) throw new ApiError({ status: 0, code: 'network', title: '' });
      const visit = await visitsApi.record({ ...body, clientKey });
      await drafts.remove(clientKey);
      message.success(visit.approvalStatus === 'pending' ? t('web.visits.pendingApproval') : t('web.visits.synced'));
      form.resetFields();
      form.setFieldsValue({ visitedAt: localNow() });
      setWarnings([]);
    } catch (err) {
      if (err instanceof ApiError && err.status > 0 && err.status !== 503) {
        await drafts.remove(clientKey);
        message.error(err.display);
      } else {
        message.info(t('web.visits.savedOffline'));
        form.resetFields();
        form.setFieldsValue({ visitedAt: localNow() });
      }
    } finally {
      setSaving(false);
      await refreshDrafts();
    }
  };

  return (
    <div className={styles.field}>
      <Typography.Title level={4}>{t('web.visits.record')}</Typography.Title>
      {picker}
      <Form form={form} layout="vertical" onFinish={save} initialValues={{ visitedAt: localNow(), goodsQuantity: 1 }}>
        <Form.Item name="targetId" label={t('web.visits.target')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            data-testid="visit-target"
            onChange={onAmounts}
            options={targets.map((x) => ({
              value: x.id,
              label: `${x.name}${x.visitCount ? `（${t('web.visits.visited')}）` : ''}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="visitedAt" label={t('web.visits.visitedAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="staff" label={t('web.visits.staff')} rules={[{ required: true }]}>
          <Input data-testid="visit-staff" />
        </Form.Item>
        <Form.Item name="leaders" label={t('web.visits.leaders')}>
          <Input />
        </Form.Item>
        <Form.Item name="cash" label={t('web.visits.cash')}>
          <InputNumber
            min={0}
            max={100000}
            precision={2}
            style={{ width: '100%' }}
            onChange={onAmounts}
            data-testid="visit-cash"
          />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="goodsItem" label={t('web.visits.goodsItem')} style={{ flex: 2 }}>
            <Input />
          </Form.Item>
          <Form.Item name="goodsQuantity" label={t('web.visits.quantity')} style={{ flex: 1 }}>
            <InputNumber min={1} max={10000} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="goodsValue" label={t('web.visits.value')} style={{ flex: 1 }}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} onChange={onAmounts} />
          </Form.Item>
        </Space.Compact>
        {lines.length > 0 && (
          <Form.Item name="budgetLineId" label={t('web.visits.budgetLine')}>
            <Select
              allowClear
              data-testid="visit-budget-line"
              options={lines.map((l) => ({
                value: l.id,
                label: t('web.visits.budgetLineOption', { name: l.name, org: l.orgName }),
              }))}
            />
          </Form.Item>
        )}
        {warnings.map((w) => (
          <Alert
            key={w.code}
            type={w.level === 'approval' ? 'error' : 'warning'}
            title={w.message}
            showIcon
            className={styles.warning}
          />
        ))}
        <Form.Item name="needs" label={t('web.visits.needs')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="notes" label={t('web.visits.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="acknowledged" valuePropName="checked">
          <Checkbox>{t('web.visits.acknowledged')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={saving} data-testid="visit-save">
          {t('web.visits.save')}
        </Button>
      </Form>
      {pending.length > 0 && (
        <Card size="small" title={t('web.visits.drafts')} className={styles.drafts} data-testid="visit-drafts">
          <List
            dataSource={pending}
            renderItem={(d) => (
              <List.Item
                actions={[
                  d.state === 'pending' ? null : (
                    <Button key="drop" size="small" onClick={() => drafts.remove(d.clientKey).then(refreshDrafts)}>
                      ✕
                    </Button>
                  ),
                ]}
              >
                <Space direction="vertical" size={0}>
                  <span>
                    {d.targetName}{' '}
                    <Tag color={d.state === 'pending' ? 'blue' : 'red'}>
                      {d.state === 'conflict'
                        ? t('web.visits.conflict')
                        : d.state === 'pending'
                          ? t('web.visits.draftPending')
                          : t('web.visits.draftError')}
                    </Tag>
                  </span>
                  {d.message && <Typography.Text type="danger">{d.message}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
          <Button size="small" onClick={sync}>
            {t('web.visits.syncNow')}
          </Button>
        </Card>
      )}
    </div>
  );
}
