import { rebuildAfterMove } from '../../platform/access/scoped-tables.js';
import { labelMap } from '../../platform/audit/labels.js';
import { defineModule } from '../../platform/module.js';
import { notificationsModule } from '../notifications/notifications.module.js';
import { orgsModule } from '../orgs/orgs.module.js';
import { usersModule } from '../users/users.module.js';
import { needCountsRepo } from './counts.repo.js';
import { NeedAttachments } from './needs.attachments.js';
import { NeedCategories } from './needs.categories.js';
import { NeedNotes } from './needs.notes.js';
import { needTitles } from './needs.repo.js';
import { needsReportRoutes } from './needs.report.routes.js';
import { needsRoutes } from './needs.routes.js';
import { NeedsService } from './needs.service.js';
import { NeedStatistics } from './needs.stats.js';

const MINUTE = 60 * 1000;

// an org move changes the ancestors the cockpit's counter is keyed by (decisions/0050)
rebuildAfterMove('need_counts', (trx) => needCountsRepo.rebuild(trx));

/**
 * 急难愁盼 cases: intake, the two views (military / civilian), the life cycle, statistics and
 * categories; a sweep escalates overdue cases and reminds those near their deadline.
 */
export const needsModule = defineModule({
  name: 'needs',
  tables: ['needs', 'need_counts', 'need_categories', 'need_handlers', 'need_events', 'need_tags', 'need_attachments'],
  requires: [notificationsModule, orgsModule, usersModule],
  build: ({ p }, { notifications, orgs, users }) => {
    const db = p.handle.db;
    const needs = new NeedsService(p, notifications, orgs, users);
    const notes = new NeedNotes(p);
    const files = new NeedAttachments(p);
    const categories = new NeedCategories(p);
    const statistics = new NeedStatistics(p);
    return {
      services: needs,
      routes: [needsRoutes(p, needs, notes, files), needsReportRoutes(p, needs, categories, statistics)],
      targets: { need: async (scope, id) => !!(await needs.visible(db, scope, id)) },
      labels: { need: async (ids, actor) => labelMap(await needTitles(db, actor.scope, ids)) },
      timers: [
        {
          name: 'needs deadline sweep',
          everyMs: 15 * MINUTE,
          run: (now) => needs.escalateOverdue(now).then(() => notifications.flush()),
        },
      ],
    };
  },
});
export type { NeedsService } from './needs.service.js';
