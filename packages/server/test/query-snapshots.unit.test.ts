/**
 * The compiled SQL of the scoped queries, on both dialects, checked in under packages/server/queries/
 * (one file per repository and dialect). A change in what a scoped query reads — a table, a join, the
 * scope's range — shows in review as a diff of those files; this test fails while a file is out of
 * date. After a deliberate change: `npx vitest run --project unit -u packages/server/test/query-snapshots.unit.test.ts`.
 *
 * Nothing runs against a database: the repositories are called on a Kysely whose driver records each
 * compiled statement and answers no rows (a query that needs a row then throws, after it was recorded).
 */
import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { atmosphereRepo } from '../src/modules/atmosphere/atmosphere.repo.js';
import { eventsRepo } from '../src/modules/atmosphere/events.repo.js';
import { exemplarsRepo } from '../src/modules/atmosphere/exemplars.repo.js';
import { benefitsRepo } from '../src/modules/benefits/benefits.repo.js';
import { assignmentsRepo } from '../src/modules/campaigns/assignments.repo.js';
import { campaignsRepo } from '../src/modules/campaigns/campaigns.repo.js';
import { dashboardRepo } from '../src/modules/campaigns/dashboard.repo.js';
import { campaignsReadModel } from '../src/modules/campaigns/read-model.repo.js';
import { remindersRepo } from '../src/modules/campaigns/reminders.repo.js';
import { supervisionRepo } from '../src/modules/campaigns/supervision.repo.js';
import { workRepo } from '../src/modules/campaigns/work.repo.js';
import { honoursRepo } from '../src/modules/honours/honours.repo.js';
import { modelcityRepo } from '../src/modules/modelcity/modelcity.repo.js';
import { needsRepo } from '../src/modules/needs/needs.repo.js';
import { notificationsRepo } from '../src/modules/notifications/notifications.repo.js';
import { orgsRepo } from '../src/modules/orgs/orgs.repo.js';
import { householdsRepo } from '../src/modules/registry/households.repo.js';
import { registryRepo } from '../src/modules/registry/registry.repo.js';
import { transfersRepo } from '../src/modules/registry/transfers.repo.js';
import { emergenciesRepo } from '../src/modules/troops/emergencies.repo.js';
import { troopsRepo } from '../src/modules/troops/troops.repo.js';
import { usersRepo } from '../src/modules/users/users.repo.js';
import { moneyRepo } from '../src/modules/visits/money.repo.js';
import { plansRepo } from '../src/modules/visits/plans.repo.js';
import { recordsRepo } from '../src/modules/visits/records.repo.js';
import { visitsRepo } from '../src/modules/visits/visits.repo.js';
import { type Scope, SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import type { Database } from '../src/platform/db/schema.js';

type Dialect = 'sqlite' | 'postgres';

/** A Kysely of the dialect that records every compiled query and answers no rows. */
function recorder(dialect: Dialect) {
  const seen: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => (dialect === 'sqlite' ? new SqliteIntrospector(k) : new PostgresIntrospector(k)),
      createQueryCompiler: () => (dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
    },
    log: (e) => {
      if (e.level === 'query') seen.push(e.query);
    },
  });
  return { db, seen };
}

/** One line per clause, so a diff names the clause that changed. */
function layout(sqlText: string): string {
  return sqlText
    .replace(/\s+(from|inner join|left join|where|group by|order by|limit|offset|union all)\s+/g, '\n  $1 ')
    .replace(/\s+(and|or) (?=\()/g, '\n    $1 ');
}

const DISTRICT: Scope = { kind: 'subtree', path: '650200/650203/' };
const UNIT: Scope = { kind: 'org', orgId: 'org-unit', path: '650200/900001/' };
const OWN: Scope = { kind: 'own', userId: 'user-1', orgId: 'org-community', path: '650200/650203/01/0101/' };
const CITY: Scope = { kind: 'all' };
const DAY = '2026-12-03';

type Db = Kysely<Database>;
/** Each repository's scoped reads, called as its services call them. */
const CASES: Record<string, Record<string, (db: Db) => Promise<unknown>>> = {
  registry: {
    'page, district, no filter': (db) =>
      registryRepo.page(db, DISTRICT, {}, { page: 1, pageSize: 20, sort: 'name', order: 'asc' }),
    'page, district, category + status': (db) =>
      registryRepo.page(
        db,
        DISTRICT,
        { category: 'veteran' as never, status: 'active' },
        { page: 2, pageSize: 20, sort: 'name', order: 'asc' },
      ),
    'page, city, Chinese name search': (db) =>
      registryRepo.page(
        db,
        CITY,
        { q: { kind: 'han', text: '王秀' } },
        { page: 1, pageSize: 20, sort: 'name', order: 'asc' },
      ),
    'page, district, pinyin search': (db) =>
      registryRepo.page(
        db,
        DISTRICT,
        { q: { kind: 'latin', text: 'wxy' } },
        { page: 1, pageSize: 20, sort: 'updatedAt', order: 'desc', exact: true },
      ),
    'get, own scope': (db) => registryRepo.get(db, OWN, 'b-1'),
  },
  households: {
    'get, district': (db) => householdsRepo.get(db, DISTRICT, 'h-1'),
    'page, district, plaque eligible under a street': (db) =>
      householdsRepo.page(db, DISTRICT, { orgPath: '650200/650203/01/', plaqueEligible: true }, 1, 20),
    'members, org scope': (db) => householdsRepo.members(db, UNIT, ['h-1', 'h-2']),
    'service member, own scope': (db) => householdsRepo.serviceMember(db, OWN, 'm-1'),
  },
  transfers: {
    'visible, district (either side)': (db) => transfersRepo.visible(db, DISTRICT, 't-1'),
    'rows, org scope': (db) => transfersRepo.rows(db, UNIT).execute(),
    'count, district, pending': (db) => transfersRepo.count(db, DISTRICT, 'pending'),
  },
  honours: {
    'citation, district': (db) => honoursRepo.citation(db, householdsRepo.rows(db, SYSTEM_SCOPE), DISTRICT, 'c-1'),
    'citations, district, overdue in a year': (db) =>
      honoursRepo.citations(
        db,
        householdsRepo.rows(db, SYSTEM_SCOPE),
        DISTRICT,
        { year: 2026, overdue: true, today: DAY },
        1,
        20,
      ),
  },
  visits: {
    'plan, district': (db) => visitsRepo.plan(db, DISTRICT, 'p-1'),
    'target, own scope': (db) => visitsRepo.target(db, OWN, 't-1'),
    'plans page, district': (db) => plansRepo.page(db, DISTRICT, 'c-1', 1, 20),
    'targets page, unit, unvisited': (db) =>
      plansRepo.targetPage(db, UNIT, { campaignId: 'c-1', unvisited: 'true' }, 1, 20),
    'visits page, district, pending approval': (db) =>
      recordsRepo.page(db, DISTRICT, { approval: 'pending', page: 1, pageSize: 20 } as never),
    'budget lines, district': (db) => moneyRepo.budgetLines(db, DISTRICT, 'c-1'),
    'unvisited priority list, district': (db) => moneyRepo.unvisited(db, DISTRICT, 'c-1', 1, 20),
    'workable campaigns, district': (db) =>
      campaignsReadModel.issuedFor(
        db,
        DISTRICT,
        ['650200/', '650200/650203/'],
        visitsRepo.plannedCampaignIds(db, DISTRICT, ['650200/', '650200/650203/']),
        200,
      ),
  },
  needs: {
    'page, district': (db) => needsRepo.page(db, DISTRICT, {}, 1, 20, 'createdAt', 'desc'),
    'page, unit, open and overdue': (db) =>
      needsRepo.page(db, UNIT, { open: true, overdueBefore: DAY }, 1, 20, 'deadline', 'asc'),
    'page, department inbox': (db) =>
      needsRepo.page(db, UNIT, { handlerOrgId: 'org-unit', q: '供暖' }, 1, 20, 'updatedAt', 'desc'),
    'get, own scope': (db) => needsRepo.get(db, OWN, 'n-1'),
  },
  campaigns: {
    'page, district': (db) => campaignsRepo.page(db, DISTRICT, { page: 1, pageSize: 20 } as never),
    'page, city, issued, title search': (db) =>
      campaignsRepo.page(db, CITY, { page: 1, pageSize: 20, status: 'issued', q: '春节' } as never),
    'assignment counts, recipient side': (db) => campaignsRepo.assignmentCounts(db, DISTRICT, ['c-1'], true, DAY),
    'campaign, district': (db) => campaignsRepo.campaign(db, DISTRICT, 'c-1'),
    'assignment, unit': (db) => campaignsRepo.assignment(db, UNIT, 'a-1'),
    'dashboard rows, recipient side': (db) => dashboardRepo.rows(db, DISTRICT, 'c-1', false),
    'assignments page, overdue': (db) =>
      workRepo.page(db, DISTRICT, { page: 1, pageSize: 20, status: 'overdue' } as never, DAY),
    'reminder log, recipient side': (db) => remindersRepo.log(db, DISTRICT, 'c-1', false),
    'inspections, recipient side': (db) => supervisionRepo.inspections(db, UNIT, 'c-1', false),
    'recipient orgs (districts)': (db) => assignmentsRepo.activeOrgs(db, { type: 'veterans_bureau', depth: 1 }),
  },
  users: {
    'page, district, search': (db) => usersRepo.page(db, DISTRICT, { q: 'wang' }, 1, 20),
    'row, org scope': (db) => usersRepo.row(db, UNIT, 'u-1'),
  },
  orgs: {
    'get, district': (db) => orgsRepo.get(db, DISTRICT, 'o-1'),
  },
  notifications: {
    'page, own unread': (db) =>
      notificationsRepo.page(db, SYSTEM_SCOPE, 'user-1', { page: 1, pageSize: 20, unread: 'true' }),
  },
  atmosphere: {
    'publicity page, district, campaign': (db) => atmosphereRepo.page(db, DISTRICT, { campaignId: 'c-1' }, 1, 20),
    'publicity item, own scope': (db) => atmosphereRepo.get(db, OWN, 'i-1'),
    'events page, district': (db) =>
      eventsRepo.page(db, { scope: DISTRICT, militaryCityWide: false }, { campaignId: 'c-1' }, 1, 20),
    'events page, military city-wide': (db) =>
      eventsRepo.page(db, { scope: UNIT, militaryCityWide: true }, { status: 'held' }, 1, 20),
    'event, unit': (db) => eventsRepo.get(db, { scope: UNIT, militaryCityWide: false }, 'e-1'),
    'exemplars page, district, search': (db) =>
      exemplarsRepo.page(db, { scope: DISTRICT, military: false }, { year: 2026, q: '张' }, 1, 20),
    'exemplar, military side': (db) => exemplarsRepo.get(db, { scope: UNIT, military: true }, 'x-1'),
  },
  troops: {
    'activities page, district, area': (db) =>
      troopsRepo.page(db, DISTRICT, { areaPath: '650200/650203/01/', from: '2026-01-01' }, 1, 20),
    'activity, unit': (db) => troopsRepo.get(db, UNIT, 'a-1'),
    'partnerships, district': (db) => troopsRepo.partnerships(db, DISTRICT),
    'stats, district, months': (db) => troopsRepo.stats(db, DISTRICT, { fromMonth: '2026-01', toMonth: '2026-12' }),
    'emergencies page, district, open': (db) => emergenciesRepo.page(db, DISTRICT, { status: 'open' }, 1, 20),
    'emergency, unit (dispatched)': (db) => emergenciesRepo.get(db, UNIT, 'em-1'),
  },
  benefits: {
    'rosters page, district, period': (db) => benefitsRepo.rosterPage(db, DISTRICT, { period: '2026-12' }, 1, 20),
    'roster, district': (db) => benefitsRepo.roster(db, DISTRICT, 'r-1'),
    'discrepancies page, district, open': (db) => benefitsRepo.discrepancyPage(db, DISTRICT, { status: 'open' }, 1, 20),
    'discrepancies page, district, mine, overdue': (db) =>
      benefitsRepo.discrepancyPage(
        db,
        DISTRICT,
        { overdueBefore: '2026-12-03', mine: { orgId: 'org-district', userId: 'user-1' } },
        1,
        20,
      ),
    'discrepancy owners, district': (db) => benefitsRepo.ownerOrgs(db, DISTRICT, '650200/650203/'),
    'discrepancy totals by kind, district': (db) =>
      benefitsRepo.totalsByKind(db, DISTRICT, '2026-01', '2026-12', '2026-12-03'),
    'confirmations, org scope, year': (db) => benefitsRepo.confirmations(db, UNIT, { year: 2026 }),
    'totals, city': (db) => benefitsRepo.totals(db, CITY, '2026-01', '2026-12'),
  },
  modelcity: {
    'counts, district': (db) => modelcityRepo.counts(db, DISTRICT, 'round-1', '2026-01-01'),
    'evidence, district, few in scope': (db) => modelcityRepo.evidence(db, DISTRICT, 'round-1', ['el-1'], 5),
    'evidence, district, many in scope': (db) =>
      modelcityRepo.evidence(db, DISTRICT, 'round-1', ['el-1'], 5, new Map([['el-1', 100_000]])),
    'evidence item, org scope': (db) => modelcityRepo.get(db, UNIT, 'ev-1'),
    'owned items, org scope': (db) => modelcityRepo.ownedBy(db, UNIT, 'round-1'),
  },
};

async function render(repo: string, dialect: Dialect): Promise<string> {
  const out = [
    `-- Compiled SQL of ${repo}'s scoped queries on ${dialect}: generated by`,
    '-- packages/server/test/query-snapshots.unit.test.ts (update with vitest -u), reviewed as a diff.',
  ];
  for (const [name, call] of Object.entries(CASES[repo] ?? {})) {
    const { db, seen } = recorder(dialect);
    await call(db).catch(() => undefined); // no rows: a query that needs one throws after compiling
    out.push('', `-- ${repo}: ${name}`);
    for (const q of seen) {
      out.push(`${layout(q.sql)};`);
      if (q.parameters.length) out.push(`-- parameters: ${JSON.stringify(q.parameters)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

describe('compiled SQL of the scoped queries', () => {
  for (const repo of Object.keys(CASES))
    for (const dialect of ['sqlite', 'postgres'] as const)
      it(`${repo} on ${dialect} matches packages/server/queries/${repo}.${dialect}.sql`, async () => {
        const text = await render(repo, dialect);
        expect(text).toContain('select');
        await expect(text).toMatchFileSnapshot(`../queries/${repo}.${dialect}.sql`);
      });
});
