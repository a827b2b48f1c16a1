import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, type TestEnv, testEnv, userId } from './helpers.js';

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
