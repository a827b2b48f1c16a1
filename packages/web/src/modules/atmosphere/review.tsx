import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Form,
  Input,
  Space,
  Table,
  type TableProps,
  Timeline,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';

/**
 * The pieces the publicity and exemplar pages share around the confidentiality review: the action
 * runner, the reviewer's card, the review history and the register's card.
 */

/** Runs an action on a record of `key` (`publicity`, `exemplars`): stores the answer, refreshes the lists, says `done`. */
export function useRun<T extends { id: string }>(key: string) {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<T>, done: string) => {
    setBusy(true);
    try {
      const next = await work();
      client.setQueryData([key, 'item', next.id], next);
      await client.invalidateQueries({ queryKey: [key] });
      message.success(done);
      return next;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** The two kinds of record that go through the review: their catalogue prefix and their test ids' prefix. */
export type Reviewed = 'publicity' | 'exemplars';
const TEST_ID: Record<Reviewed, string> = { publicity: 'publicity', exemplars: 'exemplar' };

/** The reviewer's card: a comment, approve or return (and whatever `extra` asks before approving). */
export function ReviewCard({
  kind,
  busy,
  comment,
  onComment,
  onDecide,
  extra,
}: {
  kind: Reviewed;
  busy: boolean;
  comment: string;
  onComment: (v: string) => void;
  onDecide: (decision: 'approve' | 'return') => void;
  extra?: ReactNode;
}) {
  const id = TEST_ID[kind];
  return (
    <Card title={t(`${kind}.review`)} data-testid={`${id}-review`}>
      <Flex vertical gap={8}>
        <Input.TextArea
          aria-label={t(`${kind}.reviewComment`)}
          placeholder={t(`${kind}.reviewComment`)}
          value={comment}
          onChange={(ev) => onComment(ev.target.value)}
          data-testid={`${id}-review-comment`}
        />
        {extra}
        <Space wrap>
          <Button type="primary" loading={busy} onClick={() => onDecide('approve')} data-testid={`${id}-approve`}>
            {t(`${kind}.approve`)}
          </Button>
          <Button danger loading={busy} onClick={() => onDecide('return')} data-testid={`${id}-return`}>
            {t(`${kind}.return`)}
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}

interface ReviewEntry {
  at: string;
  reviewerOrgName: string;
  reviewerName: string;
  comment?: string | null;
}

/** The reviews so far, oldest first: when, who, the decision and the comment. */
export function ReviewHistory<R extends ReviewEntry>({
  title,
  testId,
  reviews,
  decision,
}: {
  title: string;
  testId: string;
  reviews: readonly R[];
  decision: (r: R) => string;
}) {
  if (!reviews.length) return null;
  return (
    <Card title={title}>
      <Timeline
        items={reviews.map((r) => ({
          children: (
            <span data-testid={testId}>
              {formatDateTime(r.at)} {r.reviewerOrgName} {r.reviewerName}：{decision(r)}
              {r.comment ? `（${r.comment}）` : ''}
            </span>
          ),
        }))}
      />
    </Card>
  );
}

/** A register's card: its title, and the button that starts a new record for those who may write one. */
export function ListCard({
  title,
  newLabel,
  newPath,
  createTestId,
  children,
}: {
  title: string;
  newLabel: string;
  newPath: string;
  createTestId: string;
  children: ReactNode;
}) {
  const can = useCan();
  const navigate = useNavigate();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      }
      extra={
        can('publicity:write') ? (
          <Button type="primary" icon={<PlusOutlined />} data-testid={createTestId} onClick={() => navigate(newPath)}>
            {newLabel}
          </Button>
        ) : null
      }
    >
      <DocTitle title={title} />
      {children}
    </Card>
  );
}

/** The end of a draft's form: "mentions troops", save, and send for review when the caller may. */
export function DraftActions({
  kind,
  busy,
  onSave,
  onSubmit,
}: {
  kind: Reviewed;
  busy: boolean;
  onSave: () => void;
  /** Absent when the record cannot be sent now. */
  onSubmit?: () => void;
}) {
  const id = TEST_ID[kind];
  return (
    <>
      <Form.Item name="mentionsTroops" valuePropName="checked">
        <Checkbox>{t(`${kind}.field.mentionsTroops`)}</Checkbox>
      </Form.Item>
      <Space wrap>
        <Button type="primary" loading={busy} onClick={onSave} data-testid={`${id}-save`}>
          {t(`${kind}.save`)}
        </Button>
        {onSubmit ? (
          <Button loading={busy} data-testid={`${id}-submit`} onClick={onSubmit}>
            {t(`${kind}.submit`)}
          </Button>
        ) : null}
      </Space>
    </>
  );
}

/** A register's table, a page at a time. */
export function PagedTable<T extends { id: string }>({
  columns,
  items,
  total,
  loading,
  page,
  pageSize,
  emptyText,
  onPage,
}: {
  columns: TableProps<T>['columns'];
  items: T[] | undefined;
  total: number | undefined;
  loading: boolean;
  page: number | undefined;
  pageSize: number | undefined;
  emptyText: string;
  onPage: (page: number, pageSize: number) => void;
}) {
  return (
    <Table<T>
      rowKey="id"
      columns={columns}
      dataSource={items}
      loading={loading}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText }}
      pagination={{ current: page, pageSize, total, onChange: onPage }}
    />
  );
}
