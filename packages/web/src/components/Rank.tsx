import { Tag } from 'antd';
import { t } from '../i18n';

export { tiedRanks } from '../lib/rank';

import styles from './components.module.css';

export function RankCell({ rank, tied }: { rank: number; tied: boolean }) {
  return (
    <span className={styles.nowrap} data-testid="rank" data-tied={tied}>
      {rank}
      {tied && (
        <Tag className={styles.tiedTag} bordered={false}>
          {t('web.tied')}
        </Tag>
      )}
    </span>
  );
}
