import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageMetadata } from '../src/platform/files/image.js';
import { campaignWithTask, taskRefused } from './atmosphere-fixtures.js';
import { type Client, signedIn, type TestEnv, testEnv } from './helpers.js';
import { gradientJpeg, gradientPng, withExif, withSize } from './photo-fixtures.js';

let env: TestEnv;
let klmy: Client;
let dsz: Client;
let city: Client;
let jfq: Client;

beforeAll(async () => {
  env = await testEnv();
  [klmy, dsz, city, jfq] = await Promise.all([
    signedIn(env.app, 'klmy', '10.19.0.1'),
    signedIn(env.app, 'dsz', '10.19.0.2'),
    signedIn(env.app, 'city', '10.19.0.3'),
    signedIn(env.app, 'jfq', '10.19.0.4'),
  ]);
});
afterAll(async () => env?.close());

const paragraph = (text: string) => ({ type: 'paragraph' as const, text });
const draft = (title: string, text: string, extra: Record<string, unknown> = {}) => ({
  kind: 'article',
  title,
  body: [paragraph(text)],
  outlets: ['city_tv'],
  ...extra,
});

async function create(c: Client, body: unknown) {
  const res = await c.post('/api/v1/publicity-items', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('scope', () => {
  it('a district never sees another district’s drafts; the city does', async () => {
    const item = await create(klmy, draft('克拉玛依区春联送军属', '社区志愿者为军属写春联。'));
    expect(item.status).toBe('draft');
    expect(item.actions).toEqual(['edit', 'photos', 'submit']);
    expect((await dsz.get(`/api/v1/publicity-items/${item.id}`)).statusCode).toBe(404);
    const list = (await dsz.get('/api/v1/publicity-items')).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
    expect((await city.get(`/api/v1/publicity-items/${item.id}`)).json().title).toBe('克拉玛依区春联送军属');
    const submit = await dsz.post(`/api/v1/publicity-items/${item.id}/submit`, { version: 1 });
    expect(submit.statusCode).toBe(404);
  });

  it('refuses HTML in place of structured content', async () => {
    const res = await klmy.post('/api/v1/publicity-items', {
      kind: 'article',
      title: '标题',
      body: '<p>正文</p>',
      outlets: [],
    });
    expect(res.statusCode).toBe(400);
    const bad = await klmy.post('/api/v1/publicity-items', {
      kind: 'article',
      title: '标题',
      body: [{ type: 'html', html: '<script>alert(1)</script>' }],
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the rule list', () => {
  let ruleId: string;

  it('is edited by the 军分区 only; civilians never see its military-only rules', async () => {
    const rule = {
      code: 'designation.military.eagle',
      category: 'designation',
      kind: 'term',
      value: '红山雄鹰连',
      label: '部队荣誉称号',
      militaryOnly: true,
    };
    expect((await klmy.post('/api/v1/confidentiality/rules', rule)).statusCode).toBe(403);
    const civil = await city.post('/api/v1/confidentiality/rules', rule);
    expect(civil.statusCode).toBe(403);
    expect(civil.json().detail).toContain('军分区');
    const made = await jfq.post('/api/v1/confidentiality/rules', rule);
    expect(made.statusCode, made.body).toBe(201);
    ruleId = made.json().id;
    const military = (await jfq.get('/api/v1/confidentiality/rules')).json().items;
    expect(military.map((r: { code: string }) => r.code)).toContain('designation.military.eagle');
    for (const c of [city, klmy]) {
      const rules = (await c.get('/api/v1/confidentiality/rules')).json().items;
      expect(rules.length).toBeGreaterThan(5);
      expect(rules.some((r: { militaryOnly: boolean }) => r.militaryOnly)).toBe(false);
      expect(JSON.stringify(rules)).not.toContain('红山雄鹰连');
    }
    // the audit trail (read by civilian auditors) does not carry the military list's value
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('entity_id', '=', ruleId)
      .executeTakeFirstOrThrow();
    expect(String(audit.changes)).not.toContain('红山雄鹰连');
  });

  it('applies a military-only rule to a civilian’s text without naming it to them', async () => {
    const civil = (await klmy.post('/api/v1/confidentiality/check', { text: '红山雄鹰连来到社区' })).json();
    expect(civil.findings).toMatchObject([{ rule: 'military_list', category: 'designation', match: '红山雄鹰连' }]);
    const military = (await jfq.post('/api/v1/confidentiality/check', { text: '红山雄鹰连来到社区' })).json();
    expect(military.findings[0].rule).toBe('designation.military.eagle');
  });

  it('refuses a pattern that does not compile, and stale edits', async () => {
    const bad = await jfq.post('/api/v1/confidentiality/rules', {
      code: 'designation.broken',
      category: 'designation',
      kind: 'pattern',
      value: '(第',
      label: '坏规则',
    });
    expect(bad.statusCode).toBe(400);
    const off = await jfq.patch(`/api/v1/confidentiality/rules/${ruleId}`, { version: 1, active: false });
    expect(off.json()).toMatchObject({ active: false, version: 2 });
    expect((await jfq.patch(`/api/v1/confidentiality/rules/${ruleId}`, { version: 1, active: true })).statusCode).toBe(
      409,
    );
    expect((await klmy.post('/api/v1/confidentiality/check', { text: '红山雄鹰连来到社区' })).json().findings).toEqual(
      [],
    );
  });
});

describe('the two-sided review and the frozen version', () => {
  let id: string;
  let version: number;

  it('flags a designation in place; the author’s side returns it; the author may not review it', async () => {
    const item = await create(
      klmy,
      draft('军民共建结硕果', '驻克61234部队官兵走进社区开展义诊。', { mentionsTroops: true }),
    );
    id = item.id;
    expect(item.mentionsTroops).toBe(true);
    expect(item.findings).toMatchObject([
      { where: 'body', block: 0, category: 'designation', rule: 'designation.code_number', match: '61234部队' },
    ]);
    const f = item.findings[0];
    expect(item.body[0].text.slice(f.start, f.end)).toBe('61234部队');
    const sent = (await klmy.post(`/api/v1/publicity-items/${id}/submit`, { version: item.version })).json();
    expect(sent).toMatchObject({ status: 'civil_review', awaiting: 'civil' });
    expect(
      (await klmy.post(`/api/v1/publicity-items/${id}/review`, { version: sent.version, decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    // the military side waits for the civil side
    expect(
      (await jfq.post(`/api/v1/publicity-items/${id}/review`, { version: sent.version, decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    // designations are the military side's to clear: the civil side passes the item on
    const civil = await city.post(`/api/v1/publicity-items/${id}/review`, {
      version: sent.version,
      decision: 'approve',
    });
    expect(civil.json()).toMatchObject({ status: 'military_review', awaiting: 'military' });
    const blocked = await jfq.post(`/api/v1/publicity-items/${id}/review`, {
      version: civil.json().version,
      decision: 'approve',
    });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().code).toBe('findings_block');
    const noReason = await jfq.post(`/api/v1/publicity-items/${id}/review`, {
      version: civil.json().version,
      decision: 'return',
    });
    expect(noReason.statusCode).toBe(400);
    const back = await jfq.post(`/api/v1/publicity-items/${id}/review`, {
      version: civil.json().version,
      decision: 'return',
      comment: '请删去部队代号',
    });
    expect(back.json()).toMatchObject({
      status: 'returned',
      reviews: [
        { side: 'civil', decision: 'approve' },
        { side: 'military', decision: 'return' },
      ],
    });
    version = back.json().version;
  });

  it('civil approval sends an item that mentions troops to the 军分区, whose approval freezes it', async () => {
    const fixed = await klmy.request('PUT', `/api/v1/publicity-items/${id}`, {
      ...draft('军民共建结硕果', '驻市部队官兵走进社区开展义诊。', { mentionsTroops: true }),
      version,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().findings).toEqual([]);
    const sent = (await klmy.post(`/api/v1/publicity-items/${id}/submit`, { version: fixed.json().version })).json();
    const civil = (
      await city.post(`/api/v1/publicity-items/${id}/review`, { version: sent.version, decision: 'approve' })
    ).json();
    expect(civil).toMatchObject({ status: 'military_review', awaiting: 'military', approvedHash: null });
    expect(
      (await city.post(`/api/v1/publicity-items/${id}/review`, { version: civil.version, decision: 'approve' }))
        .statusCode,
    ).toBe(403);
    const approved = (
      await jfq.post(`/api/v1/publicity-items/${id}/review`, { version: civil.version, decision: 'approve' })
    ).json();
    expect(approved.status).toBe('approved');
    expect(approved.approvedHash).toBe(approved.contentHash);
    expect(approved.reviews.map((r: { side: string }) => r.side)).toEqual(['civil', 'military', 'civil', 'military']);
    version = approved.version;
  });

  it('any later edit clears the approval and sends it back; what is published equals what was approved', async () => {
    const edited = await klmy.request('PUT', `/api/v1/publicity-items/${id}`, {
      ...draft('军民共建结硕果', '驻市部队官兵走进社区开展义诊，受到居民欢迎。', { mentionsTroops: true }),
      version,
    });
    expect(edited.json()).toMatchObject({ status: 'draft', approvedHash: null });
    const early = await klmy.post(`/api/v1/publicity-items/${id}/publish`, {
      version: edited.json().version,
      outlet: 'city_tv',
      ref: 'https://tv.example.cn/1',
      on: '2026-08-01',
    });
    expect(early.statusCode).toBe(409);
    let v = (await klmy.post(`/api/v1/publicity-items/${id}/submit`, { version: edited.json().version })).json()
      .version;
    v = (await city.post(`/api/v1/publicity-items/${id}/review`, { version: v, decision: 'approve' })).json().version;
    const approved = (
      await jfq.post(`/api/v1/publicity-items/${id}/review`, { version: v, decision: 'approve' })
    ).json();
    // a frozen version tampered with behind the service's back is not published
    await env.p.handle.db.updateTable('atmosphere_items').set({ title: '被改动的标题' }).where('id', '=', id).execute();
    const tampered = await klmy.post(`/api/v1/publicity-items/${id}/publish`, {
      version: approved.version,
      outlet: 'city_tv',
      ref: 'https://tv.example.cn/1',
      on: '2026-08-01',
    });
    expect(tampered.statusCode).toBe(409);
    expect(tampered.json().code).toBe('hash_mismatch');
    await env.p.handle.db
      .updateTable('atmosphere_items')
      .set({ title: '军民共建结硕果' })
      .where('id', '=', id)
      .execute();
    const out = await klmy.post(`/api/v1/publicity-items/${id}/publish`, {
      version: approved.version,
      outlet: 'city_tv',
      ref: 'https://tv.example.cn/1',
      on: '2026-08-01',
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ status: 'published', publishedOutlet: 'city_tv', publishedOn: '2026-08-01' });
    expect(out.json().contentHash).toBe(approved.approvedHash);
    // published: every district sees it, nobody edits it
    expect((await dsz.get(`/api/v1/publicity-items/${id}`)).json().actions).toEqual([]);
    const again = await klmy.request('PUT', `/api/v1/publicity-items/${id}`, {
      ...draft('改', '改'),
      version: out.json().version,
    });
    expect(again.statusCode).toBe(409);
  });

  it('approve with edits freezes the reviewer’s version; an item without troops needs the civil side only', async () => {
    const item = await create(klmy, draft('社区春联', '军属刘芳家住准噶尔路12号3栋2单元401室，社区为她送去春联。'));
    expect(item.mentionsTroops).toBe(false);
    expect(item.findings.map((f: { category: string }) => f.category)).toEqual(['personal']);
    const sent = (await klmy.post(`/api/v1/publicity-items/${item.id}/submit`, { version: item.version })).json();
    const res = await city.post(`/api/v1/publicity-items/${item.id}/review`, {
      version: sent.version,
      decision: 'approve_edited',
      comment: '删去住址',
      edited: { title: '社区春联', body: [paragraph('社区为军属送去春联。')] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', findings: [] });
    expect(res.json().approvedHash).toBe(res.json().contentHash);
    expect(res.json().body).toEqual([paragraph('社区为军属送去春联。')]);
    expect(res.json().reviews).toMatchObject([
      { side: 'civil', decision: 'approve_edited', contentHash: res.json().contentHash },
    ]);
  });
});

describe('photos', () => {
  it('flags the GPS of the original, stores the photo without it, and a new photo sends an approved item back', async () => {
    const item = await create(klmy, draft('社区书画展', '社区举办书画展，居民踊跃参观。'));
    const upload = (query: string, file: Buffer) =>
      klmy.request('POST', `/api/v1/publicity-items/${item.id}/photos?${query}`, file, {
        'content-type': 'application/octet-stream',
      });
    const res = await upload('fileName=a.jpg&caption=%E5%B1%95%E5%8E%85', withExif(gradientJpeg(32, 32)));
    expect(res.statusCode, res.body).toBe(200);
    const photo = res.json().photos[0];
    expect(photo).toMatchObject({ fileName: 'a.jpg', caption: '展厅', gps: true });
    expect(res.json().findings).toMatchObject([
      { where: 'photo', photoId: photo.id, rule: 'image.gps', severity: 'block' },
    ]);
    expect(res.json().contentHash).not.toBe(item.contentHash);
    const stored = fs.readFileSync(path.join(env.dataDir, 'publicity', `${photo.id}.img`));
    expect(imageMetadata(stored).gps).toBe(false);
    const served = await klmy.get(`/api/v1/publicity-items/${item.id}/photos/${photo.id}`);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.equals(stored)).toBe(true);
    expect((await dsz.get(`/api/v1/publicity-items/${item.id}/photos/${photo.id}`)).statusCode).toBe(404);
    expect((await upload('fileName=x.txt', Buffer.from('not an image'))).statusCode).toBe(415);
    // the platform's one pixel limit holds here as on every upload route (issue 13 item 6)
    const bomb = await upload('fileName=b.png', withSize(gradientPng(8, 8), 30000, 30000));
    expect(bomb.statusCode).toBe(400);
    expect(bomb.json().code).toBe('image_dimensions');

    // GPS is the military side's call: the civil side passes it on, the 军分区 cannot approve it
    let v = (await klmy.post(`/api/v1/publicity-items/${item.id}/submit`, { version: res.json().version })).json()
      .version;
    const civil = (
      await city.post(`/api/v1/publicity-items/${item.id}/review`, { version: v, decision: 'approve' })
    ).json();
    expect(civil.status).toBe('military_review');
    const blocked = await jfq.post(`/api/v1/publicity-items/${item.id}/review`, {
      version: civil.version,
      decision: 'approve',
    });
    expect(blocked.json().code).toBe('findings_block');
    const removed = await klmy.request('DELETE', `/api/v1/publicity-items/${item.id}/photos/${photo.id}`);
    expect(removed.json()).toMatchObject({ status: 'draft', photos: [], findings: [] });
    const clean = await upload('fileName=b.jpg&showsServiceMembers=true', gradientJpeg(32, 32));
    expect(clean.json().findings).toMatchObject([{ rule: 'image.service_members', severity: 'review' }]);
    v = (await klmy.post(`/api/v1/publicity-items/${item.id}/submit`, { version: clean.json().version })).json()
      .version;
    const confirm = await city.post(`/api/v1/publicity-items/${item.id}/review`, { version: v, decision: 'approve' });
    expect(confirm.statusCode).toBe(200); // a photo of service members makes it the military side's
    v = confirm.json().version;
    const needsLook = await jfq.post(`/api/v1/publicity-items/${item.id}/review`, { version: v, decision: 'approve' });
    expect(needsLook.json().code).toBe('findings_confirm');
    const ok = await jfq.post(`/api/v1/publicity-items/${item.id}/review`, {
      version: v,
      decision: 'approve',
      confirmReviewed: true,
    });
    expect(ok.json()).toMatchObject({ status: 'approved' });
    const again = await upload('fileName=c.jpg', gradientJpeg(24, 24));
    expect(again.json()).toMatchObject({ status: 'draft', approvedHash: null });
  });
});

describe('the campaign task’s progress', () => {
  it('counts the items of the campaign an org has published, for its own region', async () => {
    const made = await city.post('/api/v1/campaigns', {
      title: '双拥宣传月',
      issuers: ['市双拥办'],
      items: [
        {
          ordinal: 1,
          title: '宣传双拥先进典型',
          tasks: [
            {
              title: '每区至少发布两篇典型宣传稿件',
              deadline: '2026-08-20',
              metricKey: 'atmosphere.publicity.published',
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
    expect((await mineOf(klmy)).metric).toMatchObject({ key: 'atmosphere.publicity.published', value: 0 });

    const item = await create(klmy, draft('典型宣传', '社区为军属送去春联。', { campaignId: issued.id }));
    let v = (await klmy.post(`/api/v1/publicity-items/${item.id}/submit`, { version: item.version })).json().version;
    v = (await city.post(`/api/v1/publicity-items/${item.id}/review`, { version: v, decision: 'approve' })).json()
      .version;
    const out = await klmy.post(`/api/v1/publicity-items/${item.id}/publish`, {
      version: v,
      outlet: 'gov_new_media',
      ref: 'https://news.example.cn/2',
      on: '2026-08-02',
    });
    expect(out.json().status).toBe('published');
    expect((await mineOf(klmy)).metric.value).toBe(1);
    expect((await mineOf(dsz)).metric.value).toBe(0);
  });
});

describe('the campaign task an item serves', () => {
  it('must be a task of the item’s campaign, on create and on edit', async () => {
    const a = await campaignWithTask(city, '双拥宣传月');
    const b = await campaignWithTask(city, '拥军优属月');
    const item = await create(klmy, draft('宣传稿', '社区为军属送去春联。', a));
    expect(item).toMatchObject({ campaignId: a.campaignId, taskId: a.taskId });
    taskRefused(
      await klmy.post('/api/v1/publicity-items', draft('错配', '内容', { campaignId: a.campaignId, taskId: b.taskId })),
    );
    taskRefused(await klmy.post('/api/v1/publicity-items', draft('无部署', '内容', { taskId: a.taskId })));
    const url = `/api/v1/publicity-items/${item.id}`;
    taskRefused(
      await klmy.request('PUT', url, { ...draft('改', '内容', { ...a, taskId: b.taskId }), version: item.version }),
    );
    const moved = await klmy.request('PUT', url, { ...draft('改', '内容', b), version: item.version });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ campaignId: b.campaignId, taskId: b.taskId });
  });
});
