import {
  CheckCircleOutlined,
  EditOutlined,
  PlusOutlined,
  ReloadOutlined,
  StopOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import type { Org } from '@shuangyong/shared';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Input, Row, Tag, Tree, type TreeDataNode } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { orgsApi } from '../../api/orgs';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/useIsMobile';
import { CreateOrgModal, MoveOrgModal, RenameOrgModal } from './OrgModals';
import styles from './orgs.module.css';
import { matchOrgs, type OrgNode } from './tree';
import { useOrgTree } from './useOrgTree';

type Dialog = 'create' | 'rename' | 'move' | null;

export function OrgsPage() {
  const can = useCan();
  const canManage = can('org:manage');
  const isMobile = useIsMobile();
  const { message, modal } = App.useApp();
  const { items, forest, byId, loading, reload } = useOrgTree(canManage);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  const [dialog, setDialog] = useState<Dialog>(null);
  const detailRef = useRef<HTMLDivElement>(null);

  function select(id: string) {
    setSelectedId(id);
    // on a phone the details sit below the tree
    if (isMobile)
      requestAnimationFrame(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }

  // First load: open the top two levels.
  const [initialised, setInitialised] = useState(false);
  useEffect(() => {
    if (initialised || forest.length === 0) return;
    setExpanded(forest.flatMap((n) => [n.org.id, ...n.children.filter((c) => c.children.length).map((c) => c.org.id)]));
    if (forest.length === 1 && forest[0]) setSelectedId(forest[0].org.id);
    setInitialised(true);
  }, [forest, initialised]);

  const { matches, visible } = useMemo(() => matchOrgs(forest, filter), [forest, filter]);
  const filtering = filter.trim() !== '';
  const treeData = useMemo(
    () => toTreeData(forest, filtering ? visible : null, filtering ? matches : null),
    [forest, filtering, visible, matches],
  );
  const selected = selectedId ? byId.get(selectedId) : undefined;
  const parent = selected?.parentId ? byId.get(selected.parentId) : undefined;

  async function afterChange(org: Org, successKey: Parameters<typeof t>[0]) {
    setDialog(null);
    void message.success(t(successKey, { name: org.name }));
    await reload();
    setSelectedId(org.id);
    if (org.parentId) setExpanded((e) => (org.parentId && !e.includes(org.parentId) ? [...e, org.parentId] : e));
  }

  function toggleActive(org: Org) {
    const activating = !org.active;
    modal.confirm({
      title: t(activating ? 'orgs.activateConfirm' : 'orgs.deactivateConfirm', { name: org.name }),
      content: activating ? undefined : t('orgs.deactivateHint'),
      okButtonProps: { danger: !activating },
      onOk: async () => {
        try {
          const next = await (activating ? orgsApi.activate(org) : orgsApi.deactivate(org));
          await afterChange(next, activating ? 'orgs.activated' : 'orgs.deactivated');
        } catch {
          await reload(); // e.g. a stale version: show the current state
        }
      },
    });
  }

  return (
    <Row gutter={[16, 16]}>
      <DocTitle title={t('nav.orgs')} />
      <Col xs={24} lg={11} xl={10}>
        <Card
          title={t('orgs.treeTitle')}
          extra={
            <Button
              type="text"
              icon={<ReloadOutlined />}
              onClick={() => void reload()}
              aria-label={t('web.refresh')}
              loading={loading}
            />
          }
          styles={{ body: { padding: isMobile ? 12 : 16 } }}
        >
          <Input.Search
            allowClear
            placeholder={t('orgs.filterPlaceholder')}
            onSearch={setFilter}
            onChange={(e) => !e.target.value && setFilter('')}
            className={styles.filter}
            data-testid="org-filter"
          />
          <div data-testid="org-tree" className={styles.tree}>
            {treeData.length > 0 ? (
              <Tree
                blockNode
                showLine
                treeData={treeData}
                selectedKeys={selectedId ? [selectedId] : []}
                expandedKeys={filtering ? [...visible] : expanded}
                onExpand={(keys) => !filtering && setExpanded(keys.map(String))}
                onSelect={(keys) => keys[0] !== undefined && select(String(keys[0]))}
                virtual={items.length > 300}
                height={items.length > 300 ? 600 : undefined}
              />
            ) : (
              <Empty description={loading ? t('web.loading') : t('orgs.empty')} />
            )}
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={13} xl={14} ref={detailRef} style={{ scrollMarginTop: 64 }}>
        <Card title={selected ? selected.name : t('orgs.detailTitle')} data-testid="org-detail">
          {selected ? (
            <Flex vertical gap={16}>
              {canManage && (
                <Flex wrap gap={8}>
                  <Button
                    type="primary"
                    icon={<PlusOutlined />}
                    disabled={!selected.active}
                    onClick={() => setDialog('create')}
                    data-testid="org-create-child"
                  >
                    {t('orgs.createChild')}
                  </Button>
                  <Button icon={<EditOutlined />} onClick={() => setDialog('rename')} data-testid="org-rename">
                    {t('orgs.rename')}
                  </Button>
                  <Button
                    icon={<SwapOutlined />}
                    disabled={!parent}
                    onClick={() => setDialog('move')}
                    data-testid="org-move"
                  >
                    {t('orgs.move')}
                  </Button>
                  <Button
                    danger={selected.active}
                    icon={selected.active ? <StopOutlined /> : <CheckCircleOutlined />}
                    onClick={() => toggleActive(selected)}
                    data-testid="org-toggle-active"
                  >
                    {selected.active ? t('orgs.deactivate') : t('orgs.activate')}
                  </Button>
                </Flex>
              )}
              <OrgDetails org={selected} parent={parent} />
            </Flex>
          ) : (
            <Empty description={t('orgs.pickHint')} />
          )}
        </Card>
      </Col>
      {selected && dialog === 'create' && (
        <CreateOrgModal
          org={selected}
          onClose={() => setDialog(null)}
          onDone={(o) => void afterChange(o, 'orgs.created')}
        />
      )}
      {selected && dialog === 'rename' && (
        <RenameOrgModal
          org={selected}
          onClose={() => setDialog(null)}
          onDone={(o) => void afterChange(o, 'orgs.renamed')}
        />
      )}
      {selected && dialog === 'move' && (
        <MoveOrgModal
          org={selected}
          forest={forest}
          onClose={() => setDialog(null)}
          onDone={(o) => void afterChange(o, 'orgs.moved')}
        />
      )}
    </Row>
  );
}

function OrgDetails({ org, parent }: { org: Org; parent: Org | undefined }) {
  return (
    <Descriptions
      styles={{ label: { whiteSpace: 'nowrap' } }}
      bordered
      size="small"
      column={1}
      items={[
        { key: 'name', label: t('orgs.name'), children: org.name },
        { key: 'code', label: t('orgs.code'), children: <code>{org.code}</code> },
        { key: 'type', label: t('orgs.type'), children: label('orgType', org.type) },
        { key: 'side', label: t('orgs.side'), children: label('side', org.side) },
        { key: 'parent', label: t('orgs.parent'), children: parent?.name ?? '—' },
        { key: 'regionCode', label: t('orgs.regionCode'), children: org.regionCode ?? '—' },
        { key: 'path', label: t('orgs.path'), children: <code className={styles.path}>{org.path}</code> },
        {
          key: 'active',
          label: t('orgs.status'),
          children: (
            <Tag color={org.active ? 'green' : 'default'} data-testid="org-status">
              {org.active ? t('orgs.active') : t('orgs.inactive')}
            </Tag>
          ),
        },
        { key: 'updatedAt', label: t('orgs.updatedAt'), children: formatDateTime(org.updatedAt) },
      ]}
    />
  );
}

function toTreeData(
  nodes: readonly OrgNode[],
  visible: Set<string> | null,
  matches: Set<string> | null,
): TreeDataNode[] {
  return nodes
    .filter((n) => !visible || visible.has(n.org.id))
    .map((n) => ({
      key: n.org.id,
      title: <OrgTitle org={n.org} highlight={!!matches?.has(n.org.id)} />,
      className: n.org.active ? undefined : styles.inactive,
      children: n.children.length ? toTreeData(n.children, visible, matches) : undefined,
    }));
}

function OrgTitle({ org, highlight }: { org: Org; highlight: boolean }) {
  return (
    <span className={styles.node} data-org-id={org.id} data-org-code={org.code}>
      <span className={highlight ? styles.match : undefined}>{org.name}</span>
      <Tag className={styles.typeTag} color={org.active ? (org.side === 'military' ? 'green' : 'blue') : 'default'}>
        {label('orgType', org.type)}
      </Tag>
      {!org.active && <Tag className={styles.typeTag}>{t('orgs.inactive')}</Tag>}
    </span>
  );
}
