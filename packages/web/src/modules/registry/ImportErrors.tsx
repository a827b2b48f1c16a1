import { Alert, Segmented, Table, Typography } from 'antd';
import { useState } from 'react';
import type { ImportErrorKind, ImportResult, ImportRowError } from '../../api/jobs';
import { label, t } from '../../i18n';
import styles from './registry.module.css';

const KINDS: ImportErrorKind[] = ['invalid', 'duplicateInFile', 'registeredElsewhere'];

/**
 * What an import found wrong: the rows of other districts as one line ("586 行属于其他区，已跳过"),
 * then the problems to fix, filterable by kind, those to fix first (the server orders them).
 */
export function ImportErrors({ result: r }: { result: ImportResult }) {
  const [kind, setKind] = useState<ImportErrorKind | 'all'>('all');
  const counts = new Map<ImportErrorKind, number>();
  for (const e of r.errors) if (e.kind) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const shown = kind === 'all' ? r.errors : r.errors.filter((e) => e.kind === kind);
  const others = r.otherDistricts ?? [];
  return (
    <>
      {(r.otherDistrict ?? 0) > 0 && (
        <Alert
          type="info"
          showIcon
          className={styles.filters}
          data-testid="import-other-districts"
          title={t('import.otherDistricts', { rows: r.otherDistrict ?? 0 })}
          description={others
            .map((o) => t('import.otherDistrictCount', { district: o.district, rows: o.rows }))
            .join(t('web.enumSeparator'))}
        />
      )}
      {r.errors.length > 0 && (
        <>
          <Typography.Paragraph>
            {t('import.errorsIntro', { shown: r.errors.length, invalid: r.invalid })}
          </Typography.Paragraph>
          {r.errorsTruncated && (
            <Alert
              type="warning"
              showIcon
              className={styles.filters}
              data-testid="import-errors-truncated"
              title={t('import.errorsTruncated', { shown: r.errors.length, total: r.errorCount ?? r.errors.length })}
            />
          )}
          {counts.size > 1 && (
            <Segmented
              className={styles.filters}
              value={kind}
              onChange={(v) => setKind(v as ImportErrorKind | 'all')}
              data-testid="import-error-kind"
              options={[
                { value: 'all', label: t('import.kindAll', { count: r.errors.length }) },
                ...KINDS.filter((k) => counts.has(k)).map((k) => ({
                  value: k,
                  label: t('import.kindCount', { kind: label('importErrorKind', k), count: counts.get(k) ?? 0 }),
                })),
              ]}
            />
          )}
          <Table<ImportRowError>
            size="small"
            rowKey={(e) => `${e.row}:${e.field ?? ''}:${e.message}`}
            dataSource={shown}
            className={styles.errorTable}
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            data-testid="import-errors"
            columns={[
              {
                title: t('import.row'),
                dataIndex: 'row',
                width: 80,
                render: (v: number) => <span data-testid="import-error-row">{v}</span>,
              },
              {
                title: t('import.kind'),
                dataIndex: 'kind',
                render: (v: ImportErrorKind | undefined) => (v ? label('importErrorKind', v) : t('web.none')),
              },
              {
                title: t('import.field'),
                dataIndex: 'field',
                render: (v: string | null) => (v ? label('beneficiaryField', v) : t('web.none')),
              },
              { title: t('import.message'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
    </>
  );
}
