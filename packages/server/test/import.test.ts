import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { foreignFile, messyCsv, messyLayout, messyXlsx, zipBombXlsx } from './fixtures/messy-sheets.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
let klmy: Client;
let district: string;

const full = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const EXISTING_NO_PHONE = makeId('650203', '1945-05-05', 70);
const EXISTING_UPDATE = makeId('650203', '1946-06-06', 72);
const A = makeId('650203', '1950-03-05', 100);
const X = (() => {
  for (let s = 102; ; s += 2) {
    const id = makeId('650203', '1952-02-02', s, 'female');
    if (id.endsWith('X')) return id;
  }
})();

const HEADER = [
  '序号',
  '姓名',
  '公民身份号码',
  '性别',
  '出生年月',
  '联系电话',
  '人员类别',
  '所属区',
  '街道',
  '社区',
  '家庭住址',
  '备注',
];
/** Each row with the outcome it must have. */
const ROWS: [string, (string | number | null)[]][] = [
  [
    'created',
    [
      1,
      '张 建国',
      full(A),
      '男',
      '1950年3月5日',
      '13912348896',
      '烈属',
      '克拉瑪依區',
      '天山路街道',
      '友谊社区',
      '友谊社区3栋101',
      '',
    ],
  ],
  [
    'created',
    [
      2,
      '李老兵',
      '130503670401001',
      '男',
      '1967/4/1',
      '0990-6881234',
      '在乡老复员军人',
      '650203',
      '胜利路街道',
      '胜利社区',
      '',
      '15位旧号',
    ],
  ],
  ['created', [3, '王秀英', X.toLowerCase(), '女', '', '', '烈属、军属', '克拉玛依区', '', '', '', '']],
  [
    'invalid',
    [
      4,
      '赵错号',
      `${A.slice(0, 17)}${A.endsWith('1') ? '2' : '1'}`,
      '男',
      '',
      '',
      '烈属',
      '克拉玛依区',
      '',
      '',
      '',
      '',
    ],
  ],
  ['duplicate', [5, '张建国', A, '男', '', '', '烈属', '克拉玛依区', '', '', '', '文件内重复']],
  ['invalid', [6, '钱未知', makeId('650203', '1960-01-01', 110), '男', '', '', '外星人', '克拉玛依区', '', '', '', '']],
  [
    'otherDistrict',
    [7, '孙越界', makeId('650202', '1961-01-01', 112), '男', '', '', '军属', '独山子区', '', '', '', ''],
  ],
  [
    'invalid',
    [8, '周电话', makeId('650203', '1962-01-01', 114), '男', '', '12345', '军属', '克拉玛依区', '', '', '', ''],
  ],
  [
    'invalid',
    [9, '吴生日', makeId('650203', '1963-03-03', 116), '男', '1963.3.4', '', '军属', '克拉玛依区', '', '', '', ''],
  ],
  ['updated', [10, '郑已登', EXISTING_UPDATE, '男', '', '13800001111', '烈属', '克拉玛依区', '', '', '', '']],
  ['unchanged', [11, '冯已登', EXISTING_NO_PHONE, '男', '', '', '烈属', '克拉玛依区', '', '', '', '']],
  [
    'created',
    [
      12,
      '阿不都热依木·买买提',
      makeId('650203', '1970-07-07', 118),
      '男',
      '19700707',
      '',
      '退役军人',
      '克拉玛依区',
      '昆仑路街道',
      '',
      '',
      '',
    ],
  ],
];
const expected = (kind: string) => ROWS.filter(([k]) => k === kind).length;

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.8.1.1');
  district = await orgId(env.p, '650200/650203/');
  const community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  for (const [name, id] of [
    ['冯已登', EXISTING_NO_PHONE],
    ['郑已登', EXISTING_UPDATE],
  ]) {
    const r = await klmy.post('/api/v1/beneficiaries', {
      orgId: community,
      name,
      idNumber: id,
      categories: martyrSurvivor(),
    });
    expect(r.statusCode).toBe(201);
  }
});
afterAll(async () => env?.close());

const sheet = () => ({ header: HEADER, rows: ROWS.map(([, r]) => r), blankAfter: [0, 5] });

async function upload(data: Buffer, fileName: string) {
  const res = await klmy.request(
    'POST',
    `/api/v1/beneficiaries/imports?orgId=${district}&fileName=${encodeURIComponent(fileName)}`,
    data,
    {
      'content-type': 'application/octet-stream',
    },
  );
  return res;
}

async function settle(id: string) {
  await env.jobs.idle();
  return (await klmy.get(`/api/v1/jobs/${id}`)).json();
}

describe('beneficiary import', () => {
  it('validates a messy xlsx (merged title, synonyms, blank and totals rows) with exact counts and row numbers', async () => {
    const res = await upload(await messyXlsx(sheet()), '花名册.xlsx');
    expect(res.statusCode).toBe(202);
    const job = await settle(res.json().id);
    expect(job.status).toBe('validated');
    expect(job.result).toMatchObject({
      total: ROWS.length,
      created: expected('created'),
      updated: expected('updated'),
      unchanged: expected('unchanged'),
      duplicates: expected('duplicate'),
      invalid: expected('invalid'),
      otherDistrict: expected('otherDistrict'),
      otherDistricts: [{ district: '独山子区退役军人事务局', rows: expected('otherDistrict') }],
    });
    // row numbers as the user sees them in Excel
    const layout = messyLayout(sheet());
    const rowOf = (serial: number) => layout.dataRowNumbers[serial - 1];
    const errorRows = new Set(job.result.errors.map((e: { row: number }) => e.row));
    for (const serial of [4, 5, 6, 8, 9]) expect(errorRows.has(rowOf(serial)), `row ${serial}`).toBe(true);
    // another district's row is skipped with one grouped line, not listed among the problems
    expect(errorRows.has(rowOf(7))).toBe(false);
    // the rows to fix come first, then the in-file duplicate; each error says its kind
    expect(job.result.errors.map((e: { kind: string }) => e.kind)).toEqual([
      ...job.result.errors.filter((e: { kind: string }) => e.kind === 'invalid').map(() => 'invalid'),
      'duplicateInFile',
    ]);
    const msg = (serial: number) =>
      job.result.errors.find((e: { row: number }) => e.row === rowOf(serial)).message as string;
    expect(msg(5)).toContain(`第 ${rowOf(1)} 行`);
    expect(msg(6)).toContain('外星人');
    // nothing is stored by a validation
    expect((await klmy.get('/api/v1/beneficiaries')).json().total).toBe(2);

    const report = await klmy.get(`/api/v1/jobs/${job.id}/error-report`);
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(2).text).toBe('姓名');
    // invalid rows, the in-file duplicate, then the skipped row of another district
    expect(ws.rowCount - 1).toBe(expected('invalid') + 1 + expected('otherDistrict'));
    expect(String(ws.getRow(ws.rowCount).values)).toContain('属于独山子区退役军人事务局');

    // commit: all valid rows in one go
    const commit = await klmy.post(`/api/v1/jobs/${job.id}/commit`);
    expect(commit.statusCode).toBe(202);
    const done = await settle(job.id);
    expect(done.status).toBe('succeeded');
    expect((await klmy.get('/api/v1/beneficiaries?pageSize=50')).json().total).toBe(2 + expected('created'));
    // the imported people landed where their columns said, converted and normalised
    const byName = async (q: string) =>
      (await klmy.get(`/api/v1/beneficiaries?q=${encodeURIComponent(q)}`)).json().items[0];
    const zhang = await byName('张建国');
    expect(zhang.orgName).toBe('友谊社区退役军人服务站');
    expect(zhang.phoneMasked).toBe('139****8896');
    const li = await byName('李老兵');
    expect(li.idMasked).toBe('130503********0016');
    expect(li.orgName).toBe('胜利社区退役军人服务站');
    expect((await byName('王秀英')).categories).toEqual(['martyr_survivor', 'serving_member_family']);
    expect((await byName('阿不都')).orgName).toBe('昆仑路街道退役军人服务站');
    // their names' search keys came from the plan file (made in the name-keys worker)
    expect((await byName('zhangjianguo')).name).toBe('张建国');
    expect((await byName('lilaobing')).name).toBe('李老兵');
    const updated = await byName('郑已登');
    expect(updated.phoneMasked).toBe('138****1111');
    expect((await klmy.post(`/api/v1/jobs/${job.id}/commit`)).statusCode).toBe(409);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'beneficiary.import')
      .execute();
    expect(JSON.parse(audit[0]!.changes!)).toMatchObject({ created: expected('created') });
  });

  it('reads the same sheet as GBK and UTF-8-BOM CSV and finds everything already there', async () => {
    for (const enc of ['gbk', 'utf8-bom'] as const) {
      const job = await settle((await upload(messyCsv(sheet(), enc), `花名册-${enc}.csv`)).json().id);
      expect(job.status, enc).toBe('validated');
      expect(job.result, enc).toMatchObject({
        total: ROWS.length,
        created: 0,
        updated: 0,
        unchanged: expected('created') + expected('updated') + expected('unchanged'),
        invalid: expected('invalid'),
      });
    }
  });

  it('refuses hostile files with a clear Chinese error, storing nothing', async () => {
    const before = await env.p.handle.db.selectFrom('jobs').select('id').execute();
    const image = await upload(foreignFile('png'), '伪装.xlsx');
    expect(image.statusCode).toBeGreaterThanOrEqual(400);
    expect(image.statusCode).toBeLessThan(500);
    expect(image.json().detail).toMatch(/[\u4e00-\u9fff]/);
    const bomb = await upload(await zipBombXlsx(300), 'bomb.xlsx');
    expect(bomb.statusCode).toBeGreaterThanOrEqual(400);
    expect(bomb.statusCode).toBeLessThan(500);
    const big = await upload(Buffer.alloc(21 * 1024 * 1024, 65), 'big.csv');
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toContain('20 MB');
    expect((await env.p.handle.db.selectFrom('jobs').select('id').execute()).length).toBe(before.length);
  });

  it('keeps another district out of the import and its jobs', async () => {
    const dsz = await signedIn(env.app, 'dsz', '10.8.1.2');
    const res = await dsz.request(
      'POST',
      `/api/v1/beneficiaries/imports?orgId=${district}&fileName=x.csv`,
      messyCsv(sheet(), 'utf8'),
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(res.statusCode).toBe(404);
    const job = (await env.p.handle.db.selectFrom('jobs').select('id').executeTakeFirstOrThrow()).id;
    expect((await dsz.get(`/api/v1/jobs/${job}`)).statusCode).toBe(404);
    expect((await dsz.post(`/api/v1/jobs/${job}/commit`)).statusCode).toBe(404);
  });

  it('runs from the CLI with --dry-run --json', async () => {
    const fs = await import('node:fs');
    const file = `${env.dataDir}/cli-import.xlsx`;
    fs.writeFileSync(file, await messyXlsx(sheet()));
    const r = runCli(['import', 'beneficiaries', file, '--org', '650203', '--dry-run', '--json'], {
      DATABASE_URL: env.url,
      KEY_FILE: env.p.config.keyFile,
      DATA_DIR: env.dataDir,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ total: ROWS.length, created: 0, invalid: expected('invalid') });
    expect(out.errors[0]).toEqual({
      row: expect.any(Number),
      field: expect.any(String),
      message: expect.any(String),
      kind: 'invalid',
    });
  });
});
