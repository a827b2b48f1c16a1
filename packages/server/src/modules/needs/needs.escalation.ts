import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { SYSTEM_AUDIT_ACTOR } from '../../platform/audit/audit.js';
import { localDate } from '../../platform/calendar/dates.js';
import { remindDaysSetting, type SweepResult, sweepDue } from '../../platform/cases/sweep.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/index.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import { needsRepo } from './needs.repo.js';

const SYSTEM_EVENT_ACTOR = { id: null, name: 'system', orgName: null };
/** Settings key of the reminder lead time (working days before the deadline). */
export const REMIND_SETTING = 'needs.remind_working_days';
export const DEFAULT_REMIND_DAYS = 2;

export type { SweepResult };

/**
 * The deadline sweep (platform/cases' `sweepDue`, decisions/0055): cases past their deadline are escalated once (per deadline) to the lead
 * department — whose head reads the department's notifications — and to the city's supervisors;
 * cases within the reminder lead time get one reminder. Each case is claimed by a conditional
 * update, so several server processes can run the sweep at once without doubling anything.
 */
export class NeedEscalation {
  constructor(
    private readonly p: Platform,
    private readonly notifications: NotificationsService,
    private readonly people: { triagers(db: Queryable): Promise<string[]> },
  ) {}

  private remindDays(): Promise<number> {
    return remindDaysSetting(this.p, REMIND_SETTING, DEFAULT_REMIND_DAYS);
  }

  async sweep(now = new Date()): Promise<SweepResult> {
    const db = this.p.handle.db;
    const today = localDate(now, this.p.config.tzDisplay);
    const open = await needsRepo.sweepCandidates(db, SYSTEM_SCOPE);
    const result = await sweepDue(db, open, today, await this.remindDays(), async (trx, n, due) => {
      const { kind, deadline, left } = due;
      const overdue = kind === 'escalated';
      if (!(await needsRepo.claimSweep(trx, n.id, due.column))) return false;
      const note = overdue ? t('need.escalationNote', { deadline }) : t('need.reminderNote', { deadline, days: left });
      await needsRepo.addEvent(trx, { needId: n.id, orgPath: n.org_path, actor: SYSTEM_EVENT_ACTOR, kind, note });
      await this.p.audit.append(trx, SYSTEM_AUDIT_ACTOR, {
        action: overdue ? 'need.escalate' : 'need.remind',
        entityType: 'need',
        entityId: n.id,
        changes: { deadline, today, working_days_left: left },
      });
      const triagers = await this.people.triagers(trx);
      await this.notifications.notify(trx, {
        // escalation: the department (its head included) and the city; reminder: the department,
        // or the city while nobody has been assigned yet
        userIds: overdue || !n.lead_org_id ? triagers : [],
        orgIds: n.lead_org_id ? [n.lead_org_id] : [],
        kind: `need.${kind}`,
        title: t(`needNotify.${kind}.title`),
        body: t(`needNotify.${kind}.body`, {
          title: n.title,
          deadline,
          days: left,
          org: n.lead_org_name ?? t('needNotify.unassigned'),
        }),
        entityType: 'need',
        entityId: n.id,
      });
      return true;
    });
    if (result.escalated.length || result.reminded.length) await this.notifications.flush().catch(() => undefined);
    return result;
  }
}
