import { maskName } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { rebuildAfterMove } from '../../platform/access/scoped-tables.js';
import { systemActor } from '../../platform/auth/actor.js';
import { defineModule } from '../../platform/module.js';
import { orgsModule } from '../orgs/orgs.module.js';
import { GradeChangesService } from './grade-changes.service.js';
import { householdLines } from './household-lines.js';
import { householdsRepo } from './households.repo.js';
import { BeneficiaryImport, IMPORT_KIND } from './import.js';
import { importExportRoutes } from './import-export.routes.js';
import { ImportJobs } from './imports.service.js';
import { MergesService } from './merges.service.js';
import { idBlindIndex, open } from './personal-data.js';
import { registryReadModel } from './read-model.repo.js';
import { nameIndexRepo, registryRepo } from './registry.repo.js';
import { registryRoutes } from './registry.routes.js';
import { RegistryService } from './registry.service.js';
import { TransfersService } from './transfers.service.js';

/** What other modules may do with the registry's households (decisions/0024, point 2). */
const householdsReadModel = {
  get: householdsRepo.get,
  page: householdsRepo.page,
  members: householdsRepo.members,
  activeMembers: householdsRepo.activeMembers,
  rows: householdsRepo.rows,
  setPlaqueStatus: householdsRepo.setPlaqueStatus,
};

// the name index's district tokens follow the people of a moved org (decisions/0087)
rebuildAfterMove('beneficiary_name_index', (trx, moved) => nameIndexRepo.reindexBelow(trx, moved.newPrefix));

/** 优抚对象: the register of entitled persons, transfers between districts, merges, import and export. */
export const registryModule = defineModule({
  name: 'registry',
  tables: [
    'service_members',
    'households',
    'beneficiaries',
    'beneficiary_categories',
    'beneficiary_grade_changes',
    'beneficiary_name_index',
    'beneficiary_counts',
    'transfers',
    'merges',
  ],
  requires: [orgsModule],
  build: ({ p, jobs, sessions }, { orgs }) => {
    const db = p.handle.db;
    const transfers = new TransfersService(p, orgs);
    const registry = new RegistryService(p, transfers, orgs);
    const merges = new MergesService(p);
    const gradeChanges = new GradeChangesService(p, registry);
    const lines = householdLines();
    const beneficiaryImport = new BeneficiaryImport(
      p,
      async (job) => {
        if (job.created_by === 'system') return systemActor({ id: job.org_id, path: job.org_path, name: 'system' });
        const actor = await sessions.actorOf(job.created_by);
        if (!actor) throw new Error('the job creator is no longer active');
        return actor;
      },
      jobs,
      gradeChanges,
    );
    return {
      services: {
        registry,
        transfers,
        merges,
        /** 残疾等级 changes with their date; benefits listens for the back pay (decisions/0056). */
        gradeChanges,
        imports: new ImportJobs(jobs),
        readModel: registryReadModel,
        /** Households for honours (光荣牌): read in scope, joined by subquery, the plaque status set. */
        households: householdsReadModel,
        /** Lines other modules add to a household's timeline (troops: a unit's visit to the household). */
        householdLines: lines,
        /** The blind index of a normalised ID number (to match other files against the register). */
        idBlindIndex: (idNumber: string) => idBlindIndex(p.crypto, idNumber),
        /** Clear ID numbers of some people, for a file a bank needs them in; the caller audits the export. */
        openIdNumbers: async (ids: readonly string[]) => {
          const out = new Map<string, string>();
          for (let i = 0; i < ids.length; i += 500)
            for (const r of await registryReadModel.sealedIds(db, SYSTEM_SCOPE, ids.slice(i, i + 500)))
              out.set(r.id, open(p.crypto, r.id_enc) ?? '');
          return out;
        },
      },
      routes: [
        registryRoutes(p, registry, transfers, merges, gradeChanges),
        importExportRoutes(p, registry, jobs, new ImportJobs(jobs)),
      ],
      targets: {
        beneficiary: async (scope, id) => !!(await registryRepo.get(db, scope, id)),
        transfer: async (scope, id) => !!(await transfers.visible(scope, id)),
        merge: async (scope, id) => !!(await merges.visible(db, scope, id)),
      },
      labels: {
        // names in clear only for those who work with the families (as households are labelled)
        beneficiary: async (ids, actor) =>
          new Map(
            (await registryRepo.names(db, actor.scope, ids)).map((b) => [
              b.id,
              actor.permissions.has('beneficiary:write') ? b.name : maskName(b.name),
            ]),
          ),
      },
      jobs: { [IMPORT_KIND]: beneficiaryImport },
    };
  },
});

export type { GradeChangeListener, GradeChangesService, RecordedGradeChange } from './grade-changes.service.js';
export type { HouseholdLine, HouseholdLines } from './household-lines.js';
export type { HouseholdFilter } from './households.repo.js';
export type { RegistryReadModel } from './read-model.repo.js';
export type HouseholdsReadModel = typeof householdsReadModel;
/** The subquery of households' id, org and path that other modules join (`.as('h')`). */
export type HouseholdRows = ReturnType<typeof householdsRepo.rows>;
