import type { CategoryCode } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { householdsApi } from '../../api/honours';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { t } from '../../i18n';
import { useIsMobile } from '../../lib/useIsMobile';
import { CategoryTags, orDash, PlaqueTag } from '../registry/labels';
import { HouseholdHonours } from './HouseholdHonours';
import styles from './honours.module.css';

/** `/households/:id`: members, 光荣牌, 春联 and 立功喜报 of one household. */
export function HouseholdPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const isMobile = useIsMobile();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['household', id],
    queryFn: ({ signal }) => householdsApi.get(id, { signal, quiet: true }),
  });
  const load = () => queryClient.invalidateQueries({ queryKey: ['household', id] });

  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return <PageError error={query.error} backTo="/households" backLabel={t('households.backToList')} />;
  const h = query.data;
  const title = h.label;
  return (
    <Card styles={{ body: { padding: isMobile ? 12 : 24 } }} data-testid="household-detail" data-id={h.id}>
      <DocTitle title={t('households.title')} />
      <Flex wrap gap={8} align="center" className={styles.toolbar}>
        <BackButton fallback="/households" label={t('households.backToList')} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <PlaqueTag status={h.plaqueStatus} />
        {h.plaqueEligible && h.plaqueStatus === 'none' && (
          <Tag color="red" className={styles.tag} data-testid="household-pending">
            {t('households.pendingTag')}
          </Tag>
        )}
      </Flex>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        className={styles.section}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          { key: 'org', label: t('households.org'), children: h.orgName },
          { key: 'address', label: t('households.address'), children: orDash(h.addressMasked) },
          {
            key: 'eligible',
            label: t('households.plaqueEligible'),
            children: h.plaqueEligible ? t('households.eligibleYes') : t('households.eligibleNo'),
          },
          { key: 'plaque', label: t('households.plaqueStatus'), children: <PlaqueTag status={h.plaqueStatus} /> },
          {
            key: 'members',
            label: t('households.members'),
            span: 2,
            children: (
              <Flex vertical gap={6} data-testid="household-members">
                {h.people.map((m) => (
                  <Flex key={m.id} wrap gap={8} align="center">
                    <Link to={`/beneficiaries/${m.id}`}>{m.name}</Link>
                    <CategoryTags codes={m.categories as CategoryCode[]} />
                  </Flex>
                ))}
              </Flex>
            ),
          },
          {
            key: 'lines',
            label: t('households.lines'),
            span: 2,
            children: h.lines.length ? (
              <Flex vertical gap={4} data-testid="household-lines">
                {h.lines.map((l) => (
                  <Typography.Text key={l.id} data-source={l.source}>
                    {t('households.line', { date: l.date, label: l.label, org: l.orgName })}
                  </Typography.Text>
                ))}
              </Flex>
            ) : (
              orDash(null)
            ),
          },
        ]}
      />
      <div style={{ marginTop: 16 }}>
        <HouseholdHonours household={h} canManage={can('honor:manage')} onChanged={() => void load()} />
      </div>
    </Card>
  );
}
