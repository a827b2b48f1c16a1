import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../src/modules/registry/import-cli.js';
import { idBlindIndex } from '../src/modules/registry/personal-data.js';
import {
  countDifferences,
  countsRepo,
  nameIndexRepo,
  nameTokens,
  PeopleLoad,
  stageWrites,
} from '../src/modules/registry/registry.repo.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { seedSynthetic } from '../src/seed/synthetic.js';
import { type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * The import commit's bulk path (decisions/0032, 0058): a file of several chunks, some rows new in
 * a community and some in the district itself, some updating people the seeder made, commits as one transaction
 * (on SQLite in the writer worker) and leaves the maintained counts equal to a rebuild, the audit
 * chain whole with one entry for the commit, and the seeder's people (same bulk path) counted too.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

const CATEGORIES = ['退役军人', '烈属', '退役军人、参战退役军人', '现役军人家属'];

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('优抚对象');
  ws.addRow(['姓名', '身份证号', '类别', '手机', '街道', '社区', '备注']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The district the files' people belong to (region 650203). */
const district650203 = () =>
  env.p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('depth', '=', 1)
    .where('path', 'like', '%650203/')
    .executeTakeFirstOrThrow();

describe('import commit in bulk', () => {
  it('keeps the maintained counts equal to a rebuild and the audit chain whole', async () => {
    const p = env.p;
    await seedSynthetic(p, { count: 600, seed: 7 });
    const district = await district650203();
    const N = 1300; // three chunks of the plan
    const rows: (string | number)[][] = [];
    for (let i = 0; i < N; i++)
      rows.push([
        `张${'建国军华明英秀兰'[i % 8]}${'伟芳强敏'[i % 4]}`,
        makeId('650203', `1931-0${1 + (i % 9)}-1${i % 10}`, 2 * Math.floor(i / 90) + 1),
        CATEGORIES[i % CATEGORIES.length]!,
        `139${String(i).padStart(8, '0')}`,
        i % 2 ? '天山路街道' : '',
        i % 2 ? '友谊社区' : '',
        i % 7 === 0 ? '批量导入' : '',
      ]);
    const before = await countsRepo.stored(p.handle.db, SYSTEM_SCOPE);
    // the new people wait in the commit's stage and go into the registry at its end (decisions/0088);
    // the second import opens the stage again on the same connection
    const first = await importFile(p, district, 'bulk.xlsx', await xlsx(rows), true);
    expect(first.status).toBe('succeeded');
    expect(first.result).toMatchObject({ total: N, created: N, invalid: 0, duplicates: 0 });
    // the personal data, encrypted a group at a time (encryptMany), opens to what the file says
    const some = rows.slice(0, 120);
    const stored = await p.handle.db
      .selectFrom('beneficiaries')
      .select(['id_bi', 'id_enc', 'phone_enc'])
      .where(
        'id_bi',
        'in',
        some.map((r) => idBlindIndex(p.crypto, String(r[1]))),
      )
      .execute();
    const opened = new Map(stored.map((x) => [x.id_bi, [p.crypto.decrypt(x.id_enc), p.crypto.decrypt(x.phone_enc!)]]));
    expect(some.map((r) => opened.get(idBlindIndex(p.crypto, String(r[1]))))).toEqual(some.map((r) => [r[1], r[3]]));
    // again with new phones for a third: updates, the rest unchanged
    const again = rows.map((r, i) =>
      i % 3 === 0 ? [...r.slice(0, 3), `138${String(i).padStart(8, '0')}`, ...r.slice(4)] : r,
    );
    const second = await importFile(p, district, 'bulk-again.xlsx', await xlsx(again), true);
    expect(second.status).toBe('succeeded');
    expect(second.result).toMatchObject({ created: 0, updated: Math.ceil(N / 3), unchanged: N - Math.ceil(N / 3) });

    const expected = await countsRepo.expected(p.handle.db, SYSTEM_SCOPE);
    expect(countDifferences(await countsRepo.stored(p.handle.db, SYSTEM_SCOPE), expected)).toEqual([]);
    const persons = (rows: typeof before) => rows.filter((d) => d.code === '*').reduce((a, d) => a + d.n, 0);
    expect(persons(expected) - persons(before)).toBe(N);
    const audit = await p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('action', '=', 'beneficiary.import')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => JSON.parse(a.changes!).created)).toEqual([N, 0]);
    expect(await p.audit.verify(p.handle.db)).toMatchObject({ ok: true });

    // the name index the database made set-wise holds the tokens `nameTokens` makes of each name
    // (Uyghur names with middle dots among the seeder's; decisions/0087)
    const people = await p.handle.db
      .selectFrom('beneficiaries')
      .select(['id', 'name_simplified', 'district_path'])
      .orderBy('id')
      .execute();
    expect(people.some((x) => x.name_simplified.includes('·'))).toBe(true);
    const entries = (await nameIndexRepo.entries(p.handle.db, SYSTEM_SCOPE)).sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(entries).toEqual(
      people.map((x) => ({ id: x.id, tokens: nameTokens(x.name_simplified, x.district_path).sort() })),
    );
  });

  it('leaves nothing of a commit that fails at its end, and the next commit opens its stage again', async () => {
    const p = env.p;
    const district = await district650203();
    const rows = Array.from({ length: 700 }, (_, i) => [
      `李${'建国军华明英秀兰'[i % 8]}`,
      makeId('650203', `1932-0${1 + (i % 9)}-2${i % 10}`, 2 * Math.floor(i / 90) + 1),
      '退役军人',
      '',
      '',
      '',
      '',
    ]);
    const people = async () =>
      Number(
        (
          await p.handle.db
            .selectFrom('beneficiaries')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await people();
    const finish = PeopleLoad.prototype.finish;
    PeopleLoad.prototype.finish = async () => {
      throw new Error('disk full');
    };
    const failed = await importFile(p, district, 'fails.xlsx', await xlsx(rows), true).finally(() => {
      PeopleLoad.prototype.finish = finish;
    });
    expect(failed.status).toBe('failed');
    expect(await people()).toBe(before);
    expect(await nameIndexRepo.count(p.handle.db)).toBe(before);
    const ok = await importFile(p, district, 'again.xlsx', await xlsx(rows), true);
    expect(ok.status).toBe('succeeded');
    expect(await people()).toBe(before + rows.length);
    expect(await nameIndexRepo.count(p.handle.db)).toBe(before + rows.length);
    const expected = await countsRepo.expected(p.handle.db, SYSTEM_SCOPE);
    expect(countDifferences(await countsRepo.stored(p.handle.db, SYSTEM_SCOPE), expected)).toEqual([]);
  });

  it('writes a staged table in its order through an index of the stage, not by sorting its rows', async () => {
    const { handle } = env.p;
    const stage = 'import_stage_beneficiaries';
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await PeopleLoad.open(handle, trx);
        if (handle.dialect === 'postgres') {
          // no stage on PostgreSQL: the people go straight in (decisions/0088)
          const { rows } = await sql<{ t: string | null }>`SELECT to_regclass(${stage})::text AS t`.execute(trx);
          expect(rows[0]?.t).toBeNull();
        } else
          for (const table of ['beneficiaries', 'beneficiary_categories'] as const) {
            const [index, write] = stageWrites(table);
            await index!.execute(trx);
            const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN ${write!}`.execute(trx);
            const steps = plan.rows.map((r) => r.detail).join('\n');
            expect(steps).toMatch(/USING INDEX import_stage_\w+_order/);
            expect(steps).not.toMatch(/TEMP B-TREE/);
          }
        throw new Error('rolled back');
      })
      .catch((err: Error) => expect(err.message).toBe('rolled back'));
  });
});
