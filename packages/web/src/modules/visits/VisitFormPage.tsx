import { VISIT_MAX_PHOTO_BYTES, VISIT_MAX_PHOTOS, type VisitCaps, type VisitTarget } from '@shuangyong/shared';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { type BudgetLine, type CapWarning, visitsApi } from '../../api/visits';
import { useMe } from '../../app/auth';
import { DateTimeInput } from '../../components/DateTimeInput';
import { t } from '../../i18n';
import { capWarnings } from '../../lib/caps';
import { yuanToFen } from '../../lib/money';
import { ageText, loadKept } from '../../lib/offline';
import { instantOfWall, nowWallMinutes } from '../../lib/zone';
import { CampaignScope } from './CampaignPicker';
import { type Draft, drafts } from './drafts';
import { Outbox } from './Outbox';
import { megabytes, PhotoPicker, type PickedPhoto, revokePhotos } from './PhotoPicker';
import { RecentVisits } from './RecentVisits';
import { type PhotoRefusal, requeue, sendDraft, syncDrafts } from './sync';
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
/** Now in the display zone (TZ_DISPLAY), whatever the device's zone. */
const localNow = () => nowWallMinutes();

/** The field form: phone-first, keeps working offline (drafts in IndexedDB, sent when back online). */
export function VisitFormPage() {
  return <CampaignScope block>{(c, picker) => <VisitForm campaignId={c.id} picker={picker} />}</CampaignScope>;
}

function VisitForm({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const { message } = App.useApp();
  const userId = useMe().user.id;
  const [form] = Form.useForm<Values>();
  const [targets, setTargets] = useState<VisitTarget[]>([]);
  /** When the target list shown was fetched, if it came from the phone; 'missing': none kept. */
  const [listAge, setListAge] = useState<number | 'missing' | null>(null);
  const [lines, setLines] = useState<BudgetLine[]>([]);
  /** The campaign's caps, kept for offline use: the warnings are worked out here without a signal. */
  const [caps, setCaps] = useState<VisitCaps | null>(null);
  /** When the kept caps the shown warnings were worked out from were fetched (null: the server's check). */
  const [capsAge, setCapsAge] = useState<number | null>(null);
  const capsSavedAt = useRef<number | null>(null);
  const [warnings, setWarnings] = useState<CapWarning[]>([]);
  const [pending, setPending] = useState<Draft[]>([]);
  const [saving, setSaving] = useState(false);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  /** Bumped whenever visits reached the server: the list below reloads. */
  const [sent, setSent] = useState(0);
  const timer = useRef<number | undefined>(undefined);

  // the previews' object URLs go with the page
  const shown = useRef(photos);
  shown.current = photos;
  useEffect(() => () => revokePhotos(shown.current), []);

  const refreshDrafts = useCallback(async () => setPending(await drafts.mine(userId)), [userId]);
  const reportRefused = useCallback(
    (refused: PhotoRefusal[]) => {
      for (const r of refused)
        message.error(t('web.visits.photoRefused', { target: r.targetName, name: r.name, message: r.message }));
    },
    [message],
  );
  const sync = useCallback(async () => {
    const r = await syncDrafts(userId);
    if (r.sent) message.success(`${t('web.visits.synced')}（${r.sent}）`);
    reportRefused(r.refusedPhotos);
    if (r.sent) setSent((n) => n + 1);
    await refreshDrafts();
  }, [message, refreshDrafts, reportRefused, userId]);

  // the lists, fetched again on reconnect
  useEffect(() => {
    let live = true;
    const load = () => {
      loadKept(userId, `visit-targets:${campaignId}`, () =>
        visitsApi.fieldTargets(campaignId).then((p) => p.items),
      ).then((r) => {
        if (!live) return;
        if (r) setTargets(r.value);
        setListAge(r ? r.savedAt : 'missing');
      });
      loadKept(userId, `visit-budget-lines:${campaignId}`, () =>
        visitsApi.budgetLines(campaignId).then((r) => r.items),
      ).then((r) => live && r && setLines(r.value));
      loadKept(userId, `visit-caps:${campaignId}`, () => visitsApi.caps(campaignId)).then((r) => {
        if (!live || !r) return;
        setCaps(r.value);
        capsSavedAt.current = r.savedAt ?? Date.now();
      });
    };
    load();
    window.addEventListener('online', load);
    return () => {
      live = false;
      window.removeEventListener('online', load);
    };
  }, [campaignId, userId]);

  useEffect(() => {
    refreshDrafts();
    if (navigator.onLine) sync();
    window.addEventListener('online', sync);
    return () => window.removeEventListener('online', sync);
  }, [refreshDrafts, sync]);

  const retry = async (d: Draft) => {
    await requeue(d.clientKey);
    await sync();
  };
  const discard = async (d: Draft) => {
    await drafts.remove(d.clientKey);
    await refreshDrafts();
  };

  const onAmounts = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const v = form.getFieldsValue();
      if (!v.targetId) return;
      const amounts = { cashFen: yuanToFen(v.cash) ?? 0, goodsFen: yuanToFen(v.goodsValue) ?? 0 };
      // no signal: the same rules from the kept caps and the kept target's totals
      const here = () => {
        const target = targets.find((x) => x.id === v.targetId);
        if (!target) return;
        setWarnings(capWarnings(caps, target, amounts));
        setCapsAge(caps ? capsSavedAt.current : null);
      };
      if (!navigator.onLine) return here();
      visitsApi
        .check({ targetId: v.targetId, ...amounts })
        .then((r) => {
          setWarnings(r.warnings);
          setCapsAge(null);
        })
        .catch((error) => {
          if (error instanceof ApiError && error.status === 0) here();
        });
    }, 300);
  };

  const save = async (v: Values) => {
    const clientKey = crypto.randomUUID();
    const body = {
      targetId: v.targetId,
      visitedAt: instantOfWall(v.visitedAt) ?? new Date(v.visitedAt).toISOString(),
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
      userId,
      kind: 'create',
      targetName: targets.find((x) => x.id === v.targetId)?.name ?? '',
      body,
      photos: photos.map((p) => ({ id: p.id, name: p.name, type: p.type, size: p.size })),
      savedAt: new Date().toISOString(),
      state: 'pending',
    };
    const clear = () => {
      form.resetFields();
      form.setFieldsValue({ visitedAt: localNow() });
      setWarnings([]);
      revokePhotos(photos);
      setPhotos([]);
    };
    setSaving(true);
    try {
      // the draft and its photos are stored first: a lost answer is retried with the same key,
      // and each photo is sent once, never duplicated
      try {
        await drafts.put(draft, new Map(photos.map((p) => [p.id, p.blob])));
      } catch {
        message.error(t('web.visits.draftStoreFailed'));
        return;
      }
      if (!navigator.onLine) {
        message.info(t('web.visits.savedOffline'));
        clear();
        return;
      }
      const { outcome, refusedPhotos } = await sendDraft(clientKey);
      if (!outcome || outcome.state === 'sent') {
        // no outcome: a sync running meanwhile sent it
        message.success(
          outcome?.visit?.approvalStatus === 'pending' ? t('web.visits.pendingApproval') : t('web.visits.synced'),
        );
        clear();
        setSent((n) => n + 1);
      } else if (outcome.state === 'refused') {
        // the form keeps what was entered (photos too) for the user to correct
        await drafts.remove(clientKey);
        message.error(outcome.error.display);
      } else {
        const reason = outcome.error && outcome.error.status > 0 ? outcome.error.display : null;
        message.info(reason ? t('web.visits.savedForLater', { reason }) : t('web.visits.savedOffline'));
        clear();
      }
      reportRefused(refusedPhotos);
    } finally {
      setSaving(false);
      await refreshDrafts();
    }
  };

  return (
    <div className={styles.field}>
      <Typography.Title level={4}>{t('web.visits.record')}</Typography.Title>
      {picker}
      {listAge === 'missing' ? (
        <Alert type="warning" showIcon title={t('web.offline.listMissing')} className={styles.warning} />
      ) : listAge !== null ? (
        <Typography.Paragraph type="secondary" data-testid="visit-list-age">
          {t('web.offline.listAge', { age: ageText(listAge, Date.now(), (key, n) => t(key, { n })) })}
        </Typography.Paragraph>
      ) : null}
      <Form form={form} layout="vertical" onFinish={save} initialValues={{ visitedAt: localNow(), goodsQuantity: 1 }}>
        <Form.Item name="targetId" label={t('web.visits.target')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            data-testid="visit-target"
            onChange={onAmounts}
            options={targets.map((x) => ({
              value: x.id,
              label: `${x.name}${x.visitCount ? `（${t('web.visits.visited')}）` : ''}${x.troopVisit ? `（${t('web.visits.troopVisitedShort')}）` : ''}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="visitedAt" label={t('web.visits.visitedAt')} rules={[{ required: true }]}>
          <DateTimeInput data-testid="visit-time" />
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
        {capsAge !== null && warnings.length > 0 && (
          <Typography.Paragraph type="secondary" data-testid="visit-caps-age">
            {t('web.offline.capsAge', { age: ageText(capsAge, Date.now(), (key, n) => t(key, { n })) })}
          </Typography.Paragraph>
        )}
        <Form.Item name="needs" label={t('web.visits.needs')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="notes" label={t('web.visits.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          label={t('web.visits.photo')}
          extra={t('web.visits.photoLimit', { max: VISIT_MAX_PHOTOS, size: megabytes(VISIT_MAX_PHOTO_BYTES) })}
        >
          <PhotoPicker value={photos} onChange={setPhotos} />
        </Form.Item>
        <Form.Item name="acknowledged" valuePropName="checked">
          <Checkbox>{t('web.visits.acknowledged')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={saving} data-testid="visit-save">
          {t('web.visits.save')}
        </Button>
      </Form>
      <Outbox items={pending} onSync={sync} onRetry={retry} onDiscard={discard} />
      <RecentVisits campaignId={campaignId} version={sent} />
    </div>
  );
}
