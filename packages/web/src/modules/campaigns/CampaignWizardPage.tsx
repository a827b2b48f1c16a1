import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  DatePicker,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  Steps,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { campaignsApi, type ParsedNoticeProposal } from '../../api/campaigns';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import styles from './campaigns.module.css';
import { KIND_OPTIONS } from './labels';
import { TaskFields, type TreeOption, taskBody } from './TaskFields';
import { changedPaths, followingTasks, initialValues, mergeProposal, type WizardValues } from './wizardValues';

type FormValues = WizardValues;

/** 新建工作部署: paste the notice → check and edit the proposal → create (and issue). */
export function CampaignWizardPage() {
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [step, setStep] = useState(0);
  const [text, setText] = useState('');
  const [parsing, setParsing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [proposal, setProposal] = useState<ParsedNoticeProposal | null>(null);
  /** The text the current proposal was read from, and the values the user has on step 2. */
  const parsed = useRef<{ text: string; values: FormValues } | null>(null);
  /** Paths of the fields the user changed (items.1.title …): a new parse keeps them. */
  const edited = useRef(new Set<string>());
  const screens = Grid.useBreakpoint();
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

  /** Runs the deadline rules once the form shows, so a date already past warns before the user touches it. */
  const [shown, setShown] = useState(0);
  const checkDeadlines = (_values: FormValues) => setShown((n) => n + 1);
  useEffect(() => {
    if (step !== 1 || shown === 0) return;
    const timer = setTimeout(() => {
      const values = form.getFieldsValue(true) as FormValues;
      const paths = (values.items ?? []).flatMap((it, i) =>
        (it.tasks ?? []).map((_, j) => ['items', i, 'tasks', j, 'deadline']),
      );
      void form.validateFields(paths).catch(() => undefined);
    }, 50);
    return () => clearTimeout(timer);
  }, [step, shown, form]);

  const parse = async () => {
    // back and forward again without changing the text: the user's values as they were
    if (parsed.current && parsed.current.text === text && proposal) {
      setStep(1);
      form.setFieldsValue(parsed.current.values);
      checkDeadlines(parsed.current.values);
      return;
    }
    setParsing(true);
    try {
      const p = await campaignsApi.parse(text);
      const values = parsed.current ? mergeProposal(parsed.current.values, edited.current, p) : initialValues(p);
      setProposal(p);
      setStep(1);
      form.resetFields();
      form.setFieldsValue(values);
      checkDeadlines(values);
      parsed.current = { text, values };
    } catch {
      // the global handler shows the message
    } finally {
      setParsing(false);
    }
  };

  const back = () => {
    if (parsed.current) parsed.current.values = form.getFieldsValue(true) as FormValues;
    setStep(0);
  };

  const onValuesChange = (changed: Partial<FormValues>) => {
    const paths = changedPaths(changed);
    for (const path of paths) edited.current.add(path);
    // a task's title follows its item's title until the user writes the task's own
    const values = form.getFieldsValue(true) as FormValues;
    for (const path of paths) {
      const m = /^items\.(\d+)\.title$/.exec(path);
      if (!m) continue;
      const i = Number(m[1]);
      for (const j of followingTasks(values, edited.current, i))
        form.setFieldValue(['items', i, 'tasks', j, 'title'], values.items[i]!.title);
    }
  };

  const applyDeadline = (deadline: Dayjs | undefined) => {
    if (!deadline) return;
    const values = form.getFieldsValue(true) as FormValues;
    const paths: (string | number)[][] = [];
    values.items.forEach((it, i) => {
      (it.tasks ?? []).forEach((_, j) => {
        form.setFieldValue(['items', i, 'tasks', j, 'deadline'], deadline);
        edited.current.add(`items.${i}.tasks.${j}.deadline`);
        paths.push(['items', i, 'tasks', j, 'deadline']);
      });
    });
    // the past-date warning follows the new dates
    void form.validateFields(paths).catch(() => undefined);
    message.success(t('wc.deadlineApplied'));
  };

  /** After a failed check the page scrolls to the first field that has an error. */
  const scrollToError = () => {
    const first = form.getFieldsError().find((f) => f.errors.length > 0);
    if (first) form.scrollToField(first.name, { block: 'center', behavior: 'smooth' });
  };

  const create = async (issue: boolean) => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      scrollToError();
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
      scrollToError();
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
        <Row gutter={24}>
          <Col xs={24} xl={16}>
            {!screens.xl && (
              <Collapse
                className={styles.item}
                items={[
                  { key: 'text', label: t('wc.originalText'), children: <pre className={styles.pre}>{text}</pre> },
                ]}
                data-testid="proposal-original"
              />
            )}
            <Form form={form} layout="vertical" data-testid="proposal-form" onValuesChange={onValuesChange}>
              {proposal.warnings.map((w) => (
                <Alert
                  key={w}
                  type="warning"
                  showIcon
                  message={w}
                  className={styles.item}
                  data-testid="proposal-warning"
                />
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
              {proposal.attachments.length > 0 && (
                <Form.Item label={t('wc.noticeAttachments')}>
                  <ol className={styles.readList} data-testid="proposal-attachments">
                    {proposal.attachments.map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ol>
                </Form.Item>
              )}
              {proposal.cc.length > 0 && (
                <Form.Item label={t('wc.noticeCc')}>
                  <div className={styles.readText} data-testid="proposal-cc">
                    {proposal.cc.join('、')}
                  </div>
                </Form.Item>
              )}
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
                        <TaskFields
                          itemIndex={field.name}
                          orgTree={orgTree}
                          metrics={metrics}
                          onApplyDeadline={applyDeadline}
                        />
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
                <Button onClick={back} data-testid="proposal-back">
                  {t('wc.back')}
                </Button>
                <Button loading={saving} onClick={() => create(false)} data-testid="campaign-create">
                  {t('wc.createDraft')}
                </Button>
                <Button
                  type="primary"
                  loading={saving}
                  onClick={() => create(true)}
                  data-testid="campaign-create-issue"
                >
                  {t('wc.createIssue')}
                </Button>
              </Flex>
            </Form>
          </Col>
          {screens.xl && (
            <Col xl={8}>
              <Card
                size="small"
                title={t('wc.originalText')}
                className={styles.original}
                data-testid="proposal-original"
              >
                <pre className={styles.pre}>{text}</pre>
              </Card>
            </Col>
          )}
        </Row>
      )}
    </Card>
  );
}
