import { securitySettingsPatch, securitySettingsSchema } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { ctxOf } from '../../platform/http/pipeline.js';

const tags = ['系统设置'];

/** Security settings (password rules, lockout, session timeouts) — what an 等保 assessor checks. */
export function settingsRoutes(p: Platform): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/settings/security',
      {
        config: { access: { permission: 'settings:manage' } },
        schema: { tags, summary: '安全设置', response: { 200: securitySettingsSchema } },
      },
      async () => p.settings.security(),
    );

    app.patch(
      '/settings/security',
      {
        config: { access: { permission: 'settings:manage' } },
        schema: {
          tags,
          summary: '修改安全设置',
          body: securitySettingsPatch,
          response: { 200: securitySettingsSchema },
        },
      },
      async (req) => {
        return p.handle.db.transaction().execute(async (trx) => {
          const { before, after } = await p.settings.setSecurity(trx, req.body);
          const flat = (s: typeof before) => ({
            ...s.passwordPolicy,
            ...s.lockout,
            ...s.session,
            ...s.files,
            ...s.offline,
          });
          await p.audit.append(trx, auditActorOf(ctxOf(req)), {
            action: 'settings.update',
            entityType: 'settings',
            entityId: 'security',
            changes: diffFields(flat(before), flat(after)),
          });
          return after;
        });
      },
    );
  };
}
