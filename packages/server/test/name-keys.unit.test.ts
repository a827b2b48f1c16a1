import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { nameKeysOf, withNameKeys } from '../src/modules/registry/normalize.js';
import { NameKeysPool } from '../src/platform/text/name-keys.js';

/** Whether this thread has loaded pinyin-pro (its CommonJS build lands in the require cache). */
const pinyinLoadedHere = () => Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('pinyin-pro'));

const SURNAMES = ['张', '单', '曾', '欧阳', '李', '艾'];
const GIVEN = ['建国', '雄信', '国藩', '修', '军', '红梅'];
const PINYIN: Record<string, string> = {
  张: 'zhang',
  单: 'shan',
  曾: 'zeng',
  欧阳: 'ouyang',
  李: 'li',
  艾: 'ai',
  建国: 'jianguo',
  雄信: 'xiongxin',
  国藩: 'guofan',
  修: 'xiu',
  军: 'jun',
  红梅: 'hongmei',
};

describe('name keys in the worker', () => {
  it('reads names in a worker thread, in order, without loading the dictionary here', async () => {
    const pool = new NameKeysPool();
    const names = Array.from({ length: 1200 }, (_, i) => SURNAMES[i % 6]! + GIVEN[Math.floor(i / 6) % 6]!);
    const [batch, single] = await Promise.all([pool.keys(names), pool.keys(['張三豐'])]);
    expect(batch).toHaveLength(1200);
    batch.forEach((k, i) => {
      const surname = SURNAMES[i % 6]!;
      const given = GIVEN[Math.floor(i / 6) % 6]!;
      expect(k.simplified).toBe(names[i]);
      expect(k.pinyin).toBe(PINYIN[surname]! + PINYIN[given]!);
    });
    expect(single).toEqual([{ simplified: '张三丰', pinyin: 'zhangsanfeng', initials: 'zsf' }]);
    expect(pinyinLoadedHere()).toBe(false);
    await pool.close();
  });

  it('gives a person the keys of the name as written, and none to an invalid name', async () => {
    const [p] = await withNameKeys([
      {
        name: '阿不都热依木·买买提',
        nameAsWritten: '阿不都熱依木•買買提',
        idNumber: '',
        birthDate: '',
        sex: 'male',
        phone: null,
        address: null,
        categories: [],
      },
    ]);
    expect(p?.nameKeys).toEqual({
      simplified: '阿不都热依木·买买提',
      pinyin: 'abudureyimumaimaiti',
      initials: 'abdrymmmt',
    });
    expect(await nameKeysOf(' 解 缙 ')).toMatchObject({ pinyin: 'xiejin' });
    expect(await nameKeysOf('')).toBeNull();
    expect(pinyinLoadedHere()).toBe(false);
  });

  it('reads the names in-process when no worker can run them', async () => {
    const pool = new NameKeysPool({ entry: 'no-such-entry' });
    expect(await pool.keys(['单雄信', 'Ali 王'])).toEqual([
      { simplified: '单雄信', pinyin: 'shanxiongxin', initials: 'sxx' },
      { simplified: 'ali 王', pinyin: 'aliwang', initials: 'aw' },
    ]);
    expect(pinyinLoadedHere()).toBe(true);
  });
});
