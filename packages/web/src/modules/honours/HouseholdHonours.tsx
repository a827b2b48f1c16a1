import { PlusOutlined } from '@ant-design/icons';
import { CITATION_STATUSES, CITATION_STEPS } from '@shuangyong/shared';
import { Button, Card, Descriptions, Empty, Flex, Steps, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import type { Citation, CitationStatus, CitationStep, Couplet, Household } from '../../api/honours';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { formatFen } from '../../lib/money';
import { useIsMobile } from '../../lib/useIsMobile';
import { orDash } from '../registry/labels';
import { AdvanceCitationModal, CitationModal, CoupletModal, PlaqueEventModal } from './HonourModals';
import styles from './honours.module.css';

type Dialog = { kind: 'plaque' } | { kind: 'couplet' } | { kind: 'citation' } | { kind: 'advance'; citation: Citation };

/** The step that leaves `status`; null once reported. */
export function nextStep(status: CitationStatus): CitationStep | null {
  return CITATION_STEPS[CITATION_STATUSES.indexOf(status)] ?? null;
}

/** Past the register deadline and still not registered (the server counts it in working days). */
export function isOverdue(c: Citation): boolean {
  return c.overdue && !c.registeredAt;
}

const dash = (v: string | number | null | undefined) => orDash(v);

/**
 * The honours of one household: 光荣牌 events, 春联 deliveries and 立功喜报 with their workflow.
 * With `canManage` each section gets its actions; `onChanged` reloads the household.
 */
export function HouseholdHonours({
  household,
  canManage,
  onChanged,
}: {
  household: Household;
  canManage: boolean;
  onChanged: () => void;
}) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const done = () => {
    setDialog(null);
    onChanged();
  };

  return (
    <div>
      <Card
        size="small"
        className={styles.section}
        title={t('honours.plaque')}
        extra={
          canManage && (
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setDialog({ kind: 'plaque' })}
              data-testid="plaque-add"
            >
              {t('honours.plaqueAdd')}
            </Button>
          )
        }
        data-testid="plaque-section"
      >
        {household.plaqueEvents.length ? (
          <Timeline
            data-testid="plaque-events"
            items={household.plaqueEvents.map((e) => ({
              key: e.id,
              color: e.kind === 'cancelled' || e.kind === 'taken_back' ? 'gray' : 'red',
              content: (
                <div data-testid="plaque-event" data-kind={e.kind}>
                  <span className={styles.date}>{e.eventDate}</span>
                  <strong>{label('plaqueEvent', e.kind)}</strong>
                  {e.reason && <span>（{label('plaqueReason', e.reason)}）</span>}
                  {e.hungBy && <div>{t('honours.hungByValue', { names: e.hungBy })}</div>}
                  {e.note && <div>{e.note}</div>}
                  <div className={styles.muted}>{t('honours.recordedAt', { at: formatDateTime(e.createdAt) })}</div>
                </div>
              ),
            }))}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('honours.noPlaqueEvents')} />
        )}
      </Card>

      <Card
        size="small"
        className={styles.section}
        title={t('honours.couplets')}
        extra={
          canManage && (
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setDialog({ kind: 'couplet' })}
              data-testid="couplet-add"
            >
              {t('honours.coupletAdd')}
            </Button>
          )
        }
        data-testid="couplet-section"
      >
        <Table<Couplet>
          size="small"
          rowKey={(c) => String(c.year)}
          pagination={false}
          dataSource={household.couplets}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('honours.noCouplets') }}
          columns={[
            { title: t('honours.coupletYear'), dataIndex: 'year' },
            { title: t('honours.deliveredAt'), dataIndex: 'deliveredAt', render: dash },
            { title: t('honours.deliveredBy'), dataIndex: 'deliveredBy', render: dash },
          ]}
          data-testid="couplet-table"
        />
      </Card>

      <Card
        size="small"
        className={styles.section}
        title={t('honours.citations')}
        extra={
          canManage && (
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setDialog({ kind: 'citation' })}
              data-testid="citation-add"
            >
              {t('honours.citationAdd')}
            </Button>
          )
        }
        data-testid="citation-section"
      >
        {household.citations.length ? (
          household.citations.map((c) => (
            <CitationCard
              key={c.id}
              citation={c}
              canManage={canManage}
              onAdvance={() => setDialog({ kind: 'advance', citation: c })}
            />
          ))
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('honours.noCitations')} />
        )}
      </Card>

      {dialog?.kind === 'plaque' && (
        <PlaqueEventModal householdId={household.id} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'couplet' && (
        <CoupletModal householdId={household.id} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'citation' && (
        <CitationModal householdId={household.id} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'advance' && nextStep(dialog.citation.status) && (
        <AdvanceCitationModal
          citation={dialog.citation}
          step={nextStep(dialog.citation.status)!}
          onClose={() => setDialog(null)}
          onDone={done}
        />
      )}
    </div>
  );
}

function deliverersText(d: Citation['deliverers']): string | null {
  return d || null;
}

/** One 立功喜报 and its workflow as Steps; the register deadline turns red once missed. */
function CitationCard({
  citation: c,
  canManage,
  onAdvance,
}: {
  citation: Citation;
  canManage: boolean;
  onAdvance: () => void;
}) {
  const isMobile = useIsMobile();
  const index = CITATION_STATUSES.indexOf(c.status);
  const overdue = isOverdue(c);
  const step = nextStep(c.status);
  const deadline = c.registerDeadline && (
    <span className={overdue ? styles.overdue : undefined} data-testid="citation-deadline" data-overdue={overdue}>
      {t(overdue ? 'honours.deadlineOverdue' : 'honours.deadline', { date: c.registerDeadline })}
    </span>
  );
  const dates: (string | null)[] = [c.receivedAt, c.registeredAt, c.addressVerifiedAt, c.deliveredAt, c.reportedAt];

  return (
    <Card
      size="small"
      type="inner"
      className={styles.citation}
      data-testid="citation"
      data-status={c.status}
      title={
        <Flex wrap gap={8} align="center">
          <span>{c.memberName}</span>
          <Tag color="red" className={styles.tag}>
            {label('awardLevel', c.awardLevel)}
          </Tag>
          <Tag className={styles.tag} data-testid="citation-status">
            {label('citationStatus', c.status)}
          </Tag>
        </Flex>
      }
      extra={
        canManage &&
        step && (
          <Button size="small" type="primary" onClick={onAdvance} data-testid="citation-advance" data-step={step}>
            {label('citationStep', step)}
          </Button>
        )
      }
    >
      <div className={styles.steps}>
        <Steps
          size="small"
          orientation={isMobile ? 'vertical' : 'horizontal'}
          current={Math.min(index + 1, CITATION_STATUSES.length - 1)}
          status={index === CITATION_STATUSES.length - 1 ? 'finish' : undefined}
          items={CITATION_STATUSES.map((s, i) => ({
            key: s,
            title: label('citationStatus', s),
            status:
              i <= index ? 'finish' : s === 'registered' && overdue ? 'error' : i === index + 1 ? 'process' : 'wait',
            content: (
              <>
                {dates[i] && <div>{dates[i]}</div>}
                {s === 'registered' && !c.registeredAt && deadline}
                {s === 'delivered' && deliverersText(c.deliverers) && (
                  <div className={styles.muted}>{deliverersText(c.deliverers)}</div>
                )}
              </>
            ),
          }))}
        />
      </div>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        items={[
          { key: 'unit', label: t('honours.unitCodeName'), children: dash(c.unitCodeName) },
          { key: 'year', label: t('honours.awardYear'), children: dash(c.awardYear) },
          {
            key: 'reward',
            label: t('honours.reward'),
            children: (
              <span data-testid="citation-reward">{c.rewardFen === null ? t('web.none') : formatFen(c.rewardFen)}</span>
            ),
          },
        ]}
      />
    </Card>
  );
}
