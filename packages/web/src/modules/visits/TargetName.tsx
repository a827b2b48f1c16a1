import type { VisitTarget } from '@shuangyong/shared';
import { Tag } from 'antd';
import { t } from '../../i18n';

/**
 * A target's name, with 「部队已走访（单位，日期）」 when a unit visited the household within the
 * campaign's period: a flag for district staff, never the civil visit itself (decisions/0038).
 */
export function TargetName({ target }: { target: VisitTarget }) {
  return (
    <>
      {target.name}{' '}
      {target.troopVisit ? (
        <Tag color="green" className="troop-visit" data-testid="troop-visit">
          {t('web.visits.troopVisited', { org: target.troopVisit.orgName, date: target.troopVisit.date })}
        </Tag>
      ) : null}
    </>
  );
}
