import { randomBytes } from 'node:crypto';
import { type createOrgBody, type moveOrgBody, ORG_TYPE_SIDE, type Org, type updateOrgBody } from '@shuangyong/shared';
import type { z } from 'zod';
import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { rewritePaths } from '../../platform/access/scoped-tables.js';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { type OrgFilter, type OrgRow, orgsRepo, toOrg } from './orgs.repo.js';

export class OrgsService {
  constructor(private readonly p: Platform) {}

  private get db() {
    return this.p.handle.db;
  }

  /**
   * Read model for other modules: the org's row when it lies in `scope` (inside the caller's
   * transaction when `db` is one), else undefined.
   */
  inScope(db: Queryable, scope: Scope, id: string): Promise<OrgRow | undefined> {
    return orgsRepo.get(db, scope, id);
  }

  /** Read model for other modules: these orgs' rows, whatever the caller's scope (pickers check it). */
  byIds(db: Queryable, ids: readonly string[]): Promise<OrgRow[]> {
    return orgsRepo.byIds(db, ids);
  }

  async tree(ctx: RequestCtx, includeInactive: boolean): Promise<Org[]> {
    return (await orgsRepo.tree(this.db, ctx.actor.scope, includeInactive)).map(toOrg);
  }

  async page(ctx: RequestCtx, f: OrgFilter, page: number, pageSize: number) {
    const { rows, total } = await orgsRepo.page(this.db, ctx.actor.scope, f, page, pageSize);
    return { items: rows.map(toOrg), total, page, pageSize };
  }

  async get(ctx: RequestCtx, id: string): Promise<Org> {
    const row = await orgsRepo.get(this.db, ctx.actor.scope, id);
    if (!row) throw notFound();
    return toOrg(row);
  }

  /** Changes run in one transaction with their audit row; the result is re-read inside it. */
  private async change(
    ctx: RequestCtx,
    fn: (trx: Tx) => Promise<{ id: string; action: string; before: OrgRow | null }>,
  ) {
    return this.db.transaction().execute(async (trx) => {
      const { id, action, before } = await fn(trx);
      const after = (await orgsRepo.get(trx, SYSTEM_SCOPE, id)) as OrgRow;
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action,
        entityType: 'org',
        entityId: id,
        changes: diffFields(before, after),
      });
      return toOrg(after);
    });
  }

  private async loadForChange(trx: Tx, ctx: RequestCtx, id: string, version: number): Promise<OrgRow> {
    const row = await orgsRepo.get(trx, ctx.actor.scope, id);
    if (!row) throw notFound();
    if (row.version !== version) throw versionConflict();
    return row;
  }

  /** The caller may not restructure the org their own scope hangs from (nor anything above it). */
  private assertBelowScopeRoot(ctx: RequestCtx, row: OrgRow) {
    const s = ctx.actor.scope;
    if (s.kind !== 'all' && row.path.length <= s.path.length)
      throw new AppError(403, 'org_out_of_scope', 'org.outOfScope');
  }

  async create(ctx: RequestCtx, body: z.infer<typeof createOrgBody>): Promise<Org> {
    return this.change(ctx, async (trx) => {
      const parent = await orgsRepo.get(trx, ctx.actor.scope, body.parentId);
      if (!parent) throw notFound();
      if (!parent.active) throw conflict('parent_inactive', 'org.inactiveParent');
      const code = body.code ?? body.regionCode ?? randomBytes(4).toString('hex');
      const path = `${parent.path}${code}/`;
      if (await orgsRepo.pathTaken(trx, path)) throw conflict('org_code_taken', 'org.codeTaken');
      const now = nowIso();
      const id = uuidv7();
      await orgsRepo.insert(trx, {
        id,
        parent_id: parent.id,
        code,
        name: body.name,
        type: body.type,
        side: body.side ?? ORG_TYPE_SIDE[body.type],
        region_code: body.regionCode ?? null,
        path,
        depth: parent.depth + 1,
        active: 1,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      return { id, action: 'org.create', before: null };
    });
  }

  async rename(ctx: RequestCtx, id: string, body: z.infer<typeof updateOrgBody>): Promise<Org> {
    return this.change(ctx, async (trx) => {
      const before = await this.loadForChange(trx, ctx, id, body.version);
      if (!(await orgsRepo.update(trx, id, body.version, { name: body.name, updated_at: nowIso() })))
        throw versionConflict();
      return { id, action: 'org.update', before };
    });
  }

  async move(ctx: RequestCtx, id: string, body: z.infer<typeof moveOrgBody>): Promise<Org> {
    return this.change(ctx, async (trx) => {
      const before = await this.loadForChange(trx, ctx, id, body.version);
      this.assertBelowScopeRoot(ctx, before);
      const parent = await orgsRepo.get(trx, ctx.actor.scope, body.parentId);
      if (!parent) throw notFound();
      if (!parent.active) throw conflict('parent_inactive', 'org.inactiveParent');
      if (parent.path.startsWith(before.path)) throw badRequest('org_move_into_subtree', 'org.moveIntoOwnSubtree');
      const newPath = `${parent.path}${before.code}/`;
      if (newPath !== before.path) {
        if (await orgsRepo.pathTaken(trx, newPath)) throw conflict('org_code_taken', 'org.codeTaken');
        await rewritePaths(trx, before.path, newPath);
      }
      if (!(await orgsRepo.update(trx, id, body.version, { parent_id: parent.id, updated_at: nowIso() })))
        throw versionConflict();
      return { id, action: 'org.move', before };
    });
  }

  async setActive(ctx: RequestCtx, id: string, version: number, active: boolean): Promise<Org> {
    return this.change(ctx, async (trx) => {
      const before = await this.loadForChange(trx, ctx, id, version);
      this.assertBelowScopeRoot(ctx, before);
      if (!active && (await orgsRepo.activeChildCount(trx, id)) > 0)
        throw conflict('org_has_children', 'org.hasActiveChildren');
      if (active && before.parent_id) {
        const parent = await orgsRepo.get(trx, SYSTEM_SCOPE, before.parent_id);
        if (parent && !parent.active) throw conflict('parent_inactive', 'org.inactiveParent');
      }
      if (!(await orgsRepo.update(trx, id, version, { active: active ? 1 : 0, updated_at: nowIso() })))
        throw versionConflict();
      return { id, action: active ? 'org.activate' : 'org.deactivate', before };
    });
  }
}
