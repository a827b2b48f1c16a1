import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, InputNumber, List, Upload } from 'antd';
import { useState } from 'react';
import { type AssignmentDetail, assignmentsApi } from '../../api/campaigns';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import styles from './campaigns.module.css';
import { formatSize } from './labels';

interface Values {
  narrative: string;
  figures: Record<string, number | null>;
}

/** 填报: the narrative, the figures the task asks for, photos and documents; 暂存 or 提交. */
export function ReportForm({ a, onChange }: { a: AssignmentDetail; onChange: (next: AssignmentDetail) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [fileIds, setFileIds] = useState<string[]>(() => a.files.map((f) => f.id));
  const last = a.reports[a.reports.length - 1];
  const initial: Values = {
    narrative: a.draft?.narrative ?? last?.narrative ?? '',
    figures: Object.fromEntries(
      a.task.figures.map((f) => [f.key, a.draft?.figures[f.key] ?? last?.figures[f.key] ?? null]),
    ),
  };
  const clean = (v: Values) =>
    Object.fromEntries(Object.entries(v.figures ?? {}).filter(([, n]) => n !== null && n !== undefined)) as Record<
      string,
      number
    >;

  const save = async (submit: boolean) => {
    const v = form.getFieldsValue(true) as Values;
    setBusy(true);
    try {
      const next = submit
        ? await assignmentsApi.submit(a.id, {
            version: a.version,
            narrative: v.narrative ?? '',
            figures: clean(v),
            fileIds,
          })
        : await assignmentsApi.saveDraft(a.id, { version: a.version, narrative: v.narrative ?? '', figures: clean(v) });
      void message.success(submit ? t('wc.submitted') : t('wc.saved'));
      onChange(next);
    } catch (e) {
      applyNestedFieldErrors(form, e, ['narrative', 'figures']);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" initialValues={initial} data-testid="report-form">
      {a.task.figures.map((f) => (
        <Form.Item key={f.key} name={['figures', f.key]} label={`${f.label}${f.unit ? `（${f.unit}）` : ''}`}>
          <InputNumber min={0} style={{ width: 200 }} data-testid={`report-figure-${f.key}`} />
        </Form.Item>
      ))}
      <Form.Item name="narrative" label={t('wc.narrative')}>
        <Input.TextArea
          autoSize={{ minRows: 4, maxRows: 12 }}
          placeholder={t('wc.narrativeHint')}
          data-testid="report-narrative"
        />
      </Form.Item>
      <Form.Item label={t('wc.attachments')}>
        <Upload
          showUploadList={false}
          beforeUpload={async (file) => {
            setUploading(true);
            try {
              const up = await assignmentsApi.upload(a.id, file);
              setFileIds((ids) => [...ids, up.id]);
              onChange({ ...a, files: [...a.files, up] });
            } catch {
              // shown by the global handler
            } finally {
              setUploading(false);
            }
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={uploading}>
            {t('wc.upload')}
          </Button>
        </Upload>
        <span className={styles.muted}> {t('wc.uploadHint')}</span>
        {a.files.length > 0 && (
          <List
            size="small"
            dataSource={a.files}
            renderItem={(f) => (
              <List.Item>
                {f.name} <span className={styles.muted}>{formatSize(f.size)}</span>
              </List.Item>
            )}
          />
        )}
      </Form.Item>
      <Flex gap={8}>
        <Button loading={busy} onClick={() => save(false)} data-testid="report-save">
          {t('wc.saveDraft')}
        </Button>
        <Button type="primary" loading={busy} onClick={() => save(true)} data-testid="report-submit">
          {t('wc.submit')}
        </Button>
      </Flex>
    </Form>
  );
}
