import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type BeneficiaryDetail,
  type BeneficiaryStatus,
  CATEGORY_BY_CODE,
  type CategoryCode,
  normalizeIdNumber,
  normalizePhone,
  type OrgType,
  type RelationCode,
  type SERVICE_MEMBER_KINDS,
} from '@shuangyong/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Divider,
  Flex,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Skeleton,
  TreeSelect,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { beneficiariesApi, type CreateBeneficiary, type UpdateBeneficiary } from '../../api/beneficiaries';
import { ApiError } from '../../api/client';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { fromIsoDate, toIsoDate } from '../../lib/dates';
import { applyNestedFieldErrors } from '../../lib/forms';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { CATEGORY_OPTIONS, orDash, RELATION_OPTIONS, SERVICE_MEMBER_KIND_OPTIONS, STATUS_OPTIONS } from './labels';
import styles from './registry.module.css';

/** Beneficiaries are registered under a bureau or a service station (server: beneficiary.orgNotRegistry). */
const REGISTRY_ORG_TYPES: readonly OrgType[] = ['veterans_bureau', 'service_station'];
const ADDRESS_FORBIDDEN = /[<>;`\\]|--/;
const CERTIFICATE_FORBIDDEN = /[<>'";`\\]|--/;
const FIELD_ROOTS = [
  'orgId',
  'name',
  'idNumber',
  'birthDate',
  'sex',
  'phone',
  'address',
  'categories',
  'status',
  'statusDate',
  'relation',
  'note',
  'serviceMember',
];

interface CategoryValues {
  code?: CategoryCode;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
  disabilityGrade?: number | null;
  relation?: RelationCode | null;
  certificateNo?: string;
}

interface FormValues {
  orgId?: string;
  name?: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  categories: CategoryValues[];
  status: BeneficiaryStatus;
  statusDate?: Dayjs | null;
  relation?: RelationCode | null;
  note?: string;
  withServiceMember?: boolean;
  serviceMember?: {
    name?: string;
    kind?: (typeof SERVICE_MEMBER_KINDS)[number];
    eventDate?: Dayjs | null;
    unitCodeName?: string;
    certificateNo?: string;
  };
}

type Assignment = NonNullable<CreateBeneficiary['categories']>[number];

/** A server answer shown above the form (409s and messages no field takes). */
type Notice =
  | { kind: 'duplicate'; message: string; existingId: string | undefined }
  | { kind: 'elsewhere'; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'other'; message: string };

const trimmed = (s: string | undefined | null) => s?.trim() || undefined;

function toAssignment(c: CategoryValues): Assignment {
  const code = c.code as CategoryCode;
  const a: Assignment = { code, startDate: toIsoDate(c.startDate) ?? '' };
  const endDate = toIsoDate(c.endDate);
  if (endDate) a.endDate = endDate;
  if (CATEGORY_BY_CODE[code]?.requiresDisabilityGrade && typeof c.disabilityGrade === 'number')
    a.disabilityGrade = c.disabilityGrade;
  if (c.relation) a.relation = c.relation;
  const cert = trimmed(c.certificateNo);
  if (cert) a.certificateNo = cert;
  return a;
}

function fromAssignment(a: BeneficiaryDetail['assignments'][number]): CategoryValues {
  return {
    code: a.code,
    startDate: fromIsoDate(a.startDate) ?? null,
    endDate: fromIsoDate(a.endDate) ?? null,
    disabilityGrade: a.disabilityGrade,
    relation: a.relation,
    certificateNo: a.certificateNo ?? undefined,
  };
}

/** Comparable form of an assignment list (order matters, absent = null). */
function assignmentKey(list: readonly Assignment[]): string {
  return JSON.stringify(
    list.map((a) => [
      a.code,
      a.startDate || null,
      a.endDate ?? null,
      a.disabilityGrade ?? null,
      a.relation ?? null,
      a.certificateNo ?? null,
    ]),
  );
}

/** `/beneficiaries/new` and `/beneficiaries/:id/edit`. */
export function BeneficiaryFormPage({ mode }: { mode: 'create' | 'edit' }) {
  const { id = '' } = useParams();
  const [detail, setDetail] = useState<BeneficiaryDetail | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const navigate = useNavigate();

  const load = useCallback(async () => {
    if (mode !== 'edit') return;
    setLoadError(null);
    try {
      setDetail(await beneficiariesApi.get(id));
    } catch (e) {
      if (e instanceof ApiError) setLoadError(e);
    }
  }, [id, mode]);

  useEffect(() => {
    void load();
  }, [load]);

  if (mode === 'create') return <BeneficiaryForm />;
  if (loadError)
    return (
      <Card>
        <Result
          status={loadError.status === 404 ? '404' : 'error'}
          title={loadError.display}
          extra={
            <Button type="primary" onClick={() => navigate('/beneficiaries')}>
              {t('beneficiaries.backToList')}
            </Button>
          }
        />
      </Card>
    );
  if (!detail)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  if (!detail.abilities.update)
    return (
      <Card>
        <Result status="403" title={t('web.forbidden.title')} subTitle={t('web.forbidden.hint')} />
      </Card>
    );
  // a new key after a reload resets the form to the fresh record
  return <BeneficiaryForm key={`${detail.id}:${detail.version}`} detail={detail} onReload={() => void load()} />;
}

function BeneficiaryForm({ detail, onReload }: { detail?: BeneficiaryDetail; onReload?: () => void }) {
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { forest } = useOrgTree(false, can('org:read'));
  const treeData = useMemo(
    () => toSelectTree(forest, (o) => !o.active || !REGISTRY_ORG_TYPES.includes(o.type)),
    [forest],
  );
  const editing = !!detail;
  const idNumber = Form.useWatch('idNumber', form);
  const withServiceMember = Form.useWatch('withServiceMember', form);
  const parsedId = useMemo(() => (idNumber ? normalizeIdNumber(idNumber) : null), [idNumber]);

  const initialValues = useMemo<FormValues>(
    () =>
      detail
        ? {
            orgId: detail.orgId,
            name: detail.name,
            categories: detail.assignments.map(fromAssignment),
            status: detail.status,
            statusDate: fromIsoDate(detail.statusDate) ?? null,
            relation: detail.relation,
            note: detail.note ?? undefined,
          }
        : {
            orgId: REGISTRY_ORG_TYPES.includes(me.org.type) ? me.org.id : undefined,
            categories: [{}],
            status: 'active',
          },
    [detail, me.org],
  );

  function fail(e: unknown) {
    if (!(e instanceof ApiError)) return;
    if (e.code === 'duplicate') setNotice({ kind: 'duplicate', message: e.display, existingId: e.allowed[0] });
    else if (e.code === 'registered_elsewhere') setNotice({ kind: 'elsewhere', message: e.display });
    else if (e.code === 'version_conflict') setNotice({ kind: 'conflict', message: e.display });
    else {
      const unmatched = applyNestedFieldErrors(form, e, FIELD_ROOTS);
      if (e.errors.length === 0 || unmatched.length > 0)
        setNotice({
          kind: 'other',
          message: unmatched.length ? unmatched.join(t('web.sentenceSeparator')) : e.display,
        });
      const first = e.errors[0]?.path.split(/[./]/).filter((s) => s && s !== 'body');
      if (first?.[0] && FIELD_ROOTS.includes(first[0]))
        form.scrollToField(first.map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    }
    window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  // Errors the page shows itself: 409s and field errors (no global toast on top).
  const expected = (e: ApiError) => e.status === 409 || (e.status === 400 && e.errors.length > 0);

  async function submit(v: FormValues) {
    if (saving) return;
    setNotice(null);
    const categories = v.categories.map(toAssignment);
    const phone = trimmed(v.phone);
    const phoneValue = phone ? normalizePhone(phone) : null;
    setSaving(true);
    try {
      if (!detail) {
        const id = normalizeIdNumber(v.idNumber ?? '');
        const sm = v.serviceMember;
        const body: CreateBeneficiary = {
          orgId: v.orgId ?? '',
          name: (v.name ?? '').trim(),
          idNumber: id.ok ? id.value : (v.idNumber ?? ''),
          categories,
          status: v.status,
          ...(phone ? { phone: phoneValue?.ok ? phoneValue.value : phone } : {}),
          ...(trimmed(v.address) ? { address: trimmed(v.address) } : {}),
          ...(toIsoDate(v.statusDate) ? { statusDate: toIsoDate(v.statusDate) } : {}),
          ...(v.relation ? { relation: v.relation } : {}),
          ...(trimmed(v.note) ? { note: trimmed(v.note) } : {}),
          ...(v.withServiceMember && sm?.kind && trimmed(sm.name)
            ? {
                serviceMember: {
                  name: (sm.name ?? '').trim(),
                  kind: sm.kind,
                  ...(toIsoDate(sm.eventDate) ? { eventDate: toIsoDate(sm.eventDate) } : {}),
                  ...(trimmed(sm.unitCodeName) ? { unitCodeName: trimmed(sm.unitCodeName) } : {}),
                  ...(trimmed(sm.certificateNo) ? { certificateNo: trimmed(sm.certificateNo) } : {}),
                },
              }
            : {}),
        };
        const created = await beneficiariesApi.create(body, { expected });
        void message.success(t('beneficiaries.created', { name: created.name }));
        navigate(`/beneficiaries/${created.id}`, { replace: true });
        return;
      }
      const patch: UpdateBeneficiary = { version: detail.version };
      if (v.orgId && v.orgId !== detail.orgId) patch.orgId = v.orgId;
      if (v.name && v.name.trim() !== detail.name) patch.name = v.name.trim();
      if (phone) patch.phone = phoneValue?.ok ? phoneValue.value : phone;
      if (trimmed(v.address)) patch.address = trimmed(v.address);
      const before = detail.assignments.map((a) => toAssignment(fromAssignment(a)));
      if (assignmentKey(categories) !== assignmentKey(before)) patch.categories = categories;
      if (v.status !== detail.status) patch.status = v.status;
      const statusDate = toIsoDate(v.statusDate) ?? null;
      if (statusDate !== detail.statusDate) patch.statusDate = statusDate;
      if ((v.relation ?? null) !== detail.relation) patch.relation = v.relation ?? null;
      const note = trimmed(v.note) ?? null;
      if (note !== detail.note) patch.note = note;
      if (Object.keys(patch).length === 1) {
        void message.info(t('beneficiaries.unchanged'));
        navigate(`/beneficiaries/${detail.id}`);
        return;
      }
      const saved = await beneficiariesApi.update(detail.id, patch, { expected });
      void message.success(t('beneficiaries.saved', { name: saved.name }));
      navigate(`/beneficiaries/${saved.id}`, { replace: true });
    } catch (e) {
      fail(e);
    } finally {
      setSaving(false);
    }
  }

  const title = detail ? t('beneficiaries.editTitle', { name: detail.name }) : t('beneficiaries.createTitle');
  const col = { xs: 24, md: 12 };

  return (
    <Card title={title} styles={{ body: { padding: isMobile ? 12 : 24 } }} data-testid="beneficiary-form-page">
      <DocTitle title={title} />
      {notice && <NoticeAlert notice={notice} onReload={onReload} />}
      <Form<FormValues>
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={initialValues}
        onFinish={(v) => void submit(v)}
        onFinishFailed={({ errorFields }) => errorFields[0] && form.scrollToField(errorFields[0].name)}
        scrollToFirstError={false}
        data-testid="beneficiary-form"
      >
        <Divider titlePlacement="start">{t('beneficiaries.sectionPerson')}</Divider>
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item
              name="orgId"
              label={t('beneficiaries.org')}
              extra={t('beneficiaries.orgHint')}
              rules={[{ required: true, message: t('beneficiaries.orgRequired') }]}
            >
              <TreeSelect
                treeData={treeData}
                showSearch={{ treeNodeFilterProp: 'title' }}
                treeDefaultExpandAll={treeData.length < 50}
                placeholder={t('beneficiaries.pickOrg')}
                data-testid="beneficiary-form-orgId"
              />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item
              name="name"
              label={t('beneficiaries.name')}
              rules={[{ required: true, whitespace: true, max: 64 }]}
            >
              <Input maxLength={64} data-testid="beneficiary-form-name" />
            </Form.Item>
          </Col>
          <Col {...col}>
            {detail ? (
              <Form.Item label={t('beneficiaries.idNumber')} extra={t('beneficiaries.idNumberFixed')}>
                <Input value={detail.idMasked} disabled className={styles.mono} />
              </Form.Item>
            ) : (
              <Form.Item
                name="idNumber"
                label={t('beneficiaries.idNumber')}
                required
                validateDebounce={300}
                extra={<DerivedFromId parsed={parsedId} />}
                rules={[
                  {
                    validator: (_, value: string | undefined) => {
                      const r = normalizeIdNumber(value ?? '');
                      return r.ok ? Promise.resolve() : Promise.reject(new Error(t(r.error)));
                    },
                  },
                ]}
              >
                <Input maxLength={40} className={styles.mono} data-testid="beneficiary-form-idNumber" />
              </Form.Item>
            )}
          </Col>
          <Col {...col}>
            <Form.Item
              name="phone"
              label={t('beneficiaries.phone')}
              extra={
                detail
                  ? t('beneficiaries.keepIfEmpty', { current: orDash(detail.phoneMasked) })
                  : t('beneficiaries.phoneHint')
              }
              validateDebounce={300}
              rules={[
                {
                  validator: (_, value: string | undefined) => {
                    if (!value?.trim()) return Promise.resolve();
                    const r = normalizePhone(value);
                    return r.ok ? Promise.resolve() : Promise.reject(new Error(t(r.error)));
                  },
                },
              ]}
            >
              <Input maxLength={32} inputMode="tel" data-testid="beneficiary-form-phone" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="address"
              label={t('beneficiaries.address')}
              extra={detail ? t('beneficiaries.keepIfEmpty', { current: orDash(detail.addressMasked) }) : undefined}
              rules={[
                { min: 2, max: 200 },
                {
                  validator: (_, value: string | undefined) =>
                    value && ADDRESS_FORBIDDEN.test(value)
                      ? Promise.reject(new Error(t('validation.address')))
                      : Promise.resolve(),
                },
              ]}
            >
              <Input maxLength={200} data-testid="beneficiary-form-address" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('beneficiaries.sectionCategories')}</Divider>
        <Form.List
          name="categories"
          rules={[
            {
              validator: (_, value: CategoryValues[] | undefined) =>
                value && value.length > 0
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('beneficiaries.categoriesRequired'))),
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((field) => (
                <CategoryRow
                  key={field.key}
                  form={form}
                  name={field.name}
                  canRemove={fields.length > 1}
                  onRemove={() => remove(field.name)}
                />
              ))}
              <Form.ErrorList errors={errors} />
              {fields.length < 10 && (
                <Button
                  type="dashed"
                  block
                  icon={<PlusOutlined />}
                  onClick={() => add({})}
                  data-testid="beneficiary-form-category-add"
                >
                  {t('beneficiaries.addCategory')}
                </Button>
              )}
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('beneficiaries.sectionStatus')}</Divider>
        <Row gutter={16}>
          <Col {...col}>
            <Form.Item name="status" label={t('beneficiaries.status')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={STATUS_OPTIONS}
                data-testid="beneficiary-form-status"
              />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="statusDate" label={t('beneficiaries.statusDate')}>
              <DatePicker style={{ width: '100%' }} data-testid="beneficiary-form-statusDate" />
            </Form.Item>
          </Col>
          <Col {...col}>
            <Form.Item name="relation" label={t('beneficiaries.relation')} extra={t('beneficiaries.relationHint')}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                allowClear
                options={RELATION_OPTIONS}
                data-testid="beneficiary-form-relation"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="note" label={t('beneficiaries.note')} rules={[{ max: 500 }]}>
              <Input.TextArea rows={2} maxLength={500} showCount data-testid="beneficiary-form-note" />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start">{t('beneficiaries.serviceMember')}</Divider>
        {detail ? (
          detail.serviceMember ? (
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                { key: 'name', label: t('beneficiaries.smName'), children: detail.serviceMember.name },
                {
                  key: 'kind',
                  label: t('beneficiaries.smKind'),
                  children: label('serviceMemberKind', detail.serviceMember.kind),
                },
              ]}
            />
          ) : (
            <Alert type="info" showIcon title={t('beneficiaries.serviceMemberCreateOnly')} />
          )
        ) : (
          <>
            <Form.Item name="withServiceMember" valuePropName="checked">
              <Checkbox data-testid="beneficiary-form-sm-toggle">{t('beneficiaries.withServiceMember')}</Checkbox>
            </Form.Item>
            {withServiceMember && (
              <Row gutter={16}>
                <Col {...col}>
                  <Form.Item
                    name={['serviceMember', 'name']}
                    label={t('beneficiaries.smName')}
                    rules={[{ required: true, whitespace: true, max: 64 }]}
                  >
                    <Input maxLength={64} data-testid="beneficiary-form-sm-name" />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item
                    name={['serviceMember', 'kind']}
                    label={t('beneficiaries.smKind')}
                    rules={[{ required: true }]}
                  >
                    <Select
                      showSearch={{ optionFilterProp: 'label' }}
                      options={SERVICE_MEMBER_KIND_OPTIONS}
                      data-testid="beneficiary-form-sm-kind"
                    />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item name={['serviceMember', 'eventDate']} label={t('beneficiaries.smEventDate')}>
                    <DatePicker style={{ width: '100%' }} data-testid="beneficiary-form-sm-eventDate" />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item
                    name={['serviceMember', 'unitCodeName']}
                    label={t('beneficiaries.smUnit')}
                    rules={[{ max: 64 }]}
                  >
                    <Input maxLength={64} data-testid="beneficiary-form-sm-unit" />
                  </Form.Item>
                </Col>
                <Col {...col}>
                  <Form.Item
                    name={['serviceMember', 'certificateNo']}
                    label={t('beneficiaries.certificateNo')}
                    rules={[{ max: 64 }, certificateRule]}
                  >
                    <Input maxLength={64} data-testid="beneficiary-form-sm-cert" />
                  </Form.Item>
                </Col>
              </Row>
            )}
          </>
        )}

        <Flex gap={8} justify="flex-end" className={styles.formActions}>
          <Button onClick={() => navigate(detail ? `/beneficiaries/${detail.id}` : '/beneficiaries')}>
            {t('web.cancel')}
          </Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="beneficiary-form-submit">
            {editing ? t('beneficiaries.save') : t('beneficiaries.submitCreate')}
          </Button>
        </Flex>
      </Form>
    </Card>
  );
}

const certificateRule = {
  validator: (_: unknown, value: string | undefined) =>
    value && CERTIFICATE_FORBIDDEN.test(value)
      ? Promise.reject(new Error(t('registry.certificate.invalid')))
      : Promise.resolve(),
};

/** What the ID number says about its holder: birth date and sex (the server derives them the same way). */
function DerivedFromId({ parsed }: { parsed: ReturnType<typeof normalizeIdNumber> | null }) {
  if (!parsed?.ok) return <span>{t('beneficiaries.idNumberHint')}</span>;
  return (
    <span className={styles.derived} data-testid="beneficiary-form-derived">
      {t('beneficiaries.derived', { birthDate: parsed.birthDate, sex: label('sex', parsed.sex) })}
      {parsed.converted15 && t('beneficiaries.converted15', { value: parsed.value })}
    </span>
  );
}

/** One category held: code, period, disability grade (disabled categories only), relation, certificate. */
function CategoryRow({
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

function NoticeAlert({ notice, onReload }: { notice: Notice; onReload: (() => void) | undefined }) {
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
