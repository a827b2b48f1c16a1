import { EditOutlined, EyeOutlined } from '@ant-design/icons';
import type { AuditEntry, BeneficiaryDetail } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Flex, Skeleton, Table, Tabs, Timeline, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { beneficiariesApi, type Revealed } from '../../api/beneficiaries';
import { ApiError } from '../../api/client';
import { householdsApi } from '../../api/honours';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/useIsMobile';
import { AccountPanel } from '../benefits/AccountPanel';
import { HouseholdHonours } from '../honours/HouseholdHonours';
import { GradeChangesPanel } from './GradeChangesPanel';
import { CategoryTags, orDash, PlaqueTag, StatusTag } from './labels';
import { RevealModal } from './RevealModal';
import styles from './registry.module.css';

type Assignment = BeneficiaryDetail['assignments'][number];

export function BeneficiaryDetailPage() {
  const { id = '' } = useParams();
  // another person: a fresh page, so nothing revealed for the previous one stays
  return <DetailOf key={id} id={id} />;
}

function DetailOf({ id }: { id: string }) {
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [revealOpen, setRevealOpen] = useState(false);
  const [tab, setTab] = useState('basic');
  const can = useCan();
  const query = useQuery({
    queryKey: ['beneficiary', id],
    queryFn: ({ signal }) => beneficiariesApi.get(id, { signal, quiet: true }),
  });

  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return <PageError error={query.error} backTo="/beneficiaries" backLabel={t('beneficiaries.backToList')} />;
  const d = query.data;
  return (
    <Card styles={{ body: { padding: isMobile ? 12 : 24 } }} data-testid="beneficiary-detail" data-id={d.id}>
      <DocTitle title={d.name} />
      <Flex wrap gap={8} align="center" justify="space-between" className={styles.toolbar}>
        <Flex wrap gap={8} align="center">
          <BackButton fallback="/beneficiaries" label={t('beneficiaries.backToList')} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="beneficiary-detail-name">
            {d.name}
          </Typography.Title>
          <StatusTag status={d.status} />
        </Flex>
        <Flex wrap gap={8}>
          {d.abilities.reveal && !revealed && (
            <Button icon={<EyeOutlined />} onClick={() => setRevealOpen(true)} data-testid="reveal-open">
              {t('beneficiaries.reveal')}
            </Button>
          )}
          {d.abilities.update && (
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => navigate(`/beneficiaries/${d.id}/edit`)}
              data-testid="beneficiary-edit"
            >
              {t('beneficiaries.edit')}
            </Button>
          )}
        </Flex>
      </Flex>
      {revealed && (
        <Alert
          type="warning"
          showIcon
          className={styles.filters}
          title={t('beneficiaries.revealedBanner')}
          data-testid="reveal-banner"
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'basic', label: t('beneficiaries.tabBasic'), children: <BasicTab d={d} revealed={revealed} /> },
          {
            key: 'household',
            label: t('beneficiaries.tabHousehold'),
            children: <HouseholdTab d={d} />,
          },
          {
            key: 'categories',
            label: t('beneficiaries.tabCategories'),
            children: (
              <Flex vertical gap={16}>
                <AssignmentsTable items={d.assignments} />
                <GradeChangesPanel d={d} />
              </Flex>
            ),
          },
          {
            key: 'honours',
            label: t('beneficiaries.tabHonours'),
            children: <HonoursTab householdId={d.household?.id ?? d.householdId} />,
          },
          ...(can('benefit:read')
            ? [
                {
                  key: 'account',
                  label: t('web.benefits.account.tab'),
                  children: <AccountPanel beneficiaryId={d.id} name={d.name} />,
                },
              ]
            : []),
          { key: 'history', label: t('beneficiaries.tabHistory'), children: <HistoryTab id={d.id} /> },
        ]}
      />
      {revealOpen && (
        <RevealModal
          id={d.id}
          name={d.name}
          onClose={() => setRevealOpen(false)}
          onDone={(r) => {
            setRevealOpen(false);
            setRevealed(r);
            setTab('basic');
          }}
        />
      )}
    </Card>
  );
}

/** A masked value, or the revealed one (highlighted, with its test id). */
function Sensitive({ masked, revealed, testId }: { masked: string | null; revealed?: string | null; testId: string }) {
  if (revealed !== undefined) {
    return (
      <span className={`${styles.mono} ${styles.revealed}`} data-testid={testId}>
        {orDash(revealed)}
      </span>
    );
  }
  return <span className={styles.mono}>{orDash(masked)}</span>;
}

function BasicTab({ d, revealed }: { d: BeneficiaryDetail; revealed: Revealed | null }) {
  const items: { key: string; label: string; children: ReactNode; span?: number }[] = [
    {
      key: 'name',
      label: t('beneficiaries.name'),
      children: d.nameAsWritten ? (
        <span data-testid="beneficiary-name">
          {d.name}
          <span className={styles.asWritten}>{t('beneficiaries.nameAsWritten', { name: d.nameAsWritten })}</span>
        </span>
      ) : (
        d.name
      ),
    },
    { key: 'sex', label: t('beneficiaries.sex'), children: label('sex', d.sex) },
    { key: 'birthDate', label: t('beneficiaries.birthDate'), children: d.birthDate },
    {
      key: 'idNumber',
      label: t('beneficiaries.idNumber'),
      children: <Sensitive masked={d.idMasked} revealed={revealed?.idNumber} testId="reveal-idNumber" />,
    },
    {
      key: 'phone',
      label: t('beneficiaries.phone'),
      children: (
        <Sensitive masked={d.phoneMasked} revealed={revealed ? revealed.phone : undefined} testId="reveal-phone" />
      ),
    },
    {
      key: 'address',
      label: t('beneficiaries.address'),
      children: (
        <Sensitive
          masked={d.addressMasked}
          revealed={revealed ? revealed.address : undefined}
          testId="reveal-address"
        />
      ),
    },
    { key: 'categories', label: t('beneficiaries.categories'), children: <CategoryTags codes={d.categories} /> },
    {
      key: 'status',
      label: t('beneficiaries.status'),
      children: (
        <Flex gap={8} align="center">
          <StatusTag status={d.status} />
          {d.statusDate && <span>{d.statusDate}</span>}
        </Flex>
      ),
    },
    {
      key: 'relation',
      label: t('beneficiaries.relation'),
      children: d.relation ? label('relation', d.relation) : orDash(null),
    },
    { key: 'org', label: t('beneficiaries.org'), children: d.orgName },
    { key: 'createdAt', label: t('beneficiaries.createdAt'), children: formatDateTime(d.createdAt) },
    { key: 'updatedAt', label: t('beneficiaries.updatedAt'), children: formatDateTime(d.updatedAt) },
    { key: 'note', label: t('beneficiaries.note'), children: orDash(d.note), span: 2 },
  ];
  const sm = d.serviceMember;
  return (
    <Flex vertical gap={16}>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={items}
      />
      {sm && (
        <Descriptions
          title={t('beneficiaries.serviceMember')}
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2 }}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          data-testid="beneficiary-service-member"
          items={[
            { key: 'name', label: t('beneficiaries.smName'), children: sm.name },
            { key: 'kind', label: t('beneficiaries.smKind'), children: label('serviceMemberKind', sm.kind) },
            { key: 'eventDate', label: t('beneficiaries.smEventDate'), children: orDash(sm.eventDate) },
            { key: 'unit', label: t('beneficiaries.smUnit'), children: orDash(sm.unitCodeName) },
            { key: 'cert', label: t('beneficiaries.certificateNo'), children: orDash(sm.certificateNo) },
          ]}
        />
      )}
    </Flex>
  );
}

function HouseholdTab({ d }: { d: BeneficiaryDetail }) {
  const h = d.household;
  if (!h) return <Empty description={t('beneficiaries.noHousehold')} />;
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      styles={{ label: { whiteSpace: 'nowrap' } }}
      data-testid="beneficiary-household"
      items={[
        {
          key: 'address',
          label: t('households.address'),
          children: <span className={styles.mono}>{orDash(h.addressMasked)}</span>,
        },
        { key: 'plaque', label: t('households.plaqueStatus'), children: <PlaqueTag status={h.plaqueStatus} /> },
        {
          key: 'link',
          label: t('households.detail'),
          children: (
            <Link to={`/households/${h.id}`} data-testid="beneficiary-household-link">
              {t('households.open')}
            </Link>
          ),
        },
      ]}
    />
  );
}

function AssignmentsTable({ items }: { items: Assignment[] }) {
  return (
    <Table<Assignment>
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={items}
      scroll={{ x: 'max-content' }}
      className={styles.table}
      data-testid="beneficiary-assignments"
      columns={[
        { title: t('beneficiaries.category'), dataIndex: 'code', render: (v: string) => label('category', v) },
        { title: t('beneficiaries.startDate'), dataIndex: 'startDate', render: orDash },
        { title: t('beneficiaries.endDate'), dataIndex: 'endDate', render: orDash },
        {
          title: t('beneficiaries.disabilityGrade'),
          dataIndex: 'disabilityGrade',
          render: (v: number | null) => (v === null ? orDash(null) : t('beneficiaries.gradeValue', { grade: v })),
        },
        {
          title: t('beneficiaries.disabilityCause'),
          dataIndex: 'disabilityCause',
          render: (v: string | null) =>
            v ? t(`registry.disabilityCause.${v}` as 'registry.disabilityCause.war') : orDash(null),
        },
        {
          title: t('beneficiaries.relation'),
          dataIndex: 'relation',
          render: (v: string | null) => (v ? label('relation', v) : orDash(null)),
        },
        { title: t('beneficiaries.certificateNo'), dataIndex: 'certificateNo', render: orDash },
      ]}
    />
  );
}

function HonoursTab({ householdId }: { householdId: string | null }) {
  const can = useCan();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['household', householdId],
    queryFn: ({ signal }) => householdsApi.get(householdId ?? '', { signal, quiet: true }),
    enabled: !!householdId,
  });
  const load = () => queryClient.invalidateQueries({ queryKey: ['household', householdId] });

  if (!householdId) return <Empty description={t('beneficiaries.noHousehold')} />;
  if (query.isError)
    return (
      <Alert
        type="info"
        showIcon
        title={t('beneficiaries.honoursUnavailable')}
        description={query.error instanceof ApiError ? query.error.display : String(query.error)}
      />
    );
  if (!query.data) return <Skeleton active />;
  const household = query.data;
  return (
    <div data-testid="beneficiary-honours">
      <HouseholdHonours household={household} canManage={can('honor:manage')} onChanged={() => void load()} />
    </div>
  );
}

function HistoryTab({ id }: { id: string }) {
  const query = useQuery({
    queryKey: ['beneficiary-history', id],
    queryFn: ({ signal }) => beneficiariesApi.history(id, { signal }),
  });
  if (query.isPending) return <Skeleton active />;
  const items: AuditEntry[] = query.data?.items ?? [];
  if (items.length === 0) return <Empty description={t('beneficiaries.noHistory')} />;
  return (
    <Timeline
      data-testid="beneficiary-history"
      items={items.map((e) => ({
        key: e.seq,
        content: (
          <div data-testid="history-entry" data-action={e.action}>
            <span className={styles.date}>{formatDateTime(e.at)}</span>
            <strong>{label('audit', e.action)}</strong>
            <span className={styles.derived}> · {e.actorName ?? t('auditLog.system')}</span>
            <ChangeList changes={e.changes} />
          </div>
        ),
      }))}
    />
  );
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return t('web.none');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(show).join(t('web.enumSeparator'));
  return JSON.stringify(v);
}

/** `{ field: [before, after] }` as "字段：before → after"; other shapes as plain values. */
function ChangeList({ changes }: { changes: AuditEntry['changes'] }) {
  if (!changes) return null;
  const entries = Object.entries(changes);
  if (entries.length === 0) return null;
  return (
    <ul className={styles.changes}>
      {entries.map(([field, value]) => (
        <li key={field}>
          {label('beneficiaryField', field)}
          {t('web.colon')}
          {Array.isArray(value) && value.length === 2
            ? t('beneficiaries.changeArrow', { from: show(value[0]), to: show(value[1]) })
            : show(value)}
        </li>
      ))}
    </ul>
  );
}
