import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignWithTask, taskRefused } from './atmosphere-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

// Issue 19 items 3, 5, 6 for exemplars (双拥先进典型): nomination, the city's review, the profile
// published only through the confidentiality review (frozen hash), scope, campaign tasks, evidence.
let env: TestEnv;
let klmy: Client;
let dsz: Client;
let city: Client;
let jfq: Client;
let unit1: Client;
let unitA: string;

beforeAll(async () => {
  env = await testEnv();
  [klmy, dsz, city, jfq, unit1] = await Promise.all([
    signedIn(env.app, 'klmy', '10.25.0.1'),
    signedIn(env.app, 'dsz', '10.25.0.2'),
    signedIn(env.app, 'city', '10.25.0.3'),
    signedIn(env.app, 'jfq', '10.25.0.4'),
    signedIn(env.app, 'unit1', '10.25.0.5'),
  ]);
  unitA = await orgId(env.p, '650200/jfq/unit-a/');
});
afterAll(async () => env?.close());

const paragraph = (text: string) => ({ type: 'paragraph' as const, text });
const nomination = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'support_model',
  subject: 'person',
  name,
  year: 2026,
  summary: `${name}常年照顾军属老人`,
  deeds: [paragraph('十年如一日为社区军属送医送药，组织志愿者开展双拥活动。')],
  ...extra,
});

async function nominate(c: Client, body: unknown) {
  const res = await c.post('/api/v1/exemplars', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** draft → city_review → approved, by the district and the city. */
async function approved(name: string, extra: Record<string, unknown> = {}, by: Client = klmy) {
  const e = await nominate(by, nomination(name, extra));
  const sent = await by.post(`/api/v1/exemplars/${e.id}/submit`, { version: e.version });
  expect(sent.statusCode, sent.body).toBe(200);
  const ok = await city.post(`/api/v1/exemplars/${e.id}/review`, { version: sent.json().version, decision: 'approve' });
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json();
}

describe('scope', () => {
  it('a district never sees another district’s nominations; the city and the 军分区 do', async () => {
    const e = await nominate(klmy, nomination('张桂英'));
    expect(e).toMatchObject({ status: 'draft', typeName: '拥军优属模范', actions: ['edit', 'submit', 'link'] });
    expect((await dsz.get(`/api/v1/exemplars/${e.id}`)).statusCode).toBe(404);
    const list = (await dsz.get('/api/v1/exemplars')).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(e.id);
    expect((await dsz.post(`/api/v1/exemplars/${e.id}/submit`, { version: 1 })).statusCode).toBe(404);
    expect((await city.get(`/api/v1/exemplars/${e.id}`)).json().name).toBe('张桂英');
    // the 军分区 sees every one that mentions troops
    const troops = await nominate(dsz, nomination('李国华', { deeds: [paragraph('每年春节慰问驻地部队官兵。')] }));
    expect(troops.mentionsTroops).toBe(true);
    expect((await jfq.get(`/api/v1/exemplars/${troops.id}`)).statusCode).toBe(200);
    expect((await klmy.get(`/api/v1/exemplars/${troops.id}`)).statusCode).toBe(404);
  });

  it('a unit sees and co-authors the nomination that concerns it, and nothing else', async () => {
    const e = await nominate(
      klmy,
      nomination('部队甲', { type: 'civil_unit', subject: 'org', concernedOrgId: unitA, summary: '帮助社区修路' }),
    );
    const seen = await unit1.get(`/api/v1/exemplars/${e.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().actions).toEqual(['edit', 'submit', 'link']);
    const edited = await unit1.request('PUT', `/api/v1/exemplars/${e.id}`, {
      ...nomination('部队甲', { type: 'civil_unit', subject: 'org', concernedOrgId: unitA }),
      summary: '帮助社区修路、建设图书室',
      version: e.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().summary).toBe('帮助社区修路、建设图书室');
    const other = await nominate(klmy, nomination('王秀兰'));
    expect((await unit1.get(`/api/v1/exemplars/${other.id}`)).statusCode).toBe(404);
  });

  it('keeps a person’s personal data sealed and shows it masked; an organisation has none', async () => {
    const id = makeId('650203', '1960-05-06', 12);
    const e = await nominate(
      klmy,
      nomination('赵德明', { idNumber: id, phone: '13912345678', address: '克拉玛依区友谊路 88 号 3 栋 2 单元 501' }),
    );
    expect(e.idMasked).not.toContain(id.slice(6, 14));
    expect(e.idMasked).toMatch(/\*/);
    expect(e.phoneMasked).not.toBe('13912345678');
    expect(e.addressMasked).not.toContain('501');
    expect(JSON.stringify(e)).not.toContain(id);
    const bad = await klmy.post('/api/v1/exemplars', nomination('错号', { idNumber: '650203196005061234' }));
    expect(bad.statusCode).toBe(400);
    const org = await nominate(klmy, nomination('某社区', { subject: 'org', phone: '13912345678' }));
    expect(org.phoneMasked).toBeNull();
    const trail = (await env.p.handle.db
      .selectFrom('audit_log' as never)
      .select('changes' as never)
      .execute()) as { changes: string | null }[];
    expect(trail.some((r) => r.changes?.includes(id))).toBe(false);
  });

  it('refuses HTML in place of structured deeds', async () => {
    const res = await klmy.post('/api/v1/exemplars', { ...nomination('某人'), deeds: '<p>事迹</p>' });
    expect(res.statusCode).toBe(400);
    const bad = await klmy.post('/api/v1/exemplars', { ...nomination('某人'), deeds: [{ type: 'html', html: '<b>' }] });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the city’s review', () => {
  it('returns with comments, approves after the fix; only the city’s civil side reviews', async () => {
    const e = await nominate(klmy, nomination('陈淑珍'));
    const sent = (await klmy.post(`/api/v1/exemplars/${e.id}/submit`, { version: e.version })).json();
    expect(sent).toMatchObject({ status: 'city_review', actions: ['link'] });
    expect(
      (await klmy.post(`/api/v1/exemplars/${e.id}/review`, { version: sent.version, decision: 'approve' })).statusCode,
    ).toBe(403);
    expect(
      (await jfq.post(`/api/v1/exemplars/${e.id}/review`, { version: sent.version, decision: 'approve' })).statusCode,
    ).toBe(403);
    const noComment = await city.post(`/api/v1/exemplars/${e.id}/review`, {
      version: sent.version,
      decision: 'return',
    });
    expect(noComment.json().code).toBe('comment_required');
    const back = await city.post(`/api/v1/exemplars/${e.id}/review`, {
      version: sent.version,
      decision: 'return',
      comment: '请补充近三年的具体事迹',
    });
    expect(back.json()).toMatchObject({
      status: 'returned',
      reviews: [{ decision: 'return', comment: '请补充近三年的具体事迹' }],
    });
    const fixed = await klmy.request('PUT', `/api/v1/exemplars/${e.id}`, {
      ...nomination('陈淑珍'),
      deeds: [paragraph('2024 年起每月为军属老人理发。'), paragraph('2025 年组织志愿者送医送药 30 次。')],
      version: back.json().version,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const again = (await klmy.post(`/api/v1/exemplars/${e.id}/submit`, { version: fixed.json().version })).json();
    const ok = await city.post(`/api/v1/exemplars/${e.id}/review`, { version: again.version, decision: 'approve' });
    // the city is above the district: it may draft the profile too
    expect(ok.json()).toMatchObject({
      status: 'approved',
      approvedHash: fixed.json().contentHash,
      actions: ['profile', 'link'],
    });
    // klmy sees it approved, and may now draft its public profile
    const own = (await klmy.get(`/api/v1/exemplars/${e.id}`)).json();
    expect(own.actions).toEqual(['profile', 'link']);
    // approved but not yet public: another district still does not see it
    expect((await dsz.get(`/api/v1/exemplars/${e.id}`)).statusCode).toBe(404);
    const put = await klmy.request('PUT', `/api/v1/exemplars/${e.id}`, {
      ...nomination('陈淑珍'),
      version: own.version,
    });
    expect(put.json().code).toBe('illegal_action');
  });
});

describe('publication through the confidentiality review', () => {
  it('checks the deeds like any public text, and publishes only the frozen profile', async () => {
    const e = await approved('周建军', {
      type: 'veteran',
      deeds: [paragraph('退役前在 32145部队 服役，现带领社区退役军人服务站。')],
    });
    const seen = (await klmy.get(`/api/v1/exemplars/${e.id}`)).json();
    expect(seen.findings).toContainEqual(
      expect.objectContaining({ rule: 'designation.code_number', where: 'body', block: 0, severity: 'block' }),
    );
    const prof = await klmy.post(`/api/v1/exemplars/${e.id}/profile`, { version: seen.version });
    expect(prof.statusCode, prof.body).toBe(200);
    const itemId = prof.json().profile.itemId as string;
    expect(prof.json()).toMatchObject({ status: 'approved', profile: { status: 'draft', approvedHash: null } });
    expect(prof.json().links).toMatchObject([{ itemId, profile: true }]);
    // the profile is a publicity item: the same checks, the same two-sided review
    const item = (await klmy.get(`/api/v1/publicity-items/${itemId}`)).json();
    expect(item.title).toBe('最美退役军人：周建军');
    expect(item.mentionsTroops).toBe(true);
    expect(item.findings.map((f: { rule: string }) => f.rule)).toContain('designation.code_number');
    let v = (await klmy.post(`/api/v1/publicity-items/${itemId}/submit`, { version: item.version })).json().version;
    v = (await city.post(`/api/v1/publicity-items/${itemId}/review`, { version: v, decision: 'approve' })).json()
      .version;
    const blocked = await jfq.post(`/api/v1/publicity-items/${itemId}/review`, { version: v, decision: 'approve' });
    expect(blocked.json().code).toBe('findings_block');
    const back = await jfq.post(`/api/v1/publicity-items/${itemId}/review`, {
      version: v,
      decision: 'return',
      comment: '删去部队代号',
    });
    const fixedBody = [paragraph('周建军常年照顾军属老人'), paragraph('退役后带领社区退役军人服务站。')];
    const fixed = await klmy.request('PUT', `/api/v1/publicity-items/${itemId}`, {
      kind: 'article',
      title: item.title,
      body: fixedBody,
      outlets: ['city_tv'],
      mentionsTroops: true,
      version: back.json().version,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    v = (await klmy.post(`/api/v1/publicity-items/${itemId}/submit`, { version: fixed.json().version })).json().version;
    v = (await city.post(`/api/v1/publicity-items/${itemId}/review`, { version: v, decision: 'approve' })).json()
      .version;
    const frozen = (
      await jfq.post(`/api/v1/publicity-items/${itemId}/review`, { version: v, decision: 'approve' })
    ).json();
    expect(frozen.status).toBe('approved');
    // approved but unpublished: still not public
    expect((await dsz.get(`/api/v1/exemplars/${e.id}`)).statusCode).toBe(404);

    // a change behind the service's back is never published
    await env.p.handle.db
      .updateTable('atmosphere_items')
      .set({ body: JSON.stringify([paragraph('32145部队')]) })
      .where('id', '=', itemId)
      .execute();
    const refused = await klmy.post(`/api/v1/publicity-items/${itemId}/publish`, {
      version: frozen.version,
      outlet: 'city_tv',
      ref: '克拉玛依新闻',
      on: '2026-06-01',
    });
    expect(refused.json().code).toBe('hash_mismatch');
    expect((await dsz.get(`/api/v1/exemplars/${e.id}`)).statusCode).toBe(404);
    await env.p.handle.db
      .updateTable('atmosphere_items')
      .set({ body: JSON.stringify(fixedBody) })
      .where('id', '=', itemId)
      .execute();
    const out = await klmy.post(`/api/v1/publicity-items/${itemId}/publish`, {
      version: frozen.version,
      outlet: 'city_tv',
      ref: '克拉玛依新闻',
      on: '2026-06-01',
    });
    expect(out.statusCode, out.body).toBe(200);

    // now public: another district sees it in the register, without the personal data
    const pub = await dsz.get(`/api/v1/exemplars/${e.id}`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({
      status: 'published',
      publishedOn: '2026-06-01',
      actions: [],
      profile: { status: 'published', contentHash: frozen.approvedHash, approvedHash: frozen.approvedHash },
    });
    const reg = (await dsz.get('/api/v1/exemplars?year=2026&type=veteran&status=published')).json();
    expect(reg.items.map((i: { id: string }) => i.id)).toEqual([e.id]);
  });

  it('links the publicity items about an exemplar, each shown to whoever sees the item', async () => {
    const e = await approved('孙丽娟');
    const item = await klmy.post('/api/v1/publicity-items', {
      kind: 'article',
      title: '孙丽娟：军属的贴心人',
      body: [paragraph('社区志愿者孙丽娟的故事。')],
      outlets: [],
    });
    const linked = await klmy.post(`/api/v1/exemplars/${e.id}/items`, { itemId: item.json().id });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().links).toMatchObject([{ title: '孙丽娟：军属的贴心人', profile: false, status: 'draft' }]);
    expect((await klmy.post(`/api/v1/exemplars/${e.id}/items`, { itemId: item.json().id })).json().code).toBe(
      'already_linked',
    );
    // an item dsz cannot see is not linkable by dsz; klmy's exemplar is not dsz's to link
    expect((await dsz.post(`/api/v1/exemplars/${e.id}/items`, { itemId: item.json().id })).statusCode).toBe(404);
    const gone = await klmy.request('DELETE', `/api/v1/exemplars/${e.id}/items/${item.json().id}`);
    expect(gone.json().links).toEqual([]);
  });
});

describe('the register', () => {
  it('filters by year and type, and exports the caller’s view as xlsx without personal data', async () => {
    await nominate(
      dsz,
      nomination('独山子模范家庭', { type: 'model_family', subject: 'family', year: 2025, phone: '13812345678' }),
    );
    const list = (await dsz.get('/api/v1/exemplars?year=2025&type=model_family')).json();
    expect(list.items.map((i: { name: string }) => i.name)).toEqual(['独山子模范家庭']);
    const res = await dsz.get('/api/v1/exemplars/export?year=2025');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
    expect(rows[0]).toEqual(['年度', '类别', '对象', '名称', '简要事迹', '推荐单位', '所涉单位', '状态', '公开日期']);
    expect(rows.slice(1).map((r) => r[3])).toEqual(['独山子模范家庭']);
    expect(JSON.stringify(rows)).not.toContain('1381');
  });
});

describe('a campaign task’s progress and the model-city evidence', () => {
  it('counts the exemplars a district had approved for the campaign, and files one as evidence', async () => {
    const made = await city.post('/api/v1/campaigns', {
      title: '双拥典型推荐',
      issuers: ['市双拥办'],
      items: [
        {
          ordinal: 1,
          title: '推荐双拥先进典型',
          tasks: [
            {
              title: '每区至少推荐两名先进典型',
              deadline: '2026-08-20',
              metricKey: 'atmosphere.exemplars.approved',
              assignTo: { groups: ['districts'] },
            },
          ],
        },
      ],
    });
    expect(made.statusCode, made.body).toBe(201);
    const issued = (
      await city.post(`/api/v1/campaigns/${made.json().id}/actions`, { version: made.json().version, action: 'issue' })
    ).json();
    const assignments: { id: string }[] = issued.items[0].tasks[0].assignments;
    const mineOf = async (c: Client) => {
      for (const a of assignments) {
        const res = await c.get(`/api/v1/assignments/${a.id}`);
        if (res.statusCode === 200) return res.json();
      }
      throw new Error('no assignment');
    };
    expect((await mineOf(klmy)).metric).toMatchObject({ key: 'atmosphere.exemplars.approved', value: 0 });
    const draft = await nominate(klmy, nomination('吴红梅', { campaignId: issued.id }));
    expect((await mineOf(klmy)).metric.value).toBe(0);
    const e = await approved('马建新', { campaignId: issued.id });
    expect((await mineOf(klmy)).metric.value).toBe(1);
    expect((await mineOf(dsz)).metric.value).toBe(0);

    const r = (await city.get('/api/v1/modelcity/readiness')).json() as {
      standards: { items: { elements: { id: string; kinds: string[] }[] }[] }[];
    };
    const el = r.standards.flatMap((s) => s.items.flatMap((i) => i.elements)).find((x) => x.kinds.includes('exemplar'));
    expect(el).toBeDefined();
    const early = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: el!.id,
      sourceKind: 'exemplar',
      sourceId: draft.id,
    });
    expect(early.json().code).toBe('not_approved');
    expect(
      (await dsz.post('/api/v1/modelcity/evidence', { elementId: el!.id, sourceKind: 'exemplar', sourceId: e.id }))
        .statusCode,
    ).toBe(404);
    // the approved exemplar is suggested for the element, and no longer once it is filed
    const suggested = async () =>
      ((await klmy.get('/api/v1/modelcity/suggestions')).json().items as { sourceKind: string; sourceId: string }[])
        .filter((x) => x.sourceKind === 'exemplar')
        .map((x) => x.sourceId);
    expect(await suggested()).toContain(e.id);
    expect(await suggested()).not.toContain(draft.id);
    const tagged = await klmy.post('/api/v1/modelcity/evidence', {
      elementId: el!.id,
      sourceKind: 'exemplar',
      sourceId: e.id,
    });
    expect(tagged.statusCode, tagged.body).toBe(201);
    expect(await suggested()).not.toContain(e.id);
    expect(tagged.json()).toMatchObject({ sourceKind: 'exemplar', title: '2026年拥军优属模范：马建新' });
  });

  it('the detail says who may tag it: the nominator once approved, never the unit it concerns', async () => {
    const draft = await nominate(
      klmy,
      nomination('部队乙', { type: 'civil_unit', subject: 'org', concernedOrgId: unitA }),
    );
    expect(draft.abilities).toEqual({ modelcityTag: false });
    const e = await approved('部队丙', { type: 'civil_unit', subject: 'org', concernedOrgId: unitA });
    expect((await klmy.get(`/api/v1/exemplars/${e.id}`)).json().abilities).toEqual({ modelcityTag: true });
    // the concerned unit sees and co-authors it and holds modelcity:write, but it is not in its scope
    const seen = await unit1.get(`/api/v1/exemplars/${e.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().abilities).toEqual({ modelcityTag: false });
    const r = (await klmy.get('/api/v1/modelcity/readiness')).json() as {
      standards: { items: { elements: { id: string; kinds: string[] }[] }[] }[];
    };
    const el = r.standards
      .flatMap((s) => s.items.flatMap((i) => i.elements))
      .find((x) => x.kinds.includes('exemplar'))!;
    const refused = await unit1.post('/api/v1/modelcity/evidence', {
      elementId: el.id,
      sourceKind: 'exemplar',
      sourceId: e.id,
    });
    expect(refused.statusCode).toBe(404);
  });
});

describe('the audit trail', () => {
  it('records every change and names the exemplar', async () => {
    const e = await approved('郑玉兰');
    const admin = await signedIn(env.app, 'auditor', '10.25.0.9');
    const res = await admin.get(`/api/v1/audit?entityType=exemplar&entityId=${e.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().items as { action: string; entityLabel: string | null }[];
    expect(rows.map((r) => r.action).sort()).toEqual(['exemplar.create', 'exemplar.review', 'exemplar.submit']);
    expect(rows.every((r) => r.entityLabel === '郑玉兰')).toBe(true);
  });
});

describe('the campaign task an exemplar serves', () => {
  it('must be a task of the exemplar’s campaign, on create and on edit', async () => {
    const a = await campaignWithTask(city, '典型推荐月');
    const b = await campaignWithTask(city, '典型宣传月');
    const e = await nominate(klmy, nomination('赵春燕', a));
    expect(e).toMatchObject({ campaignId: a.campaignId, taskId: a.taskId });
    taskRefused(
      await klmy.post('/api/v1/exemplars', nomination('错配', { campaignId: a.campaignId, taskId: b.taskId })),
    );
    taskRefused(await klmy.post('/api/v1/exemplars', nomination('无部署', { taskId: a.taskId })));
    const url = `/api/v1/exemplars/${e.id}`;
    taskRefused(
      await klmy.request('PUT', url, { ...nomination('赵春燕', { ...a, taskId: b.taskId }), version: e.version }),
    );
    const moved = await klmy.request('PUT', url, { ...nomination('赵春燕', b), version: e.version });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ campaignId: b.campaignId, taskId: b.taskId });
  });
});
