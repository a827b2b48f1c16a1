import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipText } from './campaigns-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

const KLMY = '克拉玛依区退役军人事务局';
const DSZ = '独山子区退役军人事务局';
let env: TestEnv;
let klmy: Client;
let dsz: Client;
let city: Client;
let jyj: Client;
let unit1: Client;

interface Element {
  id: string;
  code: string;
  text: string;
  points: number;
  score: number;
  status: string;
  fresh: number;
  stale: number;
  evidence: { id: string; title: string; orgName: string; sourceKind: string; stale: boolean }[];
}
interface Readiness {
  score: number;
  points: number;
  scopeName: string;
  standards: {
    code: string;
    title: string;
    score: number;
    points: number;
    items: { code: string; score: number; points: number; elements: Element[] }[];
  }[];
  gaps: { code: string; status: string; staleOnly: boolean }[];
  vetoes: { text: string }[];
}

beforeAll(async () => {
  env = await testEnv();
  [klmy, dsz, city, jyj] = await Promise.all([
    signedIn(env.app, 'klmy', '10.22.0.1'),
    signedIn(env.app, 'dsz', '10.22.0.2'),
    signedIn(env.app, 'city', '10.22.0.3'),
    signedIn(env.app, 'jyj', '10.22.0.4'),
  ]);
  unit1 = await signedIn(env.app, 'unit1', '10.22.0.5');
});
afterAll(async () => env?.close());

const readiness = async (c: Client): Promise<Readiness> => {
  const res = await c.get('/api/v1/modelcity/readiness');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const element = (r: Readiness, code: string): Element => {
  const el = r.standards.flatMap((s) => s.items.flatMap((i) => i.elements)).find((e) => e.code === code);
  if (!el) throw new Error(`no element ${code}`);
  return el;
};
/** An entry of a zip (docx, xlsx) as text. */
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'utf8');

async function upload(c: Client, elementId: string, title: string, date: string, docType = 'minutes') {
  const q = new URLSearchParams({ elementId, docType, date, title, fileName: `${title}.pdf` });
  const res = await c.request('POST', `/api/v1/modelcity/evidence/upload?${q}`, pdf(title), {
    'content-type': 'application/pdf',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; orgName: string; stale: boolean };
}

describe('the assessment table', () => {
  it('ships the example table: eight basic standards, the first worth 6 points over 5 items', async () => {
    const rounds = (await city.get('/api/v1/modelcity/rounds')).json();
    expect(rounds.items).toHaveLength(1);
    expect(rounds.items[0].isExample).toBe(true);
    const r = await readiness(city);
    expect(r.standards.map((s) => s.title)).toEqual([
      '组织领导坚强有力',
      '拥军工作扎实有效',
      '政策法规落到实处',
      '军民共建富有成效',
      '宣传教育广泛深入',
      '拥政爱民成果显著',
      '双拥活动坚持经常',
      '军政军民关系融洽',
    ]);
    expect(r.standards[0]!.points).toBe(600);
    expect(r.standards[0]!.items).toHaveLength(5);
    expect(r.vetoes.length).toBeGreaterThan(0);
    // nothing filed yet: every element is a gap and the score is zero
    expect(r.score).toBe(0);
    expect(r.gaps).toHaveLength(r.standards.flatMap((s) => s.items.flatMap((i) => i.elements)).length);
  });
});

describe('evidence and the score', () => {
  let minutesId: string;

  it('a district files minutes and sees its own evidence; another district does not; the city sees all', async () => {
    const before = await readiness(city);
    const meeting = element(before, '1.2.1');
    const filed = await upload(klmy, meeting.id, '2026年双拥领导小组会议纪要', '2026-03-10');
    minutesId = filed.id;
    expect(filed.orgName).toBe(KLMY);
    await upload(dsz, element(before, '1.2.2').id, '独山子区2026年双拥工作计划', '2026-02-01', 'plan');

    const own = await readiness(klmy);
    expect(own.scopeName).toBe(KLMY);
    expect(element(own, '1.2.1').evidence.map((e) => e.title)).toEqual(['2026年双拥领导小组会议纪要']);
    expect(element(own, '1.2.2').evidence).toEqual([]);
    const other = await readiness(dsz);
    expect(element(other, '1.2.1').evidence).toEqual([]);
    expect((await dsz.get(`/api/v1/modelcity/evidence/${minutesId}/file`)).statusCode).toBe(404);
    const file = await klmy.get(`/api/v1/modelcity/evidence/${minutesId}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('2026年双拥领导小组会议纪要');

    const all = await readiness(city);
    expect(all.scopeName).toBe('全市');
    expect(element(all, '1.2.1').evidence.map((e) => e.orgName)).toEqual([KLMY]);
    expect(element(all, '1.2.2').evidence.map((e) => e.orgName)).toEqual([DSZ]);
  });

  it('scores each element by its rule: met in full, partly in proportion, stale evidence scores nothing', async () => {
    const r = await readiness(city);
    // meeting held 0.5 + plan 0.25 → item 1.2 scores 0.75 of 1.5
    expect(element(r, '1.2.1')).toMatchObject({ status: 'met', score: 50, fresh: 1 });
    expect(element(r, '1.2.2')).toMatchObject({ status: 'met', score: 25 });
    expect(r.standards[0]!.items[1]).toMatchObject({ code: '1.2', score: 75, points: 150 });
    expect(r.standards[0]!.score).toBe(75);
    expect(r.score).toBe(75);

    // budget with vouchers asks for two pieces: one gives half of its point
    const budget = element(r, '1.5.1');
    await upload(jyj, budget.id, '慰问经费支付凭证', '2026-01-15', 'voucher');
    const half = await readiness(city);
    expect(element(half, '1.5.1')).toMatchObject({ status: 'partly', score: 50, fresh: 1 });
    expect(half.score).toBe(125);

    // a summary from before the period the inspectors look at: partly met, no points, flagged stale
    const summary = element(half, '1.2.3');
    const old = await upload(klmy, summary.id, '2021年双拥工作总结', '2021-12-20', 'summary');
    expect(old.stale).toBe(true);
    const stale = await readiness(city);
    expect(element(stale, '1.2.3')).toMatchObject({ status: 'partly', score: 0, stale: 1 });
    expect(stale.gaps.find((g) => g.code === '1.2.3')).toMatchObject({ status: 'partly', staleOnly: true });
    expect(stale.score).toBe(125);
  });

  it('removing the leading-group minutes takes their points away and lists the gap again', async () => {
    expect((await dsz.post(`/api/v1/modelcity/evidence/${minutesId}/remove`, { reason: '误传' })).statusCode).toBe(404);
    const res = await klmy.post(`/api/v1/modelcity/evidence/${minutesId}/remove`, { reason: '文件有误，重新上传' });
    expect(res.statusCode).toBe(204);
    const r = await readiness(city);
    expect(element(r, '1.2.1')).toMatchObject({ status: 'missing', score: 0 });
    expect(r.gaps.find((g) => g.code === '1.2.1')).toMatchObject({ status: 'missing' });
    expect(r.score).toBe(75);
  });

  it('refuses a file that is not a document, and an element that takes no uploads', async () => {
    const r = await readiness(klmy);
    const q = new URLSearchParams({
      elementId: element(r, '1.2.1').id,
      docType: 'minutes',
      date: '2026-03-10',
      title: '脚本',
      fileName: 'a.pdf',
    });
    const bad = await klmy.request('POST', `/api/v1/modelcity/evidence/upload?${q}`, Buffer.from('#!/bin/sh\n'), {
      'content-type': 'application/octet-stream',
    });
    expect(bad.statusCode).toBe(415);
    q.set('elementId', element(r, '5.1.1').id);
    const wrongKind = await klmy.request('POST', `/api/v1/modelcity/evidence/upload?${q}`, pdf('x'), {
      'content-type': 'application/pdf',
    });
    expect(wrongKind.statusCode).toBe(400);
  });
});

describe('records of other modules as evidence', () => {
  it('a published publicity item is suggested, and tagging it files it as the district’s evidence', async () => {
    const created = await klmy.post('/api/v1/publicity-items', {
      kind: 'article',
      title: '社区志愿者为军属写春联',
      body: [{ type: 'paragraph', text: '社区志愿者为辖区军属写春联、送福字。' }],
      outlets: ['city_tv'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const r0 = await readiness(city);
    const media = element(r0, '5.1.1');
    // a draft is no evidence
    const early = await city.post('/api/v1/modelcity/evidence', {
      elementId: media.id,
      sourceKind: 'publicity',
      sourceId: id,
    });
    expect(early.statusCode).toBe(409);

    let v = (await klmy.post(`/api/v1/publicity-items/${id}/submit`, { version: 1 })).json().version;
    const approved = await city.post(`/api/v1/publicity-items/${id}/review`, { version: v, decision: 'approve' });
    expect(approved.json().status).toBe('approved');
    v = approved.json().version;
    const published = await klmy.post(`/api/v1/publicity-items/${id}/publish`, {
      version: v,
      outlet: 'city_tv',
      ref: 'https://tv.example.cn/2',
      on: '2026-02-10',
    });
    expect(published.json().status).toBe('published');

    const suggested = (await klmy.get('/api/v1/modelcity/suggestions')).json().items;
    expect(suggested).toContainEqual(expect.objectContaining({ sourceId: id, elementCode: '5.1.1' }));
    expect(
      (await dsz.get('/api/v1/modelcity/suggestions')).json().items.map((s: { sourceId: string }) => s.sourceId),
    ).not.toContain(id);
    // another district cannot file 克拉玛依区's item
    const foreign = await dsz.post('/api/v1/modelcity/evidence', {
      elementId: media.id,
      sourceKind: 'publicity',
      sourceId: id,
    });
    expect(foreign.statusCode).toBe(404);

    const tagged = await city.post('/api/v1/modelcity/evidence', {
      elementId: media.id,
      sourceKind: 'publicity',
      sourceId: id,
    });
    expect(tagged.statusCode, tagged.body).toBe(201);
    expect(tagged.json()).toMatchObject({ sourceKind: 'publicity', orgName: KLMY, date: '2026-02-10' });
    const again = await city.post('/api/v1/modelcity/evidence', {
      elementId: media.id,
      sourceKind: 'publicity',
      sourceId: id,
    });
    expect(again.statusCode).toBe(409);

    const own = await readiness(klmy);
    // four items asked, one ran: a quarter of the point
    expect(element(own, '5.1.1')).toMatchObject({ status: 'partly', score: 25, fresh: 1 });
    expect(element(own, '5.1.1').evidence.map((e) => e.title)).toEqual(['社区志愿者为军属写春联']);
    expect(
      (await klmy.get('/api/v1/modelcity/suggestions')).json().items.map((s: { sourceId: string }) => s.sourceId),
    ).not.toContain(id);
    expect(element(await readiness(dsz), '5.1.1').evidence).toEqual([]);
  });
});

describe('troops activities as evidence (the troops module’s read model)', () => {
  it('a unit’s activity in 克拉玛依区 is suggested for 拥政爱民 and, tagged, is that district’s evidence', async () => {
    const community = await orgId(env.p, '650200/650203/650203001/650203001001/');
    const recorded = await unit1.post('/api/v1/troop-activities', {
      type: 'free_clinic',
      occurredOn: '2026-05-20',
      durationMinutes: 120,
      placeKind: 'community',
      placeOrgId: community,
      placeName: '友谊社区活动中心',
      participants: 6,
      participantNames: ['王秘密'],
      militaryNote: '军方备注：仅限军方知悉',
      reached: { elderly: 20 },
      patientsSeen: 20,
      serviceMinutes: 720,
      summary: '为社区老人义诊。',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const id = recorded.json().id;
    const suggested = (await city.get('/api/v1/modelcity/suggestions')).json().items;
    const s = suggested.find((x: { sourceId: string }) => x.sourceId === id);
    expect(s).toMatchObject({ sourceKind: 'troops', elementCode: '6.1.1' });
    expect((await dsz.get('/api/v1/modelcity/suggestions')).body).not.toContain(id);
    const tagged = await city.post('/api/v1/modelcity/evidence', {
      elementId: s.elementId,
      sourceKind: 'troops',
      sourceId: id,
    });
    expect(tagged.statusCode, tagged.body).toBe(201);
    expect(tagged.json()).toMatchObject({ sourceKind: 'troops', date: '2026-05-20' });
    // the civilian view only: no participant names or military note in the evidence
    expect(tagged.body).not.toContain('王秘密');
    expect(tagged.body).not.toContain('军方备注');
    const own = await readiness(klmy);
    expect(element(own, '6.1.1')).toMatchObject({ status: 'met', score: 50 });
    expect(element(await readiness(dsz), '6.1.1').evidence).toEqual([]);
  });
});

/** Runs the binder job and downloads its three files. */
async function binder(c: Client, body: Record<string, unknown> = {}) {
  const job = await c.post('/api/v1/modelcity/binder', body);
  expect(job.statusCode, job.body).toBe(202);
  await env.jobs.idle();
  const status = (await c.get(`/api/v1/jobs/${job.json().id}`)).json();
  expect(status, JSON.stringify(status)).toMatchObject({ status: 'succeeded' });
  expect(status.processed).toBe(status.total);
  const part = async (name: string) => {
    const res = await c.get(`/api/v1/modelcity/binder/${job.json().id}/${name}`);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  return {
    id: job.json().id as string,
    status,
    docx: await part('docx'),
    xlsx: await part('xlsx'),
    zip: await part('zip'),
  };
}

describe('the binder', () => {
  const paragraphs = (docx: Buffer) => {
    const doc = zipText(docx, 'word/document.xml');
    return [...doc.matchAll(/<w:p\b[\s\S]*?<\/w:p>/g)].map((m) => ({
      style: /<w:pStyle w:val="([^"]+)"/.exec(m[0])?.[1] ?? '',
      text: [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join(''),
    }));
  };

  it('lists the evidence under its element, in the order of the table', async () => {
    const r = await readiness(city);
    const res = (await binder(city)).docx;
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const ps = paragraphs(res.rawPayload);
    const headings = ps.filter((p) => /^Heading[123]$/.test(p.style));
    const expected = r.standards.flatMap((s) => [
      `H1 ${s.title}`,
      ...s.items.flatMap((i) => [`H2 ${i.code}`, ...i.elements.map((e) => `H3 ${e.code} ${e.text}`)]),
    ]);
    const got = headings.map((h) =>
      h.style === 'Heading1'
        ? `H1 ${h.text.replace(/^[一二三四五六七八九十]+、/, '').replace(/（.*$/, '')}`
        : h.style === 'Heading2'
          ? `H2 ${h.text.split(' ')[0]}`
          : `H3 ${h.text}`,
    );
    expect(got).toEqual(expected);
    // each piece of evidence sits after its element's heading and before the next one
    const at = (text: string) => ps.findIndex((p) => p.text.includes(text));
    const media = element(r, '5.1.1');
    const next = r.standards[4]!.items[1]!.elements[0]!;
    expect(at('社区志愿者为军属写春联')).toBeGreaterThan(at(`5.1.1 ${media.text}`));
    expect(at('社区志愿者为军属写春联')).toBeLessThan(at(`${next.code} ${next.text}`));
    expect(at('慰问经费支付凭证')).toBeGreaterThan(at('1.5.1 '));
    expect(at('独山子区2026年双拥工作计划')).toBeLessThan(at('1.2.3 '));

    // a district's binder holds only its own evidence
    const own = paragraphs((await binder(klmy)).docx.rawPayload);
    expect(own.some((p) => p.text.includes('独山子区2026年双拥工作计划'))).toBe(false);
    expect(own.some((p) => p.text.includes('社区志愿者为军属写春联'))).toBe(true);
  });

  it('exports the self-assessment as xlsx, one row per element', async () => {
    const res = (await binder(city)).xlsx;
    const sheet = zipText(res.rawPayload, 'xl/worksheets/sheet1.xml');
    const r = await readiness(city);
    const rows = sheet.match(/<row /g)?.length ?? 0;
    expect(rows).toBe(1 + r.standards.flatMap((s) => s.items.flatMap((i) => i.elements)).length);
    expect(sheet).toContain('1.2.1 召开双拥领导小组会议或军地联席会议');
  });
});

describe('the table template and rounds', () => {
  const cells = (xlsx: Buffer) => {
    const sheet = zipText(xlsx, 'xl/worksheets/sheet1.xml');
    const shared = (() => {
      try {
        return [...zipText(xlsx, 'xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
          [...m[1]!.matchAll(/<t(?: [^>]*)?>([^<]*)<\/t>/g)].map((x) => x[1]).join(''),
        );
      } catch {
        return [];
      }
    })();
    return [...sheet.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((m) => {
      const v = /<v>([^<]*)<\/v>/.exec(m[3] ?? '')?.[1] ?? /<t[^>]*>([^<]*)<\/t>/.exec(m[3] ?? '')?.[1] ?? '';
      return `${m[1]}=${/t="s"/.test(m[2]!) ? shared[Number(v)] : v}`;
    });
  };

  it('exports the seeded table and imports it as a new round that exports cell for cell the same', async () => {
    const exported = await city.get('/api/v1/modelcity/table.xlsx');
    expect(exported.statusCode).toBe(200);
    const before = cells(exported.rawPayload);
    expect(before).toContain('C2=组织领导坚强有力');
    expect(before.some((c) => c.startsWith('A') && c.endsWith('=一票否决'))).toBe(true);

    const q = new URLSearchParams({
      name: '第十二届考评细则（自治区）',
      periodStart: '2027-01-01',
      periodEnd: '2030-12-31',
    });
    // a district may not bring in a table
    const refused = await klmy.request('POST', `/api/v1/modelcity/rounds/import?${q}`, exported.rawPayload, {
      'content-type': 'application/octet-stream',
    });
    expect(refused.statusCode).toBe(403);
    const imported = await city.request('POST', `/api/v1/modelcity/rounds/import?${q}`, exported.rawPayload, {
      'content-type': 'application/octet-stream',
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const round = imported.json();
    expect(round).toMatchObject({ name: '第十二届考评细则（自治区）', isExample: false });
    const again = await city.get(`/api/v1/modelcity/table.xlsx?roundId=${round.id}`);
    expect(cells(again.rawPayload)).toEqual(before);

    // both rounds side by side; the new one has no evidence yet
    const rounds = (await city.get('/api/v1/modelcity/rounds')).json().items;
    expect(rounds.map((r: { name: string }) => r.name)).toEqual([
      '第十二届考评细则（自治区）',
      '全国双拥模范城考评标准（示例）',
    ]);
    const fresh = (await city.get(`/api/v1/modelcity/readiness?roundId=${round.id}`)).json();
    expect(fresh.score).toBe(0);
    const trend = (await city.get('/api/v1/modelcity/trend')).json().items;
    expect(trend.map((x: { round: { name: string }; score: number }) => [x.round.name, x.score > 0])).toEqual([
      ['全国双拥模范城考评标准（示例）', true],
      ['第十二届考评细则（自治区）', false],
    ]);
  });

  it('refuses a file that is not the template, and a period that ends before it starts', async () => {
    const exported = (await city.get('/api/v1/modelcity/table.xlsx')).rawPayload;
    const q = new URLSearchParams({ name: '坏表', periodStart: '2027-01-01', periodEnd: '2030-12-31' });
    const notXlsx = await city.request('POST', `/api/v1/modelcity/rounds/import?${q}`, pdf('x'), {
      'content-type': 'application/octet-stream',
    });
    expect(notXlsx.statusCode).toBeGreaterThanOrEqual(400);
    expect(notXlsx.statusCode).toBeLessThan(500);
    q.set('periodEnd', '2026-01-01');
    const backwards = await city.request('POST', `/api/v1/modelcity/rounds/import?${q}`, exported, {
      'content-type': 'application/octet-stream',
    });
    expect(backwards.statusCode).toBe(400);
  });
});
