/**
 * Who owns a case: an org (every active user of it hears of the case, its head included — the role
 * model has no "head" role, decisions/0006). What an owner may be is the module's rule (needs:
 * handler departments; benefit discrepancies: the district's civilian orgs, decisions/0055).
 */
export interface OwnerOrg {
  id: string;
  path: string;
  side: string;
  active: number | boolean;
}

/**
 * May `org` own a case kept under `casePath`? An active civilian org inside that subtree, or one of
 * its ancestors (the city may take a district's case itself).
 */
export function ownsWithin(org: OwnerOrg, casePath: string): boolean {
  if (!org.active || org.side !== 'civilian') return false;
  return org.path.startsWith(casePath) || casePath.startsWith(org.path);
}

/** The recipients of a notice to the owner: its org's active users. */
export function ownerRecipients(ownerOrgId: string | null): { orgIds: string[] } {
  return { orgIds: ownerOrgId ? [ownerOrgId] : [] };
}
