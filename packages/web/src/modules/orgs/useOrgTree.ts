import type { Org } from '@shuangyong/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
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

export function useOrgTree(includeInactive: boolean, enabled = true): OrgTreeState {
  const [items, setItems] = useState<Org[]>([]);
  const [loading, setLoading] = useState(enabled);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    if (!enabled) return [];
    const call = ++latest.current;
    setLoading(true);
    try {
      const res = await orgsApi.tree(includeInactive);
      if (call === latest.current) setItems(res.items);
      return res.items;
    } catch {
      return [];
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, [includeInactive, enabled]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const forest = useMemo(() => buildOrgForest(items), [items]);
  const byId = useMemo(() => new Map(items.map((o) => [o.id, o])), [items]);
  return { items, forest, byId, loading, reload };
}
