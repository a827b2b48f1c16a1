import type { Org } from '@shuangyong/shared';

export interface OrgNode {
  org: Org;
  children: OrgNode[];
}

/**
 * Builds the forest from the flat `/orgs/tree` items. Roots are items whose parent is null or
 * outside the set (a district admin sees their district as a root). Input order is kept.
 */
export function buildOrgForest(items: readonly Org[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>();
  for (const org of items) nodes.set(org.id, { org, children: [] });
  const roots: OrgNode[] = [];
  for (const org of items) {
    const node = nodes.get(org.id)!;
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function walk(forest: readonly OrgNode[], visit: (node: OrgNode, ancestors: readonly OrgNode[]) => void): void {
  const go = (nodes: readonly OrgNode[], ancestors: OrgNode[]) => {
    for (const n of nodes) {
      visit(n, ancestors);
      go(n.children, [...ancestors, n]);
    }
  };
  go(forest, []);
}

/** The ids of a node and everything below it. */
export function subtreeIds(forest: readonly OrgNode[], id: string): Set<string> {
  const ids = new Set<string>();
  walk(forest, (n, ancestors) => {
    if (n.org.id === id || ancestors.some((a) => a.org.id === id)) ids.add(n.org.id);
  });
  return ids;
}

/** Ids of every node whose name contains `text`, and of all their ancestors (for expanding). */
export function matchOrgs(forest: readonly OrgNode[], text: string): { matches: Set<string>; visible: Set<string> } {
  const needle = text.trim().toLowerCase();
  const matches = new Set<string>();
  const visible = new Set<string>();
  walk(forest, (n, ancestors) => {
    if (!needle || n.org.name.toLowerCase().includes(needle) || n.org.code.toLowerCase() === needle) {
      matches.add(n.org.id);
      visible.add(n.org.id);
      for (const a of ancestors) visible.add(a.org.id);
    }
  });
  return { matches, visible };
}

export interface OrgSelectNode {
  value: string;
  title: string;
  disabled?: boolean;
  children?: OrgSelectNode[];
}

/** Tree data for antd TreeSelect. */
export function toSelectTree(forest: readonly OrgNode[], isDisabled?: (org: Org) => boolean): OrgSelectNode[] {
  return forest.map((n) => ({
    value: n.org.id,
    title: n.org.name,
    disabled: isDisabled?.(n.org) ?? false,
    children: n.children.length ? toSelectTree(n.children, isDisabled) : undefined,
  }));
}
