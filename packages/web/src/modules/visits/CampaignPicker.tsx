import type { VisitCampaign } from '@shuangyong/shared';
import { Button, Result, Select, Spin, Tag } from 'antd';
import { Fragment, type ReactNode, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useCan, useMe } from '../../app/auth';
import { label, t } from '../../i18n';
import { defaultCampaign, loadCampaigns, rememberCampaign, rememberedCampaign } from './api';
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
  const [items, setItems] = useState<VisitCampaign[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [chosen, setChosen] = useState<VisitCampaign | null>(null);

  useEffect(() => {
    let live = true;
    loadCampaigns(userId)
      .then((list) => {
        if (!live) return;
        setItems(list);
        setChosen(defaultCampaign(list, rememberedCampaign()));
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [userId]);

  if (failed) return <Result status="warning" title={t('web.visits.campaignsFailed')} />;
  if (!items) return <Spin className={styles.loading} />;
  if (!chosen)
    return (
      <Result
        status="info"
        title={t('web.visits.noCampaign')}
        subTitle={can('campaign:read') ? t('web.visits.noCampaignHint') : t('web.visits.noCampaignAsk')}
        data-testid="visit-campaign-empty"
        extra={
          can('campaign:read') ? (
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
        setChosen(next);
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
