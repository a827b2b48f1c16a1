import type { Org } from '@shuangyong/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { orgsApi } from '../../api/orgs';
import { buildOrgForest, type OrgNode } from './tree';

export interface OrgTreeState {
  items: Org[];
  forest: OrgNode[];
  byId: Map<string, Org>;
  loading: boolean;
  /** Refetches; resolves to the new items (empty on error). */
  reload: () => Promise<Org[]>;
}

const EMPTY: Org[] = [];

/** The org tree in the caller's scope, read once and shared by every page that needs it. */
export function useOrgTree(includeInactive: boolean, enabled = true): OrgTreeState {
  const queryClient = useQueryClient();
  const key = ['org-tree', includeInactive];
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => orgsApi.tree(includeInactive, { signal }),
    enabled,
    staleTime: 60_000,
  });
  const items = query.data?.items ?? EMPTY;
  const reload = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ['org-tree'] });
    return queryClient.getQueryData<{ items: Org[] }>(['org-tree', includeInactive])?.items ?? [];
  }, [queryClient, includeInactive]);
  const forest = useMemo(() => buildOrgForest(items), [items]);
  const byId = useMemo(() => new Map(items.map((o) => [o.id, o])), [items]);
  return { items, forest, byId, loading: enabled && query.isFetching, reload };
}
