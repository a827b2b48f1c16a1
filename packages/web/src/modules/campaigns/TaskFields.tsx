import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, DatePicker, Flex, Form, Input, Select, Switch, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { t } from '../../i18n';
import styles from './campaigns.module.css';
import { GROUP_OPTIONS } from './labels';

/** A task as the wizard form holds it (dates as dayjs, figure keys generated on submit). */
export interface TaskFormValue {
  title: string;
  deadline?: Dayjs;
  groups: string[];
  orgIds: string[];
  figures: { label: string; unit?: string }[];
  requireNarrative: boolean;
  requireAttachment: boolean;
  metricKey?: string;
}

export interface TreeOption {
  value: string;
  title: string;
  children?: TreeOption[];
}

/** The tasks of one work item: title, deadline, recipients, what must be reported. */
export function TaskFields({
  itemIndex,
  orgTree,
  metrics,
  onApplyDeadline,
}: {
  itemIndex: number;
  orgTree: TreeOption[];
  metrics: { value: string; label: string }[];
  /** Sets this deadline on every task of the campaign. */
  onApplyDeadline?: (deadline: Dayjs | undefined) => void;
}) {
  const form = Form.useFormInstance();
  return (
    <Form.List name={[itemIndex, 'tasks']}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((field, ti) => (
            <Card
              key={field.key}
              size="small"
              className={styles.taskCard}
              title={t('wc.taskN', { n: ti + 1 })}
              extra={
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => remove(field.name)}
                  aria-label={t('wc.removeTask')}
                />
              }
              data-testid={`task-card-${itemIndex}-${ti}`}
            >
              <Form.Item
                name={[field.name, 'title']}
                label={t('wc.taskTitle')}
                rules={[{ required: true, message: t('wc.required') }]}
              >
                <Input data-testid={`task-title-${itemIndex}-${ti}`} />
              </Form.Item>
              <Flex wrap gap={16}>
                <Form.Item
                  name={[field.name, 'deadline']}
                  label={t('wc.deadline')}
                  rules={[
                    { required: true, message: t('wc.required') },
                    {
                      warningOnly: true,
                      validator: (_, v?: Dayjs) =>
                        v?.isBefore(dayjs(), 'day')
                          ? Promise.reject(new Error(t('wc.deadlinePast')))
                          : Promise.resolve(),
                    },
                  ]}
                >
                  <DatePicker data-testid={`task-deadline-${itemIndex}-${ti}`} />
                </Form.Item>
                {onApplyDeadline && (
                  <Form.Item label=" " colon={false}>
                    <Button
                      onClick={() =>
                        onApplyDeadline(form.getFieldValue(['items', itemIndex, 'tasks', field.name, 'deadline']))
                      }
                      data-testid={`task-deadline-all-${itemIndex}-${ti}`}
                    >
                      {t('wc.applyDeadlineAll')}
                    </Button>
                  </Form.Item>
                )}
                <Form.Item name={[field.name, 'groups']} label={t('wc.assignGroups')}>
                  <Checkbox.Group options={GROUP_OPTIONS} data-testid={`task-groups-${itemIndex}-${ti}`} />
                </Form.Item>
              </Flex>
              <Form.Item name={[field.name, 'orgIds']} label={t('wc.assignOrgs')}>
                <TreeSelect
                  multiple
                  treeData={orgTree}
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  placeholder={t('wc.assignOrgsHint')}
                  data-testid={`task-orgs-${itemIndex}-${ti}`}
                />
              </Form.Item>
              <Form.List name={[field.name, 'figures']}>
                {(figs, figOps) => (
                  <Form.Item label={t('wc.figures')}>
                    {figs.map((f) => (
                      <Flex key={f.key} gap={8} align="baseline">
                        <Form.Item name={[f.name, 'label']} rules={[{ required: true, message: t('wc.required') }]}>
                          <Input placeholder={t('wc.figureLabel')} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'unit']}>
                          <Input placeholder={t('wc.figureUnit')} style={{ width: 80 }} />
                        </Form.Item>
                        <Button
                          type="text"
                          icon={<DeleteOutlined />}
                          onClick={() => figOps.remove(f.name)}
                          aria-label={t('wc.remove')}
                        />
                      </Flex>
                    ))}
                    <Button size="small" icon={<PlusOutlined />} onClick={() => figOps.add({ label: '', unit: '' })}>
                      {t('wc.addFigure')}
                    </Button>
                  </Form.Item>
                )}
              </Form.List>
              <Flex wrap gap={16}>
                <Form.Item
                  name={[field.name, 'requireNarrative']}
                  label={t('wc.requireNarrative')}
                  valuePropName="checked"
                >
                  <Switch />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'requireAttachment']}
                  label={t('wc.requireAttachment')}
                  valuePropName="checked"
                >
                  <Switch />
                </Form.Item>
                <Form.Item name={[field.name, 'metricKey']} label={t('wc.metric')}>
                  <Select allowClear options={metrics} placeholder={t('wc.metricHint')} style={{ minWidth: 220 }} />
                </Form.Item>
              </Flex>
            </Card>
          ))}
          <Button
            icon={<PlusOutlined />}
            onClick={() =>
              add({
                title: '',
                groups: ['districts'],
                orgIds: [],
                figures: [],
                requireNarrative: true,
                requireAttachment: false,
              })
            }
            className={styles.taskCard}
            data-testid={`task-add-${itemIndex}`}
          >
            {t('wc.addTask')}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** The form's tasks → the API body (ISO dates, generated figure keys). */
export function taskBody(tk: TaskFormValue) {
  return {
    title: tk.title,
    deadline: tk.deadline?.format('YYYY-MM-DD') ?? '',
    figures: (tk.figures ?? []).map((f, i) => ({
      key: `figure_${i + 1}`,
      label: f.label,
      ...(f.unit ? { unit: f.unit } : {}),
    })),
    requireNarrative: !!tk.requireNarrative,
    requireAttachment: !!tk.requireAttachment,
    metricKey: tk.metricKey ?? null,
    assignTo: { groups: (tk.groups ?? []) as ('districts' | 'units' | 'departments')[], orgIds: tk.orgIds ?? [] },
  };
}
