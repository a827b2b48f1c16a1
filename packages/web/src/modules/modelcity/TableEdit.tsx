import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { EVIDENCE_KINDS, type EvidenceKind } from '@shuangyong/shared';
import { App, Button, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { modelcityApi, type Readiness } from '../../api/modelcity';
import { t } from '../../i18n';

type ItemOf = Readiness['standards'][number]['items'][number];

interface ElementForm {
  id?: string;
  text: string;
  points: number;
  kinds: EvidenceKind[];
  minCount: number;
}
interface EditForm {
  content: string;
  elements: ElementForm[];
}

const kindOptions = EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`modelcity.kind.${k}`) }));

function ElementFields({ name, onRemove }: { name: (string | number)[]; onRemove?: () => void }) {
  return (
    <Flex wrap gap={8} align="start" data-testid="modelcity-edit-element">
      <Form.Item
        name={[...name, 'text']}
        label={t('web.modelcity.edit.text')}
        rules={[{ required: true, whitespace: true, max: 500 }]}
        style={{ flex: '1 1 240px', marginBottom: 8 }}
      >
        <Input.TextArea autoSize data-testid="modelcity-edit-text" />
      </Form.Item>
      <Form.Item
        name={[...name, 'points']}
        label={t('web.modelcity.edit.points')}
        rules={[{ required: true }]}
        style={{ width: 96, marginBottom: 8 }}
      >
        <InputNumber min={0} max={1000} step={0.25} precision={2} data-testid="modelcity-edit-points" />
      </Form.Item>
      <Form.Item
        name={[...name, 'kinds']}
        label={t('web.modelcity.edit.kinds')}
        rules={[{ required: true }]}
        style={{ flex: '1 1 200px', marginBottom: 8 }}
      >
        <Select mode="multiple" options={kindOptions} data-testid="modelcity-edit-kinds" />
      </Form.Item>
      <Form.Item
        name={[...name, 'minCount']}
        label={t('web.modelcity.edit.minCount')}
        rules={[{ required: true }]}
        style={{ width: 96, marginBottom: 8 }}
      >
        <InputNumber min={1} max={1000} precision={0} />
      </Form.Item>
      {onRemove ? (
        <Button
          type="text"
          danger
          icon={<DeleteOutlined />}
          onClick={onRemove}
          aria-label={t('web.modelcity.edit.remove')}
          style={{ marginTop: 30 }}
        />
      ) : null}
    </Flex>
  );
}

/**
 * 编辑 an item of the table (content and all its elements, added and removed) or one element of it
 * (decisions/0041); the city only — the page shows it when the API says `canEditTable`.
 */
export function TableEditDialog({
  item,
  elementId,
  onClose,
  onSaved,
}: {
  item: ItemOf | null;
  elementId?: string;
  onClose: () => void;
  onSaved: (r: Readiness) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EditForm>();
  const [busy, setBusy] = useState(false);
  const only = elementId ? item?.elements.findIndex((e) => e.id === elementId) : undefined;

  useEffect(() => {
    if (!item) return;
    form.setFieldsValue({
      content: item.content,
      elements: item.elements.map((e) => ({
        id: e.id,
        text: e.text,
        points: e.points / 100,
        kinds: e.kinds,
        minCount: e.minCount,
      })),
    });
  }, [item, form]);

  const submit = async () => {
    if (!item) return;
    try {
      await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    const v = form.getFieldsValue(true) as EditForm;
    setBusy(true);
    try {
      const r = await modelcityApi.editItem(item.id, {
        version: item.version,
        content: v.content,
        elements: v.elements.map((e) => ({
          ...(e.id ? { id: e.id } : {}),
          text: e.text,
          points: Math.round(e.points * 100),
          kinds: e.kinds,
          minCount: e.minCount,
        })),
      });
      const saved = r.standards.flatMap((s) => s.items).find((i) => i.id === item.id);
      message.success(t('web.modelcity.edit.done', { points: (saved?.points ?? 0) / 100 }));
      onSaved(r);
    } catch {
      // the API client shows the error (stale version, an element with evidence, the total)
    } finally {
      setBusy(false);
    }
  };

  const element = only !== undefined && only >= 0 ? item?.elements[only] : undefined;
  return (
    <Modal
      open={!!item}
      title={
        item
          ? element
            ? t('web.modelcity.edit.elementTitle', { code: element.code })
            : t('web.modelcity.edit.itemTitle', { code: item.code })
          : ''
      }
      width={760}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('web.modelcity.edit.ok')}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'modelcity-edit-ok' } as Record<string, string>) }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('web.modelcity.edit.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        {element ? (
          <ElementFields name={['elements', only as number]} />
        ) : (
          <>
            <Form.Item
              name="content"
              label={t('web.modelcity.edit.content')}
              rules={[{ required: true, whitespace: true, max: 500 }]}
            >
              <Input.TextArea autoSize data-testid="modelcity-edit-content" />
            </Form.Item>
            <Form.List name="elements">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <ElementFields
                      key={f.key}
                      name={[f.name]}
                      onRemove={fields.length > 1 ? () => remove(f.name) : undefined}
                    />
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => add({ text: '', points: 0, kinds: ['document'], minCount: 1 })}
                  >
                    {t('web.modelcity.edit.add')}
                  </Button>
                </>
              )}
            </Form.List>
          </>
        )}
      </Form>
    </Modal>
  );
}
