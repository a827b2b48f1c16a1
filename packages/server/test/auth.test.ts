import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../src/platform/auth/totp.js';
import { Client, signedIn, type TestEnv, testEnv, userId } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

let ipSeq = 10;
/** Each test gets its own source address, so IP lockouts of one test do not leak into another. */
const freshClient = () => new Client(env.app, `10.0.0.${ipSeq++}`);

async function auditCount(action: string, actor?: string) {
  let q = env.p.handle.db.selectFrom('audit_log').select('seq').where('action', '=', action);
  if (actor) q = q.where('actor_name', '=', actor);
  return (await q.execute()).length;
}

describe('login, me, logout', () => {
  it('logs in with the demo password and returns the user, org, roles, permissions and a CSRF token', async () => {
    const c = freshClient();
    const res = await c.login('klmy');
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.user.username).toBe('klmy');
    expect(me.org.name).toBe('克拉玛依区退役军人事务局');
    expect(me.roles).toEqual(['district_staff']);
    expect(me.scope).toBe('subtree');
    expect(me.permissions).toContain('org:read');
    expect(me.permissions).not.toContain('org:manage');
    expect(me.csrfToken).toMatch(/.{20,}/);
    // the display zone (TZ_DISPLAY) the web app enters and shows every time in
    expect(me.timeZone).toBe(env.p.config.tzDisplay);
    expect(me.timeZone).toBe('Asia/Shanghai');
    const cookie = res.headers['set-cookie'] as string;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    const meRes = await c.get('/api/v1/auth/me');
    expect(meRes.statusCode).toBe(200);
    expect(meRes.json().user.username).toBe('klmy');
    // the key of the drafts kept on a phone: the same for this user at every login, another user's differs
    expect(me.draftKey).toMatch(/^[0-9a-f]{64}$/);
    expect(meRes.json().draftKey).toBe(me.draftKey);
    expect((await freshClient().login('klmy')).json().draftKey).toBe(me.draftKey);
    expect((await freshClient().login('dsz')).json().draftKey).not.toBe(me.draftKey);
    expect(await auditCount('auth.login', 'klmy')).toBeGreaterThan(0);

    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const after = await c.get('/api/v1/auth/me');
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('rejects a wrong password with a Chinese problem and audits the failure', async () => {
    const before = await auditCount('auth.login_failed');
    const res = await freshClient().login('dsz', 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ status: 401, code: 'invalid_credentials', title: '用户名或密码错误' });
    expect(await auditCount('auth.login_failed')).toBe(before + 1);
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const res = await freshClient().login('nobody-here', 'whatever-1A!');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_credentials');
  });

  it('requires a session for everything but login', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/orgs/tree' });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/登录/);
  });
});

describe('lockout', () => {
  it('locks the account after 5 failures, even for the right password, and across addresses', async () => {
    for (let i = 0; i < 4; i++) expect((await freshClient().login('bjt', 'bad-password')).statusCode).toBe(401);
    const fifth = await freshClient().login('bjt', 'bad-password');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().detail).toMatch(/锁定.*30 分钟/);
    const right = await freshClient().login('bjt');
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('locked');
  });

  it('never locks a source address: past 5 failures it slows each attempt, and a correct password of another account signs in', async () => {
    const c = freshClient();
    const lockout = env.services.auth.lockout;
    const ipKey = `ip:${c.ip}`;
    for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) expect((await c.login(u, 'bad-password')).statusCode).toBe(401);
    // the sixth attempt waits 0.5 s, the next 1 s, doubling up to the setting's ceiling (10 s)
    expect(await lockout.delayMs(ipKey)).toBe(500);
    expect((await c.login('u6', 'bad-password')).statusCode).toBe(401);
    expect(await lockout.delayMs(ipKey)).toBe(1000);
    await env.p.handle.db.updateTable('auth_failures').set({ count: 40 }).where('key', '=', ipKey).execute();
    expect(await lockout.delayMs(ipKey)).toBe(10_000);
    await env.p.handle.db.updateTable('auth_failures').set({ count: 6 }).where('key', '=', ipKey).execute();
    // a correct login from the same address (the office behind one proxy) is slowed, never refused
    expect((await c.login('weh')).statusCode).toBe(200);
    // and does not wipe the address's count (a spray cannot reset it with one valid account)
    expect(await lockout.delayMs(ipKey)).toBe(1000);
    const trail = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'auth.login_failed')
      .where('ip', '=', c.ip)
      .execute();
    expect(trail.map((r) => JSON.parse(r.changes!).reason)).toEqual(Array(6).fill('password'));
  });

  it('is lifted by an administrator unlocking the user', async () => {
    for (let i = 0; i < 5; i++) await freshClient().login('leader', 'bad-password');
    expect((await freshClient().login('leader')).statusCode).toBe(423);
    const admin = await signedIn(env.app, 'admin', '10.9.0.1');
    const res = await admin.post(`/api/v1/users/${await userId(env.p, 'leader')}/unlock`);
    expect(res.statusCode).toBe(200);
    expect((await freshClient().login('leader')).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('logging in again ends the session the browser held (rotation), whoever logs in', async () => {
    const c = freshClient();
    await c.login('jyj');
    const first = c.cookie;
    const uid = await userId(env.p, 'jyj');
    const count = async () =>
      (await env.p.handle.db.selectFrom('sessions').select('id').where('user_id', '=', uid).execute()).length;
    const before = await count();
    expect((await c.login('jyj')).statusCode).toBe(200);
    expect(c.cookie).not.toBe(first);
    expect(await count()).toBe(before);
    const stale = await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first } });
    expect(stale.statusCode).toBe(401);
    expect((await c.get('/api/v1/auth/me')).json().user.username).toBe('jyj');
    // another account signing in on the same browser ends jyj's session too
    const jyjCookie = c.cookie;
    expect((await c.login('unit1')).statusCode).toBe(200);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: jyjCookie } })).statusCode,
    ).toBe(401);
    expect(await count()).toBe(before - 1);
    const rows = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'auth.login')
      .where('actor_name', '=', 'unit1')
      .execute();
    expect(rows.some((r) => r.changes && JSON.parse(r.changes).previousSessionEnded === true)).toBe(true);
  });

  it('expire after 30 idle minutes', async () => {
    const c = freshClient();
    await c.login('city');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    const uid = await userId(env.p, 'city');
    const old = new Date(Date.now() - 31 * 60_000).toISOString();
    await env.p.handle.db.updateTable('sessions').set({ last_seen_at: old }).where('user_id', '=', uid).execute();
    const res = await c.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('session_expired');
  });

  it('expire 12 hours after login however active', async () => {
    const c = freshClient();
    await c.login('jfq');
    const uid = await userId(env.p, 'jfq');
    await env.p.handle.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', uid)
      .execute();
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('end on the next request when the user is locked by an administrator', async () => {
    const c = freshClient();
    await c.login('unit1');
    expect((await c.get('/api/v1/orgs/tree')).statusCode).toBe(200);
    const admin = await signedIn(env.app, 'admin', '10.9.0.2');
    const uid = await userId(env.p, 'unit1');
    expect((await admin.post(`/api/v1/users/${uid}/lock`)).statusCode).toBe(200);
    expect((await c.get('/api/v1/orgs/tree')).statusCode).toBe(401);
    expect((await freshClient().login('unit1')).statusCode).toBe(403);
    await admin.post(`/api/v1/users/${uid}/unlock`);
  });

  it('see a role change on the next request', async () => {
    const c = freshClient();
    await c.login('jyj');
    expect((await c.get('/api/v1/users')).statusCode).toBe(403);
    const admin = await signedIn(env.app, 'admin', '10.9.0.3');
    const uid = await userId(env.p, 'jyj');
    const u = (await admin.get(`/api/v1/users/${uid}`)).json();
    const upd = await admin.patch(`/api/v1/users/${uid}`, {
      version: u.version,
      roles: ['department_handler', 'city_staff'],
    });
    expect(upd.statusCode).toBe(200);
    expect((await c.get('/api/v1/users')).statusCode).toBe(200);
    const u2 = upd.json();
    await admin.patch(`/api/v1/users/${uid}`, { version: u2.version, roles: ['department_handler'] });
    expect((await c.get('/api/v1/users')).statusCode).toBe(403);
  });
});

describe('CSRF', () => {
  it('refuses a write without the token and with a wrong one', async () => {
    const c = await signedIn(env.app, 'admin', '10.9.0.4');
    const root = (await c.get('/api/v1/orgs/tree')).json().items[0];
    const payload = { parentId: root.id, name: '测试单位', type: 'department' };
    const none = await c.request('POST', '/api/v1/orgs', payload, { 'x-csrf-token': '' });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('csrf');
    const wrong = await c.request('POST', '/api/v1/orgs', payload, { 'x-csrf-token': 'forged' });
    expect(wrong.statusCode).toBe(403);
    const names = (await c.get('/api/v1/orgs/tree')).json().items.map((o: { name: string }) => o.name);
    expect(names).not.toContain('测试单位');
    expect((await c.post('/api/v1/orgs', payload)).statusCode).toBe(201);
  });
});

describe('forced password change and TOTP', () => {
  it('forces a new user to change the password before anything else', async () => {
    const admin = await signedIn(env.app, 'admin', '10.9.0.5');
    const org = (await admin.get('/api/v1/orgs/tree')).json().items[0];
    const created = await admin.post('/api/v1/users', {
      username: 'newstaff',
      displayName: '新同事',
      orgId: org.id,
      roles: ['city_staff'],
      password: 'Initial#Pass1',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().mustChangePassword).toBe(true);

    const c = freshClient();
    const login = await c.login('newstaff', 'Initial#Pass1');
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/v1/orgs/tree');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('password_change_required');

    const weak = await c.post('/api/v1/auth/password', { currentPassword: 'Initial#Pass1', newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(
      weak
        .json()
        .errors.map((e: { message: string }) => e.message)
        .join(),
    ).toMatch(/长度/);
    const same = await c.post('/api/v1/auth/password', {
      currentPassword: 'Initial#Pass1',
      newPassword: 'Initial#Pass1',
    });
    expect(same.statusCode).toBe(400);
    const ok = await c.post('/api/v1/auth/password', {
      currentPassword: 'Initial#Pass1',
      newPassword: 'Changed#Pass22',
    });
    expect(ok.statusCode).toBe(204);
    expect((await c.get('/api/v1/orgs/tree')).statusCode).toBe(200);
    expect((await freshClient().login('newstaff', 'Initial#Pass1')).statusCode).toBe(401);
    expect((await freshClient().login('newstaff', 'Changed#Pass22')).statusCode).toBe(200);
  });

  it('refuses an initial password that breaks the policy', async () => {
    const admin = await signedIn(env.app, 'admin', '10.9.0.6');
    const org = (await admin.get('/api/v1/orgs/tree')).json().items[0];
    const res = await admin.post('/api/v1/users', {
      username: 'weakling',
      displayName: '弱',
      orgId: org.id,
      roles: ['leader'],
      password: 'abc',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('password_policy');
  });

  it('enrols TOTP and then requires the code at login', async () => {
    const c = freshClient();
    await c.login('auditor');
    const setup = await c.post('/api/v1/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json();
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(
      (await c.post('/api/v1/auth/totp/enable', { otp: '000000' === totp(secret) ? '111111' : '000000' })).statusCode,
    ).toBe(400);
    expect((await c.post('/api/v1/auth/totp/enable', { otp: totp(secret) })).statusCode).toBe(204);

    const noCode = await freshClient().login('auditor');
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('otp_required');
    const wrong = totp(secret) === '123456' ? '654321' : '123456';
    expect((await freshClient().login('auditor', undefined, wrong)).json().code).toBe('otp_invalid');
    expect((await freshClient().login('auditor', undefined, totp(secret))).statusCode).toBe(200);
    const row = await env.p.handle.db
      .selectFrom('users')
      .select('totp_secret')
      .where('username', '=', 'auditor')
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).not.toContain(secret);
  });
});

describe('outside demo mode', () => {
  it('requires administrators to enrol TOTP before they can work', async () => {
    const prod = await testEnv({ demo: false });
    try {
      const c = new Client(prod.app, '10.8.0.1');
      const res = await c.login('admin');
      expect(res.statusCode).toBe(200);
      expect(res.json().user.totpRequired).toBe(true);
      expect(res.json().demo).toBe(false);
      const blocked = await c.get('/api/v1/users');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().code).toBe('totp_enrollment_required');
      const { secret } = (await c.post('/api/v1/auth/totp/setup')).json();
      expect((await c.post('/api/v1/auth/totp/enable', { otp: totp(secret) })).statusCode).toBe(204);
      expect((await c.get('/api/v1/users')).statusCode).toBe(200);
      // a non-administrator is not asked for a second factor
      const staff = new Client(prod.app, '10.8.0.2');
      expect((await staff.login('klmy')).json().user.totpRequired).toBe(false);
    } finally {
      await prod.close();
    }
  });
});

describe('security settings', () => {
  it('are read and changed by the system administrator only, audited, and applied to the next login', async () => {
    const admin = await signedIn(env.app, 'admin', '10.9.1.1');
    const current = await admin.get('/api/v1/settings/security');
    expect(current.json()).toMatchObject({
      passwordPolicy: { minLength: 10, minClasses: 3 },
      lockout: { maxFailures: 5, minutes: 30 },
    });
    const city = await signedIn(env.app, 'city', '10.9.1.2');
    expect((await city.get('/api/v1/settings/security')).statusCode).toBe(403);
    const bad = await admin.patch('/api/v1/settings/security', { passwordPolicy: { minLength: 3 } });
    expect(bad.statusCode).toBe(400);
    const res = await admin.patch('/api/v1/settings/security', { passwordPolicy: { maxAgeDays: 90 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().passwordPolicy).toEqual({ minLength: 10, minClasses: 3, maxAgeDays: 90 });
    // a password older than the rotation period must be changed before anything else
    await env.p.handle.db
      .updateTable('users')
      .set({ password_changed_at: new Date(Date.now() - 91 * 86_400_000).toISOString() })
      .where('username', '=', 'dsz')
      .execute();
    const dsz = new Client(env.app, '10.9.1.3');
    expect((await dsz.login('dsz')).json().user.mustChangePassword).toBe(true);
    expect((await dsz.get('/api/v1/orgs/tree')).json().code).toBe('password_change_required');
    await admin.patch('/api/v1/settings/security', { passwordPolicy: { maxAgeDays: 0 } });
    expect((await dsz.get('/api/v1/orgs/tree')).statusCode).toBe(200);
    const trail = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'settings.update')
      .orderBy('seq')
      .execute();
    expect(trail.length).toBe(2);
    expect(JSON.parse(trail[0]!.changes!)).toEqual({ maxAgeDays: [0, 90] });
  });

  it('offline.cacheDays (default 7, 1–30) reaches every user with /auth/me and the login', async () => {
    const admin = await signedIn(env.app, 'admin', '10.9.1.4');
    expect((await admin.get('/api/v1/settings/security')).json().offline).toEqual({ cacheDays: 7 });
    const klmy = new Client(env.app, '10.9.1.5');
    expect((await klmy.login('klmy')).json().offlineCacheDays).toBe(7);
    expect((await klmy.get('/api/v1/auth/me')).json().offlineCacheDays).toBe(7);
    for (const cacheDays of [0, 31, 2.5]) {
      const bad = await admin.patch('/api/v1/settings/security', { offline: { cacheDays } });
      expect(bad.statusCode).toBe(400);
    }
    expect((await admin.patch('/api/v1/settings/security', { offline: { other: 1 } })).statusCode).toBe(400);
    const res = await admin.patch('/api/v1/settings/security', { offline: { cacheDays: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().offline).toEqual({ cacheDays: 3 });
    expect((await klmy.get('/api/v1/auth/me')).json().offlineCacheDays).toBe(3);
    const trail = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'settings.update')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(trail.changes!)).toEqual({ cacheDays: [7, 3] });
    await admin.patch('/api/v1/settings/security', { offline: { cacheDays: 7 } });
  });
});
