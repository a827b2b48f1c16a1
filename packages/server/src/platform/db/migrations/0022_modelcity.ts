import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/** Evidence kinds a scoring element accepts (uploaded documents, or records of other modules). */
type Kinds = string;
/** [text, points (hundredths), evidence kinds (comma-separated), at least how many pieces]. */
type ElementRow = [text: string, points: number, kinds: Kinds, min?: number];
/** [content, scoring rule as printed, elements]. */
type ItemRow = [content: string, rule: string, elements: ElementRow[]];
/** [title, items]; the standard's total is the sum of its items. */
type StandardRow = [title: string, items: ItemRow[]];

/**
 * The example assessment table (示例), written by the team on the structure of the national trial
 * standard: eight basic standards, numbered items, each scored element by element on evidence.
 * Points are hundredths (0.25 = 25). It is marked as an example: a city replaces it with the
 * round's real table and its province's detailed rules (考评细则) on the same skeleton.
 */
export const MODELCITY_EXAMPLE_0022: StandardRow[] = [
  [
    '组织领导坚强有力',
    [
      [
        '双拥工作纳入经济社会发展规划和领导干部实绩考核',
        '每项落实得 0.5 分',
        [
          ['纳入国民经济和社会发展规划', 50, 'document'],
          ['纳入党政领导班子和领导干部实绩考核', 50, 'document'],
          ['列入党委理论学习中心组学习内容', 50, 'document'],
        ],
      ],
      [
        '召开军地联席会议，双拥领导小组每年至少召开一次会议',
        '召开会议 0.5 分，有计划、总结各 0.25 分，形成纪要或报告 0.5 分',
        [
          ['召开双拥领导小组会议或军地联席会议', 50, 'document,event'],
          ['年度双拥工作计划', 25, 'document'],
          ['年度双拥工作总结', 25, 'document'],
          ['会议纪要或向上级的报告', 50, 'document'],
        ],
      ],
      [
        '成员单位职责明确，有年度计划、总结和报告',
        '每项落实得 0.25 分',
        [
          ['成员单位双拥工作职责', 25, 'document'],
          ['成员单位年度计划', 25, 'document,campaign'],
          ['成员单位年度总结', 25, 'document,campaign'],
          ['成员单位工作报告', 25, 'document,campaign'],
        ],
      ],
      [
        '双拥办军地合署办公，人员配备到位',
        '合署办公 0.5 分，专职人员到位 0.5 分',
        [
          ['双拥办军地合署办公', 50, 'document'],
          ['专职工作人员配备到位', 50, 'document'],
        ],
      ],
      [
        '慰问部队和重点优抚对象经费列入财政预算',
        '列入预算并有支付凭证得 1 分',
        [['经费列入预算并有支付凭证', 100, 'document,visit', 2]],
      ],
    ],
  ],
  [
    '拥军工作扎实有效',
    [
      [
        '走访慰问部队和重点优抚对象',
        '节日走访慰问 0.5 分，慰问登记完整 0.5 分',
        [
          ['节日走访慰问部队', 50, 'visit,campaign,document'],
          ['重点优抚对象慰问登记', 50, 'visit,document'],
        ],
      ],
      [
        '帮助部队解决实际困难',
        '建立需求受理渠道 0.5 分，按期办结并评价 0.5 分',
        [
          ['部队需求受理渠道', 50, 'need,document'],
          ['需求按期办结并有评价', 50, 'need', 2],
        ],
      ],
      [
        '支持部队练兵备战和国防动员',
        '有支持措施 0.5 分，有落实记录 0.5 分',
        [
          ['支持练兵备战的措施文件', 50, 'document'],
          ['支持措施落实记录', 50, 'document,troops'],
        ],
      ],
    ],
  ],
  [
    '政策法规落到实处',
    [
      [
        '优抚政策落实到位',
        '抚恤补助按时足额发放 0.5 分，优待政策落实 0.5 分',
        [
          ['抚恤补助按时足额发放凭证', 50, 'document'],
          ['优待政策落实情况', 50, 'document,honour'],
        ],
      ],
      [
        '军人家庭荣誉激励',
        '立功喜报送达 0.5 分，光荣牌悬挂 0.5 分',
        [
          ['立功喜报送达记录', 50, 'honour,document'],
          ['光荣牌悬挂记录', 50, 'honour,document'],
        ],
      ],
      [
        '随军家属就业、子女入学优待',
        '每项落实得 0.5 分',
        [
          ['随军家属就业安置', 50, 'document'],
          ['军人子女入学优待', 50, 'document'],
        ],
      ],
    ],
  ],
  [
    '军民共建富有成效',
    [
      [
        '开展军民共建活动',
        '有共建协议 0.5 分，有活动记录 0.5 分',
        [
          ['军民共建协议', 50, 'document'],
          ['共建活动记录', 50, 'event,document,troops'],
        ],
      ],
      ['共建示范点建设', '建成示范点得 0.5 分', [['军民共建示范点', 50, 'document']]],
    ],
  ],
  [
    '宣传教育广泛深入',
    [
      [
        '利用军地主流媒体宣传双拥',
        '每刊播一篇得 0.25 分，最高 1 分',
        [['军地主流媒体刊播的双拥稿件', 100, 'publicity', 4]],
      ],
      ['宣传双拥先进典型', '有先进典型宣传得 0.5 分', [['先进典型宣传', 50, 'publicity,exemplar']]],
      [
        '开展国防教育和双拥教育',
        '有教育计划 0.25 分，有活动记录 0.25 分',
        [
          ['国防教育计划', 25, 'document'],
          ['教育活动记录', 25, 'event,document'],
        ],
      ],
    ],
  ],
  [
    '拥政爱民成果显著',
    [
      [
        '部队支援地方经济社会建设',
        '有支援项目得 0.5 分，有成效材料得 0.5 分',
        [
          ['部队支援地方建设项目', 50, 'troops,document'],
          ['支援成效材料', 50, 'troops,document,publicity'],
        ],
      ],
      ['部队参加抢险救灾和应急处置', '有参与记录得 0.5 分', [['抢险救灾参与记录', 50, 'troops,document']]],
    ],
  ],
  [
    '双拥活动坚持经常',
    [
      ['节日期间开展双拥活动', '每次活动得 0.25 分，最高 1 分', [['节日双拥活动', 100, 'event,campaign,document', 4]]],
      [
        '军地联谊、文艺演出、电影放映等活动',
        '有活动计划 0.25 分，有活动记录 0.25 分',
        [
          ['活动计划或通知', 25, 'event,document'],
          ['活动记录和照片', 25, 'event,document'],
        ],
      ],
    ],
  ],
  [
    '军政军民关系融洽',
    [
      [
        '军地矛盾纠纷及时化解',
        '建立协调机制 0.5 分，纠纷处理记录 0.5 分',
        [
          ['军地协调机制文件', 50, 'document'],
          ['纠纷协调处理记录', 50, 'need,document'],
        ],
      ],
      ['军地关系评价', '部队和群众评价良好得 0.5 分', [['部队和群众评价材料', 50, 'need,document']]],
    ],
  ],
];

/** One-vote-veto conditions (一票否决) of the example table. */
export const MODELCITY_VETOES_0022 = [
  '发生严重损害军政军民关系的重大事件',
  '发生涉军群体性事件且处置不力',
  '双拥工作经费未列入财政预算',
];

/** Fixed ids so the example table is the same row set on every database (tests and demo). */
const seedId = (kind: number, n: number) => `00000000-0000-7022-8${kind}00-${String(n).padStart(12, '0')}`;

/**
 * 创建全国双拥模范城: assessment rounds (届), standards, items and scoring elements as data, the
 * one-vote-veto conditions, and the evidence (佐证材料) filed against elements — uploaded documents
 * or records of other modules. Seeds the example table (decisions/0041).
 */
export function modelcity0022(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('modelcity_rounds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        // the period the inspectors look at: evidence dated before it is stale
        .addColumn('period_start', 'text', (c) => c.notNull())
        .addColumn('period_end', 'text', (c) => c.notNull())
        .addColumn('is_example', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('modelcity_standards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull().references('modelcity_rounds.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('modelcity_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull().references('modelcity_rounds.id'))
        .addColumn('standard_id', 'text', (c) => c.notNull().references('modelcity_standards.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('points', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('modelcity_elements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull().references('modelcity_rounds.id'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('modelcity_items.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('points', 'integer', (c) => c.notNull())
        // comma-separated evidence kinds: document, publicity, visit, campaign, need, honour, event, exemplar, troops
        .addColumn('evidence_kinds', 'text', (c) => c.notNull())
        .addColumn('min_count', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema
        .createTable('modelcity_vetoes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull().references('modelcity_rounds.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('modelcity_evidence')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull().references('modelcity_rounds.id'))
        .addColumn('element_id', 'text', (c) => c.notNull().references('modelcity_elements.id'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        // document (an upload) or the kind of another module's record
        .addColumn('source_kind', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text')
        .addColumn('doc_type', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('evidence_date', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('content_type', 'text')
        .addColumn('size', 'integer')
        .addColumn('sha256', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('modelcity_evidence_round')
        .on('modelcity_evidence')
        .columns(['round_id', 'element_id', 'evidence_date'])
        .execute();
      await db.schema
        .createIndex('modelcity_evidence_path')
        .on('modelcity_evidence')
        .columns(['org_path', 'round_id'])
        .execute();
      await db.schema
        .createIndex('modelcity_evidence_source')
        .on('modelcity_evidence')
        .columns(['source_kind', 'source_id', 'element_id'])
        .unique()
        .execute();

      const now = new Date().toISOString();
      const round = seedId(1, 1);
      await db
        .insertInto('modelcity_rounds' as never)
        .values({
          id: round,
          name: '全国双拥模范城考评标准（示例）',
          period_start: '2023-01-01',
          period_end: '2026-12-31',
          is_example: 1,
          created_at: now,
        } as never)
        .execute();
      let s = 0;
      let i = 0;
      let e = 0;
      for (const [sSeq, [title, items]] of MODELCITY_EXAMPLE_0022.entries()) {
        const standardId = seedId(2, ++s);
        await db
          .insertInto('modelcity_standards' as never)
          .values({ id: standardId, round_id: round, seq: sSeq + 1, title } as never)
          .execute();
        for (const [iSeq, [content, rule, elements]] of items.entries()) {
          const itemId = seedId(3, ++i);
          const points = elements.reduce((sum, el) => sum + el[1], 0);
          await db
            .insertInto('modelcity_items' as never)
            .values({
              id: itemId,
              round_id: round,
              standard_id: standardId,
              seq: iSeq + 1,
              content,
              rule,
              points,
            } as never)
            .execute();
          await db
            .insertInto('modelcity_elements' as never)
            .values(
              elements.map(([text, pts, kinds, min], eSeq) => ({
                id: seedId(4, ++e),
                round_id: round,
                item_id: itemId,
                seq: eSeq + 1,
                text,
                points: pts,
                evidence_kinds: kinds,
                min_count: min ?? 1,
              })) as never,
            )
            .execute();
        }
      }
      await db
        .insertInto('modelcity_vetoes' as never)
        .values(
          MODELCITY_VETOES_0022.map((text, n) => ({
            id: seedId(5, n + 1),
            round_id: round,
            seq: n + 1,
            text,
          })) as never,
        )
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'modelcity_evidence',
        'modelcity_vetoes',
        'modelcity_elements',
        'modelcity_items',
        'modelcity_standards',
        'modelcity_rounds',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
