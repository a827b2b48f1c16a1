/** Organisation types (glossary: shared/DOMAIN.md §2, §10). */
export const ORG_TYPES = [
  'veterans_bureau',
  'military_command',
  'armed_forces_department',
  'service_station',
  'military_unit',
  'department',
  'enterprise',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];

export const ORG_SIDES = ['civilian', 'military'] as const;
export type OrgSide = (typeof ORG_SIDES)[number];

/** The side an org type belongs to by default. */
export const ORG_TYPE_SIDE: Record<OrgType, OrgSide> = {
  veterans_bureau: 'civilian',
  military_command: 'military',
  armed_forces_department: 'military',
  service_station: 'civilian',
  military_unit: 'military',
  department: 'civilian',
  enterprise: 'civilian',
};

/**
 * An org's path segment: lower-case letters, digits, '-' or '_'; region orgs use their GB/T 2260
 * code. The scope path of an org is the parent's path + code + '/', e.g. `650200/650203/`.
 */
export const ORG_CODE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
