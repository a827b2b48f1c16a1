import fs from 'node:fs';
import path from 'node:path';
import type { CampaignDashboard, CampaignDetail } from '@shuangyong/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijing, zipText } from './campaigns-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

/**
 * A small campaign with known outcomes, so every number of the matrix, the export and the report is
 * exact: task A to the four districts (due 20 Jan), task B to the three units (due 25 Jan), seen on
 * 21 Jan. Then supervision, templates, task edits, closing, and uploads that must be refused.
 */
let env: TestEnv;
const c: Record<string, Client> = {};
let campaign: CampaignDetail;
let taskA: CampaignDetail['items'][number]['tasks'][number];
let taskB: CampaignDetail['items'][number]['tasks'][number];

const ORGS = {
  dsz: '独山子区退役军人事务局',
  klmy: '克拉玛依区退役军人事务局',
  bjt: '白碱滩区退役军人事务局',
  weh: '乌尔禾区退役军人事务局',
  unit1: '驻市部队甲',
};

async function report(user: string, taskIdx: 'A' | 'B', figures: Record<string, number>, submit = true) {
  const tk = taskIdx === 'A' ? taskA : taskB;
  const orgName = user === 'unit1' ? ORGS.unit1 : ORGS[user as keyof typeof ORGS];
  const id = tk.assignments.find((a) => a.orgName === orgName)!.id;
  const a = (await c[user]!.get(`/api/v1/assignments/${id}`)).json();
  const res = submit
    ? await c[user]!.post(`/api/v1/assignments/${id}/submit`, { version: a.version, narrative: '已完成', figures })
    : await c[user]!.request('PUT', `/api/v1/assignments/${id}/draft`, { version: a.version, narrative: '办理中' });
  expect(res.statusCode, `${user} ${taskIdx}`).toBe(200);
  return res.json();
}

async function accept(id: string, version: number) {
  const res = await c.city!.post(`/api/v1/assignments/${id}/review`, { version, decision: 'accept' });
  expect(res.statusCode).toBe(200);
}

beforeAll(async () => {
  env = await testEnv();
  env.services.campaigns.clock.now = () => beijing('2025-01-15T10:00:00');
  for (const [i, u] of ['city', 'klmy', 'dsz', 'bjt', 'weh', 'unit1', 'leader'].entries())
    c[u] = await signedIn(env.app, u, `10.8.0.${i + 1}`);
  const res = await c.city!.post('/api/v1/campaigns', {
    title: '关于做好2025年元旦春节期间双拥工作的通知',
    docNumber: '克退役军人发〔2025〕3号',
    issuers: ['克拉玛依市退役军人事务局', '克拉玛依军分区政治工作部'],
    kind: 'spring_festival',
    items: [
      {
        ordinal: 1,
        title: '关心关爱优抚对象',
        tasks: [
          {
            title: '走访慰问优抚对象',
            deadline: '2025-01-20',
            figures: [{ key: 'households', label: '走访户数', unit: '户' }],
            assignTo: { groups: ['districts'] },
          },
        ],
      },
      {
        ordinal: 2,
        title: '支持部队参与地方建设',
        tasks: [{ title: '开展义务巡诊', deadline: '2025-01-25', assignTo: { groups: ['units'] } }],
      },
    ],
  });
  expect(res.statusCode).toBe(201);
  const issued = await c.city!.post(`/api/v1/campaigns/${res.json().id}/actions`, { version: 1, action: 'issue' });
  campaign = issued.json();
  [taskA, taskB] = campaign.items.flatMap((i) => i.tasks) as [typeof taskA, typeof taskB];
  for (const [u, n] of [
    ['klmy', 10],
    ['dsz', 5],
  ] as const) {
    const a = await report(u, 'A', { households: n });
    await accept(a.id, a.version);
  }
  await report('bjt', 'A', { households: 7 }); // submitted, not yet reviewed
  const b = await report('unit1', 'B', {});
  await accept(b.id, b.version);
  const unitB = taskB.assignments.find((a) => a.orgName === '驻市部队乙')!;
  await env.p.handle.db
    .updateTable('campaign_assignments')
    .set({ status: 'in_progress' })
    .where('id', '=', unitB.id)
    .execute();
  env.services.campaigns.clock.now = () => beijing('2025-01-21T09:00:00');
});
afterAll(async () => env?.close());

describe('the completion matrix', () => {
  it('gives exact statuses, percentages, the overdue list and the district ranking', async () => {
    const d = (await c.city!.get(`/api/v1/campaigns/${campaign.id}/dashboard`)).json() as CampaignDashboard;
    expect(d.today).toBe('2025-01-21');
    expect(d.tasks.map((t) => [t.title, t.deadline])).toEqual([
      ['走访慰问优抚对象', '2025-01-20'],
      ['开展义务巡诊', '2025-01-25'],
    ]);
    expect(d.rows.map((r) => [r.orgName, r.group, r.cells.map((x) => x?.displayStatus ?? null), r.completion])).toEqual(
      [
        [ORGS.dsz, 'district', ['accepted', null], 100],
        [ORGS.klmy, 'district', ['accepted', null], 100],
        [ORGS.bjt, 'district', ['submitted', null], 0],
        [ORGS.weh, 'district', ['overdue', null], 0],
        ['驻市部队甲', 'unit', [null, 'accepted'], 100],
        ['驻市部队乙', 'unit', [null, 'in_progress'], 0],
        ['驻市部队丙', 'unit', [null, 'not_started'], 0],
      ],
    );
    expect(d.totals).toEqual({
      assigned: 7,
      byStatus: { not_started: 1, in_progress: 1, submitted: 1, returned: 0, accepted: 3, overdue: 1 },
      completion: 42.9,
    });
    expect(d.overdue).toEqual([
      {
        assignmentId: taskA.assignments.find((a) => a.orgName === ORGS.weh)!.id,
        orgName: ORGS.weh,
        taskTitle: '走访慰问优抚对象',
        deadline: '2025-01-20',
        daysOverdue: 1,
      },
    ]);
    expect(d.ranking.map((r) => [r.rank, r.orgName, r.completion, r.reported, r.overdue])).toEqual([
      [1, ORGS.dsz, 100, 1, 0],
      [1, ORGS.klmy, 100, 1, 0],
      [3, ORGS.bjt, 0, 1, 0],
      [4, ORGS.weh, 0, 0, 1],
    ]);
    const listed = (await c.city!.get('/api/v1/campaigns')).json().items[0];
    expect(listed.counts).toEqual({ assigned: 7, accepted: 3, submitted: 1, overdue: 1, completion: 42.9 });
    expect(listed.firstDeadline).toBe('2025-01-20');
  });

  it('shows a district only its own row', async () => {
    const d = (await c.klmy!.get(`/api/v1/campaigns/${campaign.id}/dashboard`)).json() as CampaignDashboard;
    expect(d.rows.map((r) => r.orgName)).toEqual([ORGS.klmy]);
    expect(d.tasks).toHaveLength(1);
    expect(d.ranking.map((r) => r.orgName)).toEqual([ORGS.klmy]);
  });

  it('exports the matrix as xlsx', async () => {
    const res = await c.leader!.get(`/api/v1/campaigns/${campaign.id}/matrix.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(
      encodeURIComponent('关于做好2025年元旦春节期间双拥工作的通知-完成情况.xlsx'),
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([
      '单位',
      '类别',
      '走访慰问优抚对象（2025-01-20）',
      '开展义务巡诊（2025-01-25）',
      '完成率',
    ]);
    expect(values(5)).toEqual([ORGS.weh, '区', '已逾期', '—', '0%']);
    expect(values(6)).toEqual(['驻市部队甲', '驻市部队', '—', '已通过', '100%']);
    expect([values(9)[0], values(9)[4]]).toEqual(['合计', '42.9%']);
  });

  it('writes the 工作情况报告 as DOCX with the figures of the accepted reports', async () => {
    const res = await c.city!.get(`/api/v1/campaigns/${campaign.id}/report.docx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('2025年元旦春节期间双拥工作情况报告.docx'));
    const xml = zipText(res.rawPayload, 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(xml).toContain('2025年元旦春节期间双拥工作情况报告');
    expect(xml).toContain(
      '克拉玛依市退役军人事务局、克拉玛依军分区政治工作部联合下发《关于做好2025年元旦春节期间双拥工作的通知》（克退役军人发〔2025〕3号）',
    );
    expect(xml).toContain('共7项填报任务');
    expect(xml).toContain('完成率42.9%');
    expect(xml).toContain('走访慰问优抚对象：应报4个单位，已审核通过2个；走访户数合计15户。');
    expect(xml).toContain('乌尔禾区退役军人事务局“走访慰问优抚对象”（逾期1天）');
    expect(xml).toContain('第1名独山子区退役军人事务局（100%）');
    const exports = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'campaign.export')
      .execute();
    expect(exports.map((e) => JSON.parse(e.changes!).format)).toEqual(['xlsx', 'docx']);
  });
});

describe('supervision', () => {
  it('records an inspection whose rectification items are answered, sent back, and closed', async () => {
    const bjtId = await orgId(env.p, '650200/650204/');
    const notAssignee = await c.city!.post(`/api/v1/campaigns/${campaign.id}/inspections`, {
      orgId: await orgId(env.p, '650200/jyj/'),
      inspectedOn: '2025-01-21',
      inspectors: '市局督导组',
      findings: '—',
    });
    expect(notAssignee.statusCode).toBe(400);
    const res = await c.city!.post(`/api/v1/campaigns/${campaign.id}/inspections`, {
      orgId: bjtId,
      inspectedOn: '2025-01-21',
      inspectors: '市局督导组、军分区政治工作部',
      findings: '走访台账不全，部分慰问金发放未签字。',
      rectifications: [
        { description: '补齐走访台账', deadline: '2025-01-25' },
        { description: '补签慰问金发放表', deadline: '2025-01-25' },
      ],
    });
    expect(res.statusCode).toBe(201);
    const [r1, r2] = res.json().rectifications;
    expect(res.json()).toMatchObject({ orgName: ORGS.bjt, closed: false });
    expect((await c.klmy!.get(`/api/v1/inspections/${res.json().id}`)).statusCode).toBe(404);
    expect(
      (await c.klmy!.post(`/api/v1/rectifications/${r1.id}/respond`, { version: 1, response: 'x' })).statusCode,
    ).toBe(404);
    const early = await c.city!.post(`/api/v1/rectifications/${r1.id}/review`, { version: 1, decision: 'close' });
    expect(early.statusCode).toBe(409);
    expect(early.json().allowed).toEqual(['respond']);
    await c.bjt!.post(`/api/v1/rectifications/${r1.id}/respond`, { version: 1, response: '台账已补齐' });
    await c.bjt!.post(`/api/v1/rectifications/${r2.id}/respond`, { version: 1, response: '已补签' });
    const back = await c.city!.post(`/api/v1/rectifications/${r2.id}/review`, { version: 2, decision: 'reopen' });
    expect(back.statusCode).toBe(400);
    const reopened = await c.city!.post(`/api/v1/rectifications/${r2.id}/review`, {
      version: 2,
      decision: 'reopen',
      reason: '仍缺 3 户签字',
    });
    expect(reopened.json().rectifications[1]).toMatchObject({ status: 'open', reopenReason: '仍缺 3 户签字' });
    await c.bjt!.post(`/api/v1/rectifications/${r2.id}/respond`, { version: 3, response: '全部补签' });
    await c.city!.post(`/api/v1/rectifications/${r1.id}/review`, { version: 2, decision: 'close' });
    const done = await c.city!.post(`/api/v1/rectifications/${r2.id}/review`, { version: 4, decision: 'close' });
    expect(done.json()).toMatchObject({ closed: true });
    expect(done.json().rectifications.map((r: { status: string }) => r.status)).toEqual(['closed', 'closed']);
    const d = (await c.city!.get(`/api/v1/campaigns/${campaign.id}/dashboard`)).json();
    expect(d.inspections).toEqual({ total: 1, openRectifications: 0 });
    expect((await c.bjt!.get(`/api/v1/campaigns/${campaign.id}/inspections`)).json()).toHaveLength(1);
    expect((await c.klmy!.get(`/api/v1/campaigns/${campaign.id}/inspections`)).json()).toHaveLength(0);
  });
});

describe('templates, task edits and closing', () => {
  it('copies a campaign as next year’s draft, dates moved, recipients resolved again', async () => {
    const res = await c.city!.post(`/api/v1/campaigns/${campaign.id}/copy`, {
      title: '关于做好2026年元旦春节期间双拥工作的通知',
      shiftDays: 365,
    });
    expect(res.statusCode).toBe(201);
    const copy = res.json() as CampaignDetail;
    expect(copy).toMatchObject({ status: 'draft', sourceId: campaign.id, kind: 'spring_festival', docNumber: null });
    const tasks = copy.items.flatMap((i) => i.tasks);
    expect(tasks.map((t) => [t.title, t.deadline, t.assignments.length])).toEqual([
      ['走访慰问优抚对象', '2026-01-20', 4],
      ['开展义务巡诊', '2026-01-25', 3],
    ]);
    expect(tasks.flatMap((t) => t.assignments.map((a) => a.status))).toEqual(Array(7).fill('not_started'));
  });

  it('moves a deadline for every assignee and adds recipients, but never drops issued ones', async () => {
    const jyjId = await orgId(env.p, '650200/jyj/');
    const res = await c.city!.patch(`/api/v1/tasks/${taskB.id}`, {
      version: taskB.version,
      deadline: '2025-01-28',
      assignTo: { groups: ['units'], orgIds: [jyjId] },
    });
    expect(res.statusCode).toBe(200);
    const tk = (res.json() as CampaignDetail).items[1]!.tasks[0]!;
    expect(tk.deadline).toBe('2025-01-28');
    expect(tk.assignments.map((a) => a.orgName)).toContain('市教育局');
    const rows = await env.p.handle.db
      .selectFrom('campaign_assignments')
      .select('deadline')
      .where('task_id', '=', taskB.id)
      .execute();
    expect(new Set(rows.map((r) => r.deadline))).toEqual(new Set(['2025-01-28']));
    const drop = await c.city!.patch(`/api/v1/tasks/${taskB.id}`, {
      version: tk.version,
      assignTo: { orgIds: [jyjId] },
    });
    expect(drop.statusCode).toBe(409);
    expect(drop.json().detail).toBe('已下发的任务不能移除承办单位，只能增加');
  });

  it('refuses forbidden and oversized uploads, storing nothing', async () => {
    const id = taskA.assignments.find((a) => a.orgName === ORGS.weh)!.id;
    const before = await env.p.handle.db.selectFrom('campaign_files').select('id').execute();
    const send = (buf: Buffer) =>
      c.weh!.request('POST', `/api/v1/assignments/${id}/files?fileName=a.bin`, buf, {
        'content-type': 'application/octet-stream',
      });
    const exe = await send(Buffer.from('MZ\x90\x00\x03\x00\x00\x00程序'));
    expect(exe.statusCode).toBe(415);
    expect(exe.json().detail).toBe('附件只支持 PDF、Word（docx）、Excel（xlsx）、JPEG、PNG 格式（按文件内容识别）');
    const big = await send(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(11 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/过大.*10 MB/);
    const json = await c.weh!.post(`/api/v1/assignments/${id}/files?fileName=a.pdf`, { not: 'a file' });
    expect(json.statusCode).toBe(415);
    expect(await env.p.handle.db.selectFrom('campaign_files').select('id').execute()).toEqual(before);
    const dir = path.join(env.dataDir, 'campaigns');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).length : 0).toBe(before.length);
  });

  it('closing stops reporting; a closed campaign can be reopened; a draft cannot be closed', async () => {
    const current = (await c.city!.get(`/api/v1/campaigns/${campaign.id}`)).json();
    const closed = await c.city!.post(`/api/v1/campaigns/${campaign.id}/actions`, {
      version: current.version,
      action: 'close',
    });
    expect(closed.json().status).toBe('closed');
    const id = taskA.assignments.find((a) => a.orgName === ORGS.weh)!.id;
    const a = (await c.weh!.get(`/api/v1/assignments/${id}`)).json();
    expect(a.allowed).toEqual([]);
    const late = await c.weh!.post(`/api/v1/assignments/${id}/submit`, {
      version: a.version,
      narrative: '迟报',
      figures: { households: 1 },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toBe('该工作部署尚未下发或已结束，不能办理');
    const reopened = await c.city!.post(`/api/v1/campaigns/${campaign.id}/actions`, {
      version: closed.json().version,
      action: 'reopen',
    });
    expect(reopened.json().status).toBe('issued');
    const drafts = (await c.city!.get('/api/v1/campaigns?status=draft')).json();
    const draft = drafts.items[0];
    const bad = await c.city!.post(`/api/v1/campaigns/${draft.id}/actions`, {
      version: draft.version,
      action: 'close',
    });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().allowed).toEqual(['issue']);
  });

  it('keeps the audit chain intact', async () => {
    expect((await env.p.audit.verify(env.p.handle.db)).ok).toBe(true);
  });
});
