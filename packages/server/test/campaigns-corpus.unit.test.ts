import { describe, expect, it } from 'vitest';
import { parseNotice } from '../src/modules/campaigns/parse-notice/index.js';
import { loadCorpus, VARIANTS, variant } from './fixtures/notice-corpus/corpus.js';
import { accuracy, FIELDS } from './fixtures/notice-corpus/score.js';

/**
 * The parser measured on the notice corpus (test/fixtures/notice-corpus): every notice clean and in
 * each damaged form (PDF-wrapped, traditional web page with pinyin, garbled runs, all three at once).
 * Field-level accuracy must stay at 98 % or more on each variant; the figures are in docs/benchmarks.md.
 */
const corpus = loadCorpus();

describe('the notice corpus', () => {
  it('has at least 25 notices, each with its expected reading', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    for (const n of corpus) expect(n.expected.items.length, n.name).toBeGreaterThan(0);
  });

  for (const v of VARIANTS) {
    it(`reads the ${v} notices at 98 % or more on every field`, () => {
      const result = accuracy(
        corpus.map((n) => ({ name: n.name, expected: n.expected, parsed: parseNotice(variant(n, v)) })),
      );
      const low = FIELDS.filter((f) => result.fields[f] < 0.98).map((f) => ({
        field: f,
        accuracy: result.fields[f],
        misses: result.misses.filter((m) => m.field === f).map((m) => m.name),
      }));
      expect(low).toEqual([]);
    });
  }

  it('leaves no annotation, bracket of pinyin or garbage in what it reads from a damaged notice', () => {
    for (const n of corpus) {
      const p = parseNotice(variant(n, 'all'));
      const values = [
        p.title,
        ...p.issuers,
        ...p.recipients,
        ...p.items.flatMap((i) => [i.title, i.body]),
        ...p.requirements,
      ];
      expect(values.join('|'), n.name).not.toMatch(
        /[a-zà-ǜ]{2,}|\uFFFD|锟斤拷|烫烫|[\uE000-\uF8FF]|ä¸|[?？]{2}|- \d+ -|第\d+页/,
      );
    }
  });
});
