import { ArrowLeftOutlined, LockOutlined } from '@ant-design/icons';
import type { NeedPriority, NeedSource, NeedTag } from '@shuangyong/shared';
import { Alert, App, Button, Card, Flex, Form, Input, Select, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { needsApi } from '../../api/needs';
import { useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { useBack } from '../../lib/useBack';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { isMilitaryOrg, PRIORITY_OPTIONS, SOURCE_OPTIONS, TAG_OPTIONS, useCategories } from './labels';
import styles from './needs.module.css';

interface Values {
  title: string;
  category: string;
  priority: NeedPriority;
  source?: NeedSource;
  orgId?: string;
  description: string;
  tags?: NeedTag[];
  militaryDetail?: string;
  militaryContact?: string;
}

const FIELDS = [
  'title',
  'category',
  'priority',
  'source',
  'orgId',
  'description',
  'tags',
  'militaryDetail',
  'militaryContact',
];

/**
 * `/needs/new`: a unit liaison raises the unit's problem (with a section only the military side
 * sees); district and station staff record a family's need met on a visit or a call.
 */
export function NeedFormPage() {
  const me = useMe();
  const navigate = useNavigate();
  const back = useBack('/needs');
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const military = isMilitaryOrg(me.org.type);
  const { categories } = useCategories();
  const category = Form.useWatch('category', form);
  const days = categories.find((c) => c.code === category)?.deadlineDays;
  // staff who record needs for families choose the community; a unit raises in its own name
  const { forest } = useOrgTree(false, !military && me.scope !== 'org');
  const orgTree = useMemo(() => toSelectTree(forest), [forest]);
  const [saving, setSaving] = useState(false);

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);
      const need = await needsApi.create({
        title: v.title.trim(),
        description: v.description.trim(),
        category: v.category,
        priority: v.priority,
        ...(v.source ? { source: v.source } : {}),
        ...(v.orgId ? { orgId: v.orgId } : {}),
        ...(v.tags?.length ? { tags: v.tags } : {}),
        ...(military && trim(v.militaryDetail) ? { militaryDetail: trim(v.militaryDetail) } : {}),
        ...(military && trim(v.militaryContact) ? { militaryContact: trim(v.militaryContact) } : {}),
      });
      message.success(t('needs.form.created'));
      navigate(`/needs/${need.id}`, { replace: true });
    } catch (e) {
      applyNestedFieldErrors(form, e, FIELDS);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card styles={{ body: { padding: isMobile ? 12 : 24 } }} data-testid="need-form">
      <DocTitle title={t('needs.form.newTitle')} />
      <Flex gap={8} align="center" className={styles.toolbar}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('needs.backToList')} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('needs.form.newTitle')}
        </Typography.Title>
      </Flex>
      <Form
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={{ priority: 'normal', source: military ? 'unit' : 'visit' }}
        style={{ maxWidth: 760 }}
      >
        <Form.Item
          name="title"
          label={t('needs.form.title')}
          rules={[{ required: true, whitespace: true }, { max: 100 }]}
        >
          <Input maxLength={100} data-testid="need-form-title" />
        </Form.Item>
        <Flex wrap gap={16}>
          <Form.Item
            name="category"
            label={t('needs.form.category')}
            rules={[{ required: true }]}
            extra={days ? t('needs.form.deadlineHint', { days }) : undefined}
            style={{ minWidth: 240 }}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={categories.filter((c) => c.active).map((c) => ({ value: c.code, label: c.label }))}
              data-testid="need-form-category"
            />
          </Form.Item>
          <Form.Item
            name="priority"
            label={t('needs.form.priority')}
            rules={[{ required: true }]}
            style={{ minWidth: 160 }}
          >
            <Select options={PRIORITY_OPTIONS} data-testid="need-form-priority" />
          </Form.Item>
          {!military && (
            <Form.Item name="source" label={t('needs.form.source')} style={{ minWidth: 160 }}>
              <Select options={SOURCE_OPTIONS.filter((o) => o.value !== 'unit')} data-testid="need-form-source" />
            </Form.Item>
          )}
        </Flex>
        {orgTree.length > 0 && (
          <Form.Item name="orgId" label={t('needs.form.org')} extra={t('needs.form.orgHint')}>
            <TreeSelect
              allowClear
              treeData={orgTree}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll={orgTree.length < 50}
              data-testid="need-form-org"
            />
          </Form.Item>
        )}
        <Form.Item
          name="description"
          label={t('needs.form.description')}
          extra={t('needs.form.descriptionHint')}
          rules={[{ required: true, whitespace: true }, { max: 4000 }]}
        >
          <Input.TextArea rows={5} maxLength={4000} showCount data-testid="need-form-description" />
        </Form.Item>
        <Form.Item name="tags" label={t('needs.form.tags')}>
          <Select mode="multiple" allowClear options={TAG_OPTIONS} data-testid="need-form-tags" />
        </Form.Item>
        {military && (
          <Card
            size="small"
            className={styles.military}
            title={
              <Flex gap={6} align="center">
                <LockOutlined />
                {t('needs.form.militarySection')}
              </Flex>
            }
            data-testid="need-form-military"
          >
            <Alert type="warning" showIcon title={t('needs.form.militaryHint')} style={{ marginBottom: 12 }} />
            <Form.Item name="militaryDetail" label={t('needs.form.militaryDetail')} rules={[{ max: 4000 }]}>
              <Input.TextArea rows={4} maxLength={4000} data-testid="need-form-militaryDetail" />
            </Form.Item>
            <Form.Item name="militaryContact" label={t('needs.form.militaryContact')} rules={[{ max: 200 }]}>
              <Input maxLength={200} data-testid="need-form-militaryContact" />
            </Form.Item>
          </Card>
        )}
        <Flex gap={8} className={styles.actions}>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void submit().catch(() => {})}
            data-testid="need-form-submit"
          >
            {t('needs.form.submit')}
          </Button>
          <Button onClick={back}>{t('web.cancel')}</Button>
        </Flex>
      </Form>
    </Card>
  );
}
