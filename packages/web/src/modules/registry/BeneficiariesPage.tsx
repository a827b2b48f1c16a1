import {
  DownloadOutlined,
  FilterOutlined,
  IdcardOutlined,
  PlusOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  BENEFICIARY_STATUSES,
  type BeneficiaryListItem,
  type BeneficiaryStatus,
  CATEGORY_CODES,
  type CategoryCode,
  PLAQUE_STATUSES,
} from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Flex,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  type TableColumnsType,
  type TableProps,
  TreeSelect,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  type BeneficiaryFilters,
  type BeneficiaryQuery,
  type BeneficiarySort,
  beneficiariesApi,
  type PlaqueStatus,
} from '../../api/beneficiaries';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { SelectionBar } from '../../components/SelectionBar';
import { label, t } from '../../i18n';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { ExportModal } from './ExportModal';
import { LookupModal } from './LookupModal';
import { CATEGORY_OPTIONS, CategoryTags, orDash, PLAQUE_OPTIONS, STATUS_OPTIONS, StatusTag } from './labels';
import styles from './registry.module.css';

const SORTS: readonly BeneficiarySort[] = ['name', 'birthDate', 'updatedAt'];
const PAGE_SIZES = [10, 20, 50, 100];

function oneOf<T extends string>(values: readonly T[], v: string | null): T | undefined {
  return v !== null && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

function intParam(v: string | null, min: number, max: number): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

/** The list query lives in the URL, so 返回 from a detail page restores filters, sort and page. */
function queryFromParams(p: URLSearchParams): BeneficiaryQuery {
  return {
    page: intParam(p.get('page'), 1, 100000) ?? 1,
    pageSize: intParam(p.get('pageSize'), 1, 200) ?? 20,
    q: p.get('q')?.trim() || undefined,
    orgId: p.get('orgId') || undefined,
    category: oneOf<CategoryCode>(CATEGORY_CODES, p.get('category')),
    status: oneOf<BeneficiaryStatus>(BENEFICIARY_STATUSES, p.get('status')),
    ageMin: intParam(p.get('ageMin'), 0, 130),
    ageMax: intParam(p.get('ageMax'), 0, 130),
    plaque: oneOf<PlaqueStatus>(PLAQUE_STATUSES, p.get('plaque')),
    sort: oneOf(SORTS, p.get('sort')),
    order: oneOf(['asc', 'desc'] as const, p.get('order')),
  };
}

function paramsFromQuery(q: BeneficiaryQuery): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if ((k === 'page' && v === 1) || (k === 'pageSize' && v === 20)) continue;
    p.set(k, String(v));
  }
  return p;
}

/** The filter part of a query (what an export sends). */
export function filtersOf(q: BeneficiaryQuery): BeneficiaryFilters {
  const f: BeneficiaryFilters = {
    q: q.q,
    orgId: q.orgId,
    category: q.category,
    status: q.status,
    ageMin: q.ageMin,
    ageMax: q.ageMax,
    plaque: q.plaque,
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as BeneficiaryFilters;
}

type Dialog = 'lookup' | 'export' | 'exportSelected' | null;

/** The most rows one export of a selection takes (the API's limit). */
const MAX_SELECTED = 500;

export function BeneficiariesPage() {
  const can = useCan();
  const isMobile = useIsMobile();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const { forest } = useOrgTree(false, can('org:read'));
  const orgTreeData = useMemo(() => toSelectTree(forest), [forest]);

  // Deep pages by keyset: the page after one already shown is asked for by the cursor that page
  // answered (same filters, sort and size), so page 500 costs what page 1 does (decisions/0030).
  const signature = useMemo(() => JSON.stringify({ ...query, page: undefined }), [query]);
  const cursors = useRef(new Map<string, string>());
  // a total the maintained counts do not cover stops at 10,000; 精确计数 asks for the exact one
  const [exactFor, setExactFor] = useState<string | null>(null);
  const exact = exactFor === signature;
  const list = useQuery({
    queryKey: ['beneficiaries', query, exact],
    queryFn: async ({ signal }) => {
      const after = cursors.current.get(`${signature}#${query.page}`);
      const page = await beneficiariesApi.list(
        { ...query, ...(after ? { after } : {}), ...(exact ? { exact: '1' as const } : {}) },
        { signal },
      );
      if (page.nextCursor) cursors.current.set(`${signature}#${(query.page ?? 1) + 1}`, page.nextCursor);
      return page;
    },
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const totalText = (total: number) =>
    data?.totalCapped ? (
      <Space size={4}>
        {t('beneficiaries.totalCapped', { total: total.toLocaleString('zh-CN') })}
        <Button size="small" type="link" onClick={() => setExactFor(signature)} data-testid="count-exactly">
          {t('beneficiaries.countExactly')}
        </Button>
      </Space>
    ) : (
      t('web.total', { total })
    );
  const [dialog, setDialog] = useState<Dialog>(null);
  // rows chosen on the list, kept across pages and filters (an export of exactly these people)
  const [selected, setSelected] = useState<string[]>([]);
  const canExport = can('beneficiary:export');
  const [searchText, setSearchText] = useState(query.q ?? '');
  // on a phone the filters fold away behind a button
  const [filtersOpen, setFiltersOpen] = useState(false);

  const update = useCallback(
    (patch: Partial<BeneficiaryQuery>, resetPage = true) => {
      setParams(
        (prev) => {
          const next = { ...queryFromParams(prev), ...patch };
          if (resetPage && !('page' in patch)) next.page = 1;
          return paramsFromQuery(next);
        },
        { replace: true },
      );
    },
    [setParams],
  );

  // type-ahead: the list follows the search box after a short pause
  useEffect(() => {
    const q = searchText.trim() || undefined;
    if (q === query.q) return;
    const timer = setTimeout(() => update({ q }), 300);
    return () => clearTimeout(timer);
  }, [searchText, query.q, update]);

  const sortOrderOf = (key: BeneficiarySort) =>
    (query.sort ?? 'name') === key ? (query.order === 'desc' ? 'descend' : 'ascend') : null;

  const columns: TableColumnsType<BeneficiaryListItem> = [
    {
      title: t('beneficiaries.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrderOf('name'),
      sortDirections: ['ascend', 'descend', 'ascend'],
      fixed: isMobile ? undefined : 'left',
      render: (v: string, b) => (
        <Link to={`/beneficiaries/${b.id}`} data-testid="beneficiary-row-name" data-id={b.id}>
          {v}
        </Link>
      ),
    },
    { title: t('beneficiaries.sex'), dataIndex: 'sex', render: (v: string) => label('sex', v) },
    {
      title: t('beneficiaries.birthDate'),
      dataIndex: 'birthDate',
      key: 'birthDate',
      sorter: true,
      sortOrder: sortOrderOf('birthDate'),
      sortDirections: ['ascend', 'descend', 'ascend'],
    },
    {
      title: t('beneficiaries.idNumber'),
      dataIndex: 'idMasked',
      render: (v: string) => <span className={styles.mono}>{v}</span>,
    },
    {
      title: t('beneficiaries.phone'),
      dataIndex: 'phoneMasked',
      render: (v: string | null) => <span className={styles.mono}>{orDash(v)}</span>,
    },
    {
      title: t('beneficiaries.categories'),
      dataIndex: 'categories',
      render: (v: CategoryCode[]) => <CategoryTags codes={v} />,
    },
    {
      title: t('beneficiaries.status'),
      dataIndex: 'status',
      render: (v: BeneficiaryStatus) => <StatusTag status={v} />,
    },
    { title: t('beneficiaries.org'), dataIndex: 'orgName' },
  ];

  const onTableChange: TableProps<BeneficiaryListItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = s?.columnKey === 'birthDate' ? 'birthDate' : 'name';
      update({ sort: s?.order ? key : undefined, order: s?.order === 'descend' ? 'desc' : undefined });
      return;
    }
    const pageSize = pagination.pageSize ?? query.pageSize;
    update({ page: pageSize === query.pageSize ? (pagination.current ?? 1) : 1, pageSize }, false);
  };

  const hasFilters = Object.keys(filtersOf(query)).length > 0;
  const filterCount = Object.keys(filtersOf(query)).filter((k) => k !== 'q').length;

  return (
    <Card title={t('nav.beneficiaries')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.beneficiaries')} />
      <Flex wrap gap={8} justify="space-between" className={styles.toolbar}>
        <Input
          allowClear
          className={styles.search}
          prefix={<SearchOutlined />}
          placeholder={t('beneficiaries.searchPlaceholder')}
          value={searchText}
          maxLength={32}
          onChange={(e) => setSearchText(e.target.value)}
          onPressEnter={() => update({ q: searchText.trim() || undefined })}
          aria-label={t('beneficiaries.search')}
          data-testid="beneficiary-search"
        />
        <Flex wrap gap={8}>
          {isMobile && (
            <Button
              icon={<FilterOutlined />}
              type={filterCount ? 'primary' : 'default'}
              ghost={filterCount > 0}
              onClick={() => setFiltersOpen((o) => !o)}
              aria-expanded={filtersOpen}
              data-testid="beneficiary-filters-toggle"
            >
              {filterCount ? t('beneficiaries.filtersCount', { n: filterCount }) : t('beneficiaries.filters')}
            </Button>
          )}
          {can('beneficiary:write') && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/beneficiaries/new')}
              data-testid="beneficiary-create"
            >
              {t('beneficiaries.create')}
            </Button>
          )}
          <Button icon={<IdcardOutlined />} onClick={() => setDialog('lookup')} data-testid="beneficiary-lookup">
            {t('beneficiaries.lookup')}
          </Button>
          {can('beneficiary:import') && (
            <Button
              icon={<UploadOutlined />}
              onClick={() => navigate('/beneficiaries/import')}
              data-testid="beneficiary-import"
            >
              {t('beneficiaries.import')}
            </Button>
          )}
          {can('beneficiary:export') && (
            <Button icon={<DownloadOutlined />} onClick={() => setDialog('export')} data-testid="beneficiary-export">
              {t('beneficiaries.export')}
            </Button>
          )}
        </Flex>
      </Flex>
      {(!isMobile || filtersOpen) && (
        <Flex wrap gap={8} className={styles.filters}>
          {orgTreeData.length > 0 && (
            <TreeSelect
              allowClear
              className={styles.orgFilter}
              treeData={orgTreeData}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandAll={orgTreeData.length < 50}
              placeholder={t('beneficiaries.filterOrg')}
              value={query.orgId}
              onChange={(orgId?: string) => update({ orgId: orgId || undefined })}
              data-testid="beneficiary-filter-org"
            />
          )}
          <Select
            allowClear
            className={styles.filter}
            options={CATEGORY_OPTIONS}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('beneficiaries.filterCategory')}
            value={query.category}
            onChange={(category?: CategoryCode) => update({ category })}
            data-testid="beneficiary-filter-category"
          />
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            allowClear
            className={styles.filter}
            options={STATUS_OPTIONS}
            placeholder={t('beneficiaries.filterStatus')}
            value={query.status}
            onChange={(status?: BeneficiaryStatus) => update({ status })}
            data-testid="beneficiary-filter-status"
          />
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            allowClear
            className={styles.filter}
            options={PLAQUE_OPTIONS}
            placeholder={t('beneficiaries.filterPlaque')}
            value={query.plaque}
            onChange={(plaque?: PlaqueStatus) => update({ plaque })}
            data-testid="beneficiary-filter-plaque"
          />
          <Space.Compact>
            <Space.Addon>{t('beneficiaries.age')}</Space.Addon>
            <InputNumber
              className={styles.age}
              min={0}
              max={130}
              precision={0}
              placeholder={t('beneficiaries.ageMin')}
              value={query.ageMin ?? null}
              onChange={(v) => update({ ageMin: typeof v === 'number' ? v : undefined })}
              aria-label={t('beneficiaries.ageMin')}
              data-testid="beneficiary-filter-ageMin"
            />
            <Space.Addon>~</Space.Addon>
            <InputNumber
              className={styles.age}
              min={0}
              max={130}
              precision={0}
              placeholder={t('beneficiaries.ageMax')}
              value={query.ageMax ?? null}
              onChange={(v) => update({ ageMax: typeof v === 'number' ? v : undefined })}
              aria-label={t('beneficiaries.ageMax')}
              data-testid="beneficiary-filter-ageMax"
            />
          </Space.Compact>
          {hasFilters && (
            <Button
              onClick={() => {
                setSearchText('');
                setParams(new URLSearchParams(), { replace: true });
              }}
              data-testid="beneficiary-filter-reset"
            >
              {t('beneficiaries.resetFilters')}
            </Button>
          )}
        </Flex>
      )}
      {canExport && (
        <SelectionBar
          count={selected.length}
          onClear={() => setSelected([])}
          actions={
            <Button
              size="small"
              icon={<DownloadOutlined />}
              onClick={() => setDialog('exportSelected')}
              data-testid="beneficiary-export-selected"
            >
              {t('beneficiaries.exportSelected')}
            </Button>
          }
        />
      )}
      <Table<BeneficiaryListItem>
        rowKey="id"
        rowSelection={
          canExport
            ? {
                selectedRowKeys: selected,
                preserveSelectedRowKeys: true,
                onChange: (keys) => setSelected((keys as string[]).slice(0, MAX_SELECTED)),
              }
            : undefined
        }
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="beneficiary-table"
        showSorterTooltip={false}
        onChange={onTableChange}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: data?.total ?? 0,
          pageSizeOptions: PAGE_SIZES,
          showSizeChanger: !isMobile,
          simple: isMobile,
          showTotal: totalText,
        }}
      />
      {dialog === 'lookup' && <LookupModal onClose={() => setDialog(null)} />}
      {dialog === 'exportSelected' && (
        <ExportModal
          filters={{}}
          ids={selected}
          total={selected.length}
          canReveal={can('beneficiary:reveal')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'export' && (
        <ExportModal
          filters={filtersOf(query)}
          total={data && !data.totalCapped ? data.total : null}
          canReveal={can('beneficiary:reveal')}
          onClose={() => setDialog(null)}
        />
      )}
    </Card>
  );
}
