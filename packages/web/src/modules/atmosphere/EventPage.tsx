import { EVENT_TYPES, type EventDetail } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { assignmentsApi } from '../../api/campaigns';
import { type EventPlan, eventsApi } from '../../api/events';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { EventStatusTag, FindingList } from './findings';
import { taskOptions } from './links';
import { ModelCityTag } from './ModelCityTag';

type PlanForm = Omit<EventPlan, 'budgetFen'> & { budgetYuan?: number };

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** `/events/new` and `/events/:id`: plan, invitations, notice, attendance, note, photos (decisions/0043). */
export function EventPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlanForm>();
  const detail = useQuery({
    queryKey: ['event', id],
    queryFn: ({ signal }) => eventsApi.get(id!, { signal }),
    enabled: !!id,
  });
  const orgs = useQuery({ queryKey: ['event-orgs'], queryFn: ({ signal }) => eventsApi.orgs({ signal }) });
  const mayRead = useCan();
  const assignments = useQuery({
    queryKey: ['assignments', { page: 1, pageSize: 200 }],
    queryFn: ({ signal }) => assignmentsApi.list({ page: 1, pageSize: 200 }, { signal }),
    enabled: mayRead('campaign:read'),
  });
  const tasks = taskOptions(assignments.data?.items ?? []);
  const e = detail.data;
  const can = (a: EventDetail['actions'][number]) => !id || !!e?.actions.includes(a);
  useEffect(() => {
    if (e)
      form.setFieldsValue({
        type: e.type,
        title: e.title,
        date: e.date,
        startTime: e.startTime,
        endTime: e.endTime,
        place: e.place,
        partnerOrgId: e.partnerOrgId,
        campaignId: e.campaignId,
        taskId: e.taskId,
        notice: e.notice,
        budgetYuan: e.budgetFen / 100,
      });
  }, [e, form]);
  const done = (d: EventDetail) => {
    qc.setQueryData(['event', d.id], d);
    void qc.invalidateQueries({ queryKey: ['events'] });
    message.success(t('web.events.saved'));
  };
  const act = (p: Promise<EventDetail>) => p.then(done).catch(() => undefined);
  const save = async () => {
    const v = await form.validateFields();
    const { budgetYuan, ...rest } = v;
    const body = {
      ...rest,
      endTime: rest.endTime || null,
      partnerOrgId: rest.partnerOrgId ?? null,
      campaignId: rest.campaignId || null,
      taskId: rest.taskId ?? null,
      budgetFen: Math.round((budgetYuan ?? 0) * 100),
    };
    if (!id) {
      const d = await eventsApi.create(body).catch(() => undefined);
      if (d) {
        done(d);
        navigate(`/events/${d.id}`, { replace: true });
      }
    } else await act(eventsApi.update(id, { ...body, version: e!.version }));
  };
  const orgOptions = (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <DocTitle title={e?.title ?? t('crumb.newEvent')} />
      <Card
        title={
          <Flex gap={8} align="center" wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {e?.title ?? t('crumb.newEvent')}
            </Typography.Title>
            {e && <EventStatusTag status={e.status} />}
          </Flex>
        }
      >
        {e && (
          <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('web.events.organiser')}>{e.orgName}</Descriptions.Item>
          </Descriptions>
        )}
        {e?.warnings.map((w) => (
          <Alert
            key={w.code}
            type="warning"
            showIcon
            message={w.message}
            style={{ marginBottom: 12 }}
            data-testid="event-warning"
          />
        ))}
        <Form
          form={form}
          layout="vertical"
          disabled={!can('edit')}
          initialValues={{ type: 'lianyi', date: today(), startTime: '15:00' }}
        >
          <Form.Item name="type" label={t('web.events.field.type')} rules={[{ required: true }]}>
            <Select
              data-testid="event-type"
              options={EVENT_TYPES.map((x) => ({ value: x, label: t(`events.type.${x}`) }))}
            />
          </Form.Item>
          <Form.Item name="title" label={t('web.events.field.title')} rules={[{ required: true }]}>
            <Input data-testid="event-title" maxLength={100} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="date" label={t('web.events.field.date')} rules={[{ required: true }]}>
              <Input type="date" data-testid="event-date" />
            </Form.Item>
            <Form.Item name="startTime" label={t('web.events.field.startTime')} rules={[{ required: true }]}>
              <Input type="time" data-testid="event-start" />
            </Form.Item>
            <Form.Item name="endTime" label={t('web.events.field.endTime')}>
              <Input type="time" />
            </Form.Item>
          </Flex>
          <Form.Item name="place" label={t('web.events.field.place')} rules={[{ required: true }]}>
            <Input data-testid="event-place" maxLength={200} />
          </Form.Item>
          <Form.Item name="partnerOrgId" label={t('web.events.field.partner')}>
            <Select allowClear showSearch optionFilterProp="label" options={orgOptions} data-testid="event-partner" />
          </Form.Item>
          <Form.Item name="campaignId" hidden>
            <Input />
          </Form.Item>
          <Form.Item name="taskId" label={t('web.events.field.task')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              options={tasks}
              loading={assignments.isFetching}
              onChange={(v?: string) =>
                form.setFieldValue('campaignId', tasks.find((x) => x.value === v)?.campaignId ?? null)
              }
              data-testid="event-task"
            />
          </Form.Item>
          <Form.Item name="budgetYuan" label={t('web.events.field.budget')}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="notice" label={t('web.events.field.notice')}>
            <Input.TextArea rows={3} maxLength={4000} data-testid="event-notice" />
          </Form.Item>
          {can('edit') && (
            <Button type="primary" onClick={() => void save()} data-testid="event-save">
              {t('web.events.save')}
            </Button>
          )}
        </Form>
      </Card>
      {e && <EventWork e={e} orgOptions={orgOptions} act={act} />}
      {e && <ModelCityTag kind="event" sourceId={e.id} allowed={e.abilities.modelcityTag} />}
    </Space>
  );
}

function EventWork({
  e,
  orgOptions,
  act,
}: {
  e: EventDetail;
  orgOptions: { value: string; label: string }[];
  act: (p: Promise<EventDetail>) => Promise<void>;
}) {
  const [invitees, setInvitees] = useState<string[]>(e.invitations.map((v) => v.orgId));
  const [rows, setRows] = useState(
    e.invitations.map((v) => ({ orgId: v.orgId, attended: !!v.attended, headcount: v.headcount })),
  );
  const [note, setNote] = useState(e.note ?? '');
  const [confirm, setConfirm] = useState(false);
  const [reason, setReason] = useState('');
  useEffect(() => {
    setInvitees(e.invitations.map((v) => v.orgId));
    setRows(e.invitations.map((v) => ({ orgId: v.orgId, attended: !!v.attended, headcount: v.headcount })));
  }, [e]);
  const has = (a: EventDetail['actions'][number]) => e.actions.includes(a);
  return (
    <>
      <Card title={t('web.events.notice')}>
        <Typography.Paragraph data-testid="event-notice-state">
          {e.noticePublished ? t('web.events.noticePublished') : t('web.events.noticeNotPublished')}
        </Typography.Paragraph>
        {e.noticeFindings.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="event-findings"
            message={t('web.events.findings', { n: e.noticeFindings.length })}
            description={<FindingList findings={e.noticeFindings} whereOf={() => t('web.events.field.notice')} />}
            style={{ marginBottom: 12 }}
          />
        )}
        {has('notice') && (
          <Flex gap={12} wrap align="center">
            <Checkbox checked={confirm} onChange={(x) => setConfirm(x.target.checked)}>
              {t('web.events.confirmReviewed')}
            </Checkbox>
            <Button
              onClick={() => void act(eventsApi.publishNotice(e.id, e.version, confirm))}
              data-testid="event-publish"
            >
              {t('web.events.publishNotice')}
            </Button>
          </Flex>
        )}
      </Card>
      <Card title={t('web.events.invitations')}>
        {has('invite') && (
          <Flex gap={8} vertical style={{ marginBottom: 12 }}>
            <Select
              mode="multiple"
              showSearch
              optionFilterProp="label"
              value={invitees}
              onChange={setInvitees}
              options={orgOptions.filter((o) => o.value !== e.orgId)}
              placeholder={t('web.events.field.invitees')}
              data-testid="event-invitees"
            />
            <Button onClick={() => void act(eventsApi.invite(e.id, e.version, invitees))} data-testid="event-invite">
              {t('web.events.saveInvites')}
            </Button>
          </Flex>
        )}
        <List
          size="small"
          dataSource={e.invitations}
          renderItem={(v, i) => (
            <List.Item data-testid="event-invitation">
              <Typography.Text>{v.orgName}</Typography.Text>
              {has('record') ? (
                <Flex gap={8} align="center">
                  <Checkbox
                    checked={rows[i]?.attended}
                    onChange={(x) => setRows(rows.map((r, j) => (j === i ? { ...r, attended: x.target.checked } : r)))}
                    data-testid="event-attended"
                  >
                    {t('web.events.attended')}
                  </Checkbox>
                  <InputNumber
                    min={0}
                    placeholder={t('web.events.headcount')}
                    value={rows[i]?.headcount ?? null}
                    onChange={(n) => setRows(rows.map((r, j) => (j === i ? { ...r, headcount: n } : r)))}
                    data-testid="event-headcount"
                  />
                </Flex>
              ) : (
                <Typography.Text type="secondary">
                  {v.attended === null
                    ? t('web.events.none')
                    : v.attended
                      ? `${t('web.events.attended')} ${v.headcount ?? ''}`
                      : '—'}
                </Typography.Text>
              )}
            </List.Item>
          )}
        />
        {has('record') && e.invitations.length > 0 && (
          <Button
            onClick={() => void act(eventsApi.attendance(e.id, { version: e.version, items: rows }))}
            data-testid="event-save-attendance"
          >
            {t('web.events.saveAttendance')}
          </Button>
        )}
      </Card>
      {(has('record') || e.note) && (
        <Card title={t('web.events.field.note')}>
          <Input.TextArea
            rows={3}
            value={note}
            onChange={(x) => setNote(x.target.value)}
            disabled={!has('record')}
            data-testid="event-note"
          />
          {has('record') && (
            <Button
              style={{ marginTop: 8 }}
              onClick={() => void act(eventsApi.note(e.id, e.version, note))}
              data-testid="event-save-note"
            >
              {t('web.events.saveNote')}
            </Button>
          )}
        </Card>
      )}
      {(has('record') || e.photos.length > 0) && (
        <Card title={t('web.events.photos')}>
          {e.photoFindings.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={t('web.events.photoFindings', { n: e.photoFindings.length })}
              description={e.photoFindings.map((f) => f.label).join('；')}
              style={{ marginBottom: 12 }}
            />
          )}
          <Flex gap={8} wrap>
            {e.photos.map((p) => (
              <img
                key={p.id}
                src={eventsApi.photoUrl(e.id, p.id)}
                alt={p.caption || p.fileName}
                style={{ width: 120 }}
              />
            ))}
          </Flex>
          {has('record') && (
            <Upload
              accept="image/jpeg,image/png"
              showUploadList={false}
              beforeUpload={(file) => {
                void act(eventsApi.addPhoto(e.id, file));
                return false;
              }}
            >
              <Button style={{ marginTop: 8 }}>{t('web.events.addPhoto')}</Button>
            </Upload>
          )}
        </Card>
      )}
      <Flex gap={8} wrap>
        {has('hold') && (
          <Button type="primary" onClick={() => void act(eventsApi.hold(e.id, e.version))} data-testid="event-hold">
            {t('web.events.hold')}
          </Button>
        )}
        {has('close') && (
          <Button type="primary" onClick={() => void act(eventsApi.close(e.id, e.version))} data-testid="event-close">
            {t('web.events.close')}
          </Button>
        )}
        {has('cancel') && (
          <Space.Compact>
            <Input
              placeholder={t('web.events.field.cancelReason')}
              value={reason}
              onChange={(x) => setReason(x.target.value)}
            />
            <Button
              danger
              disabled={!reason.trim()}
              onClick={() => void act(eventsApi.cancel(e.id, e.version, reason))}
            >
              {t('web.events.cancel')}
            </Button>
          </Space.Compact>
        )}
      </Flex>
    </>
  );
}
