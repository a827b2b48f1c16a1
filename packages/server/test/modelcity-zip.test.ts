import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryData, readZipDirectory } from '../src/platform/files/zip.js';
import { seedLivingCity } from '../src/seed/living.js';
import { type Client, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

// Issue 22 item 5: the evidence zip of the binder — files in folders by standard and item, a
// manifest of every piece (records without a file are lines there), a district's own part only.

let env: TestEnv;
let city: Client;
let dsz: Client;

interface Element {
  id: string;
  code: string;
  fresh: number;
  stale: number;
  evidence: { id: string; title: string; orgName: string; sourceKind: string; docType: string | null }[];
}
interface Readiness {
  standards: { seq?: number; code: string; title: string; items: { code: string; elements: Element[] }[] }[];
}

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

/** Entries of a zip by name, read with the platform's zip reader. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const dir = readZipDirectory(buf);
  const out = new Map<string, Buffer>();
  for (const e of dir.entries) {
    const raw = entryData(buf, dir, e);
    out.set(e.name, e.method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
  }
  return out;
}

/** RFC 4180 CSV (quoted cells with doubled quotes, CRLF lines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function exportZip(c: Client, body: Record<string, unknown> = {}) {
  const job = await c.post('/api/v1/modelcity/binder', body);
  expect(job.statusCode, job.body).toBe(202);
  await env.jobs.idle();
  const status = (await c.get(`/api/v1/jobs/${job.json().id}`)).json();
  expect(status, JSON.stringify(status)).toMatchObject({ status: 'succeeded' });
  expect(status.processed).toBe(status.total);
  const res = await c.get(`/api/v1/modelcity/binder/${job.json().id}/zip`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/zip');
  expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('创建全国双拥模范城佐证材料.zip');
  const zip = unzip(res.rawPayload);
  const csv = zip.get('佐证材料清单.csv');
  if (!csv) throw new Error(`no manifest among ${[...zip.keys()].join(', ')}`);
  const text = csv.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const [header, ...rows] = parseCsv(text.slice(1));
  return { jobId: job.json().id as string, zip, header: header!, rows };
}

const readiness = async (c: Client): Promise<Readiness> => (await c.get('/api/v1/modelcity/readiness')).json();
const allElements = (r: Readiness) => r.standards.flatMap((s) => s.items.flatMap((i) => i.elements));

beforeAll(async () => {
  env = await testEnv();
  await seedLivingCity(env.p);
  [city, dsz] = await Promise.all([signedIn(env.app, 'city', '10.31.0.1'), signedIn(env.app, 'dsz', '10.31.0.2')]);
});
afterAll(async () => env?.close());

describe('the evidence zip', () => {
  it('files the evidence in folders by standard and item, and lists every piece in the manifest', async () => {
    const r = await readiness(city);
    const meeting = allElements(r).find((e) => e.code === '1.2.1')!;
    // a file whose title carries a phone number: the name in the zip masks it
    const q = new URLSearchParams({
      elementId: meeting.id,
      docType: 'minutes',
      date: '2026-04-02',
      title: '联络员13912345678会议纪要',
      fileName: 'minutes.pdf',
    });
    const up = await city.request('POST', `/api/v1/modelcity/evidence/upload?${q}`, pdf('纪要正文'), {
      'content-type': 'application/pdf',
    });
    expect(up.statusCode, up.body).toBe(201);

    const { zip, header, rows } = await exportZip(city);
    expect(header).toEqual(['项目', '评分要素', '标题', '日期', '来源', '单位', '文件']);
    const after = await readiness(city);
    const total = allElements(after).reduce((n, e) => n + e.fresh + e.stale, 0);
    expect(rows).toHaveLength(total);

    // every listed file is in the zip under `<standard>/<item>/`, named by date and title
    const standardDirs = after.standards.map((s, i) => `${i + 1} ${s.title}`);
    const fileRows = rows.filter((row) => row[6] !== '无文件（平台记录）');
    expect(fileRows.length).toBeGreaterThan(0);
    for (const row of fileRows) {
      const [item, , , date, , , file] = row as string[];
      expect(zip.has(file!), file).toBe(true);
      const [sDir, iDir, name] = file!.split('/');
      expect(standardDirs).toContain(sDir);
      expect(sDir!.startsWith(`${item!.split('.')[0]} `)).toBe(true);
      expect(iDir!.startsWith(`${item} `)).toBe(true);
      expect(name!.startsWith(`${date} `)).toBe(true);
    }
    expect(zip.size).toBe(fileRows.length + 1);
    const minutes = fileRows.find((row) => row[2]!.startsWith('联络员'))!;
    expect(minutes.slice(0, 6)).toEqual(['1.2', minutes[1], minutes[2], '2026-04-02', '会议纪要', minutes[5]]);
    expect(minutes[1]!.startsWith('1.2.1 ')).toBe(true);
    // the masked title: the phone found by the registry's detector, masked as the registry masks it
    expect(minutes[2]).toBe('联络员139****5678会议纪要');
    expect(minutes[6]).toMatch(/^1 组织领导坚强有力\/1\.2 .+\/2026-04-02 联络员139＊＊＊＊5678会议纪要\.pdf$/);
    expect(zip.get(minutes[6]!)!.toString('utf8')).toContain('纪要正文');
    // no name in the zip and no line of the manifest carries the clear number
    for (const name of zip.keys()) expect(name).not.toContain('13912345678');
    expect(rows.flat().join('\n')).not.toContain('13912345678');

    // records filed from visits, needs, campaigns and honours have no file: a manifest line each
    const kinds = new Map(rows.map((row) => [row[4], row[6]]));
    for (const kind of ['走访慰问', '工作部署与报告', '需求办理', '荣誉激励'])
      expect(kinds.get(kind), kind).toBe('无文件（平台记录）');
    const recordRows = rows.filter((row) => row[6] === '无文件（平台记录）');
    expect(recordRows.length).toBeGreaterThan(0);
    const recordEvidence = allElements(after).flatMap((e) => e.evidence.filter((x) => x.sourceKind !== 'document'));
    for (const ev of recordEvidence) expect(recordRows.some((row) => row[2] === ev.title)).toBe(true);

    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('action', 'in', ['modelcity.binder.export', 'file.download'])
      .execute();
    expect(audit.some((a) => a.action === 'modelcity.binder.export' && String(a.changes).includes('zip'))).toBe(true);
    expect(audit.some((a) => a.action === 'file.download' && String(a.changes).includes('modelcity_binder_zip'))).toBe(
      true,
    );
  });

  it('a district exports its own evidence only, and cannot download the city’s zip', async () => {
    const own = await exportZip(dsz);
    expect(own.rows.length).toBeGreaterThan(0);
    expect(own.rows.every((row) => row[5]!.startsWith('独山子'))).toBe(true);
    expect(own.rows.map((row) => row[2])).toContain('独山子区八一慰问部队经费支付凭证');
    const mine = await readiness(dsz);
    expect(own.rows).toHaveLength(allElements(mine).reduce((n, e) => n + e.fresh + e.stale, 0));
    expect([...own.zip.keys()].some((k) => k.includes('联络员'))).toBe(false);

    const cityJob = await city.post('/api/v1/modelcity/binder', {});
    await env.jobs.idle();
    for (const part of ['docx', 'xlsx', 'zip'])
      expect((await dsz.get(`/api/v1/modelcity/binder/${cityJob.json().id}/${part}`)).statusCode).toBe(404);
    expect((await city.get(`/api/v1/modelcity/binder/${own.jobId}/zip`)).statusCode).toBe(200);
  });

  it('masks ID numbers in every part unless a holder of reveal gives a reason (audited), and lists the chosen period', async () => {
    const r = await readiness(dsz);
    const plan = allElements(r).find((e) => e.code === '1.3.1')!;
    const idNumber = makeId('650202', '1960-05-01', 3);
    const q = new URLSearchParams({
      elementId: plan.id,
      docType: 'plan',
      date: '2026-05-06',
      title: `帮扶对象${idNumber}慰问方案`,
      fileName: 'plan.pdf',
    });
    const up = await dsz.request('POST', `/api/v1/modelcity/evidence/upload?${q}`, pdf('方案'), {
      'content-type': 'application/pdf',
    });
    expect(up.statusCode, up.body).toBe(201);

    // masked by default, in the DOCX, the zip's names and its manifest
    const masked = await exportZip(dsz);
    const line = masked.rows.find((row) => row[2]!.startsWith('帮扶对象'))!;
    expect(line[2]).toBe(`帮扶对象${idNumber.slice(0, 6)}********${idNumber.slice(-4)}慰问方案`);
    expect([...masked.zip.keys()].join('\n')).not.toContain(idNumber);
    const docx = await dsz.get(`/api/v1/modelcity/binder/${masked.jobId}/docx`);
    expect(docx.statusCode).toBe(200);
    const xml = unzip(docx.rawPayload).get('word/document.xml')!.toString('utf8');
    expect(xml).toContain(line[2]);
    expect(xml).not.toContain(idNumber);

    // revealing needs the permission and a reason
    expect((await city.post('/api/v1/modelcity/binder', { reveal: true, reason: '迎检核对' })).statusCode).toBe(403);
    expect((await dsz.post('/api/v1/modelcity/binder', { reveal: true })).statusCode).toBe(400);
    const clear = await exportZip(dsz, { reveal: true, reason: '迎检核对' });
    expect(clear.rows.map((row) => row[2])).toContain(`帮扶对象${idNumber}慰问方案`);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes'])
      .where('action', '=', 'modelcity.binder.export')
      .where('entity_id', 'is not', null)
      .execute();
    const revealed = audit.map((a) => JSON.parse(String(a.changes))).filter((c) => c.job === clear.jobId);
    expect(revealed).toMatchObject([{ revealed: true, reason: '迎检核对' }]);

    // a chosen period lists only the evidence dated within it
    const may = await exportZip(dsz, { from: '2026-05-01', to: '2026-05-31' });
    expect(may.rows.length).toBeGreaterThan(0);
    expect(may.rows.length).toBeLessThan(masked.rows.length);
    expect(may.rows.every((row) => row[3]! >= '2026-05-01' && row[3]! <= '2026-05-31')).toBe(true);
    expect((await dsz.post('/api/v1/modelcity/binder', { from: '2026-05-31', to: '2026-05-01' })).statusCode).toBe(400);
  });
});
