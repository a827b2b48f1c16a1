import { afterEach, describe, expect, it, vi } from 'vitest';
import { BINDER_RENDER } from '../src/modules/modelcity/binder-render.js';
import { AppError } from '../src/platform/errors.js';
import { formalLetterPdf, LETTER_RENDER, LETTERS_RENDER } from '../src/platform/files/letter.js';
import { loadPdfkit, pdfFont, useCjkFont } from '../src/platform/files/pdf.js';
import { RenderPool, renderTask } from '../src/platform/files/render-pool.js';
import { childEntry } from '../src/platform/files/workers.js';
import { pdfText } from './pdf-text.js';
import { spinner } from './sqlite-file-fixtures.js';
import { unzip } from './visits-fixtures.js';

/** The render pool (decisions/0077, 0079): documents made in render processes, off the event loop. */
const pools: RenderPool[] = [];
const pool = (opts: ConstructorParameters<typeof RenderPool>[0] = {}) => {
  const p = new RenderPool(opts);
  pools.push(p);
  return p;
};
const testEntry = () => childEntry('render-test', import.meta.url);
const task = <I, O>(name: string) => renderTask<I, O>(name, () => Promise.reject(new Error('runs in the worker only')));

/**
 * Awaits a render, with the event loop turning many times meanwhile (no clock involved): made in
 * this thread, it would not turn once.
 */
async function turningWhile<T>(render: Promise<T>): Promise<T> {
  const loop = spinner();
  const made = render.then((b) => {
    loop.stop();
    return b;
  });
  while (loop.turns < 50 && !loop.stopped) await new Promise((r) => setImmediate(r));
  expect(loop.turns).toBeGreaterThanOrEqual(50);
  return made;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const letter = {
  title: '慰问信',
  salutation: '尊敬的张三同志：',
  paragraphs: ['值此新春佳节来临之际，谨向您和您的家人致以节日的问候！'.repeat(20), '祝您身体健康，阖家幸福！'],
  sender: '天山区退役军人事务局',
  date: '2026年12月4日',
};

describe('the render pool', () => {
  it('keeps the event loop free while a PDF is made in its worker, started at the first render', async () => {
    const p = pool();
    const job = { letter, format: 'pdf', fontMissing: 'visits.letter.fontMissing' } as const;
    expect(p.workers()).toBe(0);
    // warm: pdfkit loaded (in this thread, its loading alone would give the loop turns)
    await p.run(LETTER_RENDER, job);
    expect(p.workers()).toBe(1);
    const pdf = await turningWhile(p.run(LETTER_RENDER, job));
    expect(Buffer.isBuffer(pdf)).toBe(true);
    expect(await pdfText(pdf)).toContain('尊敬的张三同志');
  });

  it('hands over an object of buffers as Buffers, and ends an idle worker', async () => {
    const p = pool({ entry: testEntry, idleMs: 10 });
    const out = await p.run(task<{ text: string }, { a: Buffer; b: Buffer }>('test.bytes'), { text: '双拥' });
    expect(Buffer.isBuffer(out.a) && Buffer.isBuffer(out.b)).toBe(true);
    expect(out.a.toString()).toBe('双拥'.repeat(2000));
    expect(out.b.toString()).toBe('b');
    await vi.waitFor(() => expect(p.workers()).toBe(0));
  });

  it('renders in a process of its own, which is gone once idle (its memory given back with it)', async () => {
    const p = pool({ entry: testEntry, idleMs: 10 });
    const pid = await p.run(task<object, number>('test.pid'), {});
    expect(pid).not.toBe(process.pid);
    expect(() => process.kill(pid, 0)).not.toThrow();
    await vi.waitFor(() => expect(p.workers()).toBe(0));
    await vi.waitFor(() => expect(() => process.kill(pid, 0)).toThrow(/ESRCH/));
  });

  it('answers the AppError a renderer threw as the same AppError (the HTTP error of today)', async () => {
    const p = pool({ entry: testEntry });
    const err = await p.run(task('test.font'), { key: 'benefits.card.fontMissing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 503, code: 'pdf_font_missing', messageKey: 'benefits.card.fontMissing' });
    await expect(p.run(task('test.unknown'), {})).rejects.toThrow(/no render task test.unknown/);
  });

  it('fails a render that kills or outlasts its worker alone; the next one gets a fresh worker', async () => {
    const bytes = task<{ text: string }, { a: Buffer }>('test.bytes');
    const p = pool({ entry: testEntry });
    await expect(p.run(task('test.crash'), {})).rejects.toThrow(/exited with code 3/);
    expect((await p.run(bytes, { text: 'x' })).a.length).toBe(2000);
    // the timeout counts from the render's start, the worker's own start included: a warm worker here
    const q = pool({ entry: testEntry });
    expect((await q.run(bytes, { text: 'w' })).a.length).toBe(2000);
    q.timeoutMs = 50;
    await expect(q.run(task('test.hang'), {})).rejects.toThrow(/took longer than 50 ms/);
    q.timeoutMs = 120_000;
    expect((await q.run(bytes, { text: 'y' })).a.length).toBe(2000);
  });

  it('runs at most `size` renders at once and answers 503 beyond its queue', async () => {
    const p = pool({ entry: testEntry, size: 1, maxQueue: 1 });
    const hang = task('test.hang');
    void p.run(hang, {}).catch(() => {});
    void p.run(hang, {}).catch(() => {});
    const busy = await p.run(hang, {}).catch((e: unknown) => e);
    expect(busy).toMatchObject({ status: 503, code: 'render_busy' });
    expect(p.workers()).toBe(1);
  });

  it('makes the jobs’ documents in its worker: a batch of letters, the binder’s DOCX and xlsx', async () => {
    const p = pool();
    const names = Array.from({ length: 8 }, (_, i) => `张${i}`);
    const batch = { letters: names.map((n) => ({ ...letter, salutation: `尊敬的${n}同志：` })) };
    await p.run(LETTERS_RENDER, { letters: batch.letters.slice(0, 1) }); // warm: docx loaded in the worker
    const docs = await turningWhile(p.run(LETTERS_RENDER, batch));
    expect(docs.every((d) => Buffer.isBuffer(d))).toBe(true);
    const xml = docs.map((d) => unzip(d).get('word/document.xml')!.toString('utf8'));
    for (const [i, n] of names.entries()) expect(xml[i]).toContain(`尊敬的${n}同志`);
    // a task the worker does not list would be refused there ('no render task')
    const binder = await p.run(BINDER_RENDER, {
      round: { name: '2026年度' },
      scopeName: '全市',
      standards: [],
      points: 0,
      score: 0,
      evidence: new Map(),
      period: { from: '2026-01-01', to: '2026-12-31' },
      owners: new Map(),
      today: '2026-12-04',
    } as never);
    expect(unzip(binder.docx).get('word/document.xml')!.toString('utf8')).toContain('2026年度');
    expect(unzip(binder.xlsx).has('xl/worksheets/sheet1.xml')).toBe(true);
    expect(p.workers()).toBe(1);
  });

  it('renders in this thread when there is no worker entry (a copy of cli.js alone)', async () => {
    const p = pool({ entry: () => null });
    const docx = await p.run(LETTER_RENDER, { letter, format: 'docx', fontMissing: 'visits.letter.fontMissing' });
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    expect(p.workers()).toBe(0);
  });
});

describe('the CJK font of PDFs (decisions/0078)', () => {
  it('is parsed once per thread, and the PDFs read the same as with a font parsed for each', async () => {
    const PDFDocument = await loadPdfkit();
    const [file, face] = pdfFont('serif', () => new Error('no CJK font'));
    const parsedIn = () => {
      const doc = new PDFDocument();
      useCjkFont(doc, file, face);
      return (doc as unknown as { _font: { font: object } })._font.font;
    };
    // pdfkit's internals as decisions/0078 uses them: should a release change them, this fails
    // (and the PDFs are made as before, the font parsed for each)
    const [first, second] = [parsedIn(), parsedIn()];
    expect(first === second).toBe(true); // (a font object is too big for a diff)
    const fresh = new PDFDocument();
    fresh.registerFont('cjk', file, face);
    fresh.font('cjk');
    expect((fresh as unknown as { _font: { font: object } })._font.font === first).toBe(false);

    const missing = () => new Error('no CJK font');
    const [a, b] = [await formalLetterPdf(letter, missing), await formalLetterPdf(letter, missing)];
    expect(await pdfText(b)).toBe(await pdfText(a));
    expect(await pdfText(a)).toContain('尊敬的张三同志');
  });
});
