import { DownloadOutlined, LockOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { downloadFile } from '../../api/files';
import { type EmergencyDetail, type EmergencyDispatch, emergenciesApi } from '../../api/troops';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { formatDateTimeMinutes } from '../../lib/format';
import { applyNestedFieldErrors } from '../../lib/forms';
import { Clock, STATUS_COLOR } from './EmergenciesPage';
import { hours } from './labels';

type Dialog = { kind: 'decide' } | { kind: 'withdraw' } | { kind: 'return'; d: EmergencyDispatch } | { kind: 'letter' };

/**
 * `/troop-emergencies/:id`: one support request with its dispatched units, after-action record,
 * thanks letter and timeline. The buttons are the answer's `actions` (a button exactly when the
 * call would succeed); military-only notes exist only in the military side's answer.
 */
export function EmergencyPage() {
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: ['troop-emergencies', id],
    queryFn: ({ signal }) => emergenciesApi.get(id, { signal }),
  });
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} backTo="/troop-emergencies" backLabel={t('web.em.title')} />;
  const e = query.data;
  const done = (next: EmergencyDetail) => {
    qc.setQueryData(['troop-emergencies', id], next);
    void qc.invalidateQueries({ queryKey: ['troop-emergencies'], exact: false });
    setDialog(null);
  };
  const arrive = async (d: EmergencyDispatch) => {
    setBusy(true);
    try {
      done(await emergenciesApi.arrive(id, d.version, d.orgId));
    } catch {
      // shown by the client's error toast
    } finally {
      setBusy(false);
    }
  };
  const helped = e.peopleHelped !== null;
  return (
    <Card
      title={
        <Flex align="center" gap={8} wrap>
          <BackButton fallback="/troop-emergencies" label={t('web.em.title')} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="emergency-title">
            {e.title}
          </Typography.Title>
          <Tag color={STATUS_COLOR[e.status]} data-testid="emergency-status">
            {label('troops.emergency.status', e.status)}
          </Tag>
          <Clock e={e} />
        </Flex>
      }
    >
      <DocTitle title={e.title} />
      <Space wrap style={{ marginBottom: 12 }}>
        {e.actions.includes('decide') ? (
          <Button type="primary" data-testid="em-decide" onClick={() => setDialog({ kind: 'decide' })}>
            {t('web.em.action.decide')}
          </Button>
        ) : null}
        {e.actions.includes('withdraw') ? (
          <Button danger data-testid="em-withdraw" onClick={() => setDialog({ kind: 'withdraw' })}>
            {t('web.em.action.withdraw')}
          </Button>
        ) : null}
        {e.actions.includes('letter') ? (
          <Button type="primary" data-testid="em-letter" onClick={() => setDialog({ kind: 'letter' })}>
            {t('web.em.action.letter')}
          </Button>
        ) : null}
      </Space>
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered data-testid="emergency-detail">
        <Descriptions.Item label={t('web.em.col.org')}>{e.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('web.em.f.location')}>{e.location}</Descriptions.Item>
        <Descriptions.Item label={t('web.em.situation')}>{e.situation}</Descriptions.Item>
        <Descriptions.Item label={t('web.em.needs')}>
          {e.needs}（{t('web.em.people', { n: e.peopleNeeded })}
          {e.equipment ? `，${e.equipment}` : ''}）
        </Descriptions.Item>
        <Descriptions.Item label={t('web.em.period')}>
          {formatDateTimeMinutes(e.fromAt)}
          {e.toAt ? ` — ${formatDateTimeMinutes(e.toAt)}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('web.em.requested')}>{formatDateTimeMinutes(e.createdAt)}</Descriptions.Item>
        {e.decidedAt ? (
          <Descriptions.Item label={t('web.em.decided')}>
            {formatDateTimeMinutes(e.decidedAt)}（{t('web.em.decisionHours', { n: e.decisionHours ?? 0 })}）
          </Descriptions.Item>
        ) : null}
        {e.declineReason ? (
          <Descriptions.Item label={t('web.em.declineReason')}>{e.declineReason}</Descriptions.Item>
        ) : null}
      </Descriptions>

      {e.dispatches.length ? (
        <Card size="small" type="inner" title={t('web.em.dispatches')} style={{ marginTop: 16 }}>
          <Flex vertical gap={12} data-testid="emergency-dispatches">
            {e.dispatches.map((d) => (
              <Flex key={d.id} vertical gap={4} data-testid="emergency-dispatch">
                <Flex gap={8} wrap align="center">
                  <strong>{d.orgName}</strong>
                  <Tag>{t('web.em.d.people', { n: d.people ?? 0 })}</Tag>
                  <Tag color={d.status === 'returned' ? 'green' : 'blue'}>
                    {label('troops.dispatch.status', d.status)}
                  </Tag>
                  {d.actions.includes('arrive') ? (
                    <Button
                      size="small"
                      type="primary"
                      loading={busy}
                      data-testid="em-arrive"
                      onClick={() => void arrive(d)}
                    >
                      {t('web.em.action.arrive')}
                    </Button>
                  ) : null}
                  {d.actions.includes('return') ? (
                    <Button
                      size="small"
                      type="primary"
                      data-testid="em-return"
                      onClick={() => setDialog({ kind: 'return', d })}
                    >
                      {t('web.em.action.return')}
                    </Button>
                  ) : null}
                </Flex>
                <Typography.Text type="secondary">
                  {[
                    d.arrivedAt ? t('web.em.d.arrived', { at: formatDateTimeMinutes(d.arrivedAt) }) : null,
                    d.returnedAt ? t('web.em.d.returned', { at: formatDateTimeMinutes(d.returnedAt) }) : null,
                  ]
                    .filter(Boolean)
                    .join('　')}
                </Typography.Text>
                {d.workDone ? (
                  <div>
                    {t('web.em.d.work')}：{d.workDone}
                    {d.serviceMinutes
                      ? `（${hours(d.serviceMinutes)}，${t('web.em.peopleHelped')} ${d.peopleHelped ?? 0}）`
                      : ''}
                  </div>
                ) : null}
                {'militaryNote' in d && d.militaryNote ? (
                  <Tag icon={<LockOutlined />} data-testid="dispatch-military-note" style={{ whiteSpace: 'normal' }}>
                    {d.militaryNote}
                  </Tag>
                ) : null}
              </Flex>
            ))}
          </Flex>
        </Card>
      ) : null}

      {helped ? (
        <Card size="small" type="inner" title={t('web.em.afterAction')} style={{ marginTop: 16 }}>
          <Descriptions column={{ xs: 1, md: 3 }} size="small" data-testid="emergency-after-action">
            <Descriptions.Item label={t('web.em.peopleHelped')}>{e.peopleHelped}</Descriptions.Item>
            <Descriptions.Item label={t('web.em.serviceHours')}>{hours(e.serviceMinutes ?? 0)}</Descriptions.Item>
            <Descriptions.Item label={t('web.em.resources')}>{e.resources || '—'}</Descriptions.Item>
          </Descriptions>
        </Card>
      ) : null}

      {e.letter ? (
        <Card
          size="small"
          type="inner"
          title={t('web.em.letter')}
          style={{ marginTop: 16 }}
          extra={
            <Space wrap>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                data-testid="em-letter-docx"
                onClick={() =>
                  void downloadFile(
                    'GET',
                    `/troop-emergencies/${id}/letter?format=docx`,
                    `${t('web.em.letter')}.docx`,
                  ).catch(() => undefined)
                }
              >
                {t('web.em.downloadDocx')}
              </Button>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                data-testid="em-letter-pdf"
                onClick={() =>
                  void downloadFile(
                    'GET',
                    `/troop-emergencies/${id}/letter?format=pdf`,
                    `${t('web.em.letter')}.pdf`,
                  ).catch(() => undefined)
                }
              >
                {t('web.em.downloadPdf')}
              </Button>
            </Space>
          }
        >
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="emergency-letter">
            {e.letter}
          </Typography.Paragraph>
        </Card>
      ) : null}

      <Card size="small" type="inner" title={t('web.em.timeline')} style={{ marginTop: 16 }}>
        <Timeline
          data-testid="emergency-timeline"
          items={e.events.map((ev, i) => ({
            key: i,
            children: (
              <>
                <div>
                  <strong>{label('troops.emergency.event', ev.kind)}</strong>　{formatDateTimeMinutes(ev.at)}
                </div>
                <Typography.Text type="secondary">
                  {ev.actorOrgName} · {ev.actorName}
                </Typography.Text>
                {ev.note ? <div>{ev.note}</div> : null}
              </>
            ),
          }))}
        />
      </Card>
      {dialog ? <EmergencyDialog e={e} dialog={dialog} onClose={() => setDialog(null)} onDone={done} /> : null}
    </Card>
  );
}

interface Values {
  decision?: 'dispatch' | 'decline';
  units?: { orgId?: string; people?: number }[];
  note?: string;
  reason?: string;
  workDone?: string;
  serviceHours?: number;
  peopleHelped?: number;
  resources?: string;
  militaryNote?: string;
  text?: string;
}
const FIELDS = [
  'units',
  'note',
  'reason',
  'workDone',
  'serviceMinutes',
  'peopleHelped',
  'resources',
  'militaryNote',
  'text',
];
const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);

function EmergencyDialog({
  e,
  dialog,
  onClose,
  onDone,
}: {
  e: EmergencyDetail;
  dialog: Dialog;
  onClose: () => void;
  onDone: (next: EmergencyDetail) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const decision = Form.useWatch('decision', form);
  const units = useQuery({
    queryKey: ['troop-units'],
    queryFn: ({ signal }) => emergenciesApi.units({ signal }),
    enabled: dialog.kind === 'decide',
  });
  const required = { required: true, whitespace: true, message: t('web.em.m.required') };

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      let next: EmergencyDetail;
      if (dialog.kind === 'decide')
        next = await emergenciesApi.decide(
          e.id,
          v.decision === 'decline'
            ? { version: e.version, decision: 'decline', reason: v.reason!.trim() }
            : {
                version: e.version,
                decision: 'dispatch',
                units: (v.units ?? []).map((u) => ({ orgId: u.orgId!, people: u.people! })),
                ...(trim(v.note) ? { note: trim(v.note) } : {}),
              },
        );
      else if (dialog.kind === 'withdraw') next = await emergenciesApi.withdraw(e.id, e.version, v.reason!.trim());
      else if (dialog.kind === 'return')
        next = await emergenciesApi.returned(e.id, {
          version: dialog.d.version,
          orgId: dialog.d.orgId,
          workDone: v.workDone!.trim(),
          serviceMinutes: Math.round((v.serviceHours ?? 0) * 60),
          peopleHelped: v.peopleHelped ?? 0,
          ...(trim(v.resources) ? { resources: trim(v.resources) } : {}),
          ...(trim(v.militaryNote) ? { militaryNote: trim(v.militaryNote) } : {}),
        });
      else next = await emergenciesApi.letter(e.id, e.version, trim(v.text));
      onDone(next);
    } catch (err) {
      applyNestedFieldErrors(form, err, FIELDS);
      throw err;
    } finally {
      setSaving(false);
    }
  }

  const title =
    dialog.kind === 'return'
      ? `${t('web.em.action.return')} · ${dialog.d.orgName}`
      : label('web.em.action', dialog.kind);
  const num = { style: { width: '100%' }, min: 0, inputMode: 'numeric' as const };
  return (
    <FormModal
      title={title}
      onOk={() => submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'em-modal-ok' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">{e.title}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={{ decision: 'dispatch', units: [{ people: e.peopleNeeded }] }}
      >
        {dialog.kind === 'decide' ? (
          <>
            <Form.Item name="decision" label={t('web.em.m.decision')}>
              <Radio.Group
                data-testid="em-decision"
                options={[
                  { value: 'dispatch', label: t('web.em.m.dispatch') },
                  { value: 'decline', label: t('web.em.m.decline') },
                ]}
              />
            </Form.Item>
            {decision === 'decline' ? (
              <Form.Item name="reason" label={t('web.em.m.reason')} rules={[required, { max: 500 }]}>
                <Input.TextArea rows={3} maxLength={500} data-testid="em-reason" />
              </Form.Item>
            ) : (
              <>
                <Form.List name="units">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f, i) => (
                        <Flex key={f.key} gap={8} align="start">
                          <Form.Item
                            name={[f.name, 'orgId']}
                            label={i === 0 ? t('web.em.m.unit') : undefined}
                            rules={[{ required: true, message: t('web.em.m.required') }]}
                            style={{ flex: 2 }}
                          >
                            <Select
                              data-testid={`em-unit-${i}`}
                              options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
                            />
                          </Form.Item>
                          <Form.Item
                            name={[f.name, 'people']}
                            label={i === 0 ? t('web.em.m.people') : undefined}
                            rules={[{ required: true, message: t('web.em.m.required') }]}
                            style={{ flex: 1 }}
                          >
                            <InputNumber {...num} min={1} data-testid={`em-unit-people-${i}`} />
                          </Form.Item>
                          {fields.length > 1 ? (
                            <Button
                              type="text"
                              icon={<MinusCircleOutlined />}
                              aria-label={t('web.em.m.unit')}
                              onClick={() => remove(f.name)}
                              style={{ marginTop: i === 0 ? 30 : 0 }}
                            />
                          ) : null}
                        </Flex>
                      ))}
                      <Button type="dashed" icon={<PlusOutlined />} block onClick={() => add({})}>
                        {t('web.em.m.addUnit')}
                      </Button>
                    </>
                  )}
                </Form.List>
                <Form.Item name="note" label={t('web.em.m.note')} rules={[{ max: 500 }]} style={{ marginTop: 12 }}>
                  <Input maxLength={500} />
                </Form.Item>
              </>
            )}
          </>
        ) : null}
        {dialog.kind === 'withdraw' ? (
          <Form.Item name="reason" label={t('web.em.m.reason')} rules={[required, { max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} data-testid="em-reason" />
          </Form.Item>
        ) : null}
        {dialog.kind === 'return' ? (
          <>
            <Form.Item name="workDone" label={t('web.em.m.workDone')} rules={[required, { max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="em-work" />
            </Form.Item>
            <Flex gap={8}>
              <Form.Item
                name="serviceHours"
                label={t('web.em.m.serviceHours')}
                rules={[{ required: true, message: t('web.em.m.required') }]}
                style={{ flex: 1 }}
              >
                <InputNumber {...num} step={0.5} data-testid="em-hours" />
              </Form.Item>
              <Form.Item
                name="peopleHelped"
                label={t('web.em.m.peopleHelped')}
                rules={[{ required: true, message: t('web.em.m.required') }]}
                style={{ flex: 1 }}
              >
                <InputNumber {...num} data-testid="em-helped" />
              </Form.Item>
            </Flex>
            <Form.Item name="resources" label={t('web.em.m.resources')} rules={[{ max: 500 }]}>
              <Input maxLength={500} data-testid="em-resources" />
            </Form.Item>
            <Form.Item name="militaryNote" label={t('web.em.m.militaryNote')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={2} maxLength={2000} data-testid="em-military-note" />
            </Form.Item>
          </>
        ) : null}
        {dialog.kind === 'letter' ? (
          <Form.Item
            name="text"
            label={t('web.em.m.letterText')}
            extra={t('web.em.m.letterHint')}
            rules={[{ max: 4000 }]}
          >
            <Input.TextArea rows={5} maxLength={4000} data-testid="em-letter-text" />
          </Form.Item>
        ) : null}
      </Form>
    </FormModal>
  );
}
