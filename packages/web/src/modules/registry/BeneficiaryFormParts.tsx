import { DeleteOutlined } from '@ant-design/icons';
import {
  CATEGORY_BY_CODE,
  type CategoryCode,
  certificateNoSchema,
  DISABILITY_CAUSES,
  type normalizeIdNumber,
} from '@shuangyong/shared';
import { Alert, Button, Card, Col, DatePicker, Form, type FormInstance, Input, InputNumber, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { label, t } from '../../i18n';
import { zodRule } from '../../lib/forms';
import type { CategoryValues, FormValues } from './beneficiary-form';
import { CATEGORY_OPTIONS, RELATION_OPTIONS } from './labels';
import styles from './registry.module.css';

/** The parts of the beneficiary form: one category held, what an ID number says, the server's answers. */

/** Certificate numbers: the shared schema's check (no markup or SQL punctuation). */
export const certificateRule = zodRule(certificateNoSchema);

/** A server answer shown above the form (409s and messages no field takes). */
export type Notice =
  | { kind: 'duplicate'; message: string; existingId: string | undefined }
  | { kind: 'elsewhere'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'other'; message: string };

/** What the ID number says about its holder: birth date and sex (the server derives them the same way). */
export function DerivedFromId({ parsed }: { parsed: ReturnType<typeof normalizeIdNumber> | null }) {
  if (!parsed?.ok) return <span>{t('beneficiaries.idNumberHint')}</span>;
  return (
    <span className={styles.derived} data-testid="beneficiary-form-derived">
      {t('beneficiaries.derived', { birthDate: parsed.birthDate, sex: label('sex', parsed.sex) })}
      {parsed.converted15 && t('beneficiaries.converted15', { value: parsed.value })}
    </span>
  );
}

/** One category held: code, period, disability grade (disabled categories only), relation, certificate. */
export function CategoryRow({
  form,
  name,
  canRemove,
  onRemove,
}: {
  form: FormInstance<FormValues>;
  name: number;
  canRemove: boolean;
  onRemove: () => void;
}) {
  const code = Form.useWatch(['categories', name, 'code'], form) as CategoryCode | undefined;
  const def = code ? CATEGORY_BY_CODE[code] : undefined;
  const needsGrade = !!def?.requiresDisabilityGrade;
  const col = { xs: 24, sm: 12, lg: 8 };
  const item = (children: ReactNode) => <Col {...col}>{children}</Col>;

  return (
    <Card
      size="small"
      className={styles.categoryRow}
      data-testid="beneficiary-form-category"
      title={def ? t(def.labelKey) : t('beneficiaries.categoryN', { n: name + 1 })}
      extra={
        <Button
          type="text"
          danger
          size="small"
          icon={<DeleteOutlined />}
          disabled={!canRemove}
          onClick={onRemove}
          aria-label={t('beneficiaries.removeCategory')}
          data-testid="beneficiary-form-category-remove"
        />
      }
    >
      <Row gutter={12}>
        {item(
          <Form.Item
            name={[name, 'code']}
            label={t('beneficiaries.category')}
            rules={[
              { required: true, message: t('beneficiaries.categoryRequired') },
              {
                validator: (_, value: CategoryCode | undefined) => {
                  const all = (form.getFieldValue('categories') as CategoryValues[] | undefined) ?? [];
                  const dup = value && all.some((c, i) => i !== name && c?.code === value);
                  return dup ? Promise.reject(new Error(t('beneficiary.categoryDuplicate'))) : Promise.resolve();
                },
              },
            ]}
          >
            <Select
              options={CATEGORY_OPTIONS}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('beneficiaries.pickCategory')}
              data-testid="beneficiary-form-category-code"
            />
          </Form.Item>,
        )}
        {item(
          <Form.Item
            name={[name, 'startDate']}
            label={t('beneficiaries.startDate')}
            rules={[{ required: true, message: t('beneficiaries.startDateRequired') }]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="beneficiary-form-category-start" />
          </Form.Item>,
        )}
        {item(
          <Form.Item
            name={[name, 'endDate']}
            label={t('beneficiaries.endDate')}
            dependencies={[['categories', name, 'startDate']]}
            rules={[
              {
                validator: (_, value: Dayjs | null | undefined) => {
                  const start = form.getFieldValue(['categories', name, 'startDate']) as Dayjs | null | undefined;
                  return value && start && value.isBefore(start, 'day')
                    ? Promise.reject(new Error(t('registry.category.endBeforeStart')))
                    : Promise.resolve();
                },
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} data-testid="beneficiary-form-category-end" />
          </Form.Item>,
        )}
        {needsGrade &&
          item(
            <Form.Item
              name={[name, 'disabilityGrade']}
              label={t('beneficiaries.disabilityGrade')}
              rules={[{ required: true, message: t('registry.category.gradeRequired') }]}
            >
              <InputNumber
                style={{ width: '100%' }}
                min={1}
                max={10}
                precision={0}
                suffix={t('beneficiaries.gradeSuffix')}
                data-testid="beneficiary-form-category-grade"
              />
            </Form.Item>,
          )}
        {needsGrade &&
          item(
            <Form.Item name={[name, 'disabilityCause']} label={t('beneficiaries.disabilityCause')}>
              <Select
                allowClear
                data-testid="beneficiary-form-category-cause"
                options={DISABILITY_CAUSES.map((c) => ({ value: c, label: t(`registry.disabilityCause.${c}`) }))}
              />
            </Form.Item>,
          )}
        {item(
          <Form.Item
            name={[name, 'relation']}
            label={t('beneficiaries.assignmentRelation')}
            extra={def?.linkedToServiceMember ? t('beneficiaries.assignmentRelationHint') : undefined}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              options={RELATION_OPTIONS}
              data-testid="beneficiary-form-category-relation"
            />
          </Form.Item>,
        )}
        {item(
          <Form.Item
            name={[name, 'certificateNo']}
            label={t('beneficiaries.certificateNo')}
            rules={[{ max: 64 }, certificateRule]}
          >
            <Input maxLength={64} data-testid="beneficiary-form-category-cert" />
          </Form.Item>,
        )}
      </Row>
    </Card>
  );
}

export function NoticeAlert({ notice, onReload }: { notice: Notice; onReload: (() => void) | undefined }) {
  const common = { showIcon: true, className: styles.filters } as const;
  switch (notice.kind) {
    case 'duplicate':
      return (
        <Alert
          {...common}
          type="error"
          title={notice.message}
          data-testid="beneficiary-form-duplicate"
          action={
            notice.existingId && (
              <Link to={`/beneficiaries/${notice.existingId}`} data-testid="beneficiary-form-duplicate-link">
                {t('beneficiaries.openExisting')}
              </Link>
            )
          }
        />
      );
    case 'elsewhere':
      return (
        <Alert
          {...common}
          type="warning"
          title={notice.message}
          description={t('beneficiaries.elsewhereHint')}
          data-testid="beneficiary-form-elsewhere"
          action={
            <Link to="/transfers" data-testid="beneficiary-form-transfers-link">
              {t('beneficiaries.openTransfers')}
            </Link>
          }
        />
      );
    case 'conflict':
      return (
        <Alert
          {...common}
          type="warning"
          title={notice.message}
          description={t('beneficiaries.conflictHint')}
          data-testid="beneficiary-form-conflict"
          action={
            onReload && (
              <Button size="small" onClick={onReload}>
                {t('beneficiaries.reload')}
              </Button>
            )
          }
        />
      );
    default:
      return <Alert {...common} type="error" title={notice.message} data-testid="beneficiary-form-error" />;
  }
}
