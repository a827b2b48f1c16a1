import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Flex, Result, Skeleton, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { type Household, householdPeople, householdsApi } from '../../api/honours';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { useBack } from '../../lib/useBack';
import { useIsMobile } from '../../lib/useIsMobile';
import { CategoryTags, orDash, PlaqueTag } from '../registry/labels';
import { HouseholdHonours } from './HouseholdHonours';
import styles from './honours.module.css';

/** `/households/:id`: members, 光荣牌, 春联 and 立功喜报 of one household. */
export function HouseholdPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const navigate = useNavigate();
  const back = useBack('/households');
  const isMobile = useIsMobile();
  const [household, setHousehold] = useState<Household | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      setHousehold(await householdsApi.get(id));
      setError(null);
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, [id]);

  useEffect(() => {
    setHousehold(null);
    void load();
  }, [load]);

  if (error && !household)
    return (
      <Card>
        <Result
          status={error.status === 404 ? '404' : error.status === 403 ? '403' : 'error'}
          title={error.display}
          extra={
            <Button type="primary" onClick={() => navigate('/households')}>
              {t('households.backToList')}
            </Button>
          }
        />
      </Card>
    );
  if (!household)
    return (
      <Card>
        <Skeleton active />
      </Card>
    );

  const h = household;
  const title = h.addressMasked || t('households.noAddress');
  return (
    <Card styles={{ body: { padding: isMobile ? 12 : 24 } }} data-testid="household-detail" data-id={h.id}>
      <DocTitle title={t('households.title')} />
      <Flex wrap gap={8} align="center" className={styles.toolbar}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('households.backToList')} />
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
                {householdPeople(h).map((m) => (
                  <Flex key={m.id} wrap gap={8} align="center">
                    <Link to={`/beneficiaries/${m.id}`}>{m.name}</Link>
                    <CategoryTags codes={m.categories} />
                  </Flex>
                ))}
              </Flex>
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
