import type { MessageKey } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { type CapsBody, type VisitCaps, visitsApi } from '../../api/visits';
import { t } from '../../i18n';
import { yuanToFen } from '../../lib/money';
import styles from './visits.module.css';

type CapKey = Exclude<keyof CapsBody, 'campaignId' | 'version'>;
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

/**
 * 慰问标准 of a campaign: editable by a city-wide role holding `visit:approve` (the server's rule),
 * shown read-only to everyone else. Yuan on the form, fen on the wire.
 */
export function CapsCard({ campaignId, editable }: { campaignId: string; editable: boolean }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [caps, setCaps] = useState<VisitCaps | null>(null);
  const [saving, setSaving] = useState(false);
  const loaded = useQuery({
    queryKey: ['visit-caps', campaignId],
    queryFn: ({ signal }) => visitsApi.caps(campaignId, { signal }),
  }).data;

  useEffect(() => {
    if (loaded === undefined) return;
    setCaps(loaded);
    form.setFieldsValue(Object.fromEntries(FIELDS.map((f) => [f.key, toYuan(loaded?.[f.key])])));
  }, [loaded, form]);

  const save = async (v: Values) => {
    setSaving(true);
    try {
      const body: CapsBody = {
        campaignId,
        ...(Object.fromEntries(FIELDS.map((f) => [f.key, yuanToFen(v[f.key]) ?? null])) as Record<
          CapKey,
          number | null
        >),
        ...(caps ? { version: caps.version } : {}),
      };
      const saved = await visitsApi.setCaps(body);
      setCaps(saved);
      void message.success(t('web.visits.caps.saved'));
    } catch {
      // shown by the global handler
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('web.visits.caps.title')} data-testid="caps-card">
      <Typography.Paragraph type="secondary">
        {t('web.visits.caps.hint')}
        {!editable && ` ${t('web.visits.caps.readOnly')}`}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save} disabled={!editable}>
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
                data-testid={`cap-${f.key}`}
              />
            </Form.Item>
          ))}
        </div>
        {editable && (
          <Space>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="caps-save">
              {t('web.visits.caps.save')}
            </Button>
          </Space>
        )}
      </Form>
    </Card>
  );
}
