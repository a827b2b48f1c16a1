import { describe, expect, it } from 'vitest';
// The shared index does not re-export the registry yet; switch to '@shuangyong/shared' once it does.
import { matchCategory, matchRegion } from '../../shared/src/registry/index.js';
import { normalizeQuery, searchKeys, toSimplified } from '../src/platform/text/chinese.js';

describe('toSimplified', () => {
  it('converts standard, Hong Kong and Taiwan traditional forms', () => {
    expect(toSimplified('張三豐')).toBe('张三丰');
    expect(toSimplified('克拉瑪依區')).toBe('克拉玛依区');
    expect(toSimplified('綫')).toBe('线');
    expect(toSimplified('裡')).toBe('里');
    expect(toSimplified('衛國')).toBe('卫国');
  });
  it('leaves simplified text, Latin and Uyghur script alone', () => {
    expect(toSimplified('张三丰 Ali ئەخمەت')).toBe('张三丰 Ali ئەخمەت');
  });
});

describe('normalizeQuery', () => {
  it('simplifies, folds full width, unifies dots, trims and lower-cases', () => {
    expect(normalizeQuery('  張三豐  ')).toBe('张三丰');
    expect(normalizeQuery('ＡＬＩ\u3000Ｗａｎｇ')).toBe('ali wang');
    expect(normalizeQuery('阿不都热依木•买买提')).toBe('阿不都热依木·买买提');
    expect(normalizeQuery('１３９')).toBe('139');
  });
});

describe('searchKeys', () => {
  it('gives full pinyin and initials without tones or spaces', () => {
    expect(searchKeys('张建国')).toEqual({ simplified: '张建国', pinyin: 'zhangjianguo', initials: 'zjg' });
  });
  it('reads surnames as surnames', () => {
    expect(searchKeys('单雄信')).toEqual({ simplified: '单雄信', pinyin: 'shanxiongxin', initials: 'sxx' });
    expect(searchKeys('曾国藩')).toMatchObject({ pinyin: 'zengguofan', initials: 'zgf' });
    expect(searchKeys('解缙')).toMatchObject({ pinyin: 'xiejin' });
    expect(searchKeys('区寄')).toMatchObject({ pinyin: 'ouji' });
    expect(searchKeys('仇英')).toMatchObject({ pinyin: 'qiuying' });
    expect(searchKeys('欧阳修')).toMatchObject({ pinyin: 'ouyangxiu', initials: 'oyx' });
  });
  it('keeps the ordinary reading of those characters after the surname', () => {
    expect(searchKeys('黄单')).toMatchObject({ pinyin: 'huangdan' });
  });
  it('simplifies traditional names first', () => {
    expect(searchKeys('張三豐')).toEqual({ simplified: '张三丰', pinyin: 'zhangsanfeng', initials: 'zsf' });
  });
  it('writes ü as v', () => {
    expect(searchKeys('吕女')).toMatchObject({ pinyin: 'lvnv', initials: 'ln' });
  });
  it('drops the middle dot of transcribed names', () => {
    expect(searchKeys('阿不都热依木·买买提')).toEqual({
      simplified: '阿不都热依木·买买提',
      pinyin: 'abudureyimumaimaiti',
      initials: 'abdrymmmt',
    });
    expect(searchKeys('阿不都热依木 • 买买提')).toMatchObject({ pinyin: 'abudureyimumaimaiti' });
  });
  it('keeps non-Chinese parts in lower case', () => {
    expect(searchKeys('Anna 李')).toEqual({ simplified: 'anna 李', pinyin: 'annali', initials: 'al' });
    expect(searchKeys('ALIM Qadir')).toEqual({ simplified: 'alim qadir', pinyin: 'alimqadir', initials: 'aq' });
    expect(searchKeys('ئەخمەت قادىر')).toMatchObject({ pinyin: 'ئەخمەتقادىر' });
  });
});

describe('registry matchers with the opencc converter', () => {
  const districts = [
    { code: '650202', name: '独山子区' },
    { code: '650203', name: '克拉玛依区' },
    { code: '650204', name: '白碱滩区' },
    { code: '650205', name: '乌尔禾区' },
  ];
  it('matches traditional region names', () => {
    expect(matchRegion('克拉瑪依區', districts, toSimplified)).toBe('650203');
    expect(matchRegion('烏爾禾區退役軍人服務站', districts, toSimplified)).toBe('650205');
  });
  it('matches traditional category cells', () => {
    expect(matchCategory('烈屬、軍屬', toSimplified)).toEqual(['martyr_survivor', 'serving_member_family']);
  });
});
