import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/** A Chinese or Arabic number (after full-width folding): 3, 12, 七十二, 两. */
const N = '[0-9零〇一二两三四五六七八九十百千]';
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const RANK = '(?:[上中少]将|[大上中少]校|[上中少]尉|[一二三四]级军士长|[上中下]士)';
const POST = '(?:司令员|政治委员|政委|参谋长|军长|师长|副?旅长|副?团长|营长|连长|排长|教导员|指导员)';
const NAME = `(?:[${SURNAMES}][\\u4e00-\\u9fa5]{1,2}|[\\u4e00-\\u9fa5]{2,}·[\\u4e00-\\u9fa5]{2,})`;
const PLACE_WORD = '(?:营区|营房|驻地|驻训地|阵地|弹药库|油料库|哨所|指挥所|雷达站|军用机场)';

/** One built-in rule of the confidentiality checks: [code, category, kind, value, severity]. */
export type BuiltinRule = [
  code: string,
  category: 'designation' | 'location' | 'equipment' | 'strength' | 'officer' | 'personal',
  kind: 'pattern' | 'detector' | 'term',
  value: string,
  severity: 'block' | 'review',
  label: string,
];

/**
 * The rules the city starts with (the 军分区 edits the list afterwards; its own list of designations
 * is added as military-only terms). Patterns are JavaScript regular expressions (flag u) matched on
 * the text with full-width forms folded; detectors are code (ID numbers and phones are validated
 * by the registry's normalisers, so a random 18-digit number is no finding).
 */
export const ATMOSPHERE_RULES_0015: BuiltinRule[] = [
  [
    'designation.code_number',
    'designation',
    'pattern',
    '(?:(?<![0-9A-Za-z])[0-9][0-9×*xX]{4}|[零〇一二三四五六七八九]{5})\\s*部队',
    'block',
    '部队代号（五位数字番号）',
  ],
  [
    'designation.ordinal',
    'designation',
    'pattern',
    `第\\s*${N}+\\s*(?:集团军|军(?![医人属休事训旅民])|师(?![范生傅])|旅(?![游行客])|团(?![结体队员])|营(?![业养销造])|连(?![续锁])|排(?![名行练])|舰队|支队|大队|中队|分队)`,
    'block',
    '部队番号（第×旅、第×团等）',
  ],
  [
    'designation.bare',
    'designation',
    'pattern',
    `(?<![第0-9零〇一二两三四五六七八九十百千])${N}+\\s*(?:集团军|师(?![范生傅兄姐])|旅(?![游行客居途程店馆])|团(?![结体队员长委聚圆拜购火和气大])|营${N}+连)`,
    'block',
    '部队番号（×旅、×团、×营×连）',
  ],
  [
    'location.coordinates',
    'location',
    'pattern',
    "(?:北纬|南纬|东经|西经)\\s*[0-9]{1,3}(?:\\.[0-9]+)?\\s*(?:°|度)|[0-9]{1,3}\\s*(?:°|度)\\s*[0-9]{1,2}\\s*(?:'|′|分)|(?<![0-9])[0-9]{1,3}\\.[0-9]{3,}\\s*[,，、]\\s*[0-9]{1,3}\\.[0-9]{3,}",
    'block',
    '经纬度坐标',
  ],
  [
    'location.barracks',
    'location',
    'pattern',
    `${PLACE_WORD}[^。；！？\\n]{0,12}?(?:位于|坐落|地处|设在|距离?[^。；！？\\n]{0,8}?(?:公里|千米|米)|以东|以西|以南|以北|${N}+号|路口|门牌)|(?:位于|坐落于|地处|设在)[^。；！？\\n]{0,20}?${PLACE_WORD}`,
    'block',
    '营区、阵地等的位置描述',
  ],
  [
    'equipment.model',
    'equipment',
    'pattern',
    '(?:歼|轰|运|直|武直|东风|红旗|鹰击|长剑)\\s*[-－]\\s*[0-9]{1,3}[A-Z]?|(?:歼|轰)[0-9]{1,2}(?![0-9])|(?:(?<![0-9])[0-9]{2,3}[A-Z]?\\s*式?|[零〇一二三四五六七八九]{2,3}\\s*式)\\s*(?:主战坦克|坦克|步兵战车|装甲车|自行火炮|火箭炮|榴弹炮|步枪|导弹|雷达|高射炮)',
    'block',
    '武器装备型号',
  ],
  [
    'equipment.count',
    'equipment',
    'pattern',
    `${N}+\\s*(?:余|多)?\\s*(?:辆|门|架|枚|部|台|艘)\\s*[^\\s。，；]{0,4}?(?:坦克|装甲车|战车|火炮|火箭炮|战机|战斗机|直升机|导弹|雷达|无人机|舰艇)`,
    'block',
    '装备数量',
  ],
  [
    'strength.troops',
    'strength',
    'pattern',
    `(?:${N}+|[0-9]+)\\s*(?:余|多)?\\s*(?:名|位|人)?\\s*(?:官兵|兵力|士兵|战士|新兵|指战员)`,
    'block',
    '兵力人数',
  ],
  [
    'strength.establishment',
    'strength',
    'pattern',
    `(?:兵力|编制|员额|满编|在编)\\s*[^。，；]{0,6}?${N}+`,
    'block',
    '编制员额',
  ],
  [
    'officer.name_rank',
    'officer',
    'pattern',
    `(?:${RANK}|${POST})\\s*${NAME}|${NAME}\\s*(?:${RANK}|${POST})`,
    'block',
    '军官姓名与军衔职务',
  ],
  ['personal.id_number', 'personal', 'detector', 'id_number', 'block', '身份证号码'],
  ['personal.phone', 'personal', 'detector', 'phone', 'block', '电话号码'],
  [
    'personal.address',
    'personal',
    'pattern',
    `(?:家住|住址|住在|现住|居住在)[^。，；\\n]{2,30}?${N}+\\s*(?:号|栋|幢|单元|室)|${N}+\\s*(?:号楼|栋|幢)\\s*(?:${N}+\\s*单元)?\\s*${N}+\\s*(?:室|号)`,
    'block',
    '家庭住址',
  ],
];

/**
 * 营造双拥氛围: publicity items (宣传稿件) with their photos and the two-sided confidentiality
 * review (保密审查), and the rule list of the automatic checks (seeded with the built-in rules).
 */
export function atmosphere0015(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('atmosphere_check_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('military_only', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      await db
        .insertInto('atmosphere_check_rules' as never)
        .values(
          ATMOSPHERE_RULES_0015.map(([code, category, kind, value, severity, label], i) => ({
            id: `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
            code,
            category,
            kind,
            value,
            severity,
            label,
            military_only: 0,
            active: 1,
            version: 1,
            updated_at: now,
          })) as never,
        )
        .execute();

      await db.schema
        .createTable('atmosphere_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        // structured content (paragraphs, headings, quotes, lists) as JSON, never HTML
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('video_url', 'text')
        .addColumn('campaign_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('outlets', 'text', (c) => c.notNull())
        .addColumn('mentions_troops', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('approved_hash', 'text')
        .addColumn('approved_at', 'text')
        .addColumn('published_outlet', 'text')
        .addColumn('published_ref', 'text')
        .addColumn('published_on', 'text')
        .addColumn('published_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('atmosphere_items_path')
        .on('atmosphere_items')
        .columns(['org_path', 'status'])
        .execute();
      await db.schema.createIndex('atmosphere_items_status').on('atmosphere_items').columns(['status']).execute();
      await db.schema.createIndex('atmosphere_items_task').on('atmosphere_items').columns(['task_id']).execute();

      await db.schema
        .createTable('atmosphere_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('item_id', 'text', (c) => c.notNull().references('atmosphere_items.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('caption', 'text', (c) => c.notNull())
        // what the original carried before it was stripped: GPS, camera make/model (JSON)
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('shows_service_members', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('atmosphere_photos_item').on('atmosphere_photos').columns(['item_id']).execute();

      await db.schema
        .createTable('atmosphere_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('item_id', 'text', (c) => c.notNull().references('atmosphere_items.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('reviewer_id', 'text', (c) => c.notNull())
        .addColumn('reviewer_name', 'text', (c) => c.notNull())
        .addColumn('reviewer_org_name', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('atmosphere_reviews_item')
        .on('atmosphere_reviews')
        .columns(['item_id', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['atmosphere_reviews', 'atmosphere_photos', 'atmosphere_items', 'atmosphere_check_rules'])
        await db.schema.dropTable(t).execute();
    },
  };
}
