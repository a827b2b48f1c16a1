import type { VisitCampaign } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Button, Result, Select, Spin, Tag } from 'antd';
import { Fragment, type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { defaultCampaign, loadCampaigns, rememberCampaign, rememberedCampaign } from '../../api/visits';
import { useCan, useMe } from '../../app/auth';
import { label, t } from '../../i18n';
import { todayInZone } from '../../lib/zone';
import styles from './visits.module.css';

interface Props {
  /**
   * The page for the chosen campaign; `picker` is the select to place in its toolbar. Keyed by the
   * campaign id, so a new choice starts the page afresh.
   */
  children: (campaign: VisitCampaign, picker: ReactNode) => ReactNode;
  /** Full width (the phone-first visit form). */
  block?: boolean;
}

/**
 * The 工作部署 the visits pages work on, picked from those the server offers this user
 * (GET /visit-campaigns) and remembered per browser; an empty state when there is none yet.
 */
export function CampaignScope({ children, block }: Props) {
  const can = useCan();
  const userId = useMe().user.id;
  const campaigns = useQuery({
    queryKey: ['visit-campaigns', userId],
    queryFn: () => loadCampaigns(userId),
    staleTime: 60_000,
  });
  // a link may name the campaign (the cockpit's click-through: `/visit-money?campaignId=…`)
  const [params] = useSearchParams();
  const [picked, setPicked] = useState<string | null>(params.get('campaignId'));
  const items = campaigns.data;

  if (campaigns.isError) return <Result status="warning" title={t('web.visits.campaignsFailed')} />;
  if (!items) return <Spin className={styles.loading} data-testid="page-loading" />;
  const chosen =
    (picked && items.find((c) => c.id === picked)) || defaultCampaign(items, rememberedCampaign(), todayInZone());
  // only those who issue campaigns are sent to create one; everyone else waits for the issuer
  const issuer = can('campaign:manage');
  if (!chosen)
    return (
      <Result
        status="info"
        title={t('web.visits.noCampaign')}
        subTitle={issuer ? t('web.visits.noCampaignHint') : t('web.visits.noCampaignAsk')}
        data-testid="visit-campaign-empty"
        extra={
          issuer ? (
            <Link to="/campaigns">
              <Button type="primary">{t('web.visits.toCampaigns')}</Button>
            </Link>
          ) : null
        }
      />
    );

  const picker = (
    <Select
      data-testid="visit-campaign"
      aria-label={t('web.visits.campaign')}
      className={block ? styles.pickerBlock : styles.picker}
      value={chosen.id}
      showSearch
      optionFilterProp="label"
      popupMatchSelectWidth={false}
      onSelect={(id: string) => {
        const next = items.find((c) => c.id === id);
        if (!next) return;
        rememberCampaign(id);
        setPicked(next.id);
      }}
      options={items.map((c) => ({ value: c.id, label: c.title, campaign: c }))}
      optionRender={(o) => {
        const c = o.data.campaign as VisitCampaign;
        return (
          <div className={styles.campaignOption}>
            <div>{c.title}</div>
            <div className={styles.muted}>
              {t('web.visits.campaignMeta', {
                kind: label('campaignKind', c.kind),
                org: c.orgName,
                date: c.issueDate ?? c.createdAt.slice(0, 10),
              })}
              {c.status === 'closed' && <Tag className={styles.closedTag}>{label('campaignStatus', c.status)}</Tag>}
            </div>
          </div>
        );
      }}
    />
  );
  return <Fragment key={chosen.id}>{children(chosen, picker)}</Fragment>;
}
