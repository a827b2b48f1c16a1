import { ActivitiesPage } from '../modules/troops/ActivitiesPage';
import { ActivityFormPage } from '../modules/troops/ActivityFormPage';
import { ActivityPage } from '../modules/troops/ActivityPage';
import { EmergenciesPage } from '../modules/troops/EmergenciesPage';
import { EmergencyFormPage } from '../modules/troops/EmergencyFormPage';
import { EmergencyPage } from '../modules/troops/EmergencyPage';
import { PartnershipPage, PartnershipsPage } from '../modules/troops/PartnershipsPage';
import { TroopStatsPage } from '../modules/troops/TroopStatsPage';
import 'dayjs/locale/zh-cn';
import type { Permission } from '@shuangyong/shared';
import { Button, Result } from 'antd';
import dayjs from 'dayjs';
import { lazy, type ReactNode } from 'react';
import { Navigate, Route, Routes, useNavigate } from 'react-router-dom';
import { t } from '../i18n';
import { AppLayout } from './AppLayout';
import { useMe } from './auth';
import { ForcedLayout } from './ForcedLayout';

dayjs.locale('zh-cn');

const HomePage = lazy(() => import('../modules/home/HomePage').then((m) => ({ default: m.HomePage })));
const OrgsPage = lazy(() => import('../modules/orgs/OrgsPage').then((m) => ({ default: m.OrgsPage })));
const UsersPage = lazy(() => import('../modules/users/UsersPage').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('../modules/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const BeneficiariesPage = lazy(() =>
  import('../modules/registry/BeneficiariesPage').then((m) => ({ default: m.BeneficiariesPage })),
);
const BeneficiaryDetailPage = lazy(() =>
  import('../modules/registry/BeneficiaryDetailPage').then((m) => ({ default: m.BeneficiaryDetailPage })),
);
const BeneficiaryFormPage = lazy(() =>
  import('../modules/registry/BeneficiaryFormPage').then((m) => ({ default: m.BeneficiaryFormPage })),
);
const ImportPage = lazy(() => import('../modules/registry/ImportPage').then((m) => ({ default: m.ImportPage })));
const TransfersPage = lazy(() =>
  import('../modules/registry/TransfersPage').then((m) => ({ default: m.TransfersPage })),
);
const CitationsPage = lazy(() =>
  import('../modules/honours/CitationsPage').then((m) => ({ default: m.CitationsPage })),
);
const HouseholdsPage = lazy(() =>
  import('../modules/honours/HouseholdsPage').then((m) => ({ default: m.HouseholdsPage })),
);
const HouseholdPage = lazy(() =>
  import('../modules/honours/HouseholdPage').then((m) => ({ default: m.HouseholdPage })),
);
const BenefitsPage = lazy(() => import('../modules/benefits/BenefitsPage').then((m) => ({ default: m.BenefitsPage })));
const ConfirmationsPage = lazy(() =>
  import('../modules/benefits/ConfirmationsPage').then((m) => ({ default: m.ConfirmationsPage })),
);
const PublicityListPage = lazy(() =>
  import('../modules/atmosphere/PublicityListPage').then((m) => ({ default: m.PublicityListPage })),
);
const ModelCityPage = lazy(() =>
  import('../modules/modelcity/ModelCityPage').then((m) => ({ default: m.ModelCityPage })),
);
const EventsPage = lazy(() => import('../modules/atmosphere/EventsPage').then((m) => ({ default: m.EventsPage })));
const EventPage = lazy(() => import('../modules/atmosphere/EventPage').then((m) => ({ default: m.EventPage })));
const ExemplarListPage = lazy(() =>
  import('../modules/atmosphere/ExemplarListPage').then((m) => ({ default: m.ExemplarListPage })),
);
const ExemplarPage = lazy(() =>
  import('../modules/atmosphere/ExemplarPage').then((m) => ({ default: m.ExemplarPage })),
);
const PublicityPage = lazy(() =>
  import('../modules/atmosphere/PublicityPage').then((m) => ({ default: m.PublicityPage })),
);
const NeedsPage = lazy(() => import('../modules/needs/NeedsPage').then((m) => ({ default: m.NeedsPage })));
const NeedFormPage = lazy(() => import('../modules/needs/NeedFormPage').then((m) => ({ default: m.NeedFormPage })));
const NeedDetailPage = lazy(() =>
  import('../modules/needs/NeedDetailPage').then((m) => ({ default: m.NeedDetailPage })),
);
const CockpitPage = lazy(() => import('../modules/cockpit/CockpitPage').then((m) => ({ default: m.CockpitPage })));
const NeedStatsPage = lazy(() => import('../modules/needs/NeedStatsPage').then((m) => ({ default: m.NeedStatsPage })));
const NotificationsPage = lazy(() =>
  import('../modules/needs/NotificationsPage').then((m) => ({ default: m.NotificationsPage })),
);
const VisitPlansPage = lazy(() => import('../modules/visits/PlansPage').then((m) => ({ default: m.PlansPage })));
const VisitPlanPage = lazy(() => import('../modules/visits/PlanPage').then((m) => ({ default: m.PlanPage })));
const VisitMoneyPage = lazy(() => import('../modules/visits/MoneyPage').then((m) => ({ default: m.MoneyPage })));
const VisitFormPage = lazy(() => import('../modules/visits/VisitFormPage').then((m) => ({ default: m.VisitFormPage })));
const VisitCoveragePage = lazy(() =>
  import('../modules/visits/CoveragePage').then((m) => ({ default: m.CoveragePage })),
);
const CampaignsPage = lazy(() =>
  import('../modules/campaigns/CampaignsPage').then((m) => ({ default: m.CampaignsPage })),
);
const CampaignWizardPage = lazy(() =>
  import('../modules/campaigns/CampaignWizardPage').then((m) => ({ default: m.CampaignWizardPage })),
);
const CampaignDetailPage = lazy(() =>
  import('../modules/campaigns/CampaignDetailPage').then((m) => ({ default: m.CampaignDetailPage })),
);
const CampaignDashboardPage = lazy(() =>
  import('../modules/campaigns/CampaignDashboardPage').then((m) => ({ default: m.CampaignDashboardPage })),
);
const CampaignTasksPage = lazy(() =>
  import('../modules/campaigns/MyTasksPage').then((m) => ({ default: m.MyTasksPage })),
);
const AssignmentPage = lazy(() =>
  import('../modules/campaigns/AssignmentPage').then((m) => ({ default: m.AssignmentPage })),
);
const AccountPage = lazy(() => import('../modules/account/AccountPage').then((m) => ({ default: m.AccountPage })));
const ChangePasswordRequiredPage = lazy(() =>
  import('../modules/account/ForcedPages').then((m) => ({ default: m.ChangePasswordRequiredPage })),
);
const TotpRequiredPage = lazy(() =>
  import('../modules/account/ForcedPages').then((m) => ({ default: m.TotpRequiredPage })),
);

/** 荣誉 pages: people who manage honours, and everyone who reads the registry. */
const HOUSEHOLD_READERS: readonly Permission[] = ['honor:manage', 'beneficiary:read'];

export const CHANGE_PASSWORD_PATH = '/change-password';
export const TOTP_SETUP_PATH = '/totp-setup';

/** The signed-in application. Forced flows (password change, TOTP enrolment) take over every route. */
export default function AuthenticatedApp() {
  const me = useMe();

  if (me.user.mustChangePassword) {
    return <ForcedRoutes path={CHANGE_PASSWORD_PATH} page={<ChangePasswordRequiredPage />} />;
  }
  if (me.user.totpRequired && !me.user.totpEnabled) {
    return <ForcedRoutes path={TOTP_SETUP_PATH} page={<TotpRequiredPage />} />;
  }

  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="orgs" element={<Guard permission="org:read" page={<OrgsPage />} />} />
        <Route path="users" element={<Guard permission="user:read" page={<UsersPage />} />} />
        <Route path="audit" element={<Guard permission="audit:read" page={<AuditPage />} />} />
        <Route path="beneficiaries" element={<Guard permission="beneficiary:read" page={<BeneficiariesPage />} />} />
        <Route
          path="beneficiaries/new"
          element={<Guard permission="beneficiary:write" page={<BeneficiaryFormPage mode="create" />} />}
        />
        <Route path="beneficiaries/import" element={<Guard permission="beneficiary:import" page={<ImportPage />} />} />
        <Route
          path="beneficiaries/:id"
          element={<Guard permission="beneficiary:read" page={<BeneficiaryDetailPage />} />}
        />
        <Route
          path="beneficiaries/:id/edit"
          element={<Guard permission="beneficiary:write" page={<BeneficiaryFormPage mode="edit" />} />}
        />
        <Route path="transfers" element={<Guard permission="beneficiary:read" page={<TransfersPage />} />} />
        <Route path="households" element={<Guard permission={HOUSEHOLD_READERS} page={<HouseholdsPage />} />} />
        <Route path="citations" element={<Guard permission="beneficiary:read" page={<CitationsPage />} />} />
        <Route path="households/:id" element={<Guard permission={HOUSEHOLD_READERS} page={<HouseholdPage />} />} />
        <Route path="visits" element={<Guard permission="visit:read" civilOnly page={<VisitPlansPage />} />} />
        <Route path="visits/plans/:id" element={<Guard permission="visit:read" civilOnly page={<VisitPlanPage />} />} />
        <Route path="visits/record" element={<Guard permission="visit:write" civilOnly page={<VisitFormPage />} />} />
        <Route
          path="visits/coverage"
          element={<Guard permission="visit:read" civilOnly page={<VisitCoveragePage />} />}
        />
        <Route path="visit-money" element={<Guard permission="visit:read" civilOnly page={<VisitMoneyPage />} />} />
        <Route path="benefits" element={<Guard permission="benefit:read" page={<BenefitsPage />} />} />
        <Route
          path="benefit-confirmations"
          element={<Guard permission="benefit:read" page={<ConfirmationsPage />} />}
        />
        <Route path="publicity" element={<Guard permission="publicity:read" page={<PublicityListPage />} />} />
        <Route path="publicity/new" element={<Guard permission="publicity:write" page={<PublicityPage />} />} />
        <Route path="publicity/:id" element={<Guard permission="publicity:read" page={<PublicityPage />} />} />
        <Route path="events" element={<Guard permission="publicity:read" page={<EventsPage />} />} />
        <Route path="events/new" element={<Guard permission="publicity:write" page={<EventPage />} />} />
        <Route path="events/:id" element={<Guard permission="publicity:read" page={<EventPage />} />} />
        <Route path="exemplars" element={<Guard permission="publicity:read" page={<ExemplarListPage />} />} />
        <Route path="exemplars/new" element={<Guard permission="publicity:write" page={<ExemplarPage />} />} />
        <Route path="exemplars/:id" element={<Guard permission="publicity:read" page={<ExemplarPage />} />} />
        <Route path="model-city" element={<Guard permission="modelcity:read" page={<ModelCityPage />} />} />
        <Route path="troops" element={<Guard permission="troops:read" page={<ActivitiesPage />} />} />
        <Route path="troops/new" element={<Guard permission="troops:write" page={<ActivityFormPage />} />} />
        <Route path="troops/:id" element={<Guard permission="troops:read" page={<ActivityPage />} />} />
        <Route path="troop-emergencies" element={<Guard permission="troops:read" page={<EmergenciesPage />} />} />
        <Route
          path="troop-emergencies/new"
          element={<Guard permission="troops:request" page={<EmergencyFormPage />} />}
        />
        <Route path="troop-emergencies/:id" element={<Guard permission="troops:read" page={<EmergencyPage />} />} />
        <Route path="troop-partnerships" element={<Guard permission="troops:read" page={<PartnershipsPage />} />} />
        <Route path="troop-partnerships/:id" element={<Guard permission="troops:read" page={<PartnershipPage />} />} />
        <Route path="troop-stats" element={<Guard permission="troops:read" page={<TroopStatsPage />} />} />
        <Route path="needs" element={<Guard permission="need:read" page={<NeedsPage />} />} />
        <Route path="needs/new" element={<Guard permission="need:create" page={<NeedFormPage />} />} />
        <Route path="needs/:id" element={<Guard permission="need:read" page={<NeedDetailPage />} />} />
        <Route path="needs-inbox" element={<Guard permission="need:handle" page={<NeedsPage key="inbox" inbox />} />} />
        <Route path="need-stats" element={<Guard permission="need:read" page={<NeedStatsPage />} />} />
        <Route path="cockpit" element={<Guard permission="dashboard:read" page={<CockpitPage />} />} />
        <Route path="campaigns" element={<Guard permission="campaign:read" page={<CampaignsPage />} />} />
        <Route path="campaigns/new" element={<Guard permission="campaign:manage" page={<CampaignWizardPage />} />} />
        <Route path="campaigns/:id" element={<Guard permission="campaign:read" page={<CampaignDetailPage />} />} />
        <Route
          path="campaigns/:id/dashboard"
          element={<Guard permission="campaign:read" page={<CampaignDashboardPage />} />}
        />
        <Route path="campaign-tasks" element={<Guard permission="campaign:read" page={<CampaignTasksPage />} />} />
        <Route path="assignments/:id" element={<Guard permission="campaign:read" page={<AssignmentPage />} />} />
        <Route path="notifications" element={<NotificationsPage />} />
        <Route path="account" element={<AccountPage />} />
        {/* after a forced flow is done, its page leads to 首页 */}
        <Route path={CHANGE_PASSWORD_PATH.slice(1)} element={<Navigate to="/" replace />} />
        <Route path={TOTP_SETUP_PATH.slice(1)} element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function ForcedRoutes({ path, page }: { path: string; page: ReactNode }) {
  return (
    <Routes>
      <Route element={<ForcedLayout />}>
        <Route path={path.slice(1)} element={page} />
      </Route>
      <Route path="*" element={<Navigate to={path} replace />} />
    </Routes>
  );
}

/**
 * Shows `page` with the permission (with a list: any one of them), else 无权访问. `civilOnly`: work of
 * the civilian side's districts, streets and communities (走访慰问) — a unit is shown where its own
 * concerns go instead of a dead end.
 */
function Guard({
  permission,
  page,
  civilOnly,
}: {
  permission: Permission | readonly Permission[];
  page: ReactNode;
  civilOnly?: boolean;
}) {
  const me = useMe();
  const navigate = useNavigate();
  const wanted: readonly Permission[] = typeof permission === 'string' ? [permission] : permission;
  if (civilOnly && (me.scope === 'org' || me.scope === 'own') && wanted.some((p) => me.permissions.includes(p)))
    return (
      <Result
        status="info"
        title={t('web.visitsUnavailable.title')}
        subTitle={t('web.visitsUnavailable.hint')}
        data-testid="visits-unavailable"
        extra={
          me.permissions.includes('need:read') ? (
            <Button type="primary" onClick={() => navigate('/needs')}>
              {t('web.visitsUnavailable.toNeeds')}
            </Button>
          ) : null
        }
      />
    );
  if (wanted.some((p) => me.permissions.includes(p))) return page;
  return (
    <Result
      status="403"
      title={t('web.forbidden.title')}
      subTitle={t('web.forbidden.hint')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('web.backHome')}
        </Button>
      }
    />
  );
}

function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('web.notFound.title')}
      subTitle={t('web.notFound.hint')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('web.backHome')}
        </Button>
      }
    />
  );
}
