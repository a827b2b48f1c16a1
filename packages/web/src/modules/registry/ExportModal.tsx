import { Alert, Checkbox, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { type BeneficiaryFilters, beneficiariesApi } from '../../api/beneficiaries';
import { FormModal } from '../../components/FormModal';
import { t } from '../../i18n';
import { testId } from './LookupModal';
import { REASON_RULES } from './rules';

interface ExportValues {
  reveal?: boolean;
  reason?: string;
}

/** 导出: the current filters as xlsx; 导出完整信息 (unmasked) needs beneficiary:reveal and a reason. */
export function ExportModal({
  filters,
  ids,
  total,
  canReveal,
  onClose,
}: {
  filters: BeneficiaryFilters;
  /** Exactly these people (the rows chosen on the list) instead of everything the filters match. */
  ids?: string[];
  total: number | null;
  canReveal: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<ExportValues>();
  const reveal = Form.useWatch('reveal', form) ?? false;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function submit() {
    const v = await form.validateFields();
    setBusy(true);
    setDone(null);
    try {
      const wantReveal = canReveal && !!v.reveal;
      const name = await beneficiariesApi.export(
        {
          filters,
          ...(ids ? { ids } : {}),
          ...(wantReveal ? { reveal: true, reason: v.reason?.trim() } : {}),
        },
        t('beneficiaries.exportFileName'),
      );
      setDone(name);
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormModal
      title={t('beneficiaries.exportTitle')}
      okText={t('beneficiaries.exportSubmit')}
      cancelText={t('web.close')}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ ...testId('export-submit') }}
    >
      <Typography.Paragraph>
        {ids ? (
          t('beneficiaries.exportSelection', { n: ids.length })
        ) : (
          <>
            {Object.keys(filters).length > 0 ? t('beneficiaries.exportFiltered') : t('beneficiaries.exportAll')}
            {total !== null && t('beneficiaries.exportCount', { total })}
          </>
        )}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" autoComplete="off">
        {canReveal && (
          <Form.Item name="reveal" valuePropName="checked" extra={t('beneficiaries.exportRevealHint')}>
            <Checkbox data-testid="export-reveal">{t('beneficiaries.exportReveal')}</Checkbox>
          </Form.Item>
        )}
        {canReveal && reveal && (
          <Form.Item name="reason" label={t('beneficiaries.reason')} rules={REASON_RULES}>
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="export-reason" />
          </Form.Item>
        )}
      </Form>
      {done && (
        <Alert
          type="success"
          showIcon
          title={t('beneficiaries.exportDone', { name: done })}
          data-testid="export-done"
        />
      )}
    </FormModal>
  );
}
