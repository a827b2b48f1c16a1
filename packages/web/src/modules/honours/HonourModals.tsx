import { App, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  type AwardLevel,
  type Citation,
  type CitationStep,
  citationsApi,
  householdsApi,
  type PlaqueEventKind,
  type PlaqueReason,
} from '../../api/honours';
import { FormModal } from '../../components/FormModal';
import { label, t } from '../../i18n';
import { isFutureDay, pickerToday, toIsoDate } from '../../lib/dates';
import { applyNestedFieldErrors } from '../../lib/forms';
import { yuanToFen } from '../../lib/money';
import { AWARD_LEVEL_OPTIONS, PLAQUE_EVENT_OPTIONS, PLAQUE_REASON_OPTIONS } from './labels';

interface ModalProps {
  onClose: () => void;
  onDone: () => void;
}

const notFuture = isFutureDay;
const thisYear = () => pickerToday().year();
const full = { style: { width: '100%' } };

/** Runs a save; a success message when done, field errors onto the form, the rest to the global message. */
function useSave<V>(form: ReturnType<typeof Form.useForm<V>>[0], roots: readonly string[], done: string) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  async function run(action: (v: V) => Promise<unknown>, onDone: () => void) {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await action(v);
      void message.success(done);
      onDone();
    } catch (e) {
      applyNestedFieldErrors(form, e, roots);
    } finally {
      setSaving(false);
    }
  }
  return { saving, run };
}

interface PlaqueValues {
  kind: PlaqueEventKind;
  eventDate: Dayjs;
  hungBy?: string;
  reason?: PlaqueReason;
  note?: string;
}

/** 光荣牌 event: issued, reissued, replaced, taken back, cancelled (with a reason code), reinstated. */
export function PlaqueEventModal({ householdId, onClose, onDone }: ModalProps & { householdId: string }) {
  const [form] = Form.useForm<PlaqueValues>();
  const kind = Form.useWatch('kind', form);
  const { saving, run } = useSave(form, ['kind', 'eventDate', 'hungBy', 'reason', 'note'], t('honours.plaqueSaved'));
  const hangs = kind === 'issued' || kind === 'reissued' || kind === 'replaced' || kind === 'reinstated';
  const withReason = kind === 'cancelled' || kind === 'taken_back';

  return (
    <FormModal
      title={t('honours.plaqueEventTitle')}
      onOk={() =>
        void run(
          (v) =>
            householdsApi.addPlaqueEvent(householdId, {
              kind: v.kind,
              eventDate: toIsoDate(v.eventDate) ?? '',
              ...(hangs && v.hungBy?.trim() ? { hungBy: v.hungBy.trim() } : {}),
              ...(withReason && v.reason ? { reason: v.reason } : {}),
              ...(v.note?.trim() ? { note: v.note.trim() } : {}),
            }),
          onDone,
        ).catch(() => {})
      }
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form form={form} layout="vertical" autoComplete="off" initialValues={{ eventDate: pickerToday() }}>
        <Form.Item name="kind" label={t('honours.plaqueEventKind')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={PLAQUE_EVENT_OPTIONS}
            data-testid="plaque-form-kind"
          />
        </Form.Item>
        <Form.Item name="eventDate" label={t('honours.eventDate')} rules={[{ required: true }]}>
          <DatePicker {...full} disabledDate={notFuture} data-testid="plaque-form-date" />
        </Form.Item>
        {hangs && (
          <Form.Item name="hungBy" label={t('honours.hungBy')} extra={t('honours.hungByHint')} rules={[{ max: 200 }]}>
            <Input maxLength={200} data-testid="plaque-form-hungBy" />
          </Form.Item>
        )}
        {withReason && (
          <Form.Item
            name="reason"
            label={t('honours.plaqueReason')}
            rules={[{ required: kind === 'cancelled', message: t('honours.plaqueReasonRequired') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              options={PLAQUE_REASON_OPTIONS}
              data-testid="plaque-form-reason"
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('honours.note')} rules={[{ max: 200 }]}>
          <Input.TextArea rows={2} maxLength={200} data-testid="plaque-form-note" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

interface CoupletValues {
  year: number;
  deliveredAt: Dayjs;
  deliveredBy?: string;
}

/** 春联 delivered for a year (Spring Festival visits). */
export function CoupletModal({ householdId, onClose, onDone }: ModalProps & { householdId: string }) {
  const [form] = Form.useForm<CoupletValues>();
  const { saving, run } = useSave(form, ['year', 'deliveredAt', 'deliveredBy'], t('honours.coupletSaved'));
  return (
    <FormModal
      title={t('honours.coupletTitle')}
      onOk={() =>
        void run(
          (v) =>
            householdsApi.addCouplet(householdId, {
              year: v.year,
              deliveredAt: toIsoDate(v.deliveredAt) ?? '',
              ...(v.deliveredBy?.trim() ? { deliveredBy: v.deliveredBy.trim() } : {}),
            }),
          onDone,
        ).catch(() => {})
      }
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={{ year: thisYear(), deliveredAt: pickerToday() }}
      >
        <Form.Item name="year" label={t('honours.coupletYear')} rules={[{ required: true }]}>
          <InputNumber {...full} min={2000} max={2100} precision={0} data-testid="couplet-form-year" />
        </Form.Item>
        <Form.Item name="deliveredAt" label={t('honours.deliveredAt')} rules={[{ required: true }]}>
          <DatePicker {...full} disabledDate={notFuture} data-testid="couplet-form-date" />
        </Form.Item>
        <Form.Item name="deliveredBy" label={t('honours.deliveredBy')} rules={[{ max: 200 }]}>
          <Input maxLength={200} data-testid="couplet-form-by" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

interface CitationValues {
  memberName: string;
  unitCodeName?: string;
  awardLevel: AwardLevel;
  awardYear: number;
  receivedAt: Dayjs;
  rewardYuan?: number | null;
}

const YUAN = { min: 0, max: 10_000_000, precision: 2, step: 100, prefix: '¥' } as const;

/** A new 立功喜报 arriving for a member of the household. */
export function CitationModal({ householdId, onClose, onDone }: ModalProps & { householdId: string }) {
  const [form] = Form.useForm<CitationValues>();
  const { saving, run } = useSave(
    form,
    ['memberName', 'unitCodeName', 'awardLevel', 'awardYear', 'receivedAt', 'rewardFen'],
    t('honours.citationSaved'),
  );
  return (
    <FormModal
      title={t('honours.citationTitle')}
      onOk={() =>
        void run((v) => {
          const rewardFen = yuanToFen(v.rewardYuan);
          return citationsApi.create({
            householdId,
            memberName: v.memberName.trim(),
            awardLevel: v.awardLevel,
            awardYear: v.awardYear,
            receivedAt: toIsoDate(v.receivedAt) ?? '',
            ...(v.unitCodeName?.trim() ? { unitCodeName: v.unitCodeName.trim() } : {}),
            ...(rewardFen !== undefined ? { rewardFen } : {}),
          });
        }, onDone).catch(() => {})
      }
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={{ receivedAt: pickerToday(), awardYear: thisYear() }}
      >
        <Form.Item
          name="memberName"
          label={t('honours.memberName')}
          rules={[{ required: true, whitespace: true, max: 64 }]}
        >
          <Input maxLength={64} data-testid="citation-form-memberName" />
        </Form.Item>
        <Form.Item name="unitCodeName" label={t('honours.unitCodeName')} rules={[{ max: 64 }]}>
          <Input maxLength={64} data-testid="citation-form-unit" />
        </Form.Item>
        <Form.Item name="awardLevel" label={t('honours.awardLevel')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={AWARD_LEVEL_OPTIONS}
            data-testid="citation-form-level"
          />
        </Form.Item>
        <Form.Item name="awardYear" label={t('honours.awardYear')} rules={[{ required: true }]}>
          <InputNumber {...full} min={1949} max={2100} precision={0} data-testid="citation-form-year" />
        </Form.Item>
        <Form.Item
          name="receivedAt"
          label={t('honours.receivedAt')}
          extra={t('honours.receivedAtHint')}
          rules={[{ required: true }]}
        >
          <DatePicker {...full} disabledDate={notFuture} data-testid="citation-form-receivedAt" />
        </Form.Item>
        <Form.Item name="rewardYuan" label={t('honours.reward')} extra={t('honours.rewardHint')}>
          <InputNumber {...full} {...YUAN} data-testid="citation-form-reward" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

interface AdvanceValues {
  date: Dayjs;
  deliverers?: string;
  rewardYuan?: number | null;
}

/** Moves a citation one step along received → registered → address verified → delivered → reported. */
export function AdvanceCitationModal({
  citation,
  step,
  onClose,
  onDone,
}: ModalProps & { citation: Citation; step: CitationStep }) {
  const [form] = Form.useForm<AdvanceValues>();
  const { saving, run } = useSave(
    form,
    ['date', 'deliverers', 'rewardFen', 'version'],
    t('honours.citationAdvanced', { step: label('citationStep', step) }),
  );
  const delivering = step === 'deliver';
  return (
    <FormModal
      title={t('honours.advanceTitle', { step: label('citationStep', step), name: citation.memberName })}
      onOk={() =>
        void run((v) => {
          const rewardFen = delivering ? yuanToFen(v.rewardYuan) : undefined;
          return citationsApi.advance(citation.id, {
            version: citation.version,
            step,
            date: toIsoDate(v.date) ?? '',
            ...(delivering && v.deliverers?.trim() ? { deliverers: v.deliverers.trim() } : {}),
            ...(rewardFen !== undefined ? { rewardFen } : {}),
          });
        }, onDone).catch(() => {})
      }
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={{
          date: pickerToday(),
          rewardYuan: citation.rewardFen !== null ? citation.rewardFen / 100 : undefined,
        }}
      >
        <Form.Item name="date" label={label('citationStepDate', step)} rules={[{ required: true }]}>
          <DatePicker {...full} disabledDate={notFuture} data-testid="advance-form-date" />
        </Form.Item>
        {delivering && (
          <Form.Item
            name="deliverers"
            label={t('honours.deliverers')}
            extra={t('honours.deliverersHint')}
            rules={[{ max: 200 }]}
          >
            <Input maxLength={200} data-testid="advance-form-deliverers" />
          </Form.Item>
        )}
        {delivering && (
          <Form.Item name="rewardYuan" label={t('honours.reward')} extra={t('honours.rewardHint')}>
            <InputNumber {...full} {...YUAN} data-testid="advance-form-reward" />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}
