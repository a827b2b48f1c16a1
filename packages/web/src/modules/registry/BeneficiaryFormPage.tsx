import { PlusOutlined } from '@ant-design/icons';
import {
  type BeneficiaryDetail,
  createBeneficiaryBody,
  nameSchema,
  normalizeIdNumber,
  normalizePhone,
} from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
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
  Input,
  Result,
  Row,
  Select,
  TreeSelect,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { beneficiariesApi } from '../../api/beneficiaries';
import { ApiError } from '../../api/client';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { applyNestedFieldErrors, zodRule } from '../../lib/forms';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { CategoryRow, certificateRule, DerivedFromId, type Notice, NoticeAlert } from './BeneficiaryFormParts';
import {
  type CategoryValues,
  createBodyOf,
  FIELD_ROOTS,
  type FormValues,
  initialValuesOf,
  patchOf,
  REGISTRY_ORG_TYPES,
} from './beneficiary-form';
import { orDash, RELATION_OPTIONS, SERVICE_MEMBER_KIND_OPTIONS, STATUS_OPTIONS } from './labels';
import styles from './registry.module.css';

const addressRule = zodRule(createBeneficiaryBody.shape.address);
const nameRule = zodRule(nameSchema);

/** `/beneficiaries/new` and `/beneficiaries/:id/edit`. */
export function BeneficiaryFormPage({ mode }: { mode: 'create' | 'edit' }) {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['beneficiary', id],
    queryFn: ({ signal }) => beneficiariesApi.get(id, { signal, quiet: true }),
    enabled: mode === 'edit',
    // the form starts from the record as it is now, not a cached copy
    staleTime: 0,
  });

  if (mode === 'create') return <BeneficiaryForm />;
  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return <PageError error={query.error} backTo="/beneficiaries" backLabel={t('beneficiaries.backToList')} />;
  const detail = query.data;
  if (!detail.abilities.update)
    return (
      <Card>
        <Result status="403" title={t('web.forbidden.title')} subTitle={t('web.forbidden.hint')} />
      </Card>
    );
  // a new key after a reload resets the form to the fresh record
  return (
    <BeneficiaryForm
      key={`${detail.id}:${detail.version}`}
      detail={detail}
      onReload={() => void queryClient.invalidateQueries({ queryKey: ['beneficiary', id] })}
    />
  );
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

  const queryClient = useQueryClient();
  const initialValues = useMemo(() => initialValuesOf(detail, me.org), [detail, me.org]);

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
    setSaving(true);
    try {
      if (!detail) {
        const created = await beneficiariesApi.create(createBodyOf(v), { expected });
        void message.success(t('beneficiaries.created', { name: created.name }));
        void queryClient.invalidateQueries({ queryKey: ['beneficiaries'] });
        navigate(`/beneficiaries/${created.id}`, { replace: true });
        return;
      }
      const patch = patchOf(detail, v);
      if (!patch) {
        void message.info(t('beneficiaries.unchanged'));
        navigate(`/beneficiaries/${detail.id}`);
        return;
      }
      const saved = await beneficiariesApi.update(detail.id, patch, { expected });
      void message.success(t('beneficiaries.saved', { name: saved.name }));
      queryClient.setQueryData(['beneficiary', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['beneficiaries'] });
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
              rules={[{ required: true, whitespace: true, max: 64 }, nameRule]}
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
              rules={[{ min: 2, max: 200 }, addressRule]}
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
                    rules={[{ required: true, whitespace: true, max: 64 }, nameRule]}
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
