import { Button, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { t } from '../i18n';
import styles from './components.module.css';

/** Above a list with selectable rows: how many are chosen, the batch actions, and a way to clear. */
export function SelectionBar({
  count,
  actions,
  onClear,
  selectAll,
}: {
  count: number;
  actions: ReactNode;
  onClear: () => void;
  /** Shown while nothing is chosen (e.g. "choose every unread one"). */
  selectAll?: ReactNode;
}) {
  if (count === 0) return selectAll ? <div className={styles.selectionBar}>{selectAll}</div> : null;
  return (
    <Flex wrap gap={8} align="center" className={styles.selectionBar} data-testid="selection-bar">
      {selectAll}
      <Typography.Text data-testid="selection-count">{t('web.selectedCount', { n: count })}</Typography.Text>
      {actions}
      <Button size="small" type="link" onClick={onClear}>
        {t('web.clearSelection')}
      </Button>
    </Flex>
  );
}
