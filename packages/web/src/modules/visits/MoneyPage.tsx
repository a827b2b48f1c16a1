import { Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { ApprovalsCard } from './ApprovalsCard';
import { CampaignScope } from './CampaignPicker';
import { CapsCard, StandingCapsCard } from './CapsCard';
import { SpendingCard } from './SpendingCard';

/** 经费与审批 of a campaign: caps, budget lines and spending, and the visits waiting for approval. */
export function MoneyPage() {
  return <CampaignScope>{(c, picker) => <Money campaignId={c.id} picker={picker} />}</CampaignScope>;
}

function Money({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const can = useCan();
  const me = useMe();
  const cityWide = can('visit:approve') && me.scope === 'all';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <DocTitle title={t('web.visits.money.menu')} />
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.visits.money.menu')}
        </Typography.Title>
        {picker}
        <Link to="/visits">{t('web.visits.plans')}</Link>
        <Link to="/visits/coverage">{t('web.visits.coverage')}</Link>
      </Space>
      <ApprovalsCard campaignId={campaignId} />
      <SpendingCard campaignId={campaignId} />
      <CapsCard campaignId={campaignId} editable={cityWide} />
      {cityWide && <StandingCapsCard editable />}
    </Space>
  );
}
