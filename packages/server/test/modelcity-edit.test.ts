import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, signedIn, type TestEnv, testEnv } from './helpers.js';

// Issue 22 item 1: the city edits the table in the app (decisions/0041).
let env: TestEnv;
let city: Client;
let klmy: Client;

interface El {
  id: string;
  code: string;
  text: string;
  points: number;
  kinds: string[];
  minCount: number;
}
interface Item {
  id: string;
  version: string;
  code: string;
  content: string;
  points: number;
  elements: El[];
}
interface Readiness {
  points: number;
  standards: { code: string; points: number; items: Item[] }[];
}

beforeAll(async () => {
  env = await testEnv();
  [city, klmy] = await Promise.all([signedIn(env.app, 'city', '10.41.0.1'), signedIn(env.app, 'klmy', '10.41.0.2')]);
});
afterAll(async () => env?.close());

const readiness = async (): Promise<Readiness> => {
  const res = await city.get('/api/v1/modelcity/readiness');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const itemOf = (r: Readiness, code: string): Item => {
  const i = r.standards.flatMap((s) => s.items).find((x) => x.code === code);
  if (!i) throw new Error(`no item ${code}`);
  return i;
};
const body = (i: Item) => ({
  version: i.version,
  content: i.content,
  elements: i.elements.map((e) => ({ id: e.id, text: e.text, points: e.points, kinds: e.kinds, minCount: e.minCount })),
});
const put = (c: Client, id: string, payload: unknown) => c.request('PUT', `/api/v1/modelcity/items/${id}`, payload);

async function exportRows(): Promise<string[][]> {
  const res = await city.get('/api/v1/modelcity/table.xlsx');
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
  });
  return rows;
}

describe('editing an item of the table', () => {
  it('the city changes an element’s points and text: the item and standard totals are the new sums', async () => {
    const before = await readiness();
    const item = itemOf(before, '1.2');
    const std = before.standards.find((s) => s.code === '1')!;
    const b = body(item);
    b.elements[0]!.points += 150;
    b.elements[0]!.text = `${b.elements[0]!.text}（修订）`;
    b.elements[0]!.kinds = ['document', 'publicity'];
    b.content = `${item.content}（修订）`;
    const res = await put(city, item.id, b);
    expect(res.statusCode, res.body).toBe(200);
    const after: Readiness = res.json();
    const edited = itemOf(after, '1.2');
    expect(edited.points).toBe(item.points + 150);
    expect(edited.points).toBe(edited.elements.reduce((a, e) => a + e.points, 0));
    expect(edited.content).toBe(`${item.content}（修订）`);
    expect(edited.elements[0]).toMatchObject({ id: item.elements[0]!.id, kinds: ['document', 'publicity'] });
    expect(edited.version).not.toBe(item.version);
    expect(after.standards.find((s) => s.code === '1')!.points).toBe(std.points + 150);
    expect(after.points).toBe(before.points + 150);

    // the export shows the edit
    const rows = await exportRows();
    const row = rows.find((r) => r[8] === b.elements[0]!.text);
    expect(row).toBeDefined();
    expect(row![4]).toBe(b.content);
    expect(Number(row![6])).toBe(edited.points / 100);
    expect(Number(row![9])).toBe(b.elements[0]!.points / 100);
    expect(row![10]).toBe('上传文件、宣传稿件');

    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'entity_id'])
      .where('action', '=', 'modelcity.item.edit')
      .execute();
    expect(audit).toEqual([{ action: 'modelcity.item.edit', entity_type: 'modelcity_item', entity_id: item.id }]);

    // the old version is stale
    const stale = await put(city, item.id, body(item));
    expect(stale.statusCode, stale.body).toBe(409);
  });

  it('refuses a total that is not the sum of the elements, a district, and a foreign element', async () => {
    const item = itemOf(await readiness(), '1.3');
    const wrong = await put(city, item.id, { ...body(item), points: item.points + 100 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toBe(
      `项目分值 ${(item.points + 100) / 100} 分与其评分要素分值之和 ${item.points / 100} 分不一致，请按要素分值之和填写`,
    );
    const same = await put(city, item.id, { ...body(item), points: item.points });
    expect(same.statusCode, same.body).toBe(200);
    expect((await city.get('/api/v1/modelcity/readiness')).json().canEditTable).toBe(true);
    expect((await klmy.get('/api/v1/modelcity/readiness')).json().canEditTable).toBe(false);
    const district = await put(klmy, item.id, body(itemOf(await readiness(), '1.3')));
    expect(district.statusCode).toBe(403);
    expect(district.json().detail).toBe('只有市级可以修改考评细则');
    const other = itemOf(await readiness(), '1.1');
    const fresh = itemOf(await readiness(), '1.3');
    const foreign = body(fresh);
    foreign.elements[0]!.id = other.elements[0]!.id;
    expect((await put(city, fresh.id, foreign)).statusCode).toBe(400);
  });

  it('adds and removes elements; an element with evidence filed is kept (409)', async () => {
    const item = itemOf(await readiness(), '1.4');
    const added = body(item);
    added.elements.push({
      id: undefined as unknown as string,
      text: '新增评分要素',
      points: 50,
      kinds: ['document'],
      minCount: 1,
    });
    const res = await put(city, item.id, added);
    expect(res.statusCode, res.body).toBe(200);
    const grown = itemOf(res.json(), '1.4');
    expect(grown.elements.map((e) => e.text).at(-1)).toBe('新增评分要素');
    expect(grown.elements.at(-1)!.code).toBe(`1.4.${grown.elements.length}`);
    expect(grown.points).toBe(item.points + 50);

    // a district files evidence under the new element: it can no longer be removed
    const newEl = grown.elements.at(-1)!;
    const q = new URLSearchParams({
      elementId: newEl.id,
      docType: 'minutes',
      date: '2026-03-10',
      title: '纪要',
      fileName: '纪要.pdf',
    });
    const up = await klmy.request(
      'POST',
      `/api/v1/modelcity/evidence/upload?${q}`,
      Buffer.from('%PDF-1.4\n% x\n%%EOF\n'),
      {
        'content-type': 'application/pdf',
      },
    );
    expect(up.statusCode, up.body).toBe(201);
    const without = body(grown);
    without.elements = without.elements.filter((e) => e.id !== newEl.id);
    const refused = await put(city, item.id, without);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toBe('评分要素“新增评分要素”已有 1 件佐证材料，不能删除；请先撤回其佐证材料');

    // an element without evidence goes; the rest are renumbered
    const bare = grown.elements[0]!;
    const trimmed = body(grown);
    trimmed.elements = trimmed.elements.filter((e) => e.id !== bare.id);
    const ok = await put(city, item.id, trimmed);
    expect(ok.statusCode, ok.body).toBe(200);
    const shrunk = itemOf(ok.json(), '1.4');
    expect(shrunk.elements.map((e) => e.id)).not.toContain(bare.id);
    expect(shrunk.elements.map((e) => e.code)).toEqual(shrunk.elements.map((_, i) => `1.4.${i + 1}`));
    expect(shrunk.points).toBe(grown.points - bare.points);
  });
});
