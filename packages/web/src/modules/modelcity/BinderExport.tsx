import { DownloadOutlined, FileWordOutlined } from '@ant-design/icons';
import type { ModelRound } from '@shuangyong/shared';
import { Button, Checkbox, Form, Input, Modal, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { jobsApi } from '../../api/jobs';
import { type BinderPart, modelcityApi } from '../../api/modelcity';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';

interface Values {
  from: string;
  to: string;
  reveal?: boolean;
  reason?: string;
}

const PARTS: BinderPart[] = ['docx', 'xlsx', 'zip'];

/**
 * 导出创建档案: one job for a round and a period that yields the DOCX, the self-assessment xlsx
 * and the evidence zip (decisions/0053) — progress while it runs, then the three downloads.
 * Personal data is masked unless a holder of beneficiary:reveal ticks the box and gives a reason.
 */
export function BinderExport({ round }: { round: ModelRound }) {
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<{ id: string; percent: number; done: boolean; failed: boolean } | null>(null);
  const reveal = Form.useWatch('reveal', form);

  const start = async () => {
    const v = await form.validateFields();
    setOpen(false);
    try {
      const created = await modelcityApi.binder({
        roundId: round.id,
        from: v.from,
        to: v.to,
        reveal: !!v.reveal,
        ...(v.reveal ? { reason: v.reason } : {}),
      });
      setJob({ id: created.id, percent: 0, done: false, failed: false });
      for (;;) {
        await new Promise((res) => setTimeout(res, 700));
        const j = await jobsApi.get(created.id);
        const done = j.status === 'succeeded';
        const failed = j.status === 'failed';
        setJob({
          id: created.id,
          percent: done ? 100 : j.total ? Math.round(((j.processed ?? 0) * 100) / j.total) : 0,
          done,
          failed,
        });
        if (done || failed) break;
      }
    } catch {
      // the API client shows the error
      setJob(null);
    }
  };

  return (
    <>
      <Button
        icon={<FileWordOutlined />}
        loading={!!job && !job.done && !job.failed}
        onClick={() => {
          form.setFieldsValue({ from: round.periodStart, to: round.periodEnd, reveal: false, reason: '' });
          setOpen(true);
        }}
        data-testid="modelcity-binder"
      >
        {t('web.modelcity.binder')}
      </Button>
      {job && !job.done && !job.failed && (
        <Progress percent={job.percent} size="small" style={{ width: 140 }} data-testid="modelcity-binder-progress" />
      )}
      {job?.failed && <Typography.Text type="danger">{t('web.modelcity.binderFailed')}</Typography.Text>}
      {job?.done && (
        <Space wrap size={0} data-testid="modelcity-binder-files">
          {PARTS.map((part) => (
            <Button
              key={part}
              type="link"
              icon={<DownloadOutlined />}
              onClick={() =>
                void modelcityApi
                  .downloadBinder(job.id, part, t(`web.modelcity.binderFile.${part}`))
                  .catch(() => undefined)
              }
              data-testid={`modelcity-binder-${part}`}
            >
              {t(`web.modelcity.binderPart.${part}`)}
            </Button>
          ))}
        </Space>
      )}
      <Modal
        open={open}
        title={t('web.modelcity.binderTitle', { round: round.name })}
        onCancel={() => setOpen(false)}
        onOk={() => void start()}
        okText={t('web.modelcity.binderStart')}
        okButtonProps={{ ...({ 'data-testid': 'modelcity-binder-start' } as Record<string, string>) }}
        forceRender
      >
        <Typography.Paragraph type="secondary">{t('web.modelcity.binderHint')}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Space wrap>
            <Form.Item name="from" label={t('web.modelcity.binderFrom')} rules={[{ required: true }]}>
              <Input type="date" data-testid="modelcity-binder-from" />
            </Form.Item>
            <Form.Item
              name="to"
              label={t('web.modelcity.binderTo')}
              dependencies={['from']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_r, value: string) =>
                    !value || !getFieldValue('from') || value >= getFieldValue('from')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('web.modelcity.binderBadPeriod'))),
                }),
              ]}
            >
              <Input type="date" data-testid="modelcity-binder-to" />
            </Form.Item>
          </Space>
          {can('beneficiary:reveal') && (
            <>
              <Form.Item name="reveal" valuePropName="checked">
                <Checkbox data-testid="modelcity-binder-reveal">{t('web.modelcity.binderReveal')}</Checkbox>
              </Form.Item>
              {reveal && (
                <Form.Item
                  name="reason"
                  label={t('web.modelcity.binderReason')}
                  rules={[{ required: true, min: 2, max: 200 }]}
                >
                  <Input data-testid="modelcity-binder-reason" />
                </Form.Item>
              )}
            </>
          )}
        </Form>
      </Modal>
    </>
  );
}
