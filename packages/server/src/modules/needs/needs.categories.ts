import type { createNeedCategoryBody, NeedCategory, updateNeedCategoryBody } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { bool } from '../../platform/db/index.js';
import { AppError, conflict, versionConflict } from '../../platform/errors.js';
import { nowIso } from '../../platform/ids.js';
import { needsRepo } from './needs.repo.js';
import type { NeedCategoriesTable } from './needs.schema.js';

export function toCategory(r: Selectable<NeedCategoriesTable>): NeedCategory {
  return {
    code: r.code,
    label: r.label,
    deadlineDays: r.deadline_days,
    sortOrder: r.sort_order,
    active: bool(r.active),
    version: r.version,
  };
}

/** The configurable category list and each category's deadline in working days. */
export class NeedCategories {
  constructor(private readonly p: Platform) {}

  async list(): Promise<{ items: NeedCategory[] }> {
    return { items: (await needsRepo.categories(this.p.handle.db)).map(toCategory) };
  }

  async create(ctx: RequestCtx, b: z.infer<typeof createNeedCategoryBody>): Promise<NeedCategory> {
    return this.p.handle.db.transaction().execute(async (trx) => {
      if (await needsRepo.category(trx, b.code))
        throw conflict('category_exists', 'need.categoryExists', { code: b.code });
      const row = {
        code: b.code,
        label: b.label,
        deadline_days: b.deadlineDays,
        sort_order: b.sortOrder ?? 900,
        active: 1,
        version: 1,
        updated_at: nowIso(),
      };
      await needsRepo.insertCategory(trx, row);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'need.category_create',
        entityType: 'need_category',
        entityId: b.code,
        changes: diffFields(null, { label: b.label, deadline_days: b.deadlineDays }),
      });
      return toCategory(row);
    });
  }

  async update(ctx: RequestCtx, code: string, b: z.infer<typeof updateNeedCategoryBody>): Promise<NeedCategory> {
    return this.p.handle.db.transaction().execute(async (trx) => {
      const before = await needsRepo.category(trx, code);
      if (!before) throw new AppError(404, 'not_found', 'need.categoryNotFound', { code });
      if (before.version !== b.version) throw versionConflict();
      const set = {
        ...(b.label !== undefined ? { label: b.label } : {}),
        ...(b.deadlineDays !== undefined ? { deadline_days: b.deadlineDays } : {}),
        ...(b.sortOrder !== undefined ? { sort_order: b.sortOrder } : {}),
        ...(b.active !== undefined ? { active: b.active ? 1 : 0 } : {}),
      };
      if (!(await needsRepo.updateCategory(trx, code, b.version, set))) throw versionConflict();
      const after = (await needsRepo.category(trx, code))!;
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'need.category_update',
        entityType: 'need_category',
        entityId: code,
        changes: diffFields(before, after),
      });
      return toCategory(after);
    });
  }
}
