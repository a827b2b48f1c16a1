import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { PUBLICITY_KINDS, PUBLICITY_OUTLETS, type PublicityKind, type PublicityOutlet } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Flex, Form, Image, Input, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { type Finding, type PublicityDetail, publicityApi } from '../../api/publicity';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { blocksOf, textOf } from './content';
import { FindingsCard, MarkedContent, PublicityStatusTag } from './findings';
import { DraftActions, ReviewCard, ReviewHistory, useRun } from './review';

interface Draft {
  kind: PublicityKind;
  title: string;
  text: string;
  videoUrl?: string;
  outlets: PublicityOutlet[];
  mentionsTroops: boolean;
}

const kindOptions = PUBLICITY_KINDS.map((k) => ({ value: k, label: t(`publicity.kind.${k}`) }));
const outletOptions = PUBLICITY_OUTLETS.map((o) => ({ value: o, label: t(`publicity.outlet.${o}`) }));

function whereOf(f: Finding): string {
  if (f.where === 'title') return t('publicity.where.title');
  if (f.where === 'body') return t('publicity.where.body', { n: (f.block ?? 0) + 1 });
  return t('publicity.where.photo');
}

function ContentView({ item }: { item: PublicityDetail }) {
  return (
    <MarkedContent
      testId="publicity-content"
      level={4}
      title={item.title}
      blocks={item.body}
      findings={item.findings.filter((f) => f.where !== 'photo')}
    />
  );
}

/** `/publicity/new` and `/publicity/:id`: write, check, send for review, review, publish. */
export function PublicityPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<Draft>();
  const { busy, run } = useRun<PublicityDetail>('publicity');
  const [comment, setComment] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [members, setMembers] = useState(false);
  const [outlet, setOutlet] = useState<PublicityOutlet>('city_tv');
  const [ref, setRef] = useState('');
  const [on, setOn] = useState(() => new Date().toISOString().slice(0, 10));
  const fileRef = useRef<HTMLInputElement>(null);
  const detail = useQuery({
    queryKey: ['publicity', 'item', id],
    queryFn: ({ signal }) => publicityApi.get(id!, { signal }),
    enabled: !!id,
  });
  const item = detail.data;
  const editable = !id || !!item?.actions.includes('edit');

  useEffect(() => {
    if (item)
      form.setFieldsValue({
        kind: item.kind,
        title: item.title,
        text: textOf(item.body),
        videoUrl: item.videoUrl ?? undefined,
        outlets: item.outlets,
        mentionsTroops: item.mentionsTroops,
      });
  }, [item, form]);

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      kind: v.kind,
      title: v.title,
      body: blocksOf(v.text ?? ''),
      videoUrl: v.videoUrl || null,
      outlets: v.outlets ?? [],
      mentionsTroops: !!v.mentionsTroops,
    };
    if (!id) {
      const made = await run(() => publicityApi.create(body), t('publicity.saved'));
      navigate(`/publicity/${made.id}`, { replace: true });
    } else await run(() => publicityApi.update(id, { ...body, version: item!.version }), t('publicity.saved'));
  };

  const upload = async (file: File) => {
    if (!id) return;
    await run(() => publicityApi.addPhoto(id, file, members), t('publicity.saved'));
    if (fileRef.current) fileRef.current.value = '';
  };

  const review = (decision: 'approve' | 'return') =>
    run(
      () =>
        publicityApi.review(id!, {
          version: item!.version,
          decision,
          ...(comment.trim() ? { comment: comment.trim() } : {}),
          confirmReviewed: confirmed,
        }),
      t('publicity.reviewed'),
    ).then(() => setComment(''));

  const title = id ? (item?.title ?? t('publicity.title')) : t('publicity.new');
  return (
    <Flex vertical gap={16}>
      <DocTitle title={title} />
      <Card
        title={
          <Space wrap>
            <span>{title}</span>
            {item ? <PublicityStatusTag status={item.status} /> : null}
            {item?.awaiting ? (
              <Tag>{t('publicity.reviewAwaiting', { side: label('atmosphere.side', item.awaiting) })}</Tag>
            ) : null}
          </Space>
        }
      >
        {editable ? (
          <Form
            form={form}
            layout="vertical"
            initialValues={{ kind: 'article', outlets: [], mentionsTroops: false, text: '' }}
          >
            <Form.Item name="kind" label={t('publicity.field.kind')} rules={[{ required: true }]}>
              <Select options={kindOptions} data-testid="publicity-kind" />
            </Form.Item>
            <Form.Item name="title" label={t('publicity.field.title')} rules={[{ required: true, max: 200 }]}>
              <Input data-testid="publicity-title" maxLength={200} />
            </Form.Item>
            <Form.Item name="text" label={t('publicity.field.body')}>
              <Input.TextArea data-testid="publicity-body" autoSize={{ minRows: 5, maxRows: 16 }} />
            </Form.Item>
            <Form.Item name="videoUrl" label={t('publicity.field.videoUrl')}>
              <Input inputMode="url" />
            </Form.Item>
            <Form.Item name="outlets" label={t('publicity.field.outlets')}>
              <Checkbox.Group options={outletOptions} />
            </Form.Item>
            <DraftActions
              kind="publicity"
              busy={busy}
              onSave={() => void save()}
              onSubmit={
                item?.actions.includes('submit')
                  ? () => void run(() => publicityApi.submit(item.id, item.version), t('publicity.submitted'))
                  : undefined
              }
            />
          </Form>
        ) : item ? (
          <ContentView item={item} />
        ) : null}
        {item?.approvedHash ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('publicity.frozen', { hash: item.approvedHash.slice(0, 12) })}
          </Typography.Paragraph>
        ) : null}
        {item?.publishedOutlet ? (
          <Typography.Paragraph data-testid="publicity-published">
            {t('publicity.publishedAt', {
              outlet: t(`publicity.outlet.${item.publishedOutlet}`),
              on: item.publishedOn ?? '',
              ref: item.publishedRef ?? '',
            })}
          </Typography.Paragraph>
        ) : null}
      </Card>

      {item ? (
        <FindingsCard
          title={t('publicity.findings')}
          testId="publicity-findings"
          findings={item.findings}
          whereOf={whereOf}
        >
          {editable && item.findings.some((f) => f.where !== 'photo') ? <ContentView item={item} /> : null}
        </FindingsCard>
      ) : null}

      {item ? (
        <Card title={t('publicity.photos')}>
          <Flex wrap gap={12}>
            {item.photos.map((p) => (
              <Flex vertical key={p.id} gap={4} data-testid="publicity-photo" style={{ width: 140 }}>
                <Image src={publicityApi.photoUrl(item.id, p.id)} width={140} height={100} alt={p.fileName} />
                <Typography.Text ellipsis>{p.caption || p.fileName}</Typography.Text>
                {p.gps ? <Tag color="red">{t('publicity.photoGps')}</Tag> : null}
                {item.actions.includes('photos') ? (
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    data-testid="publicity-photo-remove"
                    onClick={() => run(() => publicityApi.removePhoto(item.id, p.id), t('publicity.saved'))}
                  >
                    {t('publicity.removePhoto')}
                  </Button>
                ) : null}
              </Flex>
            ))}
          </Flex>
          {item.actions.includes('photos') ? (
            <Space wrap style={{ marginTop: 12 }}>
              <Checkbox checked={members} onChange={(e) => setMembers(e.target.checked)}>
                {t('publicity.showsServiceMembers')}
              </Checkbox>
              <Button icon={<UploadOutlined />} loading={busy} onClick={() => fileRef.current?.click()}>
                {t('publicity.addPhoto')}
              </Button>
              <input
                ref={fileRef}
                type="file"
                accept="image/jpeg,image/png"
                hidden
                data-testid="publicity-photo-input"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void upload(f);
                }}
              />
            </Space>
          ) : null}
        </Card>
      ) : null}

      {item?.actions.includes('review') ? (
        <ReviewCard
          kind="publicity"
          busy={busy}
          comment={comment}
          onComment={setComment}
          onDecide={(d) => void review(d)}
          extra={
            item.findings.some((f) => f.severity === 'review') ? (
              <Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)}>
                {t('publicity.confirmReviewed')}
              </Checkbox>
            ) : null
          }
        />
      ) : null}

      {item?.actions.includes('publish') ? (
        <Card title={t('publicity.publish')} data-testid="publicity-publish">
          <Flex vertical gap={8}>
            <Select
              aria-label={t('publicity.publishOutlet')}
              options={outletOptions}
              value={outlet}
              onChange={setOutlet}
            />
            <Input
              aria-label={t('publicity.publishRef')}
              placeholder={t('publicity.publishRef')}
              value={ref}
              onChange={(e) => setRef(e.target.value)}
              data-testid="publicity-publish-ref"
            />
            <Input
              aria-label={t('publicity.publishOn')}
              type="date"
              value={on}
              onChange={(e) => setOn(e.target.value)}
            />
            <Button
              type="primary"
              loading={busy}
              disabled={!ref.trim()}
              data-testid="publicity-publish-button"
              onClick={() =>
                run(
                  () => publicityApi.publish(item.id, { version: item.version, outlet, ref: ref.trim(), on }),
                  t('publicity.published'),
                )
              }
            >
              {t('publicity.publish')}
            </Button>
          </Flex>
        </Card>
      ) : null}

      {item ? (
        <ReviewHistory
          title={t('publicity.reviews')}
          testId="publicity-review-entry"
          reviews={item.reviews}
          decision={(r) => t(`publicity.decision.${r.decision}`)}
        />
      ) : null}
    </Flex>
  );
}
