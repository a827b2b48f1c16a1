import { describe, expect, it } from 'vitest';
import { Checker, type CheckRule, patternError } from '../src/modules/atmosphere/checks/match.js';
import { ATMOSPHERE_RULES_0015 } from '../src/platform/db/migrations/0015_atmosphere.js';
import { imageMetadata } from '../src/platform/files/image.js';
import corpus from './fixtures/confidentiality-corpus.json' with { type: 'json' };
import { gradientJpeg, gradientPng, withExif } from './photo-fixtures.js';

const builtin: CheckRule[] = ATMOSPHERE_RULES_0015.map(([code, category, kind, value, severity, label]) => ({
  code,
  category,
  kind,
  value,
  severity,
  label,
  militaryOnly: false,
}));
const militaryTerms: CheckRule[] = corpus.militaryTerms.map((value, i) => ({
  code: `designation.military.${i}`,
  category: 'designation',
  kind: 'term',
  value,
  severity: 'block',
  label: '部队番号（军方名录）',
  militaryOnly: true,
}));
const checker = new Checker([...builtin, ...militaryTerms]);

describe('the confidentiality corpus', () => {
  const results = corpus.texts.map((c) => ({ ...c, found: checker.check(c.text) }));
  const sensitive = results.filter((r) => r.expect.length > 0);
  const clean = results.filter((r) => r.expect.length === 0);

  it('has at least 40 texts, half of them with something that must not be published', () => {
    expect(results.length).toBeGreaterThanOrEqual(40);
    expect(sensitive.length).toBeGreaterThanOrEqual(20);
    expect(clean.length).toBeGreaterThanOrEqual(20);
  });

  it('flags ≥ 95 % of the texts that must not be published, for the reason they must not be', () => {
    // a hit counts only when a finding of the expected category is among the findings
    const hits = sensitive.filter((r) => r.expect.every((c) => r.found.some((f) => f.category === c)));
    const missed = sensitive.filter((r) => !hits.includes(r)).map((r) => r.text);
    const recall = hits.length / sensitive.length;
    const flaggedClean = clean.filter((r) => r.found.length > 0);
    const precision = hits.length / (hits.length + flaggedClean.length);
    console.info(
      `confidentiality corpus: ${results.length} texts, recall ${(recall * 100).toFixed(1)} %, precision ${(precision * 100).toFixed(1)} %`,
      { missed, falsePositives: flaggedClean.map((r) => [r.text, r.found.map((f) => f.match)]) },
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });

  it('reports each finding in place: its position in the original text, full-width characters included', () => {
    const text = '来自６１２３４部队的战士';
    const [f] = checker.check(text);
    expect(f).toMatchObject({ rule: 'designation.code_number', start: 2, end: 9, match: '６１２３４部队' });
    expect(text.slice(f!.start, f!.end)).toBe(f!.match);
  });

  it('confirms ID numbers and phones with the registry normalisers (a wrong checksum is no finding)', () => {
    expect(checker.check('编号650203194002020021').map((f) => f.rule)).toEqual(['personal.id_number']);
    expect(checker.check('编号650203194002020022')).toEqual([]);
    expect(checker.check('电话12899561234')).toEqual([]);
  });

  it('a military-only term is applied and marked so', () => {
    const [f] = checker.check('准噶尔铁骑旅来到社区');
    expect(f).toMatchObject({ category: 'designation', militaryOnly: true, match: '准噶尔铁骑旅' });
  });

  it('refuses a pattern that does not compile or matches the empty text', () => {
    expect(patternError('pattern', '(第')).not.toBeNull();
    expect(patternError('pattern', 'a*')).not.toBeNull();
    expect(patternError('pattern', '第[0-9]+旅')).toBeNull();
    expect(patternError('detector', 'no_such')).not.toBeNull();
  });
});

describe('image metadata', () => {
  it('finds the GPS position in a JPEG EXIF block and in PNG text and eXIf chunks', () => {
    expect(imageMetadata(withExif(gradientJpeg(16, 16)))).toMatchObject({ gps: true });
    expect(imageMetadata(gradientPng(16, 16))).toMatchObject({ gps: true });
  });

  it('finds nothing in a plain photo', () => {
    expect(imageMetadata(gradientJpeg(16, 16))).toEqual({ gps: false, camera: null });
  });

  it('reads the camera make and model from IFD0', () => {
    const make = Buffer.from('Canon\0', 'latin1');
    const tiff = Buffer.alloc(8 + 2 + 12 + 4);
    tiff.write('MM\0*', 0, 'latin1');
    tiff.writeUInt32BE(8, 4);
    tiff.writeUInt16BE(1, 8);
    tiff.writeUInt16BE(0x010f, 10);
    tiff.writeUInt16BE(2, 12);
    tiff.writeUInt32BE(make.length, 14);
    tiff.writeUInt32BE(tiff.length, 18);
    const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, make]);
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    const jpeg = gradientJpeg(16, 16);
    const file = Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
    expect(imageMetadata(file)).toEqual({ gps: false, camera: 'Canon' });
  });
});
