import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { gradientJpeg, withExif } from './photo-fixtures.js';

let env: TestEnv;
let unit1: Client;
let jfq: Client;
let klmy: Client;
let dsz: Client;
let city: Client;
let youyi: string;
let unitB: string;

const NAMES = ['王秘密', '李机密'];
const NOTE = '军方备注：仅限军方知悉的安排';

beforeAll(async () => {
  env = await testEnv();
  [unit1, jfq, klmy, dsz, city] = await Promise.all([
    signedIn(env.app, 'unit1', '10.20.0.1'),
    signedIn(env.app, 'jfq', '10.20.0.2'),
    signedIn(env.app, 'klmy', '10.20.0.3'),
    signedIn(env.app, 'dsz', '10.20.0.4'),
    signedIn(env.app, 'city', '10.20.0.5'),
  ]);
  youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
  unitB = await orgId(env.p, '650200/jfq/unit-b/');
});
afterAll(async () => env?.close());

const clinic = (extra: Record<string, unknown> = {}) => ({
  type: 'free_clinic',
  occurredOn: '2026-11-20',
  durationMinutes: 180,
  placeKind: 'community',
  placeOrgId: youyi,
  placeName: '友谊社区活动中心',
  participants: 8,
  participantNames: NAMES,
  militaryNote: NOTE,
  reached: { elderly: 30, public: 45 },
  patientsSeen: 75,
  serviceMinutes: 1440,
  counterpartOrg: '友谊社区居委会',
  counterpartContact: '社区主任 0990-6221234',
  summary: '为社区老人测量血压、发放常用药品。',
  ...extra,
});

async function record(c: Client, body: unknown) {
  const res = await c.post('/api/v1/troop-activities', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('activities: scope and sides', () => {
  let id: string;

  it('a unit records a free clinic; it sees the military-only fields, once per client key', async () => {
    const clientKey = '0190a0a0-0000-7000-8000-0000000000aa';
    const a = await record(unit1, clinic({ clientKey }));
    id = a.id;
    expect(a).toMatchObject({
      orgName: '驻市部队甲',
      typeLabel: '义务巡诊',
      placeOrgName: '友谊社区退役军人服务站',
      participants: 8,
      participantNames: NAMES,
      militaryNote: NOTE,
      reachedTotal: 75,
      actions: ['edit', 'photos', 'withdraw'],
    });
    const again = await unit1.post('/api/v1/troop-activities', clinic({ clientKey }));
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(id);
    const list = (await unit1.get('/api/v1/troop-activities')).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([id]);
  });

  it('the district where it happened sees it without the military-only fields (absent, not blanked)', async () => {
    const detail = await klmy.get(`/api/v1/troop-activities/${id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).not.toHaveProperty('participantNames');
    expect(detail.json()).not.toHaveProperty('militaryNote');
    expect(detail.json()).toMatchObject({ participants: 8, patientsSeen: 75, actions: [] });
    const list = await klmy.get('/api/v1/troop-activities');
    for (const body of [detail.body, list.body]) {
      for (const n of NAMES) expect(body).not.toContain(n);
      expect(body).not.toContain(NOTE);
    }
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(id);
    // the city (civilian, whole city) likewise
    const cityView = await city.get(`/api/v1/troop-activities/${id}`);
    expect(cityView.body).not.toContain(NAMES[0]);
    expect(cityView.json()).not.toHaveProperty('militaryNote');
  });

  it('another district never sees it; the 军分区 sees every unit’s with the military-only fields', async () => {
    expect((await dsz.get(`/api/v1/troop-activities/${id}`)).statusCode).toBe(404);
    expect((await dsz.get('/api/v1/troop-activities')).json().total).toBe(0);
    const j = (await jfq.get(`/api/v1/troop-activities/${id}`)).json();
    expect(j.participantNames).toEqual(NAMES);
    expect(j.actions).toEqual(['edit', 'photos', 'withdraw']);
  });

  it('a unit never sees another unit’s activities; the 军分区 records for any unit', async () => {
    const b = await record(jfq, clinic({ orgId: unitB, type: 'education_aid', summary: '为学校捐赠图书。' }));
    expect(b.orgName).toBe('驻市部队乙');
    expect((await unit1.get(`/api/v1/troop-activities/${b.id}`)).statusCode).toBe(404);
    expect((await unit1.get('/api/v1/troop-activities')).json().items.map((i: { id: string }) => i.id)).not.toContain(
      b.id,
    );
    expect((await unit1.patch(`/api/v1/troop-activities/${b.id}`, { version: 1, participants: 1 })).statusCode).toBe(
      404,
    );
    // and a unit cannot record in another unit's name
    const other = await unit1.post('/api/v1/troop-activities', clinic({ orgId: unitB }));
    expect(other.statusCode).toBe(400);
    const all = (await jfq.get('/api/v1/troop-activities')).json();
    expect(all.total).toBe(2);
    const onlyB = (await jfq.get(`/api/v1/troop-activities?orgId=${unitB}`)).json();
    expect(onlyB.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
  });

  it('only the military side records; civilians cannot', async () => {
    const res = await city.post('/api/v1/troop-activities', clinic());
    expect(res.statusCode).toBe(403);
    expect((await klmy.post('/api/v1/troop-activities', clinic())).statusCode).toBe(403);
  });

  it('never the unit’s own location: the place is a civilian area, and public text passes the checks', async () => {
    const own = await unit1.post(
      '/api/v1/troop-activities',
      clinic({ placeOrgId: await orgId(env.p, '650200/jfq/unit-a/') }),
    );
    expect(own.statusCode).toBe(400);
    expect(own.json().code).toBe('place_not_civil');
    const barracks = await unit1.post('/api/v1/troop-activities', clinic({ placeName: '营区位于友谊路12号东侧' }));
    expect(barracks.statusCode).toBe(400);
    expect(barracks.json().code).toBe('confidentiality');
    const strength = await unit1.post('/api/v1/troop-activities', clinic({ summary: '我部120名官兵参加巡诊。' }));
    expect(strength.json().code).toBe('confidentiality');
    // military-only text is not read by civilians, so it is not refused
    const note = await unit1.post('/api/v1/troop-activities', clinic({ militaryNote: '营区位于友谊路12号东侧' }));
    expect(note.statusCode).toBe(201);
    await unit1.post(`/api/v1/troop-activities/${note.json().id}/withdraw`, { version: 1, reason: '测试' });
  });

  it('edits keep the version; a stale edit is 409; a withdrawn activity leaves the lists', async () => {
    const a = await record(unit1, clinic({ type: 'customs_reform', summary: '宣传移风易俗。' }));
    const ok = await unit1.patch(`/api/v1/troop-activities/${a.id}`, { version: 1, participants: 5 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ participants: 5, version: 2 });
    const stale = await unit1.patch(`/api/v1/troop-activities/${a.id}`, { version: 1, participants: 6 });
    expect(stale.statusCode).toBe(409);
    const w = await unit1.post(`/api/v1/troop-activities/${a.id}/withdraw`, { version: 2, reason: '重复录入' });
    expect(w.json().status).toBe('withdrawn');
    expect((await unit1.get('/api/v1/troop-activities?type=customs_reform')).json().total).toBe(0);
    expect((await unit1.patch(`/api/v1/troop-activities/${a.id}`, { version: 3, participants: 6 })).statusCode).toBe(
      409,
    );
  });
});

describe('photos', () => {
  it('go through the checks and the upload pipeline; a military-only photo stays military', async () => {
    const a = await record(unit1, clinic({ summary: '巡诊照片测试。' }));
    const send = (q: string, data: Buffer) =>
      unit1.request('POST', `/api/v1/troop-activities/${a.id}/photos?${q}`, data, { 'content-type': 'image/jpeg' });
    const gps = withExif(gradientJpeg(32, 32));
    const first = await send(
      `fileName=${encodeURIComponent('巡诊.jpg')}&caption=${encodeURIComponent('为老人量血压')}`,
      gps,
    );
    expect(first.statusCode, first.body).toBe(201);
    const again = await send('fileName=x.jpg&caption=', gps);
    expect(again.statusCode).toBe(200);
    expect(again.json().photos).toHaveLength(1);
    const secret = await send('fileName=s.jpg&militaryOnly=true&showsServiceMembers=true', gradientJpeg(40, 40));
    expect(secret.statusCode).toBe(201);
    const bad = await send(`caption=${encodeURIComponent('营区位于友谊路12号东侧')}`, gradientJpeg(48, 48));
    expect(bad.json().code).toBe('confidentiality');
    expect((await send('', Buffer.from('not an image'))).statusCode).toBe(415);

    const mil = (await jfq.get(`/api/v1/troop-activities/${a.id}`)).json();
    expect(mil.photos).toHaveLength(2);
    const gpsPhoto = mil.photos.find((p: { caption: string }) => p.caption === '为老人量血压');
    expect(gpsPhoto.findings.map((f: { rule: string }) => f.rule)).toContain('image.gps');
    // the stored file carries no GPS any more
    const file = await jfq.get(`/api/v1/troop-activities/${a.id}/photos/${gpsPhoto.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.includes(Buffer.from('GPSLatitude'))).toBe(false);

    const civ = await klmy.get(`/api/v1/troop-activities/${a.id}`);
    expect(civ.json().photos).toHaveLength(1);
    expect(civ.json().photoCount).toBe(1);
    expect(civ.json().photos[0]).not.toHaveProperty('findings');
    const secretId = mil.photos.find((p: { militaryOnly: boolean }) => p.militaryOnly).id;
    expect((await klmy.get(`/api/v1/troop-activities/${a.id}/photos/${secretId}`)).statusCode).toBe(404);
    expect((await klmy.get(`/api/v1/troop-activities/${a.id}/photos/${gpsPhoto.id}`)).statusCode).toBe(200);
  });
});

describe('types', () => {
  it('the list is edited by the military side only', async () => {
    const types = (await klmy.get('/api/v1/troop-activity-types')).json().items;
    expect(types.map((x: { code: string }) => x.code)).toContain('free_clinic');
    expect((await city.post('/api/v1/troop-activity-types', { code: 'road_repair', label: '修路' })).statusCode).toBe(
      403,
    );
    const made = await jfq.post('/api/v1/troop-activity-types', { code: 'road_repair', label: '修路架桥' });
    expect(made.statusCode, made.body).toBe(201);
    const a = await record(unit1, clinic({ type: 'road_repair', summary: '修缮村道。' }));
    expect(a.typeLabel).toBe('修路架桥');
    const off = await jfq.patch('/api/v1/troop-activity-types', { code: 'road_repair', version: 1, active: false });
    expect(off.statusCode).toBe(200);
    expect((await unit1.post('/api/v1/troop-activities', clinic({ type: 'road_repair' }))).statusCode).toBe(400);
  });
});

describe('campaign tasks and the read model', () => {
  it('a task bound to a troops metric progresses from the unit’s activities', async () => {
    const made = await city.post('/api/v1/campaigns', {
      title: '春节拥政爱民',
      issuers: ['克拉玛依军分区政治工作部'],
      items: [
        {
          ordinal: 1,
          title: '部队义务巡诊',
          tasks: [
            {
              title: '每支部队至少开展一次义务巡诊',
              deadline: '2027-01-20',
              metricKey: 'troops.activities.free_clinic',
              assignTo: { groups: ['units'] },
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
    const mine = async () => {
      for (const a of assignments) {
        const res = await unit1.get(`/api/v1/assignments/${a.id}`);
        if (res.statusCode === 200) return res.json();
      }
      throw new Error('no assignment');
    };
    expect((await mine()).metric).toMatchObject({ key: 'troops.activities.free_clinic', value: 0 });
    await record(unit1, clinic({ campaignId: issued.id, summary: '节前义诊。' }));
    await record(unit1, clinic({ campaignId: issued.id, type: 'education_aid', summary: '助学。' }));
    expect((await mine()).metric.value).toBe(1);
  });

  it('exports evidence and counts without the military-only fields', async () => {
    const svc = env.services.troops.activities;
    const ev = await svc.evidence({ kind: 'all' }, { from: '2026-01-01', to: '2026-12-31' });
    expect(ev.total).toBeGreaterThan(0);
    expect(JSON.stringify(ev)).not.toContain(NAMES[0]);
    expect(ev.items.every((i) => !('participantNames' in i))).toBe(true);
    const counts = await svc.counts({ kind: 'all' }, { fromMonth: '2026-01', toMonth: '2026-12' });
    expect(counts.activities).toBe(ev.total);
    expect(counts.byType.find((x) => x.type === 'free_clinic')?.activities).toBe(
      ev.items.filter((i) => i.type === 'free_clinic').length,
    );
  });
});

describe('partnerships', () => {
  it('a unit pairs with a school; the plan’s progress comes from activities; an idle pair is listed', async () => {
    const year = new Date().getFullYear();
    const res = await unit1.post('/api/v1/troop-partnerships', {
      partnerKind: 'school',
      partnerName: '友谊小学',
      placeOrgId: youyi,
      startsOn: `${year}-01-01`,
      plans: [{ year, type: 'education_aid', planned: 4 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const pair = res.json();
    expect(pair.plans[0]).toMatchObject({ planned: 4, done: 0 });
    expect(pair.idleThisQuarter).toBe(true);
    expect((await city.post('/api/v1/troop-partnerships', { ...{ partnerKind: 'school' } })).statusCode).toBe(400);
    const today = new Date().toISOString().slice(0, 10);
    await record(
      unit1,
      clinic({ type: 'education_aid', occurredOn: today, partnershipId: pair.id, summary: '送教。' }),
    );
    const list = (await unit1.get('/api/v1/troop-partnerships')).json();
    const again = list.items.find((x: { id: string }) => x.id === pair.id);
    expect(again.plans[0].done).toBe(1);
    expect(again.idleThisQuarter).toBe(false);
    expect((await klmy.get('/api/v1/troop-partnerships')).json().items.map((x: { id: string }) => x.id)).toContain(
      pair.id,
    );
    expect((await dsz.get('/api/v1/troop-partnerships')).json().total).toBe(0);
    const idle = (await jfq.get('/api/v1/troop-partnerships?idle=true')).json();
    expect(idle.items.map((x: { id: string }) => x.id)).not.toContain(pair.id);
  });

  it('a unit edits its pair (versioned) and ends it; the ended pair leaves the idle list; audited', async () => {
    const year = new Date().getFullYear();
    const created = await unit1.post('/api/v1/troop-partnerships', {
      partnerKind: 'community',
      partnerName: '友谊社区',
      placeOrgId: youyi,
      startsOn: `${year}-01-01`,
      plans: [{ year, type: 'free_clinic', planned: 2 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const pair = created.json();
    expect(pair).toMatchObject({ status: 'active', version: 1, actions: ['edit', 'end'], idleThisQuarter: true });
    expect((await klmy.get(`/api/v1/troop-partnerships/${pair.id}`)).json().actions).toEqual([]);

    const edited = await unit1.patch(`/api/v1/troop-partnerships/${pair.id}`, {
      version: 1,
      partnerName: '友谊社区居委会',
      contact: '社区主任 0990-6220000',
      endsOn: `${year}-12-31`,
      plans: [
        { year, type: 'free_clinic', planned: 4 },
        { year, type: 'education_aid', planned: 2 },
      ],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      partnerName: '友谊社区居委会',
      contact: '社区主任 0990-6220000',
      endsOn: `${year}-12-31`,
      version: 2,
    });
    expect(edited.json().plans.map((p: { type: string; planned: number }) => [p.type, p.planned])).toEqual([
      ['education_aid', 2],
      ['free_clinic', 4],
    ]);
    const stale = await unit1.patch(`/api/v1/troop-partnerships/${pair.id}`, { version: 1, partnerName: '旧的' });
    expect(stale.statusCode).toBe(409);
    expect(
      (await unit1.patch(`/api/v1/troop-partnerships/${pair.id}`, { version: 2, endsOn: `${year - 1}-01-01` }))
        .statusCode,
    ).toBe(400);
    // the civil side reads but does not change; a read-only role is refused before the service
    expect(
      (await klmy.patch(`/api/v1/troop-partnerships/${pair.id}`, { version: 2, partnerName: 'x' })).statusCode,
    ).toBe(403);
    const leader = await signedIn(env.app, 'leader', '10.20.0.6');
    expect(
      (
        await leader.post(`/api/v1/troop-partnerships/${pair.id}/end`, {
          version: 2,
          endedOn: `${year}-01-02`,
          reason: '调整',
        })
      ).statusCode,
    ).toBe(403);

    // another unit's pair is not found for unit1; the 军分区 edits any
    const other = await jfq.post('/api/v1/troop-partnerships', {
      orgId: unitB,
      partnerKind: 'village',
      partnerName: '乙部队共建村',
      placeOrgId: youyi,
      startsOn: `${year}-01-01`,
    });
    expect(other.statusCode, other.body).toBe(201);
    expect(
      (await unit1.patch(`/api/v1/troop-partnerships/${other.json().id}`, { version: 1, partnerName: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (
        await unit1.post(`/api/v1/troop-partnerships/${other.json().id}/end`, {
          version: 1,
          endedOn: `${year}-01-02`,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(404);
    const byJfq = await jfq.patch(`/api/v1/troop-partnerships/${other.json().id}`, { version: 1, contact: '村支书' });
    expect(byJfq.statusCode, byJfq.body).toBe(200);

    const today = new Date().toISOString().slice(0, 10);
    expect(
      (
        await unit1.post(`/api/v1/troop-partnerships/${pair.id}/end`, {
          version: 1,
          endedOn: today,
          reason: '社区合并',
        })
      ).statusCode,
    ).toBe(409);
    const ended = await unit1.post(`/api/v1/troop-partnerships/${pair.id}/end`, {
      version: 2,
      endedOn: today,
      reason: '社区合并',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({
      status: 'ended',
      endsOn: today,
      endReason: '社区合并',
      actions: [],
      idleThisQuarter: false,
      version: 3,
    });
    expect(
      (await unit1.patch(`/api/v1/troop-partnerships/${pair.id}`, { version: 3, partnerName: 'x' })).statusCode,
    ).toBe(409);
    const idle = (await jfq.get('/api/v1/troop-partnerships?idle=true&pageSize=100')).json();
    expect(idle.items.map((x: { id: string }) => x.id)).not.toContain(pair.id);
    expect(idle.items.map((x: { id: string }) => x.id)).toContain(other.json().id);

    const auditor = await signedIn(env.app, 'auditor', '10.20.0.7');
    const audit = (await auditor.get(`/api/v1/audit?entityType=troop_partnership&entityId=${pair.id}`)).json();
    expect(audit.items.map((x: { action: string }) => x.action).sort()).toEqual([
      'troops.partnership.create',
      'troops.partnership.end',
      'troops.partnership.update',
    ]);
  });
});
