import { EditOutlined, EyeOutlined } from '@ant-design/icons';
import { accountNoSchema } from '@shuangyong/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Empty, Flex, Form, Input, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { benefitsApi } from '../../api/benefits';
import { FormModal } from '../../components/FormModal';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';

interface AccountValues {
  bankName: string;
  accountNo: string;
}

/** The account number as the form checks it: the shared schema's rule and its Chinese message. */
export function accountNoProblem(value: string | undefined): string | null {
  if (!value?.trim()) return t('web.benefits.account.noRequired');
  const parsed = accountNoSchema.safeParse(value);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? t('benefits.account.invalid'));
}

/**
 * 发放账户 of one beneficiary (`/benefit-accounts/:id`): the bank and the masked number; the number in
 * full for those who may reveal it (with a reason, audited); recording or changing it for those who pay.
 * What the caller may do comes from the API's abilities.
 */
export function AccountPanel({ beneficiaryId, name }: { beneficiaryId: string; name: string }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['benefit-account', beneficiaryId],
    queryFn: ({ signal }) => benefitsApi.account(beneficiaryId, { signal }),
  });
  if (query.isPending) return <Skeleton active />;
  if (query.isError) return <Alert type="error" showIcon title={t('web.benefits.account.loadFailed')} />;
  const { account, abilities } = query.data;
  return (
    <Flex vertical gap={12} data-testid="account-panel">
      <Flex wrap gap={8}>
        {abilities.reveal && account && !revealed && (
          <Button icon={<EyeOutlined />} data-testid="account-reveal" onClick={() => setRevealing(true)}>
            {t('web.benefits.account.reveal')}
          </Button>
        )}
        {abilities.save && (
          <Button type="primary" icon={<EditOutlined />} data-testid="account-edit" onClick={() => setEditing(true)}>
            {account ? t('web.benefits.account.change') : t('web.benefits.account.add')}
          </Button>
        )}
      </Flex>
      {revealed && (
        <Alert
          type="warning"
          showIcon
          title={t('web.benefits.account.revealedBanner')}
          data-testid="account-revealed"
        />
      )}
      {account ? (
        <Descriptions
          bordered
          size="small"
          column={1}
          items={[
            { key: 'bank', label: t('web.benefits.account.bankName'), children: account.bankName },
            {
              key: 'no',
              label: t('web.benefits.account.accountNo'),
              children: <span data-testid="account-number">{revealed ?? account.accountMasked}</span>,
            },
            { key: 'updated', label: t('web.benefits.account.updatedAt'), children: formatDateTime(account.updatedAt) },
          ]}
        />
      ) : (
        <Empty description={t('web.benefits.account.none')} data-testid="account-none" />
      )}
      {editing && (
        <AccountForm
          beneficiaryId={beneficiaryId}
          name={name}
          initial={account ? { bankName: account.bankName, accountNo: '' } : undefined}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setRevealed(null);
            message.success(t('web.benefits.account.saved'));
            qc.invalidateQueries({ queryKey: ['benefit-account', beneficiaryId] });
          }}
        />
      )}
      {revealing && (
        <RevealAccount
          beneficiaryId={beneficiaryId}
          name={name}
          onClose={() => setRevealing(false)}
          onDone={(no) => {
            setRevealing(false);
            setRevealed(no);
          }}
        />
      )}
    </Flex>
  );
}

function AccountForm({
  beneficiaryId,
  name,
  initial,
  onClose,
  onSaved,
}: {
  beneficiaryId: string;
  name: string;
  initial?: AccountValues;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<AccountValues>();
  const save = useMutation({
    mutationFn: (v: AccountValues) =>
      benefitsApi.saveAccount(beneficiaryId, { bankName: v.bankName.trim(), accountNo: v.accountNo }),
    onSuccess: onSaved,
  });
  return (
    <FormModal
      title={t('web.benefits.account.formTitle', { name })}
      okText={t('web.benefits.account.save')}
      onOk={() => form.validateFields().then((v) => save.mutate(v))}
      onCancel={onClose}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'account-save' } as never}
    >
      <Form form={form} layout="vertical" autoComplete="off" initialValues={initial}>
        <Form.Item
          name="bankName"
          label={t('web.benefits.account.bankName')}
          rules={[
            { required: true, whitespace: true, message: t('web.benefits.account.bankRequired') },
            { min: 2, max: 60, message: t('web.benefits.account.bankLength') },
          ]}
        >
          <Input maxLength={60} data-testid="account-bank" />
        </Form.Item>
        <Form.Item
          name="accountNo"
          label={t('web.benefits.account.accountNo')}
          extra={t('web.benefits.account.noHint')}
          rules={[
            {
              validator: (_, v: string | undefined) => {
                const problem = accountNoProblem(v);
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            },
          ]}
        >
          <Input maxLength={40} inputMode="numeric" data-testid="account-no" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function RevealAccount({
  beneficiaryId,
  name,
  onClose,
  onDone,
}: {
  beneficiaryId: string;
  name: string;
  onClose: () => void;
  onDone: (accountNo: string) => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useMutation({
    mutationFn: (reason: string) => benefitsApi.revealAccount(beneficiaryId, reason),
    onSuccess: (r) => onDone(r.accountNo),
  });
  return (
    <FormModal
      title={t('web.benefits.account.revealTitle', { name })}
      okText={t('web.benefits.account.revealSubmit')}
      onOk={() => form.validateFields().then((v) => reveal.mutate(v.reason.trim()))}
      onCancel={onClose}
      confirmLoading={reveal.isPending}
      okButtonProps={{ 'data-testid': 'account-reveal-submit' } as never}
    >
      <Typography.Paragraph type="secondary">{t('web.benefits.account.revealHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item
          name="reason"
          label={t('web.benefits.account.reason')}
          rules={[
            { required: true, whitespace: true, message: t('web.benefits.account.reasonRequired') },
            { min: 2, max: 200, message: t('web.benefits.account.reasonLength') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="account-reveal-reason" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
