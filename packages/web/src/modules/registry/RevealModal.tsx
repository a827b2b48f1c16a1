import { Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { beneficiariesApi, type Revealed } from '../../api/beneficiaries';
import { FormModal } from '../../components/FormModal';
import { t } from '../../i18n';
import { testId } from './LookupModal';
import { REASON_RULES } from './rules';

/** 查看完整信息: asks for a reason (recorded in the audit log), then returns the unmasked values. */
export function RevealModal({
  id,
  name,
  onClose,
  onDone,
}: {
  id: string;
  name: string;
  onClose: () => void;
  onDone: (revealed: Revealed) => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      onDone(await beneficiariesApi.reveal(id, v.reason.trim()));
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal
      title={t('beneficiaries.revealTitle', { name })}
      okText={t('beneficiaries.revealSubmit')}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ ...testId('reveal-submit') }}
    >
      <Typography.Paragraph type="secondary">{t('beneficiaries.revealHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item name="reason" label={t('beneficiaries.reason')} rules={REASON_RULES}>
          <Input.TextArea
            rows={3}
            maxLength={200}
            showCount
            placeholder={t('beneficiaries.reasonPlaceholder')}
            data-testid="reveal-reason"
          />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
