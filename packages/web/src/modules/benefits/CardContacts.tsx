import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Space, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import { benefitsApi, type CardContact } from '../../api/benefits';
import { t } from '../../i18n';

const KEY = ['benefit-card-contacts'];

/**
 * 明白卡咨询电话 (decisions/0065): the contact line printed on the 待遇明白卡 per district in the
 * caller's scope and, city-wide, the city's default. An emptied line is removed on save (the card
 * falls back to the default). Refusals show through the API client's message.
 */
export function CardContacts() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ lines: string[] }>();
  const list = useQuery({ queryKey: KEY, queryFn: ({ signal }) => benefitsApi.cardContacts({ signal }) });
  const items = list.data?.items ?? [];
  useEffect(() => {
    if (list.data) form.setFieldsValue({ lines: list.data.items.map((i) => i.text) });
  }, [list.data, form]);
  const lines = Form.useWatch('lines', form) ?? [];
  const fallback = (
    lines[items.findIndex((i) => i.path === '')] ??
    items.find((i) => i.path === '')?.text ??
    ''
  ).trim();

  const save = useMutation({
    mutationFn: (contacts: Record<string, string>) => benefitsApi.setCardContacts(contacts),
    onSuccess: (res) => {
      qc.setQueryData(KEY, res);
      message.success(t('web.benefits.cardContacts.saved'));
    },
  });
  const submit = async () => {
    const v = await form.validateFields();
    const changed: Record<string, string> = {};
    items.forEach((item: CardContact, i) => {
      const text = (v.lines[i] ?? '').trim();
      if (text !== item.text) changed[item.path] = text;
    });
    if (!Object.keys(changed).length) {
      void message.info(t('web.benefits.cardContacts.unchanged'));
      return;
    }
    save.mutate(changed);
  };

  if (list.isError) return <Alert type="error" showIcon title={t('web.benefits.cardContacts.loadFailed')} />;
  if (!list.data) return <Spin />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 720 }} data-testid="card-contacts">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('web.benefits.cardContacts.intro')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        {items.map((item, i) => {
          const empty = !(lines[i] ?? '').trim();
          const hint =
            item.path && empty
              ? fallback
                ? t('web.benefits.cardContacts.usesDefault', { text: fallback })
                : t('web.benefits.cardContacts.noDefault')
              : undefined;
          return (
            <Form.Item
              key={item.path || 'default'}
              name={['lines', i]}
              label={item.name}
              extra={hint && <span data-testid="card-contact-hint">{hint}</span>}
              rules={[{ max: 200, message: t('web.benefits.cardContacts.tooLong') }]}
            >
              <Input
                allowClear
                data-testid="card-contact"
                data-path={item.path}
                aria-label={item.name}
                placeholder={t('web.benefits.cardContacts.placeholder')}
              />
            </Form.Item>
          );
        })}
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="card-contacts-save">
          {t('web.benefits.cardContacts.save')}
        </Button>
      </Form>
    </Space>
  );
}
