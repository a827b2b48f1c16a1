import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/context.js';
import type { TargetResolver } from '../../platform/http/pipeline.js';
import { notificationsRoutes } from '../notifications/notifications.routes.js';
import { NeedAttachments } from './needs.attachments.js';
import { NeedCategories } from './needs.categories.js';
import { NeedNotes } from './needs.notes.js';
import { needsReportRoutes } from './needs.report.routes.js';
import { needsRoutes } from './needs.routes.js';
import type { NeedsService } from './needs.service.js';
import { NeedStatistics } from './needs.stats.js';

/**
 * The needs module as the app registers it: its routes (cases, statistics, categories, and the
 * generic notification centre it brought) and the resolvers of its `:id` kinds.
 */
export function needsModule(
  p: Platform,
  needs: NeedsService,
): { routes: FastifyPluginAsyncZod; targets: Record<string, TargetResolver> } {
  const db = p.handle.db;
  const notes = new NeedNotes(p);
  const files = new NeedAttachments(p);
  const categories = new NeedCategories(p);
  const statistics = new NeedStatistics(p);
  return {
    routes: async (app) => {
      await app.register(needsRoutes(needs, notes, files));
      await app.register(needsReportRoutes(p, needs, categories, statistics));
      await app.register(notificationsRoutes(needs.notifications));
    },
    targets: {
      need: async (scope, id) => !!(await needs.visible(db, scope, id)),
      notification: async (scope, id) => needs.notifications.visible(db, scope, id),
    },
  };
}
