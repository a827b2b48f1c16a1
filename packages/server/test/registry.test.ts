import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
let klmy: Client;
let dsz: Client;
let community: string;
let dszCommunity: string;
const ID_A = makeId('650203', '1948-03-05', 12, 'female');

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.4.0.1');
  dsz = await signedIn(env.app, 'dsz', '10.4.0.2');
  community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  dszCommunity = await orgId(env.p, '650200/650202/650202001/650202001001/');
});
afterAll(async () => env?.close());

async function register(c: Client, org: string, name: string, idNumber: string, extra: Record<string, unknown> = {}) {
  return c.post('/api/v1/beneficiaries', { orgId: org, name, idNumber, categories: martyrSurvivor(), ...extra });
}

describe('registry CRUD', () => {
  let personId = '';
  it('registers a person with encrypted, masked personal data', async () => {
    const res = await register(klmy, community, ' 张 建国 ', ID_A.toLowerCase(), {
      phone: '139 1234 8896',
      address: '克拉玛依区天山路街道友谊社区3栋2单元101',
    });
    expect(res.statusCode).toBe(201);
    const b = res.json();
    personId = b.id;
    expect(b).toMatchObject({
      name: '张建国',
      sex: 'female',
      birthDate: '1948-03-05',
      idMasked: `650203********${ID_A.slice(-4)}`,
      phoneMasked: '139****8896',
      categories: ['martyr_survivor'],
      status: 'active',
    });
    expect(b.addressMasked).not.toContain('101');
    expect(b.household.plaqueStatus).toBe('none');
    const row = await env.p.handle.db
      .selectFrom('beneficiaries')
      .selectAll()
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(ID_A);
    expect(JSON.stringify(row)).not.toContain('13912348896');
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('entity_id', '=', b.id)
      .execute();
    expect(JSON.stringify(audit)).not.toContain(ID_A);
  });

  it('finds people by substring, pinyin, initials and traditional characters', async () => {
    const liu = await register(klmy, community, '劉德華', makeId('650203', '1950-01-02', 20));
    // stored in simplified characters, what was written kept beside it
    const stored = (await klmy.get(`/api/v1/beneficiaries/${liu.json().id}`)).json();
    expect(stored).toMatchObject({ name: '刘德华', nameAsWritten: '劉德華' });
    expect((await klmy.get(`/api/v1/beneficiaries/${personId}`)).json().nameAsWritten).toBeNull();
    for (const [q, name] of [
      ['建国', '张建国'],
      ['zjg', '张建国'],
      ['zhangjian', '张建国'],
      ['張建國', '张建国'],
      // one form in the list, whichever form is searched
      ['刘', '刘德华'],
      ['劉', '刘德华'],
      ['劉德華', '刘德华'],
      ['ldh', '刘德华'],
    ]) {
      const res = await klmy.get(`/api/v1/beneficiaries?q=${encodeURIComponent(q!)}`);
      expect(res.statusCode, q).toBe(200);
      expect(
        res.json().items.map((i: { name: string }) => i.name),
        q,
      ).toContain(name);
    }
    expect((await klmy.get('/api/v1/beneficiaries?q=zzz')).json().total).toBe(0);
    // characters no name holds find nobody, and the name index's query syntax never leaks through
    for (const q of ['张"', '建,国', '("', '国*', 'a:b', '-']) {
      const res = await klmy.get(`/api/v1/beneficiaries?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.json().total, q).toBe(0);
    }
    // the whole city's search reads the plain tokens, a district's its own (decisions/0087)
    const admin = await signedIn(env.app, 'admin', '10.4.0.8');
    const city = (await admin.get(`/api/v1/beneficiaries?q=${encodeURIComponent('建国')}`)).json();
    expect(city.items.map((i: { name: string }) => i.name)).toContain('张建国');
  });

  it('filters by category, status, org and age, with an exact total', async () => {
    const all = (await klmy.get('/api/v1/beneficiaries?category=martyr_survivor&status=active')).json();
    expect(all.total).toBe(2);
    expect((await klmy.get('/api/v1/beneficiaries?category=veteran')).json().total).toBe(0);
    expect((await klmy.get(`/api/v1/beneficiaries?orgId=${community}`)).json().total).toBe(2);
    expect((await klmy.get('/api/v1/beneficiaries?ageMin=70')).json().total).toBe(2);
    expect((await klmy.get('/api/v1/beneficiaries?ageMax=60')).json().total).toBe(0);
  });

  it('updates with optimistic concurrency and audits the change', async () => {
    const b = (await klmy.get(`/api/v1/beneficiaries/${personId}`)).json();
    const ok = await klmy.patch(`/api/v1/beneficiaries/${personId}`, {
      version: b.version,
      status: 'deceased',
      statusDate: '2026-01-02',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('deceased');
    const stale = await klmy.patch(`/api/v1/beneficiaries/${personId}`, { version: b.version, note: '过期' });
    expect(stale.statusCode).toBe(409);
    expect((await klmy.get('/api/v1/beneficiaries?category=martyr_survivor&status=active')).json().total).toBe(1);
    const history = (await klmy.get(`/api/v1/beneficiaries/${personId}/history`)).json().items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['beneficiary.update', 'beneficiary.create']);
    expect(history[0].changes.status).toEqual(['active', 'deceased']);
  });

  it('renames a person: the search keys follow the new name', async () => {
    const created = await register(klmy, community, '改名前', makeId('650203', '1951-06-07', 31, 'male'));
    expect(created.statusCode).toBe(201);
    const b = created.json();
    const renamed = await klmy.patch(`/api/v1/beneficiaries/${b.id}`, { version: b.version, name: '單田芳' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '单田芳', nameAsWritten: '單田芳' });
    const found = async (q: string) =>
      (await klmy.get(`/api/v1/beneficiaries?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((i: { id: string }) => i.id);
    expect(await found('shantianfang')).toEqual([b.id]);
    expect(await found('stf')).toContain(b.id);
    expect(await found('gaimingqian')).toEqual([]);
  });

  it('rejects a bad ID number with a Chinese reason, storing nothing', async () => {
    const bad = `${ID_A.slice(0, 17)}${ID_A.endsWith('1') ? '2' : '1'}`;
    const res = await register(klmy, community, '李四', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: 'body.idNumber' });
    expect(res.json().errors[0].message).toMatch(/校验/);
  });

  it('reveals full values only with a reason, and audits it', async () => {
    const res = await klmy.post(`/api/v1/beneficiaries/${personId}/reveal`, { reason: '核实慰问地址' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      idNumber: ID_A,
      phone: '13912348896',
      address: '克拉玛依区天山路街道友谊社区3栋2单元101',
    });
    expect((await klmy.post(`/api/v1/beneficiaries/${personId}/reveal`, {})).statusCode).toBe(400);
    const trail = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['actor_name', 'changes'])
      .where('action', '=', 'beneficiary.reveal')
      .execute();
    expect(trail).toEqual([{ actor_name: 'klmy', changes: JSON.stringify({ reason: '核实慰问地址' }) }]);
  });

  it('looks up an exact ID number from a POST body, within scope', async () => {
    const found = await klmy.post('/api/v1/beneficiaries/lookup', { idNumber: ID_A });
    expect(found.json().found.id).toBe(personId);
    const other = await dsz.post('/api/v1/beneficiaries/lookup', { idNumber: ID_A });
    expect(other.json()).toEqual({ found: null, elsewhere: true });
  });
});

describe('scope', () => {
  it('hides another district’s people: read, update, reveal → 404; lists exclude them', async () => {
    const b = (await klmy.get('/api/v1/beneficiaries?q=zjg')).json().items[0];
    expect((await dsz.get(`/api/v1/beneficiaries/${b.id}`)).statusCode).toBe(404);
    expect((await dsz.patch(`/api/v1/beneficiaries/${b.id}`, { version: b.version, note: 'x' })).statusCode).toBe(404);
    expect((await dsz.post(`/api/v1/beneficiaries/${b.id}/reveal`, { reason: '越权查看' })).statusCode).toBe(404);
    expect((await dsz.get('/api/v1/beneficiaries')).json().total).toBe(0);
    // and cannot register into another district's org
    expect((await register(dsz, community, '王五', makeId('650202', '1960-05-05', 3))).statusCode).toBe(404);
  });
});

describe('duplicates and transfers', () => {
  it('reports a duplicate within the district with the existing record', async () => {
    const res = await register(klmy, community, '张建国', ID_A);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('duplicate');
    expect(res.json().detail).toContain('张建国');
  });

  it('turns a registration in another district into a transfer that the holding side decides, never the side that asked', async () => {
    const id = makeId('650203', '1955-07-07', 40);
    const created = (await register(klmy, community, '赵六', id)).json();
    const res = await register(dsz, dszCommunity, '赵六', id);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('registered_elsewhere');
    // the answer names no district (the holder stays unknown to the caller)
    expect(res.json().detail).not.toContain('克拉玛依');
    expect(res.body).not.toContain('克拉玛依');
    const transferId = res.json().allowed[0];
    // both sides see the request; the side that asked (独山子区) may only withdraw, the holder decides
    const seenByRequester = (await dsz.get('/api/v1/transfers?status=pending')).json();
    expect(seenByRequester.items.find((t: { id: string }) => t.id === transferId).abilities).toEqual({
      accept: false,
      reject: true,
    });
    expect((await dsz.post(`/api/v1/transfers/${transferId}/accept`, {})).statusCode).toBe(403);
    const seenByHolder = (await klmy.get('/api/v1/transfers?status=pending')).json();
    expect(seenByHolder.items.find((t: { id: string }) => t.id === transferId).abilities.accept).toBe(true);
    const accepted = await klmy.post(`/api/v1/transfers/${transferId}/accept`, { note: '已核实' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    // the record moved: one person, now in 独山子区, gone from 克拉玛依区
    expect((await dsz.get(`/api/v1/beneficiaries/${created.id}`)).json().orgId).toBe(dszCommunity);
    expect((await klmy.get(`/api/v1/beneficiaries/${created.id}`)).statusCode).toBe(404);
    const copies = await env.p.handle.db.selectFrom('beneficiaries').select('id').where('name', '=', '赵六').execute();
    expect(copies.length).toBe(1);
    expect((await dsz.post(`/api/v1/transfers/${transferId}/accept`, {})).statusCode).toBe(409);
  });

  it('lets the holder send a person to another district', async () => {
    const id = makeId('650203', '1957-08-08', 50);
    await register(klmy, community, '孙七', id);
    const t = await klmy.post('/api/v1/transfers', {
      idNumber: id,
      toOrgId: dszCommunity,
      reason: '随子女迁居独山子区',
    });
    expect(t.statusCode).toBe(201);
    const rejected = await dsz.post(`/api/v1/transfers/${t.json().id}/reject`, { note: '查无此人' });
    expect(rejected.json().status).toBe('rejected');
    // a district cannot start a transfer of someone it does not hold
    expect(
      (await dsz.post('/api/v1/transfers', { idNumber: id, toOrgId: dszCommunity, reason: '试图抢人' })).statusCode,
    ).toBe(404);
  });
});

describe('merges', () => {
  it('merges a double entry, keeps history, and undoes it exactly', async () => {
    const a = (await register(klmy, community, '陈重复', makeId('650203', '1939-09-09', 60))).json();
    const b = (
      await register(klmy, community, '陈重复', makeId('650203', '1939-09-10', 62), {
        categories: [{ code: 'demobilized_veteran', startDate: '1960-01-01' }],
      })
    ).json();
    const before = (await klmy.get('/api/v1/beneficiaries?q=陈重复')).json().total;
    expect(before).toBe(2);
    const merged = await klmy.post(`/api/v1/beneficiaries/${a.id}/merge`, { mergedId: b.id });
    expect(merged.statusCode).toBe(200);
    expect((await klmy.get('/api/v1/beneficiaries?q=陈重复')).json().total).toBe(1);
    expect((await klmy.get(`/api/v1/beneficiaries/${b.id}`)).statusCode).toBe(404);
    expect((await klmy.get(`/api/v1/beneficiaries/${a.id}`)).json().categories).toEqual([
      'martyr_survivor',
      'demobilized_veteran',
    ]);
    expect((await klmy.post(`/api/v1/beneficiaries/${a.id}/merge`, { mergedId: a.id })).statusCode).toBe(400);

    const undo = await klmy.post(`/api/v1/merges/${merged.json().id}/undo`);
    expect(undo.statusCode).toBe(200);
    expect((await klmy.get('/api/v1/beneficiaries?q=陈重复')).json().total).toBe(2);
    expect((await klmy.get(`/api/v1/beneficiaries/${a.id}`)).json().categories).toEqual(['martyr_survivor']);
    expect((await klmy.get(`/api/v1/beneficiaries/${b.id}`)).json().categories).toEqual(['demobilized_veteran']);
    expect((await klmy.post(`/api/v1/merges/${merged.json().id}/undo`)).statusCode).toBe(409);
    const actions = await env.p.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', a.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((x) => x.action)).toEqual(['beneficiary.create', 'beneficiary.merge', 'beneficiary.unmerge']);
  });
});

describe('org moves', () => {
  it('carry the people of a moved community into the new district’s lists', async () => {
    const admin = await signedIn(env.app, 'admin', '10.4.0.9');
    const moving = await orgId(env.p, '650200/650203/650203003/650203003001/');
    expect((await register(klmy, moving, '迁居人', makeId('650203', '1958-08-08', 80))).statusCode).toBe(201);
    const before = (await dsz.get('/api/v1/beneficiaries?category=martyr_survivor')).json().total;
    const org = (await admin.get(`/api/v1/orgs/${moving}`)).json();
    const target = await orgId(env.p, '650200/650202/650202002/');
    expect(
      (await admin.post(`/api/v1/orgs/${moving}/move`, { version: org.version, parentId: target })).statusCode,
    ).toBe(200);
    const after = (await dsz.get('/api/v1/beneficiaries?category=martyr_survivor&q=迁居人')).json();
    expect(after.items.map((i: { name: string }) => i.name)).toEqual(['迁居人']);
    expect((await dsz.get('/api/v1/beneficiaries?category=martyr_survivor')).json().total).toBe(before + 1);
    expect((await klmy.get('/api/v1/beneficiaries?q=迁居人')).json().total).toBe(0);
    const rows = await env.p.handle.db
      .selectFrom('beneficiary_categories')
      .select('district_path')
      .where('sort_name', '=', 'qianjuren')
      .execute();
    expect(rows.map((r) => r.district_path)).toEqual(['650200/650202/']);
  });
});
