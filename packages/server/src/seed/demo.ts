import { ORG_TYPE_SIDE, type OrgType, type Role } from '@shuangyong/shared';
import { SYSTEM_AUDIT_ACTOR } from '../platform/audit/audit.js';
import { hashPassword } from '../platform/auth/password.js';
import type { Platform } from '../platform/context.js';
import type { Tx } from '../platform/db/index.js';
import { nowIso, uuidv7 } from '../platform/ids.js';
import karamay from './karamay.json' with { type: 'json' };

export const DEMO_PASSWORD = 'Shuangyong#2025';
export const DEMO_USERS = karamay.users.map(([username, displayName, orgPath, role]) => ({
  username: username as string,
  displayName: displayName as string,
  orgPath: orgPath as string,
  role: role as Role,
}));

export interface SeedOrg {
  code: string;
  name: string;
  type: OrgType;
  regionCode?: string;
}

/** Inserts an org below `parentPath` (or as the root); returns its path. */
export async function insertOrg(trx: Tx, parentPath: string | null, o: SeedOrg): Promise<string> {
  const parent = parentPath
    ? await trx.selectFrom('orgs').select(['id', 'depth']).where('path', '=', parentPath).executeTakeFirstOrThrow()
    : null;
  const path = `${parentPath ?? ''}${o.code}/`;
  const now = nowIso();
  await trx
    .insertInto('orgs')
    .values({
      id: uuidv7(),
      parent_id: parent?.id ?? null,
      code: o.code,
      name: o.name,
      type: o.type,
      side: ORG_TYPE_SIDE[o.type],
      region_code: o.regionCode ?? null,
      path,
      depth: parent ? parent.depth + 1 : 0,
      active: 1,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return path;
}

export async function insertUser(
  trx: Tx,
  u: {
    username: string;
    displayName: string;
    orgPath: string;
    roles: Role[];
    passwordHash: string;
    mustChange: boolean;
  },
): Promise<string> {
  const org = await trx
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('path', '=', u.orgPath)
    .executeTakeFirstOrThrow();
  const id = uuidv7();
  const now = nowIso();
  await trx
    .insertInto('users')
    .values({
      id,
      username: u.username,
      display_name: u.displayName,
      org_id: org.id,
      org_path: org.path,
      password_hash: u.passwordHash,
      password_changed_at: now,
      must_change_password: u.mustChange ? 1 : 0,
      totp_secret: null,
      totp_pending_secret: null,
      totp_enabled: 0,
      active: 1,
      last_login_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await trx
    .insertInto('user_roles')
    .values(u.roles.map((role) => ({ user_id: id, role })))
    .execute();
  return id;
}

export async function isEmpty(p: Platform): Promise<boolean> {
  return !(await p.handle.db.selectFrom('orgs').select('id').limit(1).executeTakeFirst());
}

/** Builds the demo city: org tree of 克拉玛依市 and one demo account per role (demo mode only). */
export async function seedDemo(p: Platform): Promise<{ orgs: number; users: number }> {
  const hash = await hashPassword(DEMO_PASSWORD);
  return p.handle.db.transaction().execute(async (trx) => {
    let orgs = 0;
    const add = async (parent: string | null, o: SeedOrg) => {
      orgs++;
      return insertOrg(trx, parent, o);
    };
    const root = await add(null, { ...karamay.root, type: 'veterans_bureau' });
    for (const d of karamay.districts) {
      const dp = await add(root, { code: d.code, name: d.name, type: 'veterans_bureau', regionCode: d.regionCode });
      for (const s of d.streets) {
        const sp = await add(dp, { code: s.code, name: s.name, type: 'service_station', regionCode: s.code });
        for (const [code, name] of s.communities)
          await add(sp, { code: code!, name: name!, type: 'service_station', regionCode: code });
      }
    }
    const mil = await add(root, { code: karamay.military.code, name: karamay.military.name, type: 'military_command' });
    for (const c of karamay.military.children) await add(mil, { code: c.code, name: c.name, type: c.type as OrgType });
    for (const [code, name] of karamay.departments) await add(root, { code: code!, name: name!, type: 'department' });
    for (const u of DEMO_USERS) {
      await insertUser(trx, { ...u, roles: [u.role], passwordHash: hash, mustChange: false });
    }
    await p.audit.append(trx, SYSTEM_AUDIT_ACTOR, { action: 'seed.demo', changes: { orgs, users: DEMO_USERS.length } });
    return { orgs, users: DEMO_USERS.length };
  });
}
