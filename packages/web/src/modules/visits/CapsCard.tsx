import type { MessageKey, StandingCaps } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, InputNumber, Space, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { type CapsBody, type VisitCaps, visitsApi } from '../../api/visits';
import { t } from '../../i18n';
import { yuanToFen } from '../../lib/money';
import styles from './visits.module.css';

type CapKey = keyof StandingCaps;
type Values = Partial<Record<CapKey, number | null>>;

/** The six caps, in yuan on the form; a warn level must not exceed its hard cap. */
const FIELDS: { key: CapKey; label: MessageKey; max?: CapKey }[] = [
  { key: 'cashPerVisitWarnFen', label: 'web.visits.caps.cashPerVisitWarn', max: 'cashPerVisitMaxFen' },
  { key: 'cashPerVisitMaxFen', label: 'web.visits.caps.cashPerVisitMax' },
  { key: 'goodsPerVisitWarnFen', label: 'web.visits.caps.goodsPerVisitWarn', max: 'goodsPerVisitMaxFen' },
  { key: 'goodsPerVisitMaxFen', label: 'web.visits.caps.goodsPerVisitMax' },
  { key: 'cashPerTargetMaxFen', label: 'web.visits.caps.cashPerTargetMax' },
  { key: 'goodsPerTargetMaxFen', label: 'web.visits.caps.goodsPerTargetMax' },
];
const MAX_YUAN = 100_000;

const toYuan = (fen: number | null | undefined) => (fen == null ? null : fen / 100);
const toFen = (v: Values) =>
  Object.fromEntries(FIELDS.map((f) => [f.key, yuanToFen(v[f.key]) ?? null])) as Record<CapKey, number | null>;

interface FormProps {
  /** `${testId}-card`, `${testId}-save`; the fields `${fieldPrefix}-<cap>`. */
  testId: string;
  fieldPrefix: string;
  title: string;
  notice?: ReactNode;
  loaded: StandingCaps | undefined;
  editable: boolean;
  save: (fen: Record<CapKey, number | null>) => Promise<void>;
}

function CapsForm({ testId, fieldPrefix, title, notice, loaded, editable, save }: FormProps) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (loaded === undefined) return;
    form.setFieldsValue(Object.fromEntries(FIELDS.map((f) => [f.key, toYuan(loaded[f.key])])));
  }, [loaded, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    try {
      await save(toFen(v));
    } catch {
      // shown by the global handler
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={title} data-testid={`${testId}-card`}>
      {notice}
      <Typography.Paragraph type="secondary">
        {t('web.visits.caps.hint')}
        {!editable && ` ${t('web.visits.caps.readOnly')}`}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} disabled={!editable}>
        <div className={styles.capsGrid}>
          {FIELDS.map((f) => (
            <Form.Item
              key={f.key}
              name={f.key}
              label={t(f.label)}
              dependencies={f.max ? [f.max] : undefined}
              rules={
                f.max
                  ? [
                      ({ getFieldValue }) => ({
                        validator: async (_, value: number | null | undefined) => {
                          const max = getFieldValue(f.max!) as number | null | undefined;
                          if (value != null && max != null && value > max)
                            throw new Error(t('web.visits.caps.warnAboveMax'));
                        },
                      }),
                    ]
                  : undefined
              }
            >
              <InputNumber
                min={0}
                max={MAX_YUAN}
                precision={2}
                placeholder={t('web.visits.caps.none')}
                style={{ width: '100%' }}
                data-testid={`${fieldPrefix}-${f.key}`}
              />
            </Form.Item>
          ))}
        </div>
        {editable && (
          <Space>
            <Button type="primary" htmlType="submit" loading={saving} data-testid={`${testId}-save`}>
              {t('web.visits.caps.save')}
            </Button>
          </Space>
        )}
      </Form>
    </Card>
  );
}

/**
 * 慰问标准 of a campaign: its own when the city set them, else the city's standing caps
 * (decisions/0027), said so above the form. Editable by a city-wide role holding `visit:approve`
 * (the server's rule), read-only to everyone else. Yuan on the form, fen on the wire.
 */
export function CapsCard({ campaignId, editable }: { campaignId: string; editable: boolean }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [caps, setCaps] = useState<VisitCaps | undefined>();
  const loaded = useQuery({
    queryKey: ['visit-caps', campaignId],
    queryFn: ({ signal }) => visitsApi.caps(campaignId, { signal }),
  }).data;
  useEffect(() => setCaps(loaded), [loaded]);

  const save = async (fen: Record<CapKey, number | null>) => {
    const body: CapsBody = { campaignId, ...fen, ...(caps && !caps.inherited ? { version: caps.version } : {}) };
    const saved = await visitsApi.setCaps(body);
    setCaps(saved);
    void queryClient.invalidateQueries({ queryKey: ['visit-caps', campaignId] });
    void message.success(t('web.visits.caps.saved'));
  };

  return (
    <CapsForm
      testId="caps"
      fieldPrefix="cap"
      title={t('web.visits.caps.title')}
      loaded={caps}
      editable={editable}
      save={save}
      notice={
        caps?.inherited && (
          <Alert
            type="info"
            showIcon
            className={styles.capsNotice}
            message={t('web.visits.caps.inherited')}
            data-testid="caps-inherited"
          />
        )
      }
    />
  );
}

/** The city's standing caps: what every campaign without caps of its own applies (city-wide roles edit them). */
export function StandingCapsCard({ editable }: { editable: boolean }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const loaded = useQuery({
    queryKey: ['visit-caps', 'standing'],
    queryFn: ({ signal }) => visitsApi.standingCaps({ signal }),
  }).data;

  const save = async (fen: Record<CapKey, number | null>) => {
    await visitsApi.setStandingCaps(fen);
    // campaigns that inherit them show the new values
    void queryClient.invalidateQueries({ queryKey: ['visit-caps'] });
    void message.success(t('web.visits.caps.standingSaved'));
  };

  return (
    <CapsForm
      testId="standing-caps"
      fieldPrefix="standing-cap"
      title={t('web.visits.caps.standingTitle')}
      loaded={loaded}
      editable={editable}
      save={save}
      notice={<Typography.Paragraph>{t('web.visits.caps.standingHint')}</Typography.Paragraph>}
    />
  );
}
