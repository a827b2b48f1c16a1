import type { NeedAction, NeedTag } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Checkbox, Form, Input, InputNumber, Rate, Select, Typography } from 'antd';
import { useState } from 'react';
import { type NeedDetail, needsApi } from '../../api/needs';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { TAG_OPTIONS, useCategories } from './labels';

/** `acceptAssign`: city staff's one dialog (accept + lead + co-handlers + time limit). */
export type DialogKind = NeedAction | 'comment' | 'tag' | 'acceptAssign';

interface Values {
  note?: string;
  reason?: string;
  intoId?: string;
  leadOrgId?: string;
  coOrgIds?: string[];
  resolution?: string;
  attachmentIds?: string[];
  rating?: number;
  comment?: string;
  militaryOnly?: boolean;
  tags?: NeedTag[];
  deadlineDays?: number | null;
}

const FIELDS = [
  'note',
  'reason',
  'intoId',
  'leadOrgId',
  'coOrgIds',
  'resolution',
  'attachmentIds',
  'rating',
  'comment',
  'deadlineDays',
];
const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);

/** The dialog of one action on a case: what it asks for depends on the action. */
export function NeedActionModal({
  need,
  kind,
  military,
  onClose,
  onDone,
}: {
  need: NeedDetail;
  kind: DialogKind;
  military: boolean;
  onClose: () => void;
  onDone: (next: NeedDetail) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const assigning = kind === 'assign' || kind === 'acceptAssign';
  const { categories } = useCategories();
  const categoryDays = categories.find((c) => c.code === need.category)?.deadlineDays;
  const orgs =
    useQuery({
      queryKey: ['need-handler-orgs'],
      queryFn: ({ signal }) => needsApi.handlerOrgs({ signal }),
      enabled: assigning,
      staleTime: 5 * 60_000,
    }).data?.items ?? [];
  const mergeQuery = { page: 1, pageSize: 100, open: 'true', sort: 'createdAt', order: 'desc' } as const;
  const open = useQuery({
    queryKey: ['needs', mergeQuery],
    queryFn: ({ signal }) => needsApi.list(mergeQuery, { signal }),
    enabled: kind === 'merge',
  }).data;
  const targets = (open?.items ?? [])
    .filter((n) => n.id !== need.id)
    .map((n) => ({ value: n.id, label: `${n.title}（${n.orgName}）` }));

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const version = need.version;
      let next: NeedDetail;
      switch (kind) {
        case 'comment':
          next = await needsApi.comment(need.id, v.note!.trim(), !!v.militaryOnly);
          break;
        case 'tag':
          next = await needsApi.setTags(need.id, version, v.tags ?? []);
          break;
        case 'decline':
        case 'reopen':
          next = await needsApi.act(need.id, kind, { version, reason: v.reason!.trim() });
          break;
        case 'merge':
          next = await needsApi.act(need.id, kind, { version, intoId: v.intoId, note: trim(v.note) });
          break;
        case 'acceptAssign':
          next = await needsApi.acceptAndAssign(need.id, {
            version,
            leadOrgId: v.leadOrgId ?? '',
            coOrgIds: v.coOrgIds ?? [],
            ...(v.deadlineDays ? { deadlineDays: v.deadlineDays } : {}),
            ...(trim(v.note) ? { note: trim(v.note) } : {}),
          });
          break;
        case 'assign':
          next = await needsApi.act(need.id, kind, {
            version,
            leadOrgId: v.leadOrgId,
            coOrgIds: v.coOrgIds ?? [],
            note: trim(v.note),
          });
          break;
        case 'resolve':
          next = await needsApi.act(need.id, kind, {
            version,
            resolution: v.resolution!.trim(),
            ...(v.attachmentIds?.length ? { attachmentIds: v.attachmentIds } : {}),
          });
          break;
        case 'confirm':
          next = await needsApi.act(need.id, kind, { version, rating: v.rating, comment: trim(v.comment) });
          break;
        default:
          next = await needsApi.act(need.id, kind, { version, note: trim(v.note) });
      }
      onDone(next);
    } catch (e) {
      applyNestedFieldErrors(form, e, FIELDS);
    } finally {
      setSaving(false);
    }
  }

  const title = kind === 'acceptAssign' ? t('needs.acceptAssign') : label('needAction', kind);
  const required = { required: true, whitespace: true, message: t('needs.modal.required') };
  return (
    <FormModal
      title={title}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'need-modal-ok' } as Record<`data-${string}`, string>}
    >
      <Typography.Paragraph type="secondary">{need.title}</Typography.Paragraph>
      <Form form={form} layout="vertical" autoComplete="off" initialValues={{ tags: need.tags }}>
        {(kind === 'decline' || kind === 'reopen') && (
          <Form.Item name="reason" label={t('needs.modal.reason')} rules={[required, { max: 2000 }]}>
            <Input.TextArea rows={3} maxLength={2000} data-testid="need-modal-reason" />
          </Form.Item>
        )}
        {kind === 'merge' && (
          <Form.Item
            name="intoId"
            label={t('needs.modal.mergeInto')}
            extra={t('needs.modal.mergeHint')}
            rules={[{ required: true }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} options={targets} data-testid="need-modal-into" />
          </Form.Item>
        )}
        {assigning && (
          <>
            <Form.Item name="leadOrgId" label={t('needs.modal.lead')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={orgs.map((o) => ({ value: o.id, label: o.name }))}
                data-testid="need-modal-lead"
              />
            </Form.Item>
            <Form.Item name="coOrgIds" label={t('needs.modal.co')}>
              <Select
                mode="multiple"
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={orgs.map((o) => ({ value: o.id, label: o.name }))}
                data-testid="need-modal-co"
              />
            </Form.Item>
            {kind === 'acceptAssign' && (
              <Form.Item
                name="deadlineDays"
                label={t('needs.modal.deadlineDays')}
                extra={categoryDays ? t('needs.modal.deadlineDaysHint', { days: categoryDays }) : undefined}
              >
                <InputNumber
                  min={1}
                  max={365}
                  precision={0}
                  placeholder={categoryDays ? String(categoryDays) : undefined}
                  suffix={t('needs.modal.workingDays')}
                  style={{ width: '100%' }}
                  data-testid="need-modal-deadlineDays"
                />
              </Form.Item>
            )}
          </>
        )}
        {kind === 'resolve' && (
          <>
            <Form.Item name="resolution" label={t('needs.modal.resolution')} rules={[required, { max: 4000 }]}>
              <Input.TextArea rows={4} maxLength={4000} data-testid="need-modal-resolution" />
            </Form.Item>
            {need.attachments.length > 0 && (
              <Form.Item name="attachmentIds" label={t('needs.modal.evidence')}>
                <Select
                  mode="multiple"
                  allowClear
                  options={need.attachments.map((a) => ({ value: a.id, label: a.fileName }))}
                  data-testid="need-modal-evidence"
                />
              </Form.Item>
            )}
          </>
        )}
        {kind === 'confirm' && (
          <>
            <Form.Item
              name="rating"
              label={t('needs.modal.rating')}
              rules={[{ required: true, message: t('needs.modal.ratingRequired') }]}
            >
              <Rate count={5} data-testid="need-modal-rating" />
            </Form.Item>
            <Form.Item name="comment" label={t('needs.modal.comment')} rules={[{ max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="need-modal-comment" />
            </Form.Item>
          </>
        )}
        {kind === 'tag' && (
          <Form.Item name="tags" label={t('needs.modal.tags')}>
            <Select mode="multiple" allowClear options={TAG_OPTIONS} data-testid="need-modal-tags" />
          </Form.Item>
        )}
        {kind === 'comment' && (
          <>
            <Form.Item name="note" label={t('needs.modal.commentNote')} rules={[required, { max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="need-modal-note" />
            </Form.Item>
            {military && (
              <Form.Item name="militaryOnly" valuePropName="checked">
                <Checkbox data-testid="need-modal-military">{t('needs.modal.militaryOnly')}</Checkbox>
              </Form.Item>
            )}
          </>
        )}
        {['accept', 'start', 'close', 'merge', 'assign', 'acceptAssign'].includes(kind) && (
          <Form.Item name="note" label={t('needs.modal.note')} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="need-modal-note" />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}
