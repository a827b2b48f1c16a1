import type { PartnershipItem, PlaceKind } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, InputNumber, Modal, Select, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { partnershipsApi, troopsApi } from '../../api/troops';
import { t } from '../../i18n';
import { applyNestedFieldErrors } from '../../lib/forms';
import { placeTree } from './ActivityFormPage';
import { PLACE_OPTIONS } from './labels';

interface Values {
  partnerKind: PlaceKind;
  partnerName: string;
  placeOrgId: string;
  startsOn: string;
  endsOn?: string;
  contact?: string;
  plans?: { year: number; type: string; planned: number }[];
}
const FIELDS = ['partnerKind', 'partnerName', 'placeOrgId', 'startsOn', 'endsOn', 'contact', 'plans'];

/** 新建共建对子 (a unit's own): the partner, where it is, the period and the annual plans. */
export function NewPartnershipButton() {
  return <PartnershipButton />;
}

/** 编辑 a pair: the same form, filled; `plans` replaces the annual plan; 409 on a stale version. */
export function EditPartnershipButton({ p }: { p: PartnershipItem }) {
  return <PartnershipButton editing={p} />;
}

function PartnershipButton({ editing }: { editing?: PartnershipItem }) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<Values>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const types = useQuery({
    queryKey: ['troop-types'],
    queryFn: ({ signal }) => troopsApi.types({ signal }),
    enabled: open,
  });
  const places = useQuery({
    queryKey: ['troop-places'],
    queryFn: ({ signal }) => troopsApi.places({ signal }),
    enabled: open,
  });
  const tree = useMemo(() => placeTree(places.data?.items ?? []), [places.data]);
  const year = new Date().getFullYear();

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      if (editing) {
        await partnershipsApi.update(editing.id, {
          version: editing.version,
          partnerKind: v.partnerKind,
          partnerName: v.partnerName.trim(),
          placeOrgId: v.placeOrgId,
          startsOn: v.startsOn,
          endsOn: v.endsOn || null,
          contact: v.contact?.trim() || null,
          plans: v.plans ?? [],
        });
        await qc.invalidateQueries({ queryKey: ['troop-partnerships'] });
        message.success(t('web.pt.updated'));
        setOpen(false);
        return;
      }
      const created = await partnershipsApi.create({
        partnerKind: v.partnerKind,
        partnerName: v.partnerName.trim(),
        placeOrgId: v.placeOrgId,
        startsOn: v.startsOn,
        ...(v.endsOn ? { endsOn: v.endsOn } : {}),
        ...(v.contact?.trim() ? { contact: v.contact.trim() } : {}),
        plans: v.plans ?? [],
      });
      await qc.invalidateQueries({ queryKey: ['troop-partnerships'] });
      message.success(t('web.pt.created'));
      setOpen(false);
      navigate(`/troop-partnerships/${created.id}`);
    } catch (e) {
      applyNestedFieldErrors(form, e, FIELDS);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      {editing ? (
        <Button onClick={() => setOpen(true)} data-testid="partnership-edit">
          {t('web.pt.edit')}
        </Button>
      ) : (
        <Button type="primary" onClick={() => setOpen(true)} data-testid="partnership-new">
          {t('web.pt.new')}
        </Button>
      )}
      <Modal
        open={open}
        title={editing ? t('web.pt.edit') : t('web.pt.new')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={saving}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'partnership-save' } as never}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={
            editing
              ? {
                  partnerKind: editing.partnerKind,
                  partnerName: editing.partnerName,
                  placeOrgId: editing.placeOrgId,
                  startsOn: editing.startsOn,
                  endsOn: editing.endsOn ?? undefined,
                  contact: editing.contact ?? undefined,
                  plans: editing.plans.map((x) => ({ year: x.year, type: x.type, planned: x.planned })),
                }
              : { plans: [] }
          }
        >
          <Form.Item name="partnerKind" label={t('web.pt.kind')} rules={[{ required: true }]}>
            <Select options={PLACE_OPTIONS} data-testid="partnership-kind" />
          </Form.Item>
          <Form.Item
            name="partnerName"
            label={t('web.pt.f.partnerName')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={100} data-testid="partnership-name" />
          </Form.Item>
          <Form.Item name="placeOrgId" label={t('web.pt.col.area')} rules={[{ required: true }]}>
            <TreeSelect
              data-testid="partnership-area"
              treeData={tree}
              showSearch
              treeNodeFilterProp="title"
              treeDefaultExpandAll
            />
          </Form.Item>
          <Flex gap={8} wrap>
            <Form.Item name="startsOn" label={t('web.pt.f.startsOn')} rules={[{ required: true }]}>
              <Input type="date" data-testid="partnership-starts" />
            </Form.Item>
            <Form.Item name="endsOn" label={t('web.pt.f.endsOn')}>
              <Input type="date" data-testid="partnership-ends" />
            </Form.Item>
          </Flex>
          <Form.Item name="contact" label={t('web.pt.contact')}>
            <Input maxLength={100} data-testid="partnership-contact" />
          </Form.Item>
          <Form.List name="plans">
            {(fields, { add, remove }) => (
              <Flex vertical gap={0}>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} wrap align="start" data-testid="partnership-plan-row">
                    <Form.Item name={[f.name, 'year']} label={t('web.pt.plan.year')} rules={[{ required: true }]}>
                      <InputNumber min={2000} max={2100} style={{ width: 88 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'type']}
                      label={t('web.pt.plan.type')}
                      rules={[{ required: true }]}
                      style={{ flex: 1, minWidth: 140 }}
                    >
                      <Select
                        data-testid="partnership-plan-type"
                        options={(types.data?.items ?? [])
                          .filter((x) => x.active)
                          .map((x) => ({ value: x.code, label: x.label }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'planned']} label={t('web.pt.f.planned')} rules={[{ required: true }]}>
                      <InputNumber min={1} max={1000} style={{ width: 88 }} data-testid="partnership-plan-planned" />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(f.name)} style={{ marginTop: 30 }}>
                      ×
                    </Button>
                  </Flex>
                ))}
                <Button onClick={() => add({ year, planned: 4 })} data-testid="partnership-add-plan">
                  {t('web.pt.f.addPlan')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}

interface EndValues {
  endedOn: string;
  reason: string;
}

/** 结束共建: the day it ended and why; the pair then leaves the list of idle pairs. */
export function EndPartnershipButton({ p }: { p: PartnershipItem }) {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<EndValues>();
  const qc = useQueryClient();
  const { message } = App.useApp();

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await partnershipsApi.end(p.id, { version: p.version, endedOn: v.endedOn, reason: v.reason.trim() });
      await qc.invalidateQueries({ queryKey: ['troop-partnerships'] });
      message.success(t('web.pt.ended'));
      setOpen(false);
    } catch (e) {
      applyNestedFieldErrors(form, e, ['endedOn', 'reason']);
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button danger onClick={() => setOpen(true)} data-testid="partnership-end">
        {t('web.pt.end')}
      </Button>
      <Modal
        open={open}
        title={t('web.pt.end')}
        onCancel={() => setOpen(false)}
        onOk={() => void submit()}
        confirmLoading={saving}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'partnership-end-save' } as never}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ endedOn: new Date().toISOString().slice(0, 10) }}
        >
          <Form.Item name="endedOn" label={t('web.pt.f.endedOn')} rules={[{ required: true }]}>
            <Input type="date" data-testid="partnership-ended-on" />
          </Form.Item>
          <Form.Item name="reason" label={t('web.pt.f.endReason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea maxLength={500} rows={3} data-testid="partnership-end-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
