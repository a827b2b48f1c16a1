import { CheckOutlined } from '@ant-design/icons';
import { CONFIRMATION_GRACE_MONTHS, CONFIRMATION_METHODS, type ConfirmationBody } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { benefitsApi, type Unconfirmed } from '../../api/benefits';
import { ApiError } from '../../api/client';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { FormModal } from '../../components/FormModal';
import { t } from '../../i18n';
import { isFutureDay, pickerToday, toIsoDate } from '../../lib/dates';
import { todayInZone } from '../../lib/zone';
import { BackpayJobStatus } from './StandardForm';

/**
 * The month whose list says who still owes the confirmation of `year`: this month, but not before
 * the grace months are over (until then last year's confirmation holds, nobody is held yet); a past
 * year's December.
 */
export function dueMonth(year: number, today: string): string {
  const current = today.slice(0, 7);
  if (year < Number(today.slice(0, 4))) return `${year}-12`;
  const firstHeld = `${year}-${String(CONFIRMATION_GRACE_MONTHS + 1).padStart(2, '0')}`;
  return current > firstHeld ? current : firstHeld;
}

interface Values {
  confirmedOn: Dayjs;
  method: ConfirmationBody['method'];
  note?: string;
}

/**
 * `/benefit-confirmations` (年度确认, decisions/0045): the district's people who have not confirmed
 * this year, those of them whose payments are held this month for want of it, and recording the
 * confirmation of one person or of the rows selected.
 */
export function ConfirmationsPage() {
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const today = todayInZone();
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<Unconfirmed[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [backpayJobs, setBackpayJobs] = useState<string[]>([]);
  const [form] = Form.useForm<Values>();
  const due = dueMonth(year, today);
  // held now: this month's list (a past year's: its December)
  const heldMonth = year === thisYear ? today.slice(0, 7) : `${year}-12`;
  const missing = useQuery({
    queryKey: ['benefit-unconfirmed', due],
    queryFn: ({ signal }) => benefitsApi.unconfirmed(due, { signal }),
  });
  const held = useQuery({
    queryKey: ['benefit-unconfirmed', heldMonth],
    queryFn: ({ signal }) => benefitsApi.unconfirmed(heldMonth, { signal }),
  });
  const confirmed = useQuery({
    queryKey: ['benefit-confirmations', year],
    queryFn: ({ signal }) => benefitsApi.confirmations(year, { signal }),
  });
  const heldIds = new Set(held.data?.items.map((x) => x.beneficiaryId));
  const rows = missing.data?.items ?? [];
  const mayWrite = can('benefit:pay');

  const submit = async () => {
    const v = await form.validateFields();
    const people = confirming ?? [];
    setBusy(true);
    let done = 0;
    const jobs: string[] = [];
    const failed: string[] = [];
    // one request per person: a refusal (already confirmed, out of scope) names that person only
    for (const p of people) {
      try {
        const res = await benefitsApi.confirm({
          beneficiaryId: p.beneficiaryId,
          year,
          confirmedOn: toIsoDate(v.confirmedOn)!,
          method: v.method,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        done++;
        if (res.backPayJobId) jobs.push(res.backPayJobId);
      } catch (e) {
        failed.push(e instanceof ApiError ? `${p.name}（${e.detail ?? e.title}）` : p.name);
      }
    }
    setBusy(false);
    if (done) message.success(t('web.benefits.confirm.saved', { count: done, year }));
    // the back pay of months already paid without them runs as jobs (decisions/0057)
    setBackpayJobs(jobs);
    if (failed.length) message.error(t('web.benefits.confirm.failed', { names: failed.join('、') }));
    setConfirming(null);
    setSelected([]);
    form.resetFields();
    qc.invalidateQueries({ queryKey: ['benefit-unconfirmed'] });
    qc.invalidateQueries({ queryKey: ['benefit-confirmations'] });
  };

  const columns: TableColumnsType<Unconfirmed> = [
    {
      title: t('web.benefits.col.name'),
      dataIndex: 'name',
      render: (name: string, r) => <Link to={`/beneficiaries/${r.beneficiaryId}`}>{name}</Link>,
    },
    { title: t('web.benefits.col.idNumber'), dataIndex: 'idMasked' },
    {
      title: t('web.benefits.col.status'),
      key: 'held',
      render: (_, r) =>
        heldIds.has(r.beneficiaryId) ? (
          <Tag color="red" data-testid="confirm-held">
            {t('web.benefits.confirm.held')}
          </Tag>
        ) : (
          <Tag color="orange" data-testid="confirm-due">
            {t('web.benefits.confirm.due')}
          </Tag>
        ),
    },
    ...(mayWrite
      ? [
          {
            title: t('web.benefits.col.actions'),
            key: 'actions',
            render: (_: unknown, r: Unconfirmed) => (
              <Button size="small" data-testid="confirm-one" onClick={() => setConfirming([r])}>
                {t('web.benefits.confirm.record')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const heldCount = rows.filter((r) => heldIds.has(r.beneficiaryId)).length;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.benefits.confirm.title')}
        </Typography.Title>
      }
    >
      <DocTitle title={t('web.benefits.confirm.title')} />
      <Flex vertical gap={12}>
        <Flex wrap gap={8} align="center">
          <Select
            aria-label={t('web.benefits.confirm.year')}
            data-testid="confirm-year"
            style={{ width: 120 }}
            value={year}
            onChange={(y: number) => {
              setYear(y);
              setSelected([]);
            }}
            options={[thisYear, thisYear - 1].map((y) => ({
              value: y,
              label: t('web.benefits.confirm.yearOption', { year: y }),
            }))}
          />
          {mayWrite && (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              disabled={!selected.length}
              data-testid="confirm-batch"
              onClick={() => setConfirming(rows.filter((r) => selected.includes(r.beneficiaryId)))}
            >
              {t('web.benefits.confirm.batch', { count: selected.length })}
            </Button>
          )}
        </Flex>
        {backpayJobs.length > 0 && <BackpayJobStatus key={backpayJobs.join()} jobIds={backpayJobs} />}
        {missing.isError ? (
          <Alert type="error" showIcon title={t('web.benefits.confirm.loadFailed')} />
        ) : (
          <Alert
            type={heldCount ? 'warning' : 'info'}
            showIcon
            data-testid="confirm-summary"
            title={t('web.benefits.confirm.summary', {
              year,
              missing: rows.length,
              held: heldCount,
              month: heldMonth,
              confirmed: confirmed.data?.items.length ?? 0,
            })}
          />
        )}
        <Table
          rowKey="beneficiaryId"
          columns={columns}
          dataSource={rows}
          loading={missing.isFetching || held.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('web.benefits.confirm.none') }}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          rowSelection={
            mayWrite ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined
          }
        />
      </Flex>
      {confirming && (
        <FormModal
          title={t('web.benefits.confirm.formTitle', {
            year,
            names:
              confirming.length > 3
                ? t('web.benefits.confirm.andMore', {
                    names: confirming
                      .slice(0, 3)
                      .map((p) => p.name)
                      .join('、'),
                    count: confirming.length,
                  })
                : confirming.map((p) => p.name).join('、'),
          })}
          okText={t('web.benefits.confirm.submit')}
          onOk={() => submit()}
          onCancel={() => setConfirming(null)}
          confirmLoading={busy}
          okButtonProps={{ 'data-testid': 'confirm-submit' } as never}
        >
          <Form
            form={form}
            layout="vertical"
            autoComplete="off"
            initialValues={{ confirmedOn: pickerToday(), method: 'in_person' }}
          >
            <Form.Item
              name="confirmedOn"
              label={t('web.benefits.confirm.date')}
              rules={[{ required: true, message: t('web.benefits.confirm.dateRequired') }]}
            >
              <DatePicker style={{ width: '100%' }} disabledDate={isFutureDay} data-testid="confirm-date" />
            </Form.Item>
            <Form.Item
              name="method"
              label={t('web.benefits.confirm.method')}
              rules={[{ required: true, message: t('web.benefits.confirm.methodRequired') }]}
            >
              <Select
                data-testid="confirm-method"
                options={CONFIRMATION_METHODS.map((m) => ({ value: m, label: t(`benefits.confirmMethod.${m}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="note"
              label={t('web.benefits.note')}
              rules={[{ max: 200, message: t('web.benefits.confirm.noteLength') }]}
            >
              <Input.TextArea rows={2} maxLength={200} data-testid="confirm-note" />
            </Form.Item>
          </Form>
        </FormModal>
      )}
    </Card>
  );
}
