import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, List, Select, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { type CampaignDetail, campaignsApi, type Inspection } from '../../api/campaigns';
import { useCan } from '../../app/auth';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import styles from './campaigns.module.css';

type Rect = Inspection['rectifications'][number];
const RECT_COLOR: Record<Rect['status'], string> = { open: 'orange', done: 'gold', closed: 'success' };

interface NewInspection {
  orgId: string;
  inspectedOn: Dayjs;
  inspectors: string;
  findings: string;
  rectifications: { description: string; deadline?: Dayjs }[];
}

/** 督导检查 of a campaign: records with findings, and rectification items followed to closure. */
export function Inspections({ campaign }: { campaign: CampaignDetail }) {
  const can = useCan();
  const { message } = App.useApp();
  const manage = can('campaign:manage') && campaign.issuerView;
  const queryClient = useQueryClient();
  const key = ['campaign-inspections', campaign.id];
  const items =
    useQuery({ queryKey: key, queryFn: ({ signal }) => campaignsApi.inspections(campaign.id, { signal }) }).data ?? [];
  const load = () => queryClient.invalidateQueries({ queryKey: key });
  const [creating, setCreating] = useState(false);
  const [asking, setAsking] = useState<{ rect: Rect; mode: 'respond' | 'reopen' } | null>(null);
  const [form] = Form.useForm<NewInspection>();
  const [noteForm] = Form.useForm<{ note: string }>();

  const orgs = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of campaign.items.flatMap((i) => i.tasks.flatMap((tk) => tk.assignments))) m.set(a.orgId, a.orgName);
    return [...m].map(([value, labelText]) => ({ value, label: labelText }));
  }, [campaign]);

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      void message.success(t('web.saved'));
      await load();
      return true;
    } catch {
      // shown by the global handler
      return false;
    }
  };

  return (
    <>
      {manage && campaign.status === 'issued' && (
        <Button
          icon={<PlusOutlined />}
          className={styles.toolbar}
          onClick={() => setCreating(true)}
          data-testid="inspection-new"
        >
          {t('wc.newInspection')}
        </Button>
      )}
      {items.length === 0 && <Empty description={t('wc.noInspections')} />}
      {items.map((i) => (
        <Card
          key={i.id}
          size="small"
          className={styles.item}
          title={`${i.inspectedOn} · ${i.orgName}`}
          extra={
            <Tag color={i.closed ? 'success' : 'orange'}>
              {i.closed ? t('wc.inspectionClosed') : t('wc.inspectionOpen')}
            </Tag>
          }
          data-testid="inspection"
        >
          <p className={styles.muted}>{t('wc.inspectorsValue', { names: i.inspectors })}</p>
          <p className={styles.pre}>{i.findings}</p>
          <List
            size="small"
            dataSource={i.rectifications}
            renderItem={(r) => (
              <List.Item
                actions={[
                  !manage && r.status === 'open' && can('campaign:report') && (
                    <Button key="respond" size="small" onClick={() => setAsking({ rect: r, mode: 'respond' })}>
                      {label('rectificationAction', 'respond')}
                    </Button>
                  ),
                  manage && r.status === 'done' && (
                    <Button
                      key="close"
                      size="small"
                      type="primary"
                      onClick={() => act(() => campaignsApi.reviewRectification(r.id, r.version, 'close'))}
                    >
                      {label('rectificationAction', 'close')}
                    </Button>
                  ),
                  manage && r.status === 'done' && (
                    <Button key="reopen" size="small" onClick={() => setAsking({ rect: r, mode: 'reopen' })}>
                      {label('rectificationAction', 'reopen')}
                    </Button>
                  ),
                ].filter(Boolean)}
              >
                <Flex vertical>
                  <span>
                    <Tag color={RECT_COLOR[r.status]}>{label('rectificationStatus', r.status)}</Tag>
                    {r.description}
                    {r.deadline && (
                      <span className={r.overdue ? styles.muted : styles.muted}>
                        {' '}
                        （{t('wc.deadlineValue', { date: r.deadline })}）
                      </span>
                    )}
                  </span>
                  {r.response && <span className={styles.muted}>{t('wc.responseValue', { text: r.response })}</span>}
                  {r.reopenReason && (
                    <span className={styles.muted}>{t('wc.reopenValue', { text: r.reopenReason })}</span>
                  )}
                </Flex>
              </List.Item>
            )}
          />
        </Card>
      ))}
      {creating && (
        <FormModal
          title={t('wc.newInspection')}
          width={640}
          onCancel={() => setCreating(false)}
          onOk={async () => {
            const v = await form.validateFields();
            const ok = await act(() =>
              campaignsApi.createInspection(campaign.id, {
                orgId: v.orgId,
                inspectedOn: v.inspectedOn.format('YYYY-MM-DD'),
                inspectors: v.inspectors,
                findings: v.findings,
                rectifications: (v.rectifications ?? []).map((r) => ({
                  description: r.description,
                  ...(r.deadline ? { deadline: r.deadline.format('YYYY-MM-DD') } : {}),
                })),
              }),
            );
            if (ok) setCreating(false);
          }}
        >
          <Form form={form} layout="vertical">
            <Form.Item
              name="orgId"
              label={t('wc.inspectedOrg')}
              rules={[{ required: true, message: t('wc.required') }]}
            >
              <Select options={orgs} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
            <Form.Item
              name="inspectedOn"
              label={t('wc.inspectedOn')}
              rules={[{ required: true, message: t('wc.required') }]}
            >
              <DatePicker />
            </Form.Item>
            <Form.Item
              name="inspectors"
              label={t('wc.inspectors')}
              rules={[{ required: true, message: t('wc.required') }]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="findings" label={t('wc.findings')} rules={[{ required: true, message: t('wc.required') }]}>
              <Input.TextArea autoSize={{ minRows: 3 }} />
            </Form.Item>
            <Form.List name="rectifications">
              {(fields, { add, remove }) => (
                <Form.Item label={t('wc.rectifications')}>
                  {fields.map((f) => (
                    <Flex key={f.key} gap={8} align="baseline">
                      <Form.Item
                        name={[f.name, 'description']}
                        style={{ flex: 1 }}
                        rules={[{ required: true, message: t('wc.required') }]}
                      >
                        <Input placeholder={t('wc.rectificationHint')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'deadline']}>
                        <DatePicker placeholder={t('wc.deadline')} />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(f.name)}
                        aria-label={t('wc.remove')}
                      />
                    </Flex>
                  ))}
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add({ description: '' })}>
                    {t('wc.addRectification')}
                  </Button>
                </Form.Item>
              )}
            </Form.List>
          </Form>
        </FormModal>
      )}
      {asking && (
        <FormModal
          title={label('rectificationAction', asking.mode)}
          onCancel={() => setAsking(null)}
          onOk={async () => {
            const { note } = await noteForm.validateFields();
            const { rect, mode } = asking;
            const ok = await act(() =>
              mode === 'respond'
                ? campaignsApi.respondRectification(rect.id, rect.version, note)
                : campaignsApi.reviewRectification(rect.id, rect.version, 'reopen', note),
            );
            if (!ok) return;
            noteForm.resetFields();
            setAsking(null);
          }}
        >
          <Form form={noteForm} layout="vertical">
            <Form.Item
              name="note"
              label={asking.mode === 'respond' ? t('wc.response') : t('wc.reopenReason')}
              rules={[{ required: true, message: t('wc.required') }]}
            >
              <Input.TextArea autoSize={{ minRows: 3 }} />
            </Form.Item>
          </Form>
        </FormModal>
      )}
    </>
  );
}
