import {
  type BeneficiaryDetail,
  type BeneficiaryStatus,
  type CategoryCode,
  type createBeneficiaryBody,
  t,
  type updateBeneficiaryBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { ExtractionGuard } from '../../platform/access/extraction-guard.js';
import { districtOf, type Scope, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Tx } from '../../platform/db/index.js';
import { AppError, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { normalizeQuery } from '../../platform/text/chinese.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { householdsRepo } from './households.repo.js';
import { checkPerson, makesPlaqueEligible, type NormalizedPerson, nameKeysOf, withNameKeys } from './normalize.js';
import { idBlindIndex, open, SEALED_FIELDS, sealAddress, sealId, sealPhone } from './personal-data.js';
import {
  type BeneficiaryRow,
  countChange,
  countsRepo,
  type ListFilter,
  registryRepo,
  toListItem,
} from './registry.repo.js';
import type { TransfersService } from './transfers.service.js';

type CreateBody = z.infer<typeof createBeneficiaryBody>;
type UpdateBody = z.infer<typeof updateBeneficiaryBody>;

/** Org types a person can be registered under (the civilian veterans-affairs line). */
const REGISTRY_ORG_TYPES = new Set(['veterans_bureau', 'service_station']);

function auditMask(field: string, value: unknown) {
  if (value == null) return value;
  return SEALED_FIELDS.has(field) ? t('audit.sealedValue') : value;
}

export function invalidPerson(errors: { field: string; key: string }[]): AppError {
  return new AppError(400, 'validation_failed', 'beneficiary.invalid', undefined, {
    errors: errors.map((e) => ({ path: `body.${e.field}`, message: t(e.key) })),
  });
}

export class RegistryService {
  private readonly guard: ExtractionGuard;

  constructor(
    private readonly p: Platform,
    private readonly transfers: TransfersService,
    private readonly orgs: OrgsService,
  ) {
    this.guard = new ExtractionGuard(p);
  }

  private get db() {
    return this.p.handle.db;
  }

  exportGuard(ctx: RequestCtx, rows: number, revealed: boolean) {
    return this.guard.afterExport(ctx, rows, revealed);
  }

  /** Turns list filters from the browser into a repository filter; the org filter is checked against the scope. */
  async filterOf(ctx: RequestCtx, query: Record<string, unknown>): Promise<ListFilter> {
    const q = query as {
      q?: string;
      orgId?: string;
      category?: CategoryCode;
      status?: BeneficiaryStatus;
      ageMin?: number;
      ageMax?: number;
      plaque?: string;
    };
    const f: ListFilter = { category: q.category, status: q.status, plaque: q.plaque };
    if (q.orgId) {
      const org = await this.orgs.inScope(this.db, ctx.actor.scope, q.orgId);
      if (!org) throw notFound();
      f.orgPath = org.path;
    }
    if (q.q) {
      const text = normalizeQuery(q.q);
      if (text) f.q = /^[a-z]+$/.test(text) ? { kind: 'latin', text } : { kind: 'han', text };
    }
    const today = new Date();
    const shift = (years: number) =>
      new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate()))
        .toISOString()
        .slice(0, 10);
    if (q.ageMin !== undefined) f.birthTo = shift(q.ageMin);
    if (q.ageMax !== undefined) f.birthFrom = shift(q.ageMax + 1);
    return f;
  }

  async page(
    ctx: RequestCtx,
    q: Record<string, unknown> & {
      page: number;
      pageSize: number;
      sort: 'name' | 'birthDate' | 'updatedAt';
      order: 'asc' | 'desc';
      after?: string | undefined;
      exact?: '1' | undefined;
    },
  ) {
    const f = await this.filterOf(ctx, q);
    // lists and searches read in the database readers (off the event loop on SQLite; decisions/0031)
    const r = await registryRepo.page(this.p.handle.reader, ctx.actor.scope, f, { ...q, exact: q.exact === '1' });
    return { ...r, page: q.page, pageSize: q.pageSize };
  }

  async detail(ctx: RequestCtx, id: string, db: Tx | typeof this.db = this.db): Promise<BeneficiaryDetail> {
    const row = await registryRepo.get(db, ctx.actor.scope, id);
    if (!row) throw notFound();
    // the person was read in scope: their service member and household come with them
    const [assignments, member, household] = await Promise.all([
      registryRepo.assignments(db, SYSTEM_SCOPE, id),
      row.service_member_id ? householdsRepo.serviceMember(db, SYSTEM_SCOPE, row.service_member_id) : undefined,
      row.household_id ? householdsRepo.get(db, SYSTEM_SCOPE, row.household_id) : undefined,
    ]);
    const perms = ctx.actor.permissions;
    return {
      ...toListItem(row),
      nameAsWritten: row.name_as_written,
      addressMasked: row.address_masked,
      statusDate: row.status_date,
      note: row.note,
      relation: row.relation as BeneficiaryDetail['relation'],
      assignments: assignments.map((a) => ({
        code: a.code as CategoryCode,
        startDate: a.start_date,
        endDate: a.end_date,
        disabilityGrade: a.disability_grade,
        disabilityCause: (a.disability_cause ?? null) as BeneficiaryDetail['assignments'][number]['disabilityCause'],
        relation: a.relation as BeneficiaryDetail['relation'],
        certificateNo: a.certificate_no,
      })),
      serviceMember: member
        ? {
            id: member.id,
            name: member.name,
            kind: member.kind as 'martyr',
            eventDate: member.event_date,
            unitCodeName: member.unit_code_name,
            certificateNo: member.certificate_no,
          }
        : null,
      household: household
        ? { id: household.id, addressMasked: household.address_masked, plaqueStatus: household.plaque_status as 'none' }
        : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      abilities: {
        update: perms.has('beneficiary:write'),
        reveal: perms.has('beneficiary:reveal'),
        transfer: perms.has('beneficiary:write'),
      },
    };
  }

  /** The org a person is registered under: in scope, on the veterans-affairs line. */
  async registryOrg(trx: Tx, scope: Scope, orgId: string) {
    const org = await this.orgs.inScope(trx, scope, orgId);
    if (!org) throw notFound();
    if (!REGISTRY_ORG_TYPES.has(org.type)) throw new AppError(400, 'org_not_registry', 'beneficiary.orgNotRegistry');
    return org;
  }

  /**
   * Inserts one normalised person inside the caller's transaction (form and import share this).
   * Returns the new id; the caller has already checked for duplicates.
   */
  async insertPerson(
    trx: Tx,
    ctx: RequestCtx,
    org: { id: string; path: string },
    person: NormalizedPerson,
    extra: {
      householdId?: string | undefined;
      status?: string;
      statusDate?: string | undefined;
      relation?: string | undefined;
      note?: string | undefined;
      serviceMember?: CreateBody['serviceMember'];
    } = {},
  ): Promise<string> {
    const now = nowIso();
    let householdId = extra.householdId ?? null;
    if (householdId) {
      const h = await householdsRepo.get(trx, SYSTEM_SCOPE, householdId);
      if (!h || !scopeCovers(ctx.actor.scope, { orgId: org.id, orgPath: h.org_path }))
        throw new AppError(404, 'not_found', 'beneficiary.householdOutOfScope');
    } else {
      householdId = uuidv7();
      await householdsRepo.insert(trx, {
        id: householdId,
        org_id: org.id,
        org_path: org.path,
        ...sealAddress(this.p.crypto, person.address),
        plaque_status: 'none',
        plaque_eligible: 0,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    let serviceMemberId: string | null = null;
    if (extra.serviceMember) {
      serviceMemberId = uuidv7();
      const m = extra.serviceMember;
      await householdsRepo.insertServiceMember(trx, {
        id: serviceMemberId,
        org_id: org.id,
        org_path: org.path,
        name: m.name,
        kind: m.kind,
        event_date: m.eventDate ?? null,
        unit_code_name: m.unitCodeName ?? null,
        certificate_no: m.certificateNo ?? null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    const id = uuidv7();
    const status = extra.status ?? 'active';
    await registryRepo.insert(trx, {
      id,
      org_id: org.id,
      org_path: org.path,
      district_path: districtOf(org.path),
      household_id: householdId,
      service_member_id: serviceMemberId,
      relation: extra.relation ?? null,
      name: person.name,
      name_as_written: person.nameAsWritten,
      name_simplified: person.nameKeys.simplified,
      name_pinyin: person.nameKeys.pinyin,
      name_initials: person.nameKeys.initials,
      ...sealId(this.p.crypto, person.idNumber),
      birth_date: person.birthDate,
      sex: person.sex,
      ...sealPhone(this.p.crypto, person.phone),
      ...sealAddress(this.p.crypto, person.address),
      categories: person.categories.map((c) => c.code).join(','),
      status,
      status_date: extra.statusDate ?? null,
      note: extra.note ?? null,
      merged_into: null,
      created_by: ctx.actor.userId,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    await registryRepo.setCategories(
      trx,
      { id, status, org_path: org.path, name_pinyin: person.nameKeys.pinyin },
      person.categories,
    );
    await registryRepo.setNameIndex(trx, SYSTEM_SCOPE, {
      id,
      name_simplified: person.nameKeys.simplified,
      org_path: org.path,
    });
    await countsRepo.apply(
      trx,
      countChange(null, {
        org_id: org.id,
        org_path: org.path,
        status,
        categories: person.categories.map((c) => c.code),
      }),
    );
    await this.refreshHousehold(trx, householdId);
    return id;
  }

  /** Recomputes whether a household should have a 光荣牌 from its active members' categories. */
  async refreshHousehold(trx: Tx, householdId: string | null) {
    if (!householdId) return;
    const codes = await registryRepo.householdMemberCategories(trx, SYSTEM_SCOPE, householdId);
    await householdsRepo.setPlaqueEligible(trx, householdId, makesPlaqueEligible(codes));
  }

  async create(ctx: RequestCtx, body: CreateBody): Promise<BeneficiaryDetail> {
    const n = checkPerson(body);
    if (!n.ok) throw invalidPerson(n.errors);
    const [person] = (await withNameKeys([n.value])) as [NormalizedPerson];
    const bi = idBlindIndex(this.p.crypto, person.idNumber);
    const outcome = await this.db.transaction().execute(async (trx) => {
      const org = await this.registryOrg(trx, ctx.actor.scope, body.orgId);
      const existing = await registryRepo.byBlindIndex(trx, SYSTEM_SCOPE, bi);
      if (existing) {
        if (scopeCovers(ctx.actor.scope, { orgId: existing.org_id, orgPath: existing.org_path }))
          throw new AppError(
            409,
            'duplicate',
            'beneficiary.duplicate',
            { name: existing.name, idMasked: existing.id_masked },
            {
              allowed: [existing.id],
            },
          );
        // Registered in another district: a transfer request, not a copy; the holder stays unnamed
        const transferId = await this.transfers.open(trx, ctx, existing, org, t('beneficiary.transferFromDuplicate'));
        return { kind: 'transfer' as const, transferId };
      }
      const id = await this.insertPerson(trx, ctx, org, person, body);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'beneficiary.create',
        entityType: 'beneficiary',
        entityId: id,
        changes: {
          name: [null, person.name],
          id_masked: [null, sealId(this.p.crypto, person.idNumber).id_masked],
          org: [null, org.name],
        },
      });
      return { kind: 'created' as const, id };
    });
    if (outcome.kind === 'transfer') {
      // the request must outlive this refusal, so it was committed above. The answer is a disclosure
      // ("registered elsewhere", never where): audited and counted like a look-up (issue 13, item 3).
      await this.p.audit.event(this.db, auditActorOf(ctx), {
        action: 'beneficiary.lookup',
        entityType: 'beneficiary',
        changes: { found: false, elsewhere: true, via: 'register' },
      });
      await this.guard.afterLookup(ctx);
      throw new AppError(409, 'registered_elsewhere', 'beneficiary.registeredElsewhere', undefined, {
        allowed: [outcome.transferId],
      });
    }
    return this.detail(ctx, outcome.id);
  }

  async update(ctx: RequestCtx, id: string, body: UpdateBody): Promise<BeneficiaryDetail> {
    // the new name's search keys, made before the transaction (in the name-keys worker)
    const keys = body.name === undefined ? null : await nameKeysOf(body.name);
    return this.db.transaction().execute(async (trx) => {
      const before = await registryRepo.get(trx, ctx.actor.scope, id);
      if (!before) throw notFound();
      if (before.version !== body.version) throw versionConflict();
      const set: Partial<BeneficiaryRow> = {};
      if (body.name !== undefined || body.phone !== undefined || body.categories) {
        const n = checkPerson({
          name: body.name ?? before.name,
          idNumber: open(this.p.crypto, before.id_enc)!,
          phone: body.phone === undefined ? open(this.p.crypto, before.phone_enc) : body.phone,
          categories: body.categories ?? [],
        });
        if (!n.ok) throw invalidPerson(n.errors);
        if (body.name !== undefined && keys) {
          set.name = n.value.name;
          set.name_as_written = n.value.nameAsWritten;
          set.name_simplified = keys.simplified;
          set.name_pinyin = keys.pinyin;
          set.name_initials = keys.initials;
        }
        if (body.phone !== undefined) Object.assign(set, sealPhone(this.p.crypto, n.value.phone));
      }
      if (body.address !== undefined) Object.assign(set, sealAddress(this.p.crypto, body.address));
      if (body.status !== undefined) set.status = body.status;
      if (body.statusDate !== undefined) set.status_date = body.statusDate;
      if (body.relation !== undefined) set.relation = body.relation;
      if (body.note !== undefined) set.note = body.note;
      if (body.categories) set.categories = body.categories.map((c) => c.code).join(',');
      if (body.orgId && body.orgId !== before.org_id) {
        const org = await this.registryOrg(trx, ctx.actor.scope, body.orgId);
        set.org_id = org.id;
        set.org_path = org.path;
        set.district_path = districtOf(org.path);
      }
      if (!(await registryRepo.update(trx, id, body.version, set))) throw versionConflict();
      const status = set.status ?? before.status;
      const orgPath = set.org_path ?? before.org_path;
      const sortName = set.name_pinyin ?? before.name_pinyin;
      if (body.categories)
        await registryRepo.setCategories(
          trx,
          { id, status, org_path: orgPath, name_pinyin: sortName },
          body.categories,
        );
      else if (set.status || set.org_path || set.name_pinyin)
        await registryRepo.syncCategoryRows(trx, id, status, orgPath, sortName);
      if (set.name_simplified || set.org_path)
        await registryRepo.setNameIndex(trx, SYSTEM_SCOPE, {
          id,
          name_simplified: set.name_simplified ?? before.name_simplified,
          org_path: orgPath,
        });
      await countsRepo.apply(
        trx,
        countChange(before, {
          org_id: set.org_id ?? before.org_id,
          org_path: orgPath,
          status,
          categories: set.categories ?? before.categories,
        }),
      );
      await this.refreshHousehold(trx, before.household_id);
      const after = (await registryRepo.get(trx, SYSTEM_SCOPE, id))!;
      const { org_name: _a, ...b } = before;
      const { org_name: _b, ...a } = after;
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'beneficiary.update',
        entityType: 'beneficiary',
        entityId: id,
        changes: diffFields(b, a, auditMask),
      });
      return this.detail(ctx, id, trx);
    });
  }

  /** Full personal data of one record: needs beneficiary:reveal and a reason; always audited. */
  async reveal(ctx: RequestCtx, id: string, reason: string) {
    const result = await this.db.transaction().execute(async (trx) => {
      const row = await registryRepo.get(trx, ctx.actor.scope, id);
      if (!row) throw notFound();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'beneficiary.reveal',
        entityType: 'beneficiary',
        entityId: id,
        changes: { reason },
      });
      return {
        idNumber: open(this.p.crypto, row.id_enc)!,
        phone: open(this.p.crypto, row.phone_enc),
        address: open(this.p.crypto, row.address_enc),
      };
    });
    await this.guard.afterLookup(ctx);
    return result;
  }

  /** Exact lookup by full ID number through the blind index (the number travels in a POST body). */
  async lookup(ctx: RequestCtx, rawId: string) {
    const n = checkPerson({ name: '查询', idNumber: rawId, categories: [] });
    if (!n.ok) throw invalidPerson(n.errors.filter((e) => e.field === 'idNumber'));
    const row = await registryRepo.byBlindIndex(this.db, SYSTEM_SCOPE, idBlindIndex(this.p.crypto, n.value.idNumber));
    const visible =
      row && row.status !== 'merged' && scopeCovers(ctx.actor.scope, { orgId: row.org_id, orgPath: row.org_path });
    const elsewhere = !!row && !visible;
    // the dedupe hint is a disclosure: audited with its outcome, never naming the record or its district
    await this.p.audit.event(this.db, auditActorOf(ctx), {
      action: 'beneficiary.lookup',
      entityType: 'beneficiary',
      entityId: visible ? row.id : undefined,
      changes: { found: !!visible, elsewhere },
    });
    await this.guard.afterLookup(ctx);
    return { found: visible ? toListItem(row) : null, elsewhere };
  }
}
