import type { Insertable, Selectable, Updateable } from 'kysely';
import { prefixEnd, type Scope, SYSTEM_SCOPE, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import type {
  AtmosphereEventInvitationsTable,
  AtmosphereEventPhotosTable,
  AtmosphereEventsTable,
} from './events.schema.js';

export type EventRow = Selectable<AtmosphereEventsTable> & {
  org_name: string;
  partner_org_name: string | null;
  invited: number | string;
};
export type InvitationRow = Selectable<AtmosphereEventInvitationsTable> & { org_name: string };
export type EventPhotoRow = Selectable<AtmosphereEventPhotosTable>;

/**
 * Who sees events: the 军分区 (military side, city-wide) those that involve troops; everyone else
 * those organised or co-organised by an org in their scope, or to which an org in their scope is
 * invited (a unit sees what it is invited to or organises, a district what concerns its area).
 */
export interface EventViewer {
  scope: Scope;
  militaryCityWide: boolean;
}

export interface EventFilter {
  campaignId?: string;
  status?: string;
  from?: string;
  to?: string;
  /** Held or closed, organised in the scope (model-city evidence). */
  done?: boolean;
}

const OWNER = { path: 'e.org_path', orgId: 'e.org_id', owner: 'e.created_by' } as const;
const PARTNER = { path: 'e.partner_path', orgId: 'e.partner_org_id' } as const;

function events(db: Queryable, v: EventViewer, f: EventFilter) {
  let qb = db
    .selectFrom('atmosphere_events as e')
    .innerJoin('orgs as o', 'o.id', 'e.org_id')
    .leftJoin('orgs as po', 'po.id', 'e.partner_org_id');
  if (v.militaryCityWide) qb = qb.where('e.involves_troops', '=', 1);
  else
    qb = qb.where((eb) =>
      eb.or([
        scopeWhere(eb, v.scope, OWNER),
        scopeWhere(eb, v.scope, PARTNER),
        eb.exists(
          eb
            .selectFrom('atmosphere_event_invitations as v')
            .select('v.id')
            .whereRef('v.event_id', '=', 'e.id')
            .where((ib) => scopeWhere(ib, v.scope, { path: 'v.org_path', orgId: 'v.org_id' })),
        ),
      ]),
    );
  if (f.campaignId) qb = qb.where('e.campaign_id', '=', f.campaignId);
  if (f.status) qb = qb.where('e.status', '=', f.status);
  if (f.from) qb = qb.where('e.event_date', '>=', f.from);
  if (f.to) qb = qb.where('e.event_date', '<=', f.to);
  if (f.done) qb = qb.where('e.status', 'in', ['held', 'closed']).where((eb) => scopeWhere(eb, v.scope, OWNER));
  return qb;
}

function withNames<QB extends ReturnType<typeof events>>(qb: QB, scope: Scope) {
  return qb.selectAll('e').select((eb) => [
    'o.name as org_name',
    'po.name as partner_org_name',
    eb
      .selectFrom('atmosphere_event_invitations as c')
      .where((eb) => scopeWhere(eb, scope, { path: 'c.org_path', orgId: 'c.org_id' }))
      .select((cb) => cb.fn.countAll().as('n'))
      .whereRef('c.event_id', '=', 'e.id')
      .as('invited'),
  ]);
}

/** Every query on the events tables (the atmosphere module owns them; nobody else names them). */
export const eventsRepo = {
  /** An active org by id (joinable, read only): an organiser, a partner or an invitee. */
  org(db: Queryable, id: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'path', 'name', 'side', 'active'])
      .where('id', '=', id)
      .executeTakeFirst();
  },
  orgs(db: Queryable, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('orgs').select(['id', 'path', 'name', 'side', 'active']).where('id', 'in', ids).execute();
  },

  /** Orgs an event may name as partner or invite: every military unit, and civilian orgs in the scope. */
  invitable(db: Queryable, scope: Scope) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'side', 'type'])
      .where('active', '=', 1)
      .where((eb) =>
        eb.or([
          eb('type', 'in', ['military_unit', 'armed_forces_department']),
          eb.and([eb('side', '=', 'civilian'), scopeWhere(eb, scope, { path: 'orgs.path', orgId: 'orgs.id' })]),
        ]),
      )
      .orderBy('side')
      .orderBy('path')
      .limit(1000)
      .execute();
  },

  async page(
    db: Queryable,
    v: EventViewer,
    f: EventFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: EventRow[]; total: number }> {
    const base = events(db, v, f);
    const [rows, total] = await Promise.all([
      withNames(base, SYSTEM_SCOPE)
        .orderBy('e.event_date')
        .orderBy('e.start_time')
        .orderBy('e.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as EventRow[], total: toNumber(total.n) };
  },
  async get(db: Queryable, v: EventViewer, id: string): Promise<EventRow | undefined> {
    return (await withNames(events(db, v, {}), SYSTEM_SCOPE)
      .where('e.id', '=', id)
      .executeTakeFirst()) as EventRow | undefined;
  },
  /** Titles of the events the viewer sees among `ids` (the audit log's labels). */
  titles(db: Queryable, v: EventViewer, ids: readonly string[]) {
    return events(db, v, {}).select(['e.id', 'e.title as label']).where('e.id', 'in', ids).execute();
  },
  async insert(db: Queryable, row: Insertable<AtmosphereEventsTable>): Promise<void> {
    await db.insertInto('atmosphere_events').values(row).execute();
  },
  /** Optimistic update: false when the version moved on. */
  async update(db: Queryable, id: string, version: number, set: Updateable<AtmosphereEventsTable>): Promise<boolean> {
    return updateVersioned(db, 'atmosphere_events', id, version, set);
  },
  /** What the other events (not cancelled) plan to spend on a budget line. */
  async committedOnLine(db: Queryable, scope: Scope, lineId: string, exceptId: string): Promise<number> {
    const r = await db
      .selectFrom('atmosphere_events')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.sum<number>('budget_fen').as('n'))
      .where('budget_line_id', '=', lineId)
      .where('id', '<>', exceptId)
      .where('status', '<>', 'cancelled')
      .executeTakeFirstOrThrow();
    return toNumber(r.n ?? 0);
  },
  /** Events of a campaign held (or closed) by the orgs below `orgPath`, as organiser or partner. */
  async heldCount(db: Queryable, scope: Scope, campaignId: string, orgPath: string, type?: string): Promise<number> {
    let qb = db
      .selectFrom('atmosphere_events')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', ['held', 'closed'])
      .where((eb) =>
        eb.or([
          eb.and([eb('org_path', '>=', orgPath), eb('org_path', '<', prefixEnd(orgPath))]),
          eb.and([eb('partner_path', '>=', orgPath), eb('partner_path', '<', prefixEnd(orgPath))]),
        ]),
      );
    if (type) qb = qb.where('type', '=', type);
    return toNumber((await qb.executeTakeFirstOrThrow()).n);
  },

  // ---- invitations
  invitations(db: Queryable, scope: Scope, eventId: string): Promise<InvitationRow[]> {
    return db
      .selectFrom('atmosphere_event_invitations as v')
      .where((eb) => scopeWhere(eb, scope, { path: 'v.org_path', orgId: 'v.org_id' }))
      .innerJoin('orgs as o', 'o.id', 'v.org_id')
      .selectAll('v')
      .select('o.name as org_name')
      .where('v.event_id', '=', eventId)
      .orderBy('v.side')
      .orderBy('o.path')
      .execute();
  },
  async insertInvitation(db: Queryable, row: Insertable<AtmosphereEventInvitationsTable>): Promise<void> {
    await db.insertInto('atmosphere_event_invitations').values(row).execute();
  },
  async deleteInvitations(db: Queryable, eventId: string, orgIds: readonly string[]): Promise<void> {
    if (!orgIds.length) return;
    await db
      .deleteFrom('atmosphere_event_invitations')
      .where('event_id', '=', eventId)
      .where('org_id', 'in', orgIds)
      .execute();
  },
  async setAttendance(
    db: Queryable,
    eventId: string,
    orgId: string,
    set: { attended: number; headcount: number | null; updated_at: string },
  ): Promise<boolean> {
    const r = await db
      .updateTable('atmosphere_event_invitations')
      .set(set)
      .where('event_id', '=', eventId)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  // ---- photos
  photos(db: Queryable, scope: Scope, eventId: string): Promise<EventPhotoRow[]> {
    return db
      .selectFrom('atmosphere_event_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
  photo(db: Queryable, scope: Scope, eventId: string, photoId: string): Promise<EventPhotoRow | undefined> {
    return db
      .selectFrom('atmosphere_event_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('event_id', '=', eventId)
      .where('id', '=', photoId)
      .executeTakeFirst();
  },
  photoBySha(db: Queryable, scope: Scope, eventId: string, sha256: string): Promise<EventPhotoRow | undefined> {
    return db
      .selectFrom('atmosphere_event_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('event_id', '=', eventId)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  },
  async insertPhoto(db: Queryable, row: Insertable<AtmosphereEventPhotosTable>): Promise<void> {
    await db.insertInto('atmosphere_event_photos').values(row).execute();
  },
  async deletePhoto(db: Queryable, photoId: string): Promise<void> {
    await db.deleteFrom('atmosphere_event_photos').where('id', '=', photoId).execute();
  },
};
