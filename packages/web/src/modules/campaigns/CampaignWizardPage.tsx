import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { CampaignKind } from '@shuangyong/shared';
import { Alert, App, Button, Card, DatePicker, Flex, Form, Input, InputNumber, Select, Steps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { campaignsApi, type ParsedNoticeProposal } from '../../api/campaigns';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import styles from './campaigns.module.css';
import { KIND_OPTIONS } from './labels';
import { TaskFields, type TaskFormValue, type TreeOption, taskBody } from './TaskFields';

interface FormValues {
  title: string;
  docNumber?: string;
  issuers: string[];
  recipients: string[];
  issueDate?: Dayjs;
  kind: CampaignKind;
  remindDaysBefore: number;
  requirements: string[];
  items: { ordinal: number; title: string; body: string; tasks: TaskFormValue[] }[];
}

/** Guesses the festival from the title (元旦春节, 八一, 清明, 烈士纪念日). */
function kindOf(title: string): CampaignKind {
  if (/春节|元旦/.test(title)) return 'spring_festival';
  if (/八一|建军节/.test(title)) return 'army_day';
  if (/清明/.test(title)) return 'qingming';
  if (/烈士纪念日/.test(title)) return 'martyrs_day';
  return 'other';
}

function initialValues(p: ParsedNoticeProposal): FormValues {
  const deadline = p.deadline ? dayjs(p.deadline) : undefined;
  return {
    title: p.title,
    docNumber: p.docNumber ?? undefined,
    issuers: p.issuers,
    recipients: p.recipients,
    issueDate: p.date ? dayjs(p.date) : undefined,
    kind: kindOf(p.title),
    remindDaysBefore: 2,
    requirements: p.requirements,
    items: p.items.map((it) => ({
      ...it,
      tasks: [
        {
          title: it.title,
          deadline,
          groups: ['districts'],
          orgIds: [],
          figures: [],
          requireNarrative: true,
          requireAttachment: false,
        },
      ],
    })),
  };
}

/** 新建工作部署: paste the notice → check and edit the proposal → create (and issue). */
export function CampaignWizardPage() {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [step, setStep] = useState(0);
  const [text, setText] = useState('');
  const [parsing, setParsing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [proposal, setProposal] = useState<ParsedNoticeProposal | null>(null);
  const [metrics, setMetrics] = useState<{ value: string; label: string }[]>([]);
  const [form] = Form.useForm<FormValues>();
  const { forest } = useOrgTree(false);
  const orgTree = useMemo(() => toSelectTree(forest) as TreeOption[], [forest]);

  useEffect(() => {
    campaignsApi
      .metrics()
      .then((m) => setMetrics(m.map((x) => ({ value: x.key, label: x.label }))))
      .catch(() => setMetrics([]));
  }, []);

  const parse = async () => {
    setParsing(true);
    try {
      const p = await campaignsApi.parse(text);
      setProposal(p);
      setStep(1);
      form.setFieldsValue(initialValues(p));
    } catch {
      // the global handler shows the message
    } finally {
      setParsing(false);
    }
  };

  const create = async (issue: boolean) => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const created = await campaignsApi.create({
        title: v.title,
        docNumber: v.docNumber || undefined,
        issuers: v.issuers,
        recipients: v.recipients ?? [],
        issueDate: v.issueDate?.format('YYYY-MM-DD'),
        kind: v.kind,
        remindDaysBefore: v.remindDaysBefore,
        requirements: (v.requirements ?? []).filter((r) => r?.trim()),
        fullText: text,
        items: v.items.map((it, i) => ({
          ordinal: i + 1,
          title: it.title,
          body: it.body ?? '',
          tasks: (it.tasks ?? []).map(taskBody),
        })),
      });
      const done = issue ? await campaignsApi.act(created.id, created.version, 'issue') : created;
      message.success(issue ? t('wc.createdIssued') : t('wc.created'));
      navigate(`/campaigns/${done.id}`);
    } catch (e) {
      applyNestedFieldErrors(form, e, ['title', 'issuers', 'items', 'requirements', 'docNumber']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={t('wc.new')}>
      <DocTitle title={t('wc.new')} />
      <Steps
        current={step}
        className={styles.toolbar}
        items={[{ title: t('wc.stepPaste') }, { title: t('wc.stepCheck') }]}
      />
      {step === 0 && (
        <Flex vertical gap={12}>
          <Alert type="info" showIcon message={t('wc.pasteHint')} />
          <Input.TextArea
            className={styles.noticeInput}
            rows={18}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('wc.pastePlaceholder')}
            data-testid="notice-text"
          />
          <Flex gap={8}>
            <Button type="primary" loading={parsing} disabled={!text.trim()} onClick={parse} data-testid="notice-parse">
              {t('wc.parse')}
            </Button>
            <Button onClick={() => navigate('/campaigns')}>{t('web.cancel')}</Button>
          </Flex>
        </Flex>
      )}
      {step === 1 && proposal && (
        <Form form={form} layout="vertical" data-testid="proposal-form">
          {proposal.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon message={w} className={styles.item} data-testid="proposal-warning" />
          ))}
          <Form.Item name="title" label={t('wc.title')} rules={[{ required: true, message: t('wc.required') }]}>
            <Input data-testid="proposal-title" />
          </Form.Item>
          <Flex wrap gap={16}>
            <Form.Item name="docNumber" label={t('wc.docNumber')}>
              <Input data-testid="proposal-docNumber" style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="issueDate" label={t('wc.issueDate')}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="kind" label={t('wc.kind')}>
              <Select options={KIND_OPTIONS} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="remindDaysBefore" label={t('wc.remindDaysBefore')}>
              <InputNumber min={0} max={30} />
            </Form.Item>
          </Flex>
          <Form.Item name="issuers" label={t('wc.issuers')} rules={[{ required: true, message: t('wc.required') }]}>
            <Select mode="tags" data-testid="proposal-issuers" />
          </Form.Item>
          <Form.Item name="recipients" label={t('wc.recipients')}>
            <Select mode="tags" data-testid="proposal-recipients" />
          </Form.Item>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Card
                    key={field.key}
                    className={styles.item}
                    title={t('wc.itemN', { n: i + 1 })}
                    extra={
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('wc.remove')}
                      />
                    }
                    data-testid={`item-card-${i}`}
                  >
                    <Form.Item
                      name={[field.name, 'title']}
                      label={t('wc.itemTitle')}
                      rules={[{ required: true, message: t('wc.required') }]}
                    >
                      <Input data-testid={`item-title-${i}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'body']} label={t('wc.itemBody')}>
                      <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
                    </Form.Item>
                    <TaskFields itemIndex={field.name} orgTree={orgTree} metrics={metrics} />
                  </Card>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ title: '', body: '', tasks: [] })}
                  className={styles.item}
                >
                  {t('wc.addItem')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.List name="requirements">
            {(fields, { add, remove }) => (
              <Form.Item label={t('wc.requirements')}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline">
                    <Form.Item name={field.name} style={{ flex: 1 }}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      onClick={() => remove(field.name)}
                      aria-label={t('wc.remove')}
                    />
                  </Flex>
                ))}
                <Button size="small" icon={<PlusOutlined />} onClick={() => add('')}>
                  {t('wc.addRequirement')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
          <Flex gap={8} wrap>
            <Button onClick={() => setStep(0)}>{t('wc.back')}</Button>
            <Button loading={saving} onClick={() => create(false)} data-testid="campaign-create">
              {t('wc.createDraft')}
            </Button>
            <Button type="primary" loading={saving} onClick={() => create(true)} data-testid="campaign-create-issue">
              {t('wc.createIssue')}
            </Button>
          </Flex>
        </Form>
      )}
    </Card>
  );
}
