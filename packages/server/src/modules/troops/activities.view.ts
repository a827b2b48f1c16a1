import type { ActivityAction, ActivityListItem, ActivityPhoto, Finding, PlaceKind, Reached } from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { Actor } from '../../platform/auth/actor.js';
import { bool, toNumber } from '../../platform/db/index.js';
import type { ActivityPhotoRow, ActivityRow } from './troops.repo.js';

/** The military side sees the military-only fields; the civilian view is built without them (decisions/0006). */
export function seesMilitary(actor: Pick<Actor, 'orgSide'>): boolean {
  return actor.orgSide === 'military';
}

export function reachedOf(r: ActivityRow): Reached {
  return {
    low_income: r.reached_low_income,
    disabled: r.reached_disabled,
    elderly: r.reached_elderly,
    children: r.reached_children,
    students: r.reached_students,
    public: r.reached_public,
  };
}

export const typeLabel = (code: string, label: string | null) =>
  label ?? (t(`troops.type.${code}`) === `troops.type.${code}` ? code : t(`troops.type.${code}`));

/** One activity as the caller may see it: the military-only keys are absent for a civilian, never blanked. */
export function toActivityItem(r: ActivityRow, military: boolean, actions: ActivityAction[]): ActivityListItem {
  const reached = reachedOf(r);
  const item: ActivityListItem = {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    type: r.type,
    typeLabel: typeLabel(r.type, r.type_label),
    occurredOn: r.occurred_on,
    durationMinutes: r.duration_minutes,
    placeKind: r.place_kind as PlaceKind,
    placeOrgId: r.place_org_id,
    placeOrgName: r.place_org_name,
    placeName: r.place_name,
    participants: r.participants,
    reached,
    reachedTotal: Object.values(reached).reduce((a, b) => a + b, 0),
    serviceMinutes: r.service_minutes,
    items: r.items,
    itemsValueFen: toNumber(r.items_value_fen),
    patientsSeen: r.patients_seen,
    lessonsTaught: r.lessons_taught,
    counterpartOrg: r.counterpart_org,
    counterpartContact: r.counterpart_contact,
    summary: r.summary,
    partnershipId: r.partnership_id,
    householdId: r.household_id,
    campaignId: r.campaign_id,
    status: r.status as ActivityListItem['status'],
    photoCount: toNumber(r.photo_count),
    actions,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
  if (!military) return item;
  return {
    ...item,
    participantNames: r.participant_names ? (JSON.parse(r.participant_names) as string[]) : [],
    militaryNote: r.military_note,
  };
}

export function toActivityPhoto(ph: ActivityPhotoRow, military: boolean, findings: Finding[]): ActivityPhoto {
  const out: ActivityPhoto = {
    id: ph.id,
    fileName: ph.file_name,
    contentType: ph.content_type,
    size: ph.size,
    caption: ph.caption,
    showsServiceMembers: bool(ph.shows_service_members),
    createdAt: ph.created_at,
  };
  return military ? { ...out, militaryOnly: bool(ph.military_only), findings } : out;
}
