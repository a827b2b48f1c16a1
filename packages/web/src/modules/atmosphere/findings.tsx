import type { ContentBlock, EventStatus, ExemplarStatus, Finding, PublicityStatus } from '@shuangyong/shared';
import { Card, List, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { t } from '../../i18n';
import { pieces } from './content';

/**
 * The confidentiality review as every atmosphere page shows it: a text with the findings' spans
 * marked in place, the list of findings with the rule that raised each, and the status tags.
 */

/** A text with the findings' spans marked in place. */
export function MarkedText({ text, findings }: { text: string; findings: readonly Finding[] }) {
  return (
    <>
      {pieces(text, findings).map((p, i) =>
        p.marked ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one text, in order
          <mark key={i} data-testid="finding-mark">
            {p.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one text, in order
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

/** A title, an optional lead line and structured blocks, each with the findings that point into it marked. */
export function MarkedContent({
  testId,
  level,
  title,
  lead,
  blocks,
  findings,
}: {
  testId: string;
  level: 4 | 5;
  title: string;
  lead?: string;
  blocks: readonly ContentBlock[];
  findings: readonly Finding[];
}) {
  const at = (where: Finding['where'], block?: number) =>
    findings.filter((f) => f.where === where && (block === undefined || f.block === block));
  return (
    <div data-testid={testId}>
      <Typography.Title level={level}>
        <MarkedText text={title} findings={at('title')} />
      </Typography.Title>
      {lead !== undefined ? (
        <Typography.Paragraph strong>
          <MarkedText text={lead} findings={at('text')} />
        </Typography.Paragraph>
      ) : null}
      {blocks.map((b, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no id; the content is replaced whole
        <Typography.Paragraph key={i}>
          {b.type === 'list' ? b.items.join('；') : <MarkedText text={b.text} findings={at('body', i)} />}
        </Typography.Paragraph>
      ))}
    </div>
  );
}

/** The findings, one a line: severity, where, the rule's label and what it matched. */
export function FindingList({ findings, whereOf }: { findings: readonly Finding[]; whereOf: (f: Finding) => string }) {
  if (!findings.length) return <Typography.Text type="success">{t('publicity.noFindings')}</Typography.Text>;
  return (
    <List
      size="small"
      header={t('publicity.findingCount', { count: findings.length })}
      dataSource={[...findings]}
      renderItem={(f) => (
        <List.Item data-testid="finding" data-rule={f.rule}>
          <Space wrap>
            <Tag color={f.severity === 'block' ? 'red' : 'orange'}>{t(`publicity.severity.${f.severity}`)}</Tag>
            <span>{whereOf(f)}</span>
            <span>{f.label}</span>
            {f.match ? <mark>{f.match}</mark> : null}
          </Space>
        </List.Item>
      )}
    />
  );
}

/** The card of the confidentiality findings: the content with its marks (when given) above the list. */
export function FindingsCard({
  title,
  testId,
  findings,
  whereOf,
  children,
}: {
  title: string;
  testId: string;
  findings: readonly Finding[];
  whereOf: (f: Finding) => string;
  children?: ReactNode;
}) {
  return (
    <Card title={title} data-testid={testId}>
      {children}
      <FindingList findings={findings} whereOf={whereOf} />
    </Card>
  );
}

/** A status as a coloured tag (the colours and names of one kind of record). */
function StatusTag<S extends string>({
  status,
  colors,
  name,
  testId,
}: {
  status: S;
  colors: Record<S, string>;
  name: (s: S) => string;
  testId: string;
}) {
  return (
    <Tag color={colors[status]} data-testid={testId}>
      {name(status)}
    </Tag>
  );
}

const PUBLICITY_COLORS: Record<PublicityStatus, string> = {
  draft: 'default',
  returned: 'red',
  civil_review: 'blue',
  military_review: 'purple',
  approved: 'green',
  published: 'gold',
};
const EXEMPLAR_COLORS: Record<ExemplarStatus, string> = {
  draft: 'default',
  city_review: 'blue',
  returned: 'red',
  approved: 'green',
  published: 'gold',
};
const EVENT_COLORS: Record<EventStatus, string> = {
  planned: 'blue',
  held: 'green',
  closed: 'default',
  cancelled: 'red',
};
const publicityName = (s: PublicityStatus) => t(`atmosphere.status.${s}`);
const exemplarName = (s: ExemplarStatus) => t(`exemplars.status.${s}`);
const eventName = (s: EventStatus) => t(`events.status.${s}`);

export const PublicityStatusTag = ({ status }: { status: PublicityStatus }) => (
  <StatusTag status={status} colors={PUBLICITY_COLORS} name={publicityName} testId="publicity-status" />
);
export const ExemplarStatusTag = ({ status }: { status: ExemplarStatus }) => (
  <StatusTag status={status} colors={EXEMPLAR_COLORS} name={exemplarName} testId="exemplar-status" />
);
export const EventStatusTag = ({ status }: { status: EventStatus }) => (
  <StatusTag status={status} colors={EVENT_COLORS} name={eventName} testId="event-status" />
);
