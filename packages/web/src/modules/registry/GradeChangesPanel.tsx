import { SwapOutlined } from '@ant-design/icons';
import { type BeneficiaryDetail, CATEGORY_BY_CODE, DISABILITY_CAUSES, type GradeChange } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, Flex, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { beneficiariesApi } from '../../api/beneficiaries';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { isFutureDay, toIsoDate } from '../../lib/dates';
import { BackpayJobStatus } from '../benefits/StandardForm';
import { orDash } from './labels';
import styles from './registry.module.css';

const NO_CAUSE = 'none';
const causeText = (c: string | null) =>
  c ? t(`registry.disabilityCause.${c}` as 'registry.disabilityCause.war') : t('beneficiaries.grades.causeNone');

interface Values {
  code?: string;
  effectiveDate: Dayjs;
  disabilityGrade: number;
  disabilityCause: string;
  documentNo: string;
  note?: string;
}

/**
 * 残疾等级 changes of a person (decisions/0056): the history, newest first, and — for who may edit
 * the register — the form that records one with its decision date and number. A change reaching
 * months already paid starts a back-pay job; its progress and result show under the list.
 */
export function GradeChangesPanel({ d }: { d: BeneficiaryDetail }) {
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [jobs, setJobs] = useState<string[]>([]);
  const [form] = Form.useForm<Values>();
  const graded = d.assignments.filter((a) => CATEGORY_BY_CODE[a.code].requiresDisabilityGrade && a.disabilityGrade);
  const query = useQuery({
    queryKey: ['beneficiary-grade-changes', d.id],
    queryFn: ({ signal }) => beneficiariesApi.gradeChanges(d.id, { signal }),
    enabled: graded.length > 0,
  });
  if (graded.length === 0) return null;
  const first = graded[0]!;

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const res = await beneficiariesApi.recordGradeChange(d.id, {
        version: d.version,
        // the category field is shown only when there is a choice
        code: (v.code ?? first.code) as GradeChange['code'],
        effectiveDate: toIsoDate(v.effectiveDate)!,
        disabilityGrade: v.disabilityGrade,
        disabilityCause: v.disabilityCause === NO_CAUSE ? null : (v.disabilityCause as GradeChange['causeTo']),
        documentNo: v.documentNo.trim(),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      message.success(t('beneficiaries.grades.saved', { month: res.change.fromMonth, grade: res.change.gradeTo }));
      if (res.backPayJobId) setJobs([res.backPayJobId]);
      setOpen(false);
      form.resetFields();
      qc.setQueryData(['beneficiary', d.id], res.beneficiary);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['beneficiary-grade-changes', d.id] }),
        qc.invalidateQueries({ queryKey: ['beneficiary-history', d.id] }),
      ]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={8} data-testid="grade-changes">
      <Flex wrap gap={8} align="center" justify="space-between">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('beneficiaries.grades.title')}
        </Typography.Title>
        {d.abilities.update && (
          <Button icon={<SwapOutlined />} onClick={() => setOpen(true)} data-testid="grade-change-open">
            {t('beneficiaries.grades.open')}
          </Button>
        )}
      </Flex>
      <Table<GradeChange>
        size="small"
        rowKey="id"
        pagination={false}
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        locale={{ emptyText: t('beneficiaries.grades.none') }}
        data-testid="grade-change-list"
        columns={[
          { title: t('beneficiaries.grades.date'), dataIndex: 'effectiveDate' },
          { title: t('beneficiaries.grades.category'), dataIndex: 'code', render: (v: string) => label('category', v) },
          {
            title: t('beneficiaries.grades.change'),
            key: 'grade',
            render: (_: unknown, c: GradeChange) =>
              t('beneficiaries.grades.arrow', {
                from: t('beneficiaries.gradeValue', { grade: c.gradeFrom }),
                to: t('beneficiaries.gradeValue', { grade: c.gradeTo }),
              }),
          },
          {
            title: t('beneficiaries.grades.causeChange'),
            key: 'cause',
            render: (_: unknown, c: GradeChange) =>
              c.causeFrom === c.causeTo
                ? causeText(c.causeTo)
                : t('beneficiaries.grades.arrow', { from: causeText(c.causeFrom), to: causeText(c.causeTo) }),
          },
          { title: t('beneficiaries.grades.fromMonth'), dataIndex: 'fromMonth' },
          { title: t('beneficiaries.grades.documentNo'), dataIndex: 'documentNo' },
          {
            title: t('beneficiaries.grades.note'),
            dataIndex: 'note',
            // a merged record's change of a category this person already held: history, not paid by
            render: (v: string | null, c: GradeChange) =>
              c.mergedFromId ? (
                <Typography.Text type="secondary" data-testid="grade-change-merged">
                  {t('beneficiaries.grades.fromMerged')}
                  {v ? ` ${v}` : ''}
                </Typography.Text>
              ) : (
                orDash(v)
              ),
          },
        ]}
      />
      {jobs.length > 0 && <BackpayJobStatus jobIds={jobs} />}
      {open && (
        <FormModal
          title={t('beneficiaries.grades.formTitle', { name: d.name })}
          okText={t('beneficiaries.grades.submit')}
          onOk={() => submit()}
          onCancel={() => setOpen(false)}
          confirmLoading={busy}
          okButtonProps={{ 'data-testid': 'grade-change-submit' } as never}
        >
          <Typography.Paragraph type="secondary">{t('beneficiaries.grades.hint')}</Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            autoComplete="off"
            initialValues={{ code: first.code, disabilityCause: first.disabilityCause ?? NO_CAUSE }}
          >
            {graded.length > 1 && (
              <Form.Item name="code" label={t('beneficiaries.grades.category')}>
                <Select options={graded.map((a) => ({ value: a.code, label: label('category', a.code) }))} />
              </Form.Item>
            )}
            <Form.Item
              name="effectiveDate"
              label={t('beneficiaries.grades.date')}
              rules={[{ required: true, message: t('beneficiaries.grades.dateRequired') }]}
            >
              <DatePicker style={{ width: '100%' }} disabledDate={isFutureDay} data-testid="grade-change-date" />
            </Form.Item>
            <Form.Item
              name="disabilityGrade"
              label={t('beneficiaries.grades.grade')}
              rules={[{ required: true, message: t('beneficiaries.grades.gradeRequired') }]}
            >
              <Select
                data-testid="grade-change-grade"
                options={Array.from({ length: 10 }, (_, i) => ({
                  value: i + 1,
                  label: t('beneficiaries.gradeValue', { grade: i + 1 }),
                }))}
              />
            </Form.Item>
            <Form.Item name="disabilityCause" label={t('beneficiaries.grades.cause')}>
              <Select
                data-testid="grade-change-cause"
                options={[
                  { value: NO_CAUSE, label: t('beneficiaries.grades.causeNone') },
                  ...DISABILITY_CAUSES.map((c) => ({ value: c, label: causeText(c) })),
                ]}
              />
            </Form.Item>
            <Form.Item
              name="documentNo"
              label={t('beneficiaries.grades.documentNo')}
              rules={[{ required: true, whitespace: true, message: t('beneficiaries.grades.documentNoRequired') }]}
            >
              <Input maxLength={64} data-testid="grade-change-doc" />
            </Form.Item>
            <Form.Item name="note" label={t('beneficiaries.grades.note')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Form>
        </FormModal>
      )}
    </Flex>
  );
}
