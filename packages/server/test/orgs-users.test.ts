import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
let admin: Client;
beforeAll(async () => {
  env = await testEnv();
  admin = await signedIn(env.app, 'admin', '10.1.0.1');
});
afterAll(async () => env?.close());

type OrgJson = { id: string; name: string; path: string; parentId: string | null; version: number; active: boolean };
const names = (items: { name: string }[]) => items.map((o) => o.name);

describe('organisation tree scope', () => {
  it('shows a district user only their own district subtree', async () => {
    const klmy = await signedIn(env.app, 'klmy', '10.1.0.2');
    const items: OrgJson[] = (await klmy.get('/api/v1/orgs/tree')).json().items;
    expect(items.length).toBeGreaterThan(3);
    expect(items.every((o) => o.path.startsWith('650200/650203/'))).toBe(true);
    expect(names(items)).toContain('克拉玛依区退役军人事务局');
    expect(names(items)).not.toContain('独山子区退役军人事务局');
    expect(names(items)).not.toContain('克拉玛依市退役军人事务局');
    // the paged list and the detail route apply the same scope
    const page = (await klmy.get('/api/v1/orgs?pageSize=200')).json();
    expect(page.total).toBe(items.length);
    const dsz = await orgId(env.p, '650200/650202/');
    expect((await klmy.get(`/api/v1/orgs/${dsz}`)).statusCode).toBe(404);
  });

  it('shows the city everything and a unit liaison only the unit', async () => {
    const city = await signedIn(env.app, 'city', '10.1.0.3');
    const all: OrgJson[] = (await city.get('/api/v1/orgs/tree')).json().items;
    expect(names(all)).toEqual(
      expect.arrayContaining(['独山子区退役军人事务局', '乌尔禾区退役军人事务局', '克拉玛依军分区', '市教育局']),
    );
    const unit = await signedIn(env.app, 'unit1', '10.1.0.4');
    expect(names((await unit.get('/api/v1/orgs/tree')).json().items)).toEqual(['驻市部队甲']);
  });

  it('lists only the users of the district subtree', async () => {
    const klmy = await signedIn(env.app, 'klmy', '10.1.0.5');
    const users = (await klmy.get('/api/v1/users?pageSize=200')).json();
    expect(users.items.map((u: { username: string }) => u.username)).toEqual(['klmy']);
    expect(users.total).toBe(1);
  });
});

describe('organisation management', () => {
  it('creates, renames, moves, deactivates and reactivates an org, auditing each step', async () => {
    const district = await orgId(env.p, '650200/650203/');
    const created = await admin.post('/api/v1/orgs', {
      parentId: district,
      name: '新建街道服务站',
      code: 'newst',
      type: 'service_station',
    });
    expect(created.statusCode).toBe(201);
    const org: OrgJson = created.json();
    expect(org.path).toBe('650200/650203/newst/');
    expect(org).toMatchObject({ side: 'civilian', depth: 2, active: true, version: 1 });

    const child = (
      await admin.post('/api/v1/orgs', { parentId: org.id, name: '新建社区', code: 'newcm', type: 'service_station' })
    ).json();
    const renamed = await admin.patch(`/api/v1/orgs/${org.id}`, { version: 1, name: '更名后的服务站' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('更名后的服务站');

    const stale = await admin.patch(`/api/v1/orgs/${org.id}`, { version: 1, name: '过期修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');

    // a user placed in the child org moves with it
    const user = await admin.post('/api/v1/users', {
      username: 'mover',
      displayName: '随迁用户',
      orgId: child.id,
      roles: ['station_worker'],
      password: 'Moving#Pass123',
    });
    expect(user.statusCode).toBe(201);

    const target = await orgId(env.p, '650200/650202/');
    const moved = await admin.post(`/api/v1/orgs/${org.id}/move`, { version: 2, parentId: target });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().path).toBe('650200/650202/newst/');
    expect((await admin.get(`/api/v1/orgs/${child.id}`)).json().path).toBe('650200/650202/newst/newcm/');
    const row = await env.p.handle.db
      .selectFrom('users')
      .select('org_path')
      .where('username', '=', 'mover')
      .executeTakeFirstOrThrow();
    expect(row.org_path).toBe('650200/650202/newst/newcm/');
    // the district that lost it no longer sees it, the one that gained it does
    const klmy = await signedIn(env.app, 'klmy', '10.1.0.6');
    expect(names((await klmy.get('/api/v1/orgs/tree')).json().items)).not.toContain('更名后的服务站');
    const dsz = await signedIn(env.app, 'dsz', '10.1.0.7');
    expect(names((await dsz.get('/api/v1/orgs/tree')).json().items)).toContain('更名后的服务站');

    const intoOwn = await admin.post(`/api/v1/orgs/${org.id}/move`, { version: 3, parentId: child.id });
    expect(intoOwn.statusCode).toBe(400);
    expect(intoOwn.json().detail).toMatch(/下级/);

    const withChildren = await admin.post(`/api/v1/orgs/${org.id}/deactivate`, { version: 3 });
    expect(withChildren.statusCode).toBe(409);
    expect((await admin.post(`/api/v1/orgs/${child.id}/deactivate`, { version: 1 })).statusCode).toBe(200);
    const off = await admin.post(`/api/v1/orgs/${org.id}/deactivate`, { version: 3 });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect(names((await admin.get('/api/v1/orgs/tree')).json().items)).not.toContain('更名后的服务站');
    expect(names((await admin.get('/api/v1/orgs/tree?includeInactive=true')).json().items)).toContain('更名后的服务站');
    expect((await admin.post(`/api/v1/orgs/${org.id}/activate`, { version: 4 })).json().active).toBe(true);

    const trail = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('entity_id', '=', org.id)
      .orderBy('seq')
      .execute();
    expect(trail.map((r) => r.action)).toEqual([
      'org.create',
      'org.update',
      'org.move',
      'org.deactivate',
      'org.activate',
    ]);
    expect(JSON.parse(trail[1]!.changes!)).toEqual({ name: ['新建街道服务站', '更名后的服务站'] });
  });

  it('refuses duplicate codes under one parent', async () => {
    const district = await orgId(env.p, '650200/650204/');
    expect(
      (await admin.post('/api/v1/orgs', { parentId: district, name: '甲', code: 'dup', type: 'service_station' }))
        .statusCode,
    ).toBe(201);
    const again = await admin.post('/api/v1/orgs', {
      parentId: district,
      name: '乙',
      code: 'dup',
      type: 'service_station',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('org_code_taken');
  });

  it('keeps a district administrator inside the district', async () => {
    const district = await orgId(env.p, '650200/650203/');
    await admin.post('/api/v1/users', {
      username: 'klmyadmin',
      displayName: '区管理员',
      orgId: district,
      roles: ['district_admin'],
      password: 'District#Admin1',
    });
    const c = new Client(env.app, '10.1.0.8');
    expect((await c.login('klmyadmin', 'District#Admin1')).statusCode).toBe(200);
    expect(
      (await c.post('/api/v1/auth/password', { currentPassword: 'District#Admin1', newPassword: 'District#Admin2' }))
        .statusCode,
    ).toBe(204);
    const street = await orgId(env.p, '650200/650203/650203001/');
    expect(
      (await c.post('/api/v1/orgs', { parentId: street, name: '新社区', type: 'service_station' })).statusCode,
    ).toBe(201);
    const other = await orgId(env.p, '650200/650202/');
    expect(
      (await c.post('/api/v1/orgs', { parentId: other, name: '越界社区', type: 'service_station' })).statusCode,
    ).toBe(404);
    // it may not restructure its own district root
    const self = (await c.get(`/api/v1/orgs/${district}`)).json();
    expect((await c.post(`/api/v1/orgs/${district}/deactivate`, { version: self.version })).statusCode).toBe(403);
    // it may create district staff but not city roles, and only inside its district
    const ok = await c.post('/api/v1/users', {
      username: 'klmystaff2',
      displayName: '区工作人员二',
      orgId: street,
      roles: ['district_staff'],
      password: 'Staff#Pass123',
    });
    expect(ok.statusCode).toBe(201);
    const tooHigh = await c.post('/api/v1/users', {
      username: 'sneaky',
      displayName: '越权',
      orgId: street,
      roles: ['city_admin'],
      password: 'Staff#Pass123',
    });
    expect(tooHigh.statusCode).toBe(403);
    expect(tooHigh.json().detail).toContain('市级管理员');
    const elsewhere = await c.post('/api/v1/users', {
      username: 'sneaky2',
      displayName: '越界',
      orgId: other,
      roles: ['district_staff'],
      password: 'Staff#Pass123',
    });
    expect(elsewhere.statusCode).toBe(404);
    // the browser cannot smuggle the user into another district by editing
    const created = ok.json();
    const move = await c.patch(`/api/v1/users/${created.id}`, { version: created.version, orgId: other });
    expect(move.statusCode).toBe(404);
  });
});

describe('user management', () => {
  it('refuses a taken username case-insensitively', async () => {
    const org = await orgId(env.p, '650200/');
    const res = await admin.post('/api/v1/users', {
      username: 'KLMY',
      displayName: '重复',
      orgId: org,
      roles: ['leader'],
      password: 'Another#Pass1',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('username_taken');
  });

  it('resets a password, ends the sessions and forces a change', async () => {
    const c = await signedIn(env.app, 'weh', '10.1.0.9');
    const uid = (await c.get('/api/v1/auth/me')).json().user.id;
    expect((await admin.post(`/api/v1/users/${uid}/reset-password`, { password: 'Reset#Pass123' })).statusCode).toBe(
      204,
    );
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await c.login('weh', 'Reset#Pass123');
    expect(again.json().user.mustChangePassword).toBe(true);
  });

  it('does not let an administrator lock their own account', async () => {
    const me = (await admin.get('/api/v1/auth/me')).json();
    expect((await admin.post(`/api/v1/users/${me.user.id}/lock`)).statusCode).toBe(409);
  });
});

describe('scoped tables', () => {
  it('lists every table that carries an org path, so moving an org can never strand rows', async () => {
    const { SCOPED_TABLES, tablesRebuiltAfterMove } = await import('../src/platform/access/scoped-tables.js');
    const registered = new Set(SCOPED_TABLES.map((t) => `${t.table}.${t.pathColumn}`));
    const missing: string[] = [];
    for (const table of await env.p.handle.db.introspection.getTables()) {
      if (['orgs', 'audit_log'].includes(table.name)) continue; // the tree itself; the immutable trail
      if (tablesRebuiltAfterMove().includes(table.name)) continue; // rebuilt by the move (need_counts)
      for (const c of table.columns)
        if (/(^|_)path$/.test(c.name) && c.name !== 'district_path' && !registered.has(`${table.name}.${c.name}`))
          missing.push(`${table.name}.${c.name}`);
    }
    expect(missing).toEqual([]);
  });
});
