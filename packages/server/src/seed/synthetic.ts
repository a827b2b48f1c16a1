import { idChecksum } from '@shuangyong/shared';
import { makesPlaqueEligible } from '../modules/registry/normalize.js';
import { idBlindIndex, sealMany } from '../modules/registry/personal-data.js';
import { type CountDelta, importRepo, PERSONS } from '../modules/registry/registry.repo.js';
import { districtOf } from '../platform/access/scope.js';
import { SYSTEM_AUDIT_ACTOR } from '../platform/audit/audit.js';
import type { Platform } from '../platform/context.js';
import { withIndexesDeferred } from '../platform/db/bulk.js';
import { longWrite } from '../platform/db/writer.js';
import { uuidv7 } from '../platform/ids.js';
import { seededRandom } from '../platform/random.js';
import { searchKeys } from '../platform/text/chinese.js';
import { tick } from '../platform/tick.js';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单';
const GIVEN = '建国军华明英秀兰伟芳强敏静丽勇艳杰娟涛超霞平刚桂红玉春志海燕文辉新荣成宝东林忠德福春兵卫红霞凤云光庆';
const UYGHUR = [
  '阿不都热依木',
  '买买提',
  '艾尔肯',
  '吐尔逊',
  '努尔兰',
  '热依汗',
  '阿依古丽',
  '古丽娜尔',
  '帕提古丽',
  '艾合买提',
  '阿力木',
  '迪丽努尔',
];
/** Category mix of a city registry (top-level share, with some second-level groups). */
const CATEGORY_MIX: [string, number, Record<string, unknown>?][] = [
  ['veteran', 0.42],
  ['serving_member_family', 0.15],
  ['serving_member', 0.07],
  ['rural_elderly_veteran', 0.06],
  ['combat_veteran', 0.05],
  ['disabled_veteran', 0.05, { disability_grade: 6 }],
  ['disabled_person', 0.03, { disability_grade: 8 }],
  ['demobilized_veteran', 0.04],
  ['martyr_survivor', 0.04, { relation: 'child' }],
  ['duty_death_survivor', 0.03, { relation: 'spouse' }],
  ['illness_death_survivor', 0.03, { relation: 'father' }],
  ['nuclear_test_veteran', 0.02],
  ['ill_returned_veteran', 0.01],
];
const STREET_WORDS = ['天山路', '胜利路', '昆仑路', '准噶尔路', '友谊路', '油建路', '世纪大道', '迎宾路'];

/** Column order of the flat rows the seeder builds (one push of values a row). */
const HOUSEHOLD_COLUMNS = [
  'id',
  'org_id',
  'org_path',
  'address_enc',
  'address_masked',
  'plaque_status',
  'plaque_eligible',
  'version',
  'created_at',
  'updated_at',
] as const;
const PERSON_COLUMNS = [
  'id',
  'org_id',
  'org_path',
  'district_path',
  'household_id',
  'service_member_id',
  'relation',
  'name',
  'name_simplified',
  'name_pinyin',
  'name_initials',
  'id_enc',
  'id_bi',
  'id_masked',
  'birth_date',
  'sex',
  'phone_enc',
  'phone_masked',
  'address_enc',
  'address_masked',
  'categories',
  'status',
  'status_date',
  'note',
  'merged_into',
  'created_by',
  'version',
  'created_at',
  'updated_at',
] as const;
/** Where each sealed column sits in a person's and a household's row (filled in by `sealMany` a group at a time). */
const PERSON_AT: Record<string, number> = Object.fromEntries(PERSON_COLUMNS.map((c, i) => [c, i]));
const HOUSEHOLD_AT: Record<string, number> = Object.fromEntries(HOUSEHOLD_COLUMNS.map((c, i) => [c, i]));
const CATEGORY_COLUMNS = [
  'id',
  'beneficiary_id',
  'code',
  'start_date',
  'end_date',
  'disability_grade',
  'relation',
  'certificate_no',
  'status',
  'org_path',
  'district_path',
  'sort_name',
  'created_at',
] as const;

export interface SyntheticOptions {
  count: number;
  seed?: number;
  batch?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Adds `count` realistic entitled persons (own household each) spread over the demo city's
 * communities: Han and Uyghur names, valid GB 11643 numbers, the category mix above, ages by
 * category, ~8% not active. Personal data is encrypted exactly as through the API.
 */
export async function seedSynthetic(p: Platform, opts: SyntheticOptions): Promise<{ created: number }> {
  const rand = seededRandom(opts.seed ?? 20251129);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const communities = await p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('type', '=', 'service_station')
    .where('depth', '=', 3)
    .orderBy('path')
    .execute();
  if (!communities.length) throw new Error('no communities: run `shuangyong seed --demo` first');
  // ID numbers are unique per (region, birth date) by a sequence counter; each earlier synthetic run
  // reserved a band of 100 sequence numbers per day, so runs never collide with each other
  const runs = await p.handle.db.selectFrom('audit_log').select('seq').where('action', '=', 'seed.synthetic').execute();
  const band = runs.length * 100;
  if (band >= 1000) throw new Error('too many synthetic runs on this database (at most 10)');
  const counters = new Map<string, number>();
  const batch = opts.batch ?? 10_000;
  const now = new Date().toISOString();
  const surnames = [...SURNAMES];
  // names repeat (~10^5 different ones): their pinyin is worked out once each
  const nameKeys = new Map<string, ReturnType<typeof searchKeys>>();
  const given = [...GIVEN];
  let created = 0;
  // a load as large as what is there already builds the secondary indexes once at the end
  const existing = await p.handle.db
    .selectFrom('beneficiaries')
    .select(p.handle.db.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const deferIndexes = opts.count >= 10_000 && opts.count >= Number(existing.n);
  const load = async () => {
    // one batch is written (in the writer worker on SQLite, decisions/0058) while the next is made
    let inFlight: Promise<void> = Promise.resolve();
    let planned = 0;
    while (planned < opts.count) {
      const n = Math.min(batch, opts.count - planned);
      // rows as flat values in column order (HOUSEHOLD_COLUMNS …): no object per row (decisions/0069)
      const households: unknown[] = [];
      const people: unknown[] = [];
      const cats: unknown[] = [];
      const ids: string[] = [];
      const deltas = new Map<string, CountDelta>();
      const count = (org: { id: string; path: string }, code: string, status: string) => {
        const key = `${org.id}\u0000${code}\u0000${status}`;
        const d = deltas.get(key);
        if (d) d.n++;
        else deltas.set(key, { org_id: org.id, org_path: org.path, code, status, n: 1 });
      };
      // the personal data of each group of 100 people is encrypted in one batch, then put in its rows
      const toSeal: { person: Parameters<typeof sealMany>[1][number]; p0: number; h0: number }[] = [];
      const sealGroup = () => {
        const sealed = sealMany(
          p.crypto,
          toSeal.map((x) => x.person),
        );
        for (const [k, x] of toSeal.entries())
          for (const [column, value] of Object.entries(sealed[k]!)) {
            people[x.p0 + PERSON_AT[column]!] = value;
            if (column in HOUSEHOLD_AT) households[x.h0 + HOUSEHOLD_AT[column]!] = value;
          }
        toSeal.length = 0;
      };
      for (let i = 0; i < n; i++) {
        if (i % 100 === 99) {
          sealGroup();
          await tick(); // often: the writer waits for the loop between its statements
        }
        const org = pick(communities);
        let r = rand();
        let cat = CATEGORY_MIX[0]!;
        for (const c of CATEGORY_MIX) {
          if (r < c[1]) {
            cat = c;
            break;
          }
          r -= c[1];
        }
        const code = cat[0];
        const young = code === 'serving_member' || code === 'serving_member_family';
        const age = young
          ? 18 + Math.floor(rand() * 40)
          : code === 'demobilized_veteran'
            ? 80 + Math.floor(rand() * 18)
            : 25 + Math.floor(rand() * 70);
        const year = 2026 - age;
        const month = 1 + Math.floor(rand() * 12);
        const day = 1 + Math.floor(rand() * 28);
        const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const male = rand() < (code.includes('survivor') || code === 'serving_member_family' ? 0.4 : 0.9);
        const region = `65020${2 + Math.floor(rand() * 4)}`;
        const slot = `${region}${birth}`;
        const k = counters.get(slot) ?? 0;
        if (k >= 50) continue; // a full day in this region: draw another person
        counters.set(slot, k + 1);
        // the sequence number's parity encodes the sex (GB 11643)
        const seq = band + k * 2 + (male ? 1 : 0);
        const first17 = `${region}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
        const idNumber = first17 + idChecksum(first17);
        const name =
          rand() < 0.08
            ? `${pick(UYGHUR)}·${pick(UYGHUR)}`
            : pick(surnames) + pick(given) + (rand() < 0.7 ? pick(given) : '');
        let keys = nameKeys.get(name);
        if (!keys) {
          keys = searchKeys(name);
          nameKeys.set(name, keys);
        }
        const phone = `1${pick(['3', '5', '8', '9'])}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
        const address = `${org.name.replace('退役军人服务站', '')}${pick(STREET_WORDS)}${1 + Math.floor(rand() * 200)}号${1 + Math.floor(rand() * 30)}栋${1 + Math.floor(rand() * 6)}单元${101 + Math.floor(rand() * 1500)}`;
        const s = rand();
        const status = s < 0.92 ? 'active' : s < 0.97 ? 'deceased' : s < 0.99 ? 'moved_out' : 'suspended';
        const hid = uuidv7();
        const id = uuidv7();
        const eligible = makesPlaqueEligible([code]);
        const district = districtOf(org.path);
        const relation = (cat[2]?.relation as string) ?? null;
        toSeal.push({
          person: { idNumber, bi: idBlindIndex(p.crypto, idNumber), phone, address },
          p0: people.length,
          h0: households.length,
        });
        households.push(
          hid,
          org.id,
          org.path,
          null, // address_enc and address_masked: sealGroup
          null,
          eligible && rand() < 0.6 ? 'hung' : 'none',
          eligible && status === 'active' ? 1 : 0,
          1,
          now,
          now,
        );
        people.push(
          id,
          org.id,
          org.path,
          district,
          hid,
          null,
          relation,
          name,
          keys.simplified,
          keys.pinyin,
          keys.initials,
          null, // id_enc, id_bi, id_masked: sealGroup
          null,
          null,
          birth,
          male ? 'male' : 'female',
          null, // phone_enc, phone_masked, address_enc, address_masked: sealGroup
          null,
          null,
          null,
          code,
          status,
          status === 'active' ? null : '2025-06-30',
          null,
          null,
          null,
          1,
          now,
          now,
        );
        cats.push(
          uuidv7(),
          id,
          code,
          `${Math.max(year + 18, 1950)}-01-01`,
          null,
          (cat[2]?.disability_grade as number) ?? null,
          relation,
          null,
          status,
          org.path,
          district,
          keys.pinyin,
          now,
        );
        ids.push(id);
        count(org, PERSONS, status);
        count(org, code, status);
      }
      sealGroup();
      planned += ids.length;
      await inFlight;
      // the import's bulk path (registry.repo.ts), one transaction per batch
      const write = longWrite(p.handle, (trx) =>
        importRepo.insertPeopleFlat(p.handle, trx, {
          households: { columns: HOUSEHOLD_COLUMNS, values: households },
          people: { columns: PERSON_COLUMNS, values: people },
          categories: { columns: CATEGORY_COLUMNS, values: cats },
          ids,
          deltas: [...deltas.values()],
        }),
      ).then(() => {
        created += ids.length;
        opts.onProgress?.(created, opts.count);
      });
      write.catch(() => {}); // awaited with the next batch or below
      inFlight = write;
    }
    await inFlight;
  };
  if (deferIndexes)
    await withIndexesDeferred(
      p.handle,
      ['households', 'beneficiaries', 'beneficiary_categories', 'beneficiary_name_index'],
      load,
    );
  else await load();
  await p.audit.event(p.handle.db, SYSTEM_AUDIT_ACTOR, {
    action: 'seed.synthetic',
    changes: { beneficiaries: opts.count, seed: opts.seed ?? 20251129 },
  });
  return { created };
}
