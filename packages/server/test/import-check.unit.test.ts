import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { idChecksum } from '@shuangyong/shared';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkFile,
  fileChecks,
  fromLine,
  type Places,
  type PlanEnd,
  type PlanLine,
  type PlanPiece,
} from '../src/modules/registry/import-check.js';
import { idBlindIndex } from '../src/modules/registry/personal-data.js';
import { loadOrCreateKeyFile, SmCryptoProvider } from '../src/platform/crypto/index.js';
import { searchKeys } from '../src/platform/text/chinese.js';

/** Whether this thread has loaded a package (a CommonJS build lands in the require cache). */
const loadedHere = (pkg: string) => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes(pkg));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-check-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const keyFile = path.join(dir, 'keys.json');
const crypto = new SmCryptoProvider(loadOrCreateKeyFile(keyFile));

const places: Places = {
  root: { id: 'd1', path: '/c/d1/' },
  orgs: [
    { id: 'd1', path: '/c/d1/', name: '和平区退役军人事务局', depth: 1, code: 'D1', region_code: '120101' },
    { id: 's1', path: '/c/d1/s1/', name: '劝业场街道退役军人服务站', depth: 2, code: 'S1', region_code: null },
  ],
  allDistricts: [
    { id: 'd1', path: '/c/d1/', name: '和平区退役军人事务局', region_code: '120101' },
    { id: 'd2', path: '/c/d2/', name: '河西区退役军人事务局', region_code: '120103' },
  ],
};

const id = (seq: number) => {
  const day = String(1 + Math.floor(seq / 1000)).padStart(2, '0');
  const first17 = `120101${1950 + (seq % 40)}01${day}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idChecksum(first17);
};
const NAMES = ['张建国', '單雄信', '欧阳修', '曾国藩'];
const PINYIN = ['zhangjianguo', 'shanxiongxin', 'ouyangxiu', 'zengguofan'];

/**
 * A roster of `n` good rows (1,200: three pieces), with a title row, a bad ID number at row 10, a
 * repeat of the first person at row 11, another district's row at row 12 and a totals row.
 */
function roster(n: number): Buffer {
  const lines = ['优抚对象花名册', '姓名,身份证号,类别,区,街道'];
  for (let i = 0; i < n; i++) {
    lines.push(`${NAMES[i % 4]},${id(i)},烈士遗属,和平区,劝业场街道`);
    if (i === 6) {
      lines.push('王五,12010119500101,烈士遗属,和平区,');
      lines.push(`张建国,${id(0)},烈士遗属,和平区,`);
      lines.push(`李四,${id(5000)},烈士遗属,河西区,`);
    }
  }
  lines.push(`合计,${n},,,`);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

async function all(pieces: AsyncIterable<PlanPiece>) {
  const out: PlanPiece[] = [];
  for await (const p of pieces) out.push(p);
  return out;
}

const linesOf = (pieces: PlanPiece[]) =>
  pieces
    .map((p) => p.text)
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PlanLine | PlanEnd);

describe('import file checks in a worker', () => {
  it('checks the file in a worker thread and hands over the plan in order, reading no Chinese here', async () => {
    const pieces = await all(fileChecks(roster(1200), places, crypto, keyFile));
    expect(pieces.length).toBe(3);
    expect(pieces.at(-1)!.progress).toBe(1);
    const lines = linesOf(pieces);
    const end = lines.pop() as PlanEnd;
    const rows = lines.map((l) => fromLine(l as PlanLine));
    expect(rows).toHaveLength(1200);
    // in file order: rows 3–9, then 13 on (the three odd rows are 10–12)
    expect(rows.slice(6, 9).map((r) => r.rowNumber)).toEqual([9, 13, 14]);
    rows.forEach((r, i) => {
      expect(r.person.nameKeys.pinyin).toBe(PINYIN[i % 4]);
      expect(r.person.name).toBe(NAMES[i % 4]!.replace('單', '单'));
      expect(r.bi).toBe(idBlindIndex(crypto, id(i)));
      expect(r.org.id).toBe('s1');
    });
    expect(end.end).toBe(true);
    expect(end.headerCells).toEqual(['姓名', '身份证号', '类别', '区', '街道']);
    expect(end.result).toMatchObject({ total: 1203, invalid: 1, duplicates: 1, otherDistrict: 1 });
    expect(end.errorRows.map((r) => [r.row, r.kind])).toEqual([
      [10, 'invalid'],
      [11, 'duplicateInFile'],
      [12, 'otherDistrict'],
    ]);
    // the rows' characters (OpenCC) and the names' pinyin were read in the worker
    expect(loadedHere('opencc-js')).toBe(false);
    expect(loadedHere('pinyin-pro')).toBe(false);
  });

  it('hands back a refused file or a missing column as the same error the checks throw', async () => {
    await expect(all(fileChecks(Buffer.from('PK\u0003\u0004garbage'), places, crypto, keyFile))).rejects.toMatchObject({
      name: 'FileError',
      fileCode: expect.stringMatching(/^file_/),
    });
    await expect(all(fileChecks(Buffer.from('姓名,电话\n张三,1\n'), places, crypto, keyFile))).rejects.toThrow(
      '身份证号',
    );
  });

  it('fails the checks, not waits, when the worker cannot run them', async () => {
    // the worker loads the key file itself: one that is not there stops it at its start
    await expect(all(fileChecks(roster(10), places, crypto, path.join(dir, 'missing.json')))).rejects.toThrow('ENOENT');
  });

  it('makes the same plan in this thread as in the worker', async () => {
    const data = roster(700);
    const inWorker = await all(fileChecks(data, places, crypto, keyFile));
    const here = await all(
      checkFile(data, places, {
        blindIndex: (x) => idBlindIndex(crypto, x),
        nameKeys: (names) => names.map(searchKeys),
      }),
    );
    expect(here.map((p) => p.text).join('')).toBe(inWorker.map((p) => p.text).join(''));
  });
});
