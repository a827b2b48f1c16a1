import { type BeneficiaryDetail, createBeneficiaryBody, idChecksum, updateBeneficiaryBody } from '@shuangyong/shared';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { createBodyOf, type FormValues, initialValuesOf, patchOf } from '../src/modules/registry/beneficiary-form';

const id17 = '65020319400202008';
const ID = id17 + idChecksum(id17);

const detail: BeneficiaryDetail = {
  id: '01900000-0000-7000-8000-000000000001',
  name: '王秀英',
  nameAsWritten: null,
  sex: 'female',
  birthDate: '1940-02-02',
  idMasked: '650203********008X',
  phoneMasked: null,
  categories: ['martyr_survivor'],
  status: 'active',
  orgId: '01900000-0000-7000-8000-0000000000aa',
  orgName: '友谊社区',
  householdId: null,
  version: 3,
  addressMasked: null,
  statusDate: null,
  note: null,
  relation: null,
  assignments: [
    {
      code: 'martyr_survivor',
      startDate: '2000-01-01',
      endDate: null,
      disabilityGrade: null,
      disabilityCause: null,
      relation: 'mother',
      certificateNo: null,
    },
  ],
  serviceMember: null,
  household: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  abilities: { update: true, reveal: true, transfer: true },
};

describe('the beneficiary form ↔ the API', () => {
  it('starts a new form under the user’s own registering org, and an edit from the record', () => {
    expect(initialValuesOf(undefined, { id: 'org-1', type: 'service_station' })).toEqual({
      orgId: 'org-1',
      categories: [{}],
      status: 'active',
    });
    expect(initialValuesOf(undefined, { id: 'org-2', type: 'department' }).orgId).toBeUndefined();
    const v = initialValuesOf(detail, { id: 'x', type: 'veterans_bureau' });
    expect(v.orgId).toBe(detail.orgId);
    expect(v.categories[0]?.startDate?.format('YYYY-MM-DD')).toBe('2000-01-01');
  });

  it('builds a create body the shared schema accepts: trimmed, normalised, empty parts left out', () => {
    const v: FormValues = {
      orgId: detail.orgId,
      name: ' 王秀英 ',
      idNumber: ` ${ID.toLowerCase()} `,
      phone: '139 1234 8896',
      address: '  ',
      categories: [
        { code: 'disabled_veteran', startDate: dayjs('2001-05-01'), disabilityGrade: 4 },
        { code: 'martyr_survivor', startDate: dayjs('2000-01-01'), disabilityGrade: 3, certificateNo: ' 烈证001 ' },
      ],
      status: 'active',
      withServiceMember: true,
      serviceMember: { name: '王建军', kind: 'martyr', eventDate: dayjs('1979-02-17'), unitCodeName: '' },
    };
    const body = createBodyOf(v);
    expect(body).toEqual({
      orgId: detail.orgId,
      name: '王秀英',
      idNumber: ID,
      phone: '13912348896',
      status: 'active',
      categories: [
        { code: 'disabled_veteran', startDate: '2001-05-01', disabilityGrade: 4 },
        // a grade only for the categories that take one
        { code: 'martyr_survivor', startDate: '2000-01-01', certificateNo: '烈证001' },
      ],
      serviceMember: { name: '王建军', kind: 'martyr', eventDate: '1979-02-17' },
    });
    expect(createBeneficiaryBody.safeParse(body).success).toBe(true);
    // without the check box the service member is not sent
    expect(createBodyOf({ ...v, withServiceMember: false }).serviceMember).toBeUndefined();
  });

  it('sends only what an edit changed, with the version; nothing when nothing changed', () => {
    const same = initialValuesOf(detail, { id: 'x', type: 'veterans_bureau' });
    expect(patchOf(detail, same)).toBeNull();
    const patch = patchOf(detail, { ...same, name: '王秀兰', note: ' 已迁居 ', status: 'moved_out' });
    expect(patch).toEqual({ version: 3, name: '王秀兰', note: '已迁居', status: 'moved_out' });
    expect(updateBeneficiaryBody.safeParse(patch).success).toBe(true);
    const moreCategories = patchOf(detail, {
      ...same,
      categories: [...same.categories, { code: 'veteran', startDate: dayjs('2010-01-01') }],
    });
    expect(moreCategories?.categories?.map((c) => c.code)).toEqual(['martyr_survivor', 'veteran']);
  });
});
