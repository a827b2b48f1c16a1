import { EXEMPLAR_SUBJECTS, type ExemplarSubject, type ExemplarType, type Finding } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { eventsApi } from '../../api/events';
import { type ExemplarDetail, exemplarsApi } from '../../api/exemplars';
import { publicityApi } from '../../api/publicity';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { blocksOf, textOf } from './content';
import { typeOptions, yearOptions } from './ExemplarListPage';
import { ExemplarStatusTag, FindingsCard, MarkedContent, PublicityStatusTag } from './findings';
import { ModelCityTag } from './ModelCityTag';
import { DraftActions, ReviewCard, ReviewHistory, useRun } from './review';

interface Draft {
  type: ExemplarType;
  typeLabel?: string;
  subject: ExemplarSubject;
  name: string;
  year: number;
  summary: string;
  text: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  concernedOrgId?: string | null;
  mentionsTroops: boolean;
}

const subjectOptions = EXEMPLAR_SUBJECTS.map((s) => ({ value: s, label: t(`exemplars.subject.${s}`) }));

/** Name, summary and deeds with the confidentiality findings marked in place. */
function DeedsView({ e }: { e: ExemplarDetail }) {
  return (
    <MarkedContent
      testId="exemplar-content"
      level={5}
      title={e.name}
      lead={e.summary}
      blocks={e.deeds}
      findings={e.findings}
    />
  );
}

function whereOf(f: Finding): string {
  if (f.where === 'title') return t('exemplars.where.name');
  if (f.where === 'text') return t('exemplars.where.summary');
  return t('exemplars.where.deeds', { n: (f.block ?? 0) + 1 });
}

/** `/exemplars/new` and `/exemplars/:id`: nominate, check, send to the city, review, draft the profile, link items. */
export function ExemplarPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<Draft>();
  const { busy, run } = useRun<ExemplarDetail>('exemplars');
  const [comment, setComment] = useState('');
  const [itemId, setItemId] = useState<string>();
  const detail = useQuery({
    queryKey: ['exemplars', 'item', id],
    queryFn: ({ signal }) => exemplarsApi.get(id!, { signal }),
    enabled: !!id,
  });
  const e = detail.data;
  const editable = !id || !!e?.actions.includes('edit');
  const canLink = !!e?.actions.includes('link');
  const items = useQuery({
    queryKey: ['publicity', { page: 1, pageSize: 100 }],
    queryFn: ({ signal }) => publicityApi.list({ page: 1, pageSize: 100 }, { signal }),
    enabled: canLink,
  });
  const orgs = useQuery({
    queryKey: ['event-orgs'],
    queryFn: ({ signal }) => eventsApi.orgs({ signal }),
    enabled: editable,
  });
  const subject = Form.useWatch('subject', form);
  const type = Form.useWatch('type', form);

  useEffect(() => {
    if (e)
      form.setFieldsValue({
        type: e.type,
        typeLabel: e.typeLabel ?? undefined,
        subject: e.subject,
        name: e.name,
        year: e.year,
        summary: e.summary,
        text: textOf(e.deeds),
        concernedOrgId: e.concernedOrgId,
        mentionsTroops: e.mentionsTroops,
      });
  }, [e, form]);

  const save = async () => {
    const v = await form.validateFields();
    const personal = v.subject === 'org' ? {} : { idNumber: v.idNumber, phone: v.phone, address: v.address };
    const body = {
      type: v.type,
      typeLabel: v.type === 'other' ? v.typeLabel || null : null,
      subject: v.subject,
      name: v.name,
      year: v.year,
      summary: v.summary,
      deeds: blocksOf(v.text ?? ''),
      mentionsTroops: !!v.mentionsTroops,
      concernedOrgId: v.concernedOrgId ?? null,
      campaignId: e?.campaignId ?? null,
      // an empty field keeps what is stored (only masked copies come back)
      ...Object.fromEntries(Object.entries(personal).filter(([, x]) => !!x)),
    };
    if (!id) {
      const made = await run(() => exemplarsApi.create(body), t('exemplars.saved'));
      navigate(`/exemplars/${made.id}`, { replace: true });
    } else await run(() => exemplarsApi.update(id, { ...body, version: e!.version }), t('exemplars.saved'));
  };

  const review = (decision: 'approve' | 'return') =>
    run(
      () =>
        exemplarsApi.review(id!, {
          version: e!.version,
          decision,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        }),
      t('exemplars.reviewed'),
    ).then(() => setComment(''));

  const title = id ? (e?.name ?? t('exemplars.title')) : t('exemplars.new');
  return (
    <Flex vertical gap={16}>
      <DocTitle title={title} />
      <Card
        title={
          <Space wrap>
            <span>{title}</span>
            {e ? <ExemplarStatusTag status={e.status} /> : null}
            {e ? <Tag>{e.typeName}</Tag> : null}
          </Space>
        }
      >
        {editable ? (
          <Form
            form={form}
            layout="vertical"
            initialValues={{ type: 'support_model', subject: 'person', year: new Date().getFullYear(), text: '' }}
          >
            <Form.Item name="type" label={t('exemplars.col.type')} rules={[{ required: true }]}>
              <Select options={typeOptions} data-testid="exemplar-type" />
            </Form.Item>
            {type === 'other' ? (
              <Form.Item name="typeLabel" label={t('exemplars.field.typeLabel')} rules={[{ required: true, max: 50 }]}>
                <Input maxLength={50} />
              </Form.Item>
            ) : null}
            <Form.Item name="subject" label={t('exemplars.col.subject')} rules={[{ required: true }]}>
              <Select options={subjectOptions} data-testid="exemplar-subject" />
            </Form.Item>
            <Form.Item name="name" label={t('exemplars.col.name')} rules={[{ required: true, max: 100 }]}>
              <Input data-testid="exemplar-name" maxLength={100} />
            </Form.Item>
            <Form.Item name="year" label={t('exemplars.col.year')} rules={[{ required: true }]}>
              <Select options={yearOptions} data-testid="exemplar-year" />
            </Form.Item>
            <Form.Item name="summary" label={t('exemplars.col.summary')} rules={[{ required: true, max: 500 }]}>
              <Input data-testid="exemplar-summary" maxLength={500} />
            </Form.Item>
            <Form.Item
              name="text"
              label={t('exemplars.field.deeds')}
              rules={[{ required: true, message: t('exemplars.deedsRequired') }]}
            >
              <Input.TextArea data-testid="exemplar-deeds" autoSize={{ minRows: 5, maxRows: 16 }} />
            </Form.Item>
            {subject !== 'org' ? (
              <Flex wrap gap={12}>
                <Form.Item name="idNumber" label={t('exemplars.field.idNumber')} style={{ minWidth: 220 }}>
                  <Input placeholder={e?.idMasked ?? ''} autoComplete="off" />
                </Form.Item>
                <Form.Item name="phone" label={t('exemplars.field.phone')} style={{ minWidth: 160 }}>
                  <Input inputMode="tel" placeholder={e?.phoneMasked ?? ''} autoComplete="off" />
                </Form.Item>
                <Form.Item name="address" label={t('exemplars.field.address')} style={{ minWidth: 260, flex: 1 }}>
                  <Input placeholder={e?.addressMasked ?? ''} autoComplete="off" />
                </Form.Item>
              </Flex>
            ) : null}
            <Form.Item name="concernedOrgId" label={t('exemplars.field.concernedOrg')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
                data-testid="exemplar-concerned"
              />
            </Form.Item>
            <DraftActions
              kind="exemplars"
              busy={busy}
              onSave={() => void save()}
              onSubmit={
                e?.actions.includes('submit')
                  ? () => void run(() => exemplarsApi.submit(e.id, e.version), t('exemplars.submitted'))
                  : undefined
              }
            />
          </Form>
        ) : e ? (
          <>
            <DeedsView e={e} />
            <Typography.Paragraph type="secondary">
              {t('exemplars.nominatedBy', { org: e.orgName })}
              {e.concernedOrgName ? ` · ${t('exemplars.concerned', { org: e.concernedOrgName })}` : ''}
            </Typography.Paragraph>
            {e.idMasked || e.phoneMasked || e.addressMasked ? (
              <Typography.Paragraph type="secondary" data-testid="exemplar-personal">
                {[e.idMasked, e.phoneMasked, e.addressMasked].filter(Boolean).join(' · ')}
              </Typography.Paragraph>
            ) : null}
          </>
        ) : null}
      </Card>

      {e ? (
        <FindingsCard
          title={t('exemplars.findings')}
          testId="exemplar-findings"
          findings={e.findings}
          whereOf={whereOf}
        >
          {editable && e.findings.length ? <DeedsView e={e} /> : null}
        </FindingsCard>
      ) : null}

      {e?.actions.includes('review') ? (
        <ReviewCard
          kind="exemplars"
          busy={busy}
          comment={comment}
          onComment={setComment}
          onDecide={(d) => void review(d)}
        />
      ) : null}

      {e && (e.status === 'approved' || e.status === 'published') ? (
        <Card title={t('exemplars.profile')} data-testid="exemplar-profile">
          {e.profile ? (
            <Space wrap>
              <Link to={`/publicity/${e.profile.itemId}`} data-testid="exemplar-profile-link">
                {t('exemplars.profileOpen')}
              </Link>
              <PublicityStatusTag status={e.profile.status} />
              {e.profile.approvedHash ? (
                <Typography.Text type="secondary">
                  {t('publicity.frozen', { hash: e.profile.approvedHash.slice(0, 12) })}
                </Typography.Text>
              ) : null}
            </Space>
          ) : (
            <Typography.Paragraph type="secondary">{t('exemplars.profileHint')}</Typography.Paragraph>
          )}
          {e.actions.includes('profile') ? (
            <Button
              type="primary"
              loading={busy}
              data-testid="exemplar-profile-create"
              onClick={() => run(() => exemplarsApi.profile(e.id, e.version), t('exemplars.profileCreated'))}
            >
              {t('exemplars.action.profile')}
            </Button>
          ) : null}
        </Card>
      ) : null}

      {e ? <ModelCityTag kind="exemplar" sourceId={e.id} allowed={e.abilities.modelcityTag} /> : null}

      {e ? (
        <Card title={t('exemplars.links')} data-testid="exemplar-links">
          <List
            size="small"
            locale={{ emptyText: t('exemplars.noLinks') }}
            dataSource={e.links}
            renderItem={(l) => (
              <List.Item
                actions={
                  canLink && !l.profile
                    ? [
                        <Button
                          key="unlink"
                          size="small"
                          onClick={() => run(() => exemplarsApi.unlink(e.id, l.itemId), t('exemplars.saved'))}
                        >
                          {t('exemplars.unlink')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Space wrap>
                  <Link to={`/publicity/${l.itemId}`}>{l.title}</Link>
                  <PublicityStatusTag status={l.status} />
                  {l.profile ? <Tag>{t('exemplars.profile')}</Tag> : null}
                  <span>{l.orgName}</span>
                </Space>
              </List.Item>
            )}
          />
          {canLink ? (
            <Space wrap style={{ marginTop: 8 }}>
              <Select
                showSearch
                optionFilterProp="label"
                aria-label={t('exemplars.linkItem')}
                placeholder={t('exemplars.linkItem')}
                style={{ minWidth: 240 }}
                value={itemId}
                onChange={setItemId}
                options={(items.data?.items ?? [])
                  .filter((i) => !e.links.some((l) => l.itemId === i.id))
                  .map((i) => ({ value: i.id, label: i.title }))}
              />
              <Button
                disabled={!itemId}
                loading={busy}
                onClick={() =>
                  itemId &&
                  run(() => exemplarsApi.link(e.id, itemId), t('exemplars.saved')).then(() => setItemId(undefined))
                }
              >
                {t('exemplars.action.link')}
              </Button>
            </Space>
          ) : null}
        </Card>
      ) : null}

      {e ? (
        <ReviewHistory
          title={t('exemplars.reviews')}
          testId="exemplar-review-entry"
          reviews={e.reviews}
          decision={(r) => t(`exemplars.decision.${r.decision}`)}
        />
      ) : null}
    </Flex>
  );
}
