import {
  BENEFIT_TYPES,
  type BenefitStandardBody,
  benefitStandardBody,
  CATEGORY_CODES,
  DISABILITY_CAUSES,
  STANDARD_LAYERS,
  yuanTextToFen,
} from '@shuangyong/shared';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Progress, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { benefitsApi } from '../../api/benefits';
import { t } from '../../i18n';
import { formatFen } from '../../lib/money';

interface Values {
  benefitType: BenefitStandardBody['benefitType'];
  category: BenefitStandardBody['category'];
  gradeMin?: number | null;
  gradeMax?: number | null;
  disabilityCause?: BenefitStandardBody['disabilityCause'] | null;
  layer: BenefitStandardBody['layer'];
  amountYuan: string;
  validFrom: string;
  validTo?: string;
  docNo: string;
  note?: string;
}

/** Values of the form → the API body, or the first problem (checked with the server's own schema). */
export function standardBodyOf(v: Values): { body: BenefitStandardBody } | { field: keyof Values; message: string } {
  const amountFen = yuanTextToFen(v.amountYuan ?? '');
  if (amountFen === null) return { field: 'amountYuan', message: t('benefits.import.amount') };
  const parsed = benefitStandardBody.safeParse({
    benefitType: v.benefitType,
    category: v.category,
    ...(v.gradeMin ? { gradeMin: v.gradeMin } : {}),
    ...(v.gradeMax ? { gradeMax: v.gradeMax } : {}),
    ...(v.disabilityCause ? { disabilityCause: v.disabilityCause } : {}),
    layer: v.layer,
    amountFen,
    validFrom: v.validFrom?.trim(),
    ...(v.validTo?.trim() ? { validTo: v.validTo.trim() } : {}),
    docNo: v.docNo,
    ...(v.note?.trim() ? { note: v.note.trim() } : {}),
  });
  if (parsed.success) return { body: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { field: (issue.path[0] as keyof Values) ?? 'benefitType', message: issue.message };
}

/**
 * The back pay queued as jobs (decisions/0052, 0057) — by a retroactive standard, or by late annual
 * confirmations (one job each): their progress while they run, then the lines and amount they
 * produced together, or why one failed.
 */
export function BackpayJobStatus({ jobIds }: { jobIds: readonly string[] }) {
  const qc = useQueryClient();
  const jobs = useQueries({
    queries: jobIds.map((jobId) => ({
      queryKey: ['benefit-backpay-job', jobId],
      queryFn: ({ signal }: { signal: AbortSignal }) => benefitsApi.backpayJob(jobId, { signal }),
      refetchInterval: (q: { state: { data?: { status: string } } }) =>
        q.state.data?.status === 'succeeded' || q.state.data?.status === 'failed' ? false : 500,
    })),
  });
  const all = jobs.map((q) => q.data);
  const loaded = all.every((j) => !!j);
  const done = loaded && all.every((j) => j!.status === 'succeeded' || j!.status === 'failed');
  useEffect(() => {
    if (done) qc.invalidateQueries({ queryKey: ['benefit-rosters'] });
  }, [done, qc]);
  if (!loaded || !all.length) return null;
  const failed = all.find((j) => j!.status === 'failed');
  if (done && failed)
    return (
      <Alert
        type="error"
        showIcon
        data-testid="backpay-result"
        message={t('web.benefits.backpayFailed', { error: failed.error ?? '' })}
      />
    );
  if (done) {
    const sum = { lines: 0, owedFen: 0, months: 0, overpaidCases: 0, overpaidFen: 0, backpayCutFen: 0 };
    for (const j of all) {
      sum.lines += j!.result?.lines ?? 0;
      sum.owedFen += j!.result?.owedFen ?? 0;
      sum.months += j!.result?.months ?? 0;
      sum.overpaidCases += j!.result?.overpaidCases ?? 0;
      sum.overpaidFen += j!.result?.overpaidFen ?? 0;
      sum.backpayCutFen += j!.result?.backpayCutFen ?? 0;
    }
    return (
      <Alert
        type="success"
        showIcon
        data-testid="backpay-result"
        message={t('web.benefits.backpayDone', { lines: sum.lines, owed: formatFen(sum.owedFen), months: sum.months })}
        description={
          [
            sum.backpayCutFen > 0 ? t('web.benefits.backpayCut', { fen: formatFen(sum.backpayCutFen) }) : '',
            sum.overpaidCases > 0
              ? t('web.benefits.overpaidFound', { cases: sum.overpaidCases, fen: formatFen(sum.overpaidFen) })
              : '',
          ]
            .filter(Boolean)
            .join(' ') || undefined
        }
      />
    );
  }
  const total = all.reduce((n, j) => n + (j!.total ?? 0), 0);
  const processed = all.reduce((n, j) => n + (j!.status === 'succeeded' ? (j!.total ?? 0) : (j!.processed ?? 0)), 0);
  return (
    <Progress
      data-testid="backpay-progress"
      percent={total ? Math.floor((processed * 100) / Math.max(1, total)) : 0}
      status="active"
      format={(pct) => t('web.benefits.backpayRunning', { pct: pct ?? 0 })}
    />
  );
}

/**
 * 新增待遇标准: one standard entered by hand (the import takes a whole year's table). A standard
 * is never edited: a change is a new one with its own start month; one starting in a month already
 * paid queues its back pay as a job, whose id goes to `onBackpay` (the page shows its progress).
 */
export function NewStandardButton({ onBackpay }: { onBackpay?: (jobId: string) => void }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const create = useMutation({
    mutationFn: (body: BenefitStandardBody) => benefitsApi.createStandard(body),
    onSuccess: (res) => {
      message.success(t('web.benefits.standardCreated'));
      if (res.backPayJobId) onBackpay?.(res.backPayJobId);
      setOpen(false);
      form.resetFields();
      qc.invalidateQueries({ queryKey: ['benefit-standards'] });
    },
  });
  const submit = async () => {
    const v = await form.validateFields();
    const out = standardBodyOf(v);
    if ('field' in out) {
      form.setFields([{ name: out.field, errors: [out.message] }]);
      return;
    }
    create.mutate(out.body);
  };
  return (
    <>
      <Button type="primary" data-testid="standard-new" onClick={() => setOpen(true)}>
        {t('web.benefits.newStandard')}
      </Button>
      <Modal
        open={open}
        title={t('web.benefits.newStandard')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        okButtonProps={{ loading: create.isPending, 'data-testid': 'standard-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ layer: 'national' }}>
          <Form.Item name="benefitType" label={t('web.benefits.col.type')} rules={[{ required: true }]}>
            <Select
              data-testid="standard-type"
              options={BENEFIT_TYPES.map((x) => ({ value: x, label: t(`benefits.type.${x}`) }))}
            />
          </Form.Item>
          <Form.Item name="category" label={t('web.benefits.col.category')} rules={[{ required: true }]}>
            <Select
              data-testid="standard-category"
              showSearch
              optionFilterProp="label"
              options={CATEGORY_CODES.map((x) => ({ value: x, label: t(`category.${x}`) }))}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name="gradeMin" label={t('web.benefits.gradeMin')}>
              <InputNumber min={1} max={10} precision={0} />
            </Form.Item>
            <Form.Item name="gradeMax" label={t('web.benefits.gradeMax')}>
              <InputNumber min={1} max={10} precision={0} />
            </Form.Item>
            <Form.Item name="disabilityCause" label={t('web.benefits.col.cause')}>
              <Select
                data-testid="standard-cause"
                allowClear
                style={{ width: 120 }}
                options={DISABILITY_CAUSES.map((x) => ({ value: x, label: t(`registry.disabilityCause.${x}`) }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="layer" label={t('web.benefits.col.layer')} rules={[{ required: true }]}>
            <Select
              data-testid="standard-layer"
              options={STANDARD_LAYERS.map((x) => ({ value: x, label: t(`benefits.layer.${x}`) }))}
            />
          </Form.Item>
          <Form.Item name="amountYuan" label={t('web.benefits.amountYuan')} rules={[{ required: true }]}>
            <Input inputMode="decimal" data-testid="standard-amount" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="validFrom" label={t('web.benefits.col.from')} rules={[{ required: true }]}>
              <Input placeholder="2026-01" data-testid="standard-from" style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="validTo" label={t('web.benefits.col.to')}>
              <Input placeholder="2026-12" style={{ width: 120 }} />
            </Form.Item>
          </Space>
          <Form.Item name="docNo" label={t('web.benefits.col.docNo')} rules={[{ required: true }]}>
            <Input data-testid="standard-doc" />
          </Form.Item>
          <Form.Item name="note" label={t('web.benefits.note')}>
            <Input.TextArea rows={2} maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
