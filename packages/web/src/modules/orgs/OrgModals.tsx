import {
  ORG_CODE_PATTERN,
  ORG_SIDES,
  ORG_TYPE_SIDE,
  ORG_TYPES,
  type Org,
  type OrgType,
  REGION_CODE_PATTERN,
} from '@shuangyong/shared';
import { Form, Input, Select, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { orgsApi } from '../../api/orgs';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { applyFieldErrors } from '../../lib/forms';
import { type OrgNode, subtreeIds, toSelectTree } from './tree';

interface ModalProps {
  org: Org;
  onClose: () => void;
  onDone: (org: Org) => void;
}

interface CreateValues {
  name: string;
  code?: string;
  type: OrgType;
  side?: Org['side'];
  regionCode?: string;
}

/** 新建下级单位 under `org`. */
export function CreateOrgModal({ org, onClose, onDone }: ModalProps) {
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const created = await orgsApi.create({
        parentId: org.id,
        name: v.name.trim(),
        type: v.type,
        ...(v.code?.trim() ? { code: v.code.trim().toLowerCase() } : {}),
        ...(v.side ? { side: v.side } : {}),
        ...(v.regionCode?.trim() ? { regionCode: v.regionCode.trim() } : {}),
      });
      onDone(created);
    } catch (e) {
      applyFieldErrors(form, e, ['name', 'code', 'type', 'side', 'regionCode']);
    } finally {
      setSaving(false);
    }
  }

  return (
    <FormModal
      title={t('orgs.createTitle', { parent: org.name })}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ type: undefined, side: undefined }}
        onValuesChange={(changed: Partial<CreateValues>) => {
          if (changed.type) form.setFieldValue('side', ORG_TYPE_SIDE[changed.type]);
        }}
        data-testid="org-form"
      >
        <Form.Item name="name" label={t('orgs.name')} rules={[{ required: true, whitespace: true, max: 64 }]}>
          <Input maxLength={64} data-testid="org-form-name" />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('orgs.code')}
          extra={t('orgs.codeHint')}
          rules={[{ pattern: ORG_CODE_PATTERN, message: t('orgs.codeInvalid') }]}
          normalize={(v: string) => v?.toLowerCase()}
        >
          <Input maxLength={32} data-testid="org-form-code" />
        </Form.Item>
        <Form.Item name="type" label={t('orgs.type')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={ORG_TYPES.map((type) => ({ value: type, label: label('orgType', type) }))}
            data-testid="org-form-type"
          />
        </Form.Item>
        <Form.Item name="side" label={t('orgs.side')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={ORG_SIDES.map((s) => ({ value: s, label: label('side', s) }))}
          />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('orgs.regionCode')}
          extra={t('orgs.regionCodeHint')}
          rules={[{ pattern: REGION_CODE_PATTERN, message: t('orgs.regionCodeInvalid') }]}
        >
          <Input inputMode="numeric" maxLength={12} data-testid="org-form-regionCode" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function RenameOrgModal({ org, onClose, onDone }: ModalProps) {
  const [form] = Form.useForm<{ name: string }>();
  const [saving, setSaving] = useState(false);

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      onDone(await orgsApi.rename(org, v.name.trim()));
    } catch (e) {
      applyFieldErrors(form, e, ['name']);
    } finally {
      setSaving(false);
    }
  }

  return (
    <FormModal
      title={t('orgs.renameTitle', { name: org.name })}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form form={form} layout="vertical" initialValues={{ name: org.name }}>
        <Form.Item name="name" label={t('orgs.newName')} rules={[{ required: true, whitespace: true, max: 64 }]}>
          <Input maxLength={64} data-testid="org-form-name" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

export function MoveOrgModal({ org, forest, onClose, onDone }: ModalProps & { forest: readonly OrgNode[] }) {
  const [form] = Form.useForm<{ parentId: string }>();
  const [saving, setSaving] = useState(false);
  const treeData = useMemo(() => {
    const own = subtreeIds(forest, org.id);
    return toSelectTree(forest, (o) => own.has(o.id) || !o.active);
  }, [forest, org.id]);

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      onDone(await orgsApi.move(org, v.parentId));
    } catch (e) {
      applyFieldErrors(form, e, ['parentId']);
    } finally {
      setSaving(false);
    }
  }

  return (
    <FormModal
      title={t('orgs.moveTitle', { name: org.name })}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form form={form} layout="vertical" initialValues={{ parentId: org.parentId ?? undefined }}>
        <Form.Item
          name="parentId"
          label={t('orgs.newParent')}
          extra={t('orgs.moveHint')}
          rules={[
            { required: true, message: t('org.parentRequired') },
            {
              validator: (_, value: string) =>
                value === org.parentId ? Promise.reject(new Error(t('orgs.sameParent'))) : Promise.resolve(),
            },
          ]}
        >
          <TreeSelect
            treeData={treeData}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll={treeData.length < 50}
            placeholder={t('orgs.pickParent')}
            data-testid="org-form-parent"
          />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
