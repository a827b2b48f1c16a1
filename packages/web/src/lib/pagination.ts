import type { TablePaginationConfig } from 'antd';
import type { Dispatch, SetStateAction } from 'react';
import { t } from '../i18n';

interface Paged {
  page?: number;
  pageSize?: number;
}

/** A list page's table pagination: page and size kept in the page's query; a new size starts at page 1. */
export function listPagination<Q extends Paged>(
  query: Q,
  setQuery: Dispatch<SetStateAction<Q>>,
  total: number | undefined,
  isMobile: boolean,
): TablePaginationConfig {
  return {
    current: query.page,
    pageSize: query.pageSize,
    total: total ?? 0,
    showSizeChanger: !isMobile,
    simple: isMobile,
    showTotal: (n) => t('web.total', { total: n }),
    onChange: (page, pageSize) => setQuery((s) => ({ ...s, page: pageSize === s.pageSize ? page : 1, pageSize })),
  };
}
