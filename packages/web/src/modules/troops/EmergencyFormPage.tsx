import { ArrowLeftOutlined } from '@ant-design/icons';
import { EMERGENCY_DECISION_HOURS } from '@shuangyong/shared';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { emergenciesApi } from '../../api/troops';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { useBack } from '../../lib/useBack';

interface Values {
  title: string;
  situation: string;
  location: string;
  needs: string;
  peopleNeeded: number;
  equipment?: string;
  fromAt: string;
  toAt?: string;
}
const FIELDS = ['title', 'situation', 'location', 'needs', 'peopleNeeded', 'equipment', 'fromAt', 'toAt'];

/** A `datetime-local` value (local time) for now, to the minute. */
const nowLocal = () => {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
};
const iso = (local: string) => new Date(local).toISOString();
const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);

/** `/troop-emergencies/new`: a district or the city asks the 军分区 for troops. */
export function EmergencyFormPage() {
  const navigate = useNavigate();
  const back = useBack('/troop-emergencies');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const required = { required: true, whitespace: true, message: t('web.em.m.required') };

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const made = await emergenciesApi.create({
        title: v.title.trim(),
        situation: v.situation.trim(),
        location: v.location.trim(),
        needs: v.needs.trim(),
        peopleNeeded: v.peopleNeeded,
        ...(trim(v.equipment) ? { equipment: trim(v.equipment) } : {}),
        fromAt: iso(v.fromAt),
        ...(v.toAt ? { toAt: iso(v.toAt) } : {}),
      });
      await qc.invalidateQueries({ queryKey: ['troop-emergencies'] });
      message.success(t('web.em.created'));
      navigate(`/troop-emergencies/${made.id}`, { replace: true });
    } catch (e) {
      applyNestedFieldErrors(form, e, FIELDS);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('web.back')} onClick={back} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('web.em.new')}
          </Typography.Title>
        </Flex>
      }
    >
      <DocTitle title={t('web.em.new')} />
      <Typography.Paragraph type="secondary">
        {t('web.em.f.hint', { hours: EMERGENCY_DECISION_HOURS })}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ fromAt: nowLocal(), peopleNeeded: 20 }}
        onFinish={() => void submit().catch(() => undefined)}
      >
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="title" label={t('web.em.f.title')} rules={[required, { max: 100 }]}>
              <Input maxLength={100} data-testid="em-title" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="location" label={t('web.em.f.location')} rules={[required, { max: 200 }]}>
              <Input maxLength={200} data-testid="em-location" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="situation" label={t('web.em.f.situation')} rules={[required, { max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="em-situation" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="needs" label={t('web.em.f.needs')} rules={[required, { max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="em-needs" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="peopleNeeded" label={t('web.em.f.peopleNeeded')} rules={[{ required: true }]}>
              <InputNumber min={1} max={100000} style={{ width: '100%' }} inputMode="numeric" data-testid="em-people" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="equipment" label={t('web.em.f.equipment')} rules={[{ max: 500 }]}>
              <Input maxLength={500} data-testid="em-equipment" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="fromAt" label={t('web.em.f.fromAt')} rules={[{ required: true }]}>
              <Input type="datetime-local" data-testid="em-from" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="toAt" label={t('web.em.f.toAt')}>
              <Input type="datetime-local" data-testid="em-to" />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={saving} block data-testid="em-submit">
          {t('web.em.submit')}
        </Button>
      </Form>
    </Card>
  );
}
