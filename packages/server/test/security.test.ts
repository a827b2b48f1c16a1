import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import { orgId, signedIn, type TestEnv, testEnv, userId } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

/** Findings of the security probe (issue 13) that belong to no single module. */
let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

describe('notifications are their addressee’s (issue 13, item 12)', () => {
  it('marking someone else’s notification read answers 404, whatever the caller’s scope, and changes nothing', async () => {
    const dszId = await userId(env.p, 'dsz');
    const db = env.p.handle.db;
    await db
      .transaction()
      .execute((trx) =>
        env.services.notifications.notify(trx, { userIds: [dszId], kind: 'test', title: '安全测试', body: '通知' }),
      );
    const note = await db
      .selectFrom('notifications')
      .select(['id', 'org_path'])
      .where('user_id', '=', dszId)
      .executeTakeFirstOrThrow();
    for (const [name, ip] of [
      ['admin', '10.13.12.1'],
      ['city', '10.13.12.2'],
      ['klmy', '10.13.12.3'],
    ] as const) {
      const other = await signedIn(env.app, name, ip);
      const res = await other.post(`/api/v1/notifications/${note.id}/read`);
      expect(res.statusCode, name).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const still = await db.selectFrom('notifications').select('read_at').where('id', '=', note.id).executeTakeFirst();
    expect(still?.read_at).toBeNull();
    const owner = await signedIn(env.app, 'dsz', '10.13.12.4');
    const mine = await owner.post(`/api/v1/notifications/${note.id}/read`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().read).toBe(true);
  });
});

describe('transport and caching (issue 13, item 9)', () => {
  it('COOKIE_SECURE: explicit 1/0, else on outside demo mode when TRUST_PROXY is set', () => {
    const at = (env: NodeJS.ProcessEnv) => loadConfig({}, env).cookieSecure;
    expect(at({})).toBe(false);
    expect(at({ TRUST_PROXY: '1' })).toBe(true);
    expect(at({ TRUST_PROXY: '1', DEMO: '1' })).toBe(false);
    expect(at({ TRUST_PROXY: '1', COOKIE_SECURE: '0' })).toBe(false);
    expect(at({ COOKIE_SECURE: '1' })).toBe(true);
    expect(at({ COOKIE_SECURE: '1', DEMO: '1' })).toBe(true);
  });

  it('behind TLS: the session cookie is Secure and every answer carries HSTS', async () => {
    const tls = await testEnv({ config: { cookieSecure: true } });
    try {
      const login = await tls.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'klmy', password: 'Shuangyong#2025' },
      });
      expect(login.statusCode).toBe(200);
      expect(String(login.headers['set-cookie'])).toMatch(/sy_session=.*;\s*Secure/i);
      expect(login.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      const health = await tls.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.headers['strict-transport-security']).toMatch(/max-age=/);
    } finally {
      await tls.close();
    }
    // plain HTTP (the default test server): neither
    const plain = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'klmy', password: 'Shuangyong#2025' },
      remoteAddress: '10.13.9.9',
    });
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/i);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('answers carrying revealed personal data and exports say Cache-Control: no-store', async () => {
    const klmy = await signedIn(env.app, 'klmy', '10.13.9.1');
    const person = await klmy.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, '650200/650203/650203001/650203001001/'),
      name: '缓存测试',
      idNumber: makeId('650203', '1951-02-03', 91),
      phone: '13912340000',
      categories: martyrSurvivor(),
    });
    expect(person.statusCode).toBe(201);
    const reveal = await klmy.post(`/api/v1/beneficiaries/${person.json().id}/reveal`, { reason: '核实' });
    expect(reveal.statusCode).toBe(200);
    expect(reveal.json().phone).toBe('13912340000');
    expect(reveal.headers['cache-control']).toBe('no-store');
    for (const body of [{}, { reveal: true, reason: '年度复核' }]) {
      const exported = await klmy.post('/api/v1/beneficiaries/export', body);
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['cache-control']).toBe('no-store');
    }
    expect((await klmy.get(`/api/v1/beneficiaries/${person.json().id}`)).headers['cache-control']).toBe('no-store');
    expect((await klmy.get('/api/v1/beneficiaries')).headers['cache-control']).toBe('no-store');
  });
});

describe('the "registered elsewhere" hint (issue 13, item 3)', () => {
  it('is audited with its outcome, counted in the bulk-extraction alerts, and never names the other side', async () => {
    const dsz = await signedIn(env.app, 'dsz', '10.13.3.1');
    const bjt = await signedIn(env.app, 'bjt', '10.13.3.2');
    const admin = await signedIn(env.app, 'admin', '10.13.3.3');
    const idNumber = makeId('650202', '1948-03-03', 31);
    const held = await dsz.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, '650200/650202/650202001/650202001001/'),
      name: '查重对象',
      idNumber,
      categories: martyrSurvivor(),
    });
    expect(held.statusCode).toBe(201);
    expect((await admin.patch('/api/v1/settings/security', { extraction: { lookupsPerHour: 2 } })).statusCode).toBe(
      200,
    );
    const db = env.p.handle.db;
    const trail = async () =>
      (
        await db
          .selectFrom('audit_log')
          .select(['action', 'entity_id', 'changes'])
          .where('actor_name', '=', 'bjt')
          .where('action', 'in', ['beneficiary.lookup', 'security.alert'])
          .orderBy('seq')
          .execute()
      ).map((r) => ({ action: r.action, entityId: r.entity_id, ...JSON.parse(r.changes ?? '{}') }));
    const hint = await bjt.post('/api/v1/beneficiaries/lookup', { idNumber });
    expect(hint.json()).toEqual({ found: null, elsewhere: true });
    expect(hint.body).not.toMatch(/独山子|650202001/);
    expect(await trail()).toEqual([{ action: 'beneficiary.lookup', entityId: null, found: false, elsewhere: true }]);
    // registering the same person is the same disclosure: audited and counted, the holder unnamed
    const again = await bjt.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, '650200/650204/650204001/'),
      name: '查重对象',
      idNumber,
      categories: martyrSurvivor(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('registered_elsewhere');
    expect(again.body).not.toMatch(/独山子/);
    await bjt.post('/api/v1/beneficiaries/lookup', { idNumber });
    const rows = await trail();
    expect(rows.filter((r) => r.action === 'beneficiary.lookup')).toHaveLength(3);
    expect(rows.filter((r) => r.elsewhere === true)).toHaveLength(3);
    expect(rows.at(-1)).toMatchObject({
      action: 'security.alert',
      kind: 'lookups',
      lastHour: 3,
      elsewhere: 3,
      limit: 2,
    });
    expect(JSON.stringify(rows)).not.toMatch(/独山子|650202/);
    await admin.patch('/api/v1/settings/security', { extraction: { lookupsPerHour: 30 } });
  });
});
