import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, List, Select, Typography } from 'antd';
import { useState } from 'react';
import { modelcityApi } from '../../api/modelcity';
import { t } from '../../i18n';
import { elementsFor, type TaggedKind } from './links';

/**
 * 标记为创建佐证: files an event (once held) or an exemplar (once recognised) as evidence of a
 * chosen scoring element of the model-city assessment, through the model-city module's API.
 * `allowed` is the detail answer's `abilities.modelcityTag`: the server knows whether the record
 * is within the caller's scope (an invited unit sees another organiser's event but may not tag it).
 */
export function ModelCityTag({ kind, sourceId, allowed }: { kind: TaggedKind; sourceId: string; allowed: boolean }) {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [elementId, setElementId] = useState<string>();
  const [busy, setBusy] = useState(false);
  const readiness = useQuery({
    queryKey: ['modelcity', 'readiness', undefined],
    queryFn: ({ signal }) => modelcityApi.readiness(undefined, { signal }),
    enabled: allowed,
  });
  if (!allowed) return null;
  const { open, filed } = elementsFor(readiness.data, kind, sourceId);
  const tag = async () => {
    if (!elementId) return;
    setBusy(true);
    try {
      await modelcityApi.tag({ elementId, sourceKind: kind, sourceId });
      setElementId(undefined);
      await client.invalidateQueries({ queryKey: ['modelcity'] });
      message.success(t('web.atmosphere.modelcityTagged'));
    } catch {
      // the client has shown the reason
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('web.atmosphere.modelcityTag')} data-testid="modelcity-tag">
      <Flex vertical gap={8}>
        {filed.length ? (
          <List
            size="small"
            header={t('web.atmosphere.modelcityFiled')}
            dataSource={filed}
            renderItem={(f) => <List.Item data-testid="modelcity-tag-filed">{f.label}</List.Item>}
          />
        ) : (
          <Typography.Text type="secondary">{t('web.atmosphere.modelcityNone')}</Typography.Text>
        )}
        <Flex wrap gap={8}>
          <Select
            showSearch
            optionFilterProp="label"
            aria-label={t('web.atmosphere.modelcityElement')}
            placeholder={t('web.atmosphere.modelcityElement')}
            style={{ flex: 1, minWidth: 0, maxWidth: '100%' }}
            popupMatchSelectWidth={false}
            loading={readiness.isFetching}
            options={open}
            value={elementId}
            onChange={setElementId}
            data-testid="modelcity-tag-element"
          />
          <Button
            type="primary"
            disabled={!elementId}
            loading={busy}
            onClick={() => void tag()}
            data-testid="modelcity-tag-button"
          >
            {t('web.atmosphere.modelcityTagAction')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}
