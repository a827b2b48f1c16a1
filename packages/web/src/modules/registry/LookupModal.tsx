import { normalizeIdNumber } from '@shuangyong/shared';
import { Alert, Descriptions, Form, Input } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { beneficiariesApi, type LookupResult } from '../../api/beneficiaries';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { CategoryTags, StatusTag } from './labels';
import styles from './registry.module.css';

/** 按身份证号查询: an exact lookup by the full number, across districts (audited, rate limited). */
export function LookupModal({ onClose }: { onClose: () => void }) {
  const [form] = Form.useForm<{ idNumber: string }>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<LookupResult | null>(null);

  async function submit() {
    const v = await form.validateFields();
    const parsed = normalizeIdNumber(v.idNumber);
    if (!parsed.ok) return;
    setBusy(true);
    setResult(null);
    try {
      setResult(await beneficiariesApi.lookup(parsed.value));
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }

  const found = result?.found;
  return (
    <FormModal
      title={t('beneficiaries.lookupTitle')}
      okText={t('web.search')}
      cancelText={t('web.close')}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ ...testId('lookup-submit') }}
    >
      <Form form={form} layout="vertical" autoComplete="off" onFinish={() => void submit()}>
        <Form.Item
          name="idNumber"
          label={t('beneficiaries.idNumber')}
          extra={t('beneficiaries.lookupHint')}
          rules={[
            {
              validator: (_, value: string | undefined) => {
                const r = normalizeIdNumber(value ?? '');
                return r.ok ? Promise.resolve() : Promise.reject(new Error(t(r.error)));
              },
            },
          ]}
        >
          <Input maxLength={40} autoComplete="off" className={styles.mono} data-testid="lookup-idNumber" />
        </Form.Item>
      </Form>
      {result && (
        <div data-testid="lookup-result">
          {found ? (
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                {
                  key: 'name',
                  label: t('beneficiaries.name'),
                  children: (
                    <Link to={`/beneficiaries/${found.id}`} data-testid="lookup-found">
                      {found.name}
                    </Link>
                  ),
                },
                { key: 'sex', label: t('beneficiaries.sex'), children: label('sex', found.sex) },
                { key: 'birthDate', label: t('beneficiaries.birthDate'), children: found.birthDate },
                { key: 'id', label: t('beneficiaries.idNumber'), children: found.idMasked },
                {
                  key: 'cat',
                  label: t('beneficiaries.categories'),
                  children: <CategoryTags codes={found.categories} />,
                },
                { key: 'status', label: t('beneficiaries.status'), children: <StatusTag status={found.status} /> },
                { key: 'org', label: t('beneficiaries.org'), children: found.orgName },
              ]}
            />
          ) : result.elsewhere ? (
            <Alert
              type="warning"
              showIcon
              title={t('beneficiaries.lookupElsewhere')}
              description={t('beneficiaries.lookupElsewhereHint')}
              data-testid="lookup-elsewhere"
            />
          ) : (
            <Alert type="info" showIcon title={t('beneficiaries.lookupNotFound')} data-testid="lookup-notfound" />
          )}
          {found && result.elsewhere && (
            <Alert
              style={{ marginTop: 12 }}
              type="warning"
              showIcon
              title={t('beneficiaries.lookupElsewhere')}
              data-testid="lookup-elsewhere"
            />
          )}
        </div>
      )}
    </FormModal>
  );
}

/** `data-testid` for props objects that are not JSX attributes (okButtonProps, …). */
export function testId(id: string): Record<string, string> {
  return { 'data-testid': id };
}
