import { ArrowLeftOutlined, LockOutlined, UploadOutlined } from '@ant-design/icons';
import { type PlaceKind, REACHED_GROUPS, type Reached } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  TreeSelect,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { campaignsApi } from '../../api/campaigns';
import { type TroopPlace, troopsApi } from '../../api/troops';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { useBack } from '../../lib/useBack';
import { PLACE_OPTIONS, REACHED_LABELS } from './labels';

interface Values {
  type: string;
  occurredOn: string;
  hours: number;
  placeKind: PlaceKind;
  placeOrgId: string;
  placeName?: string;
  participants: number;
  reached?: Partial<Reached>;
  patientsSeen?: number;
  lessonsTaught?: number;
  serviceHours?: number;
  items?: string;
  itemsValueYuan?: number;
  counterpartOrg?: string;
  counterpartContact?: string;
  summary?: string;
  campaignId?: string;
  participantNames?: string[];
  militaryNote?: string;
}

const FIELDS = [
  'type',
  'occurredOn',
  'placeKind',
  'placeOrgId',
  'placeName',
  'participants',
  'reached',
  'summary',
  'items',
  'counterpartOrg',
  'counterpartContact',
  'participantNames',
  'militaryNote',
];

interface PlaceNode {
  value: string;
  title: string;
  children: PlaceNode[];
}

export function placeTree(items: readonly TroopPlace[]): PlaceNode[] {
  const nodes = new Map(items.map((p) => [p.id, { value: p.id, title: p.name, children: [] as PlaceNode[] }]));
  const roots: PlaceNode[] = [];
  for (const p of items) {
    const parent = p.parentId ? nodes.get(p.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(p.id)!);
  }
  return roots;
}

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);

/**
 * `/troops/new`: a unit records an activity on the phone — type, date, hours, place, people
 * reached, photos; the participants' names and the note are military-only (a section of their own).
 */
export function ActivityFormPage() {
  const navigate = useNavigate();
  const back = useBack('/troops');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [saving, setSaving] = useState(false);
  const [clientKey] = useState(() => crypto.randomUUID());
  const types = useQuery({ queryKey: ['troop-types'], queryFn: ({ signal }) => troopsApi.types({ signal }) });
  const places = useQuery({ queryKey: ['troop-places'], queryFn: ({ signal }) => troopsApi.places({ signal }) });
  const campaigns = useQuery({
    queryKey: ['campaigns', 'issued'],
    queryFn: ({ signal }) => campaignsApi.list({ page: 1, pageSize: 50, status: 'issued' }, { signal }),
  });
  const tree = useMemo(() => placeTree(places.data?.items ?? []), [places.data]);

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const created = await troopsApi.create({
        clientKey,
        type: v.type,
        occurredOn: v.occurredOn,
        durationMinutes: Math.max(1, Math.round(v.hours * 60)),
        placeKind: v.placeKind,
        placeOrgId: v.placeOrgId,
        ...(trim(v.placeName) ? { placeName: trim(v.placeName) } : {}),
        participants: v.participants,
        reached: Object.fromEntries(REACHED_GROUPS.map((g) => [g, v.reached?.[g] ?? 0])) as Reached,
        ...(v.patientsSeen ? { patientsSeen: v.patientsSeen } : {}),
        ...(v.lessonsTaught ? { lessonsTaught: v.lessonsTaught } : {}),
        ...(v.serviceHours ? { serviceMinutes: Math.round(v.serviceHours * 60) } : {}),
        ...(trim(v.items) ? { items: trim(v.items) } : {}),
        ...(v.itemsValueYuan ? { itemsValueFen: Math.round(v.itemsValueYuan * 100) } : {}),
        ...(trim(v.counterpartOrg) ? { counterpartOrg: trim(v.counterpartOrg) } : {}),
        ...(trim(v.counterpartContact) ? { counterpartContact: trim(v.counterpartContact) } : {}),
        ...(trim(v.summary) ? { summary: trim(v.summary) } : {}),
        ...(v.campaignId ? { campaignId: v.campaignId } : {}),
        ...(v.participantNames?.length ? { participantNames: v.participantNames.map((n) => n.trim()) } : {}),
        ...(trim(v.militaryNote) ? { militaryNote: trim(v.militaryNote) } : {}),
      });
      for (const f of files)
        if (f.originFileObj) await troopsApi.addPhoto(created.id, f.originFileObj, { fileName: f.name });
      await qc.invalidateQueries({ queryKey: ['troop-activities'] });
      message.success(t('web.troops.created'));
      navigate(`/troops/${created.id}`, { replace: true });
    } catch (e) {
      applyNestedFieldErrors(form, e, FIELDS);
    } finally {
      setSaving(false);
    }
  }

  const num = { style: { width: '100%' }, min: 0, inputMode: 'numeric' as const };
  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('web.back')} onClick={back} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('nav.troopRecord')}
          </Typography.Title>
        </Flex>
      }
    >
      <DocTitle title={t('nav.troopRecord')} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ occurredOn: today(), placeKind: 'community', hours: 2 }}
        onFinish={submit}
      >
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="type" label={t('web.troops.f.type')} rules={[{ required: true }]}>
              <Select
                data-testid="activity-type"
                options={(types.data?.items ?? [])
                  .filter((x) => x.active)
                  .map((x) => ({ value: x.code, label: x.label }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="occurredOn" label={t('web.troops.f.date')} rules={[{ required: true }]}>
              <Input type="date" data-testid="activity-date" max={today()} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="hours" label={t('web.troops.f.hours')} rules={[{ required: true }]}>
              <InputNumber {...num} min={0.5} step={0.5} data-testid="activity-hours" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="placeKind" label={t('web.troops.f.placeKind')} rules={[{ required: true }]}>
              <Select options={PLACE_OPTIONS} data-testid="activity-place-kind" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="placeOrgId"
              label={t('web.troops.f.area')}
              extra={t('web.troops.f.areaHint')}
              rules={[{ required: true }]}
            >
              <TreeSelect
                data-testid="activity-area"
                treeData={tree}
                showSearch
                treeNodeFilterProp="title"
                treeDefaultExpandAll
                placeholder={t('web.troops.f.areaPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="placeName" label={t('web.troops.f.placeName')}>
              <Input maxLength={100} data-testid="activity-place-name" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="participants" label={t('web.troops.f.participants')} rules={[{ required: true }]}>
              <InputNumber {...num} data-testid="activity-participants" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="serviceHours" label={t('web.troops.f.serviceHours')}>
              <InputNumber {...num} step={0.5} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="patientsSeen" label={t('web.troops.f.patients')}>
              <InputNumber {...num} data-testid="activity-patients" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="lessonsTaught" label={t('web.troops.f.lessons')}>
              <InputNumber {...num} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('web.troops.f.reached')}</Typography.Text>
        <Row gutter={12} style={{ marginTop: 8 }}>
          {REACHED_LABELS.map(({ group, label }) => (
            <Col xs={12} md={4} key={group}>
              <Form.Item name={['reached', group]} label={label}>
                <InputNumber {...num} data-testid={`reached-${group}`} />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="items" label={t('web.troops.f.items')}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="itemsValueYuan" label={t('web.troops.f.itemsValue')}>
              <InputNumber {...num} step={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="counterpartOrg" label={t('web.troops.f.counterpartOrg')}>
              <Input maxLength={100} data-testid="activity-counterpart" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="counterpartContact" label={t('web.troops.f.counterpartContact')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="summary" label={t('web.troops.f.summary')} extra={t('web.troops.f.summaryHint')}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="activity-summary" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="campaignId" label={t('web.troops.f.campaign')} extra={t('web.troops.f.campaignHint')}>
              <Select
                allowClear
                data-testid="activity-campaign"
                options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('web.troops.f.photos')} extra={t('web.troops.f.photosHint')}>
          <Upload
            multiple
            accept="image/jpeg,image/png"
            listType="picture"
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => setFiles(fileList)}
          >
            <Button icon={<UploadOutlined />} data-testid="activity-photos">
              {t('web.troops.f.addPhotos')}
            </Button>
          </Upload>
        </Form.Item>
        <Card
          size="small"
          type="inner"
          title={
            <Flex gap={6} align="center">
              <LockOutlined />
              {t('web.troops.militaryOnly')}
            </Flex>
          }
          style={{ marginBottom: 16 }}
        >
          <Form.Item name="participantNames" label={t('web.troops.f.participantNames')}>
            <Select mode="tags" tokenSeparators={[',', '，', '、', ' ']} data-testid="activity-names" open={false} />
          </Form.Item>
          <Form.Item name="militaryNote" label={t('web.troops.f.militaryNote')} style={{ marginBottom: 0 }}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="activity-military-note" />
          </Form.Item>
        </Card>
        <Button type="primary" htmlType="submit" loading={saving} block data-testid="activity-save">
          {t('web.troops.save')}
        </Button>
      </Form>
    </Card>
  );
}
