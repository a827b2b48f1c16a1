import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { runCli } from './cli.js';
import { orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
const ID = makeId('650203', '1944-04-04', 40);

beforeAll(async () => {
  env = await testEnv();
  const klmy = await signedIn(env.app, 'klmy', '10.9.2.1');
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, '650200/650203/650203001/650203001001/'),
    name: '密钥轮换',
    idNumber: ID,
    phone: '13511112222',
    address: '克拉玛依区天山路1号',
    categories: martyrSurvivor(),
  });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => env?.close());

describe('key rotation', () => {
  it('re-encrypts every personal field under a new key; reveal, lookup and the audit chain keep working', async () => {
    const before = JSON.parse(fs.readFileSync(env.p.config.keyFile, 'utf8'));
    const r = runCli(['keys', 'rotate'], {
      DATABASE_URL: env.url,
      KEY_FILE: env.p.config.keyFile,
      DATA_DIR: env.dataDir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/重新加密 \d+ 项/);
    const after = JSON.parse(fs.readFileSync(env.p.config.keyFile, 'utf8'));
    expect(Object.keys(after.keys)).toHaveLength(2);
    expect(after.current).not.toBe(before.current);
    const row = await env.p.handle.db
      .selectFrom('beneficiaries')
      .select(['id', 'id_enc', 'phone_enc', 'address_enc'])
      .executeTakeFirstOrThrow();
    for (const v of [row.id_enc, row.phone_enc, row.address_enc])
      expect(v!.startsWith(`v1.${after.current}.`)).toBe(true);

    // a server started with the rotated key file reads everything
    const p = createPlatform(
      loadConfig({ databaseUrl: env.url, dataDir: env.dataDir, keyFile: env.p.config.keyFile, demo: true }),
    );
    const { app } = await buildApp(p, { webDir: '/nonexistent' });
    try {
      const klmy = await signedIn(app, 'klmy', '10.9.2.2');
      expect(
        (await klmy.post(`/api/v1/beneficiaries/${row.id}/reveal`, { reason: '轮换后核对' })).json(),
      ).toMatchObject({
        idNumber: ID,
        phone: '13511112222',
      });
      expect((await klmy.post('/api/v1/beneficiaries/lookup', { idNumber: ID })).json().found.id).toBe(row.id);
      expect((await p.audit.verify(p.handle.db)).ok).toBe(true);
    } finally {
      await app.close();
      await p.handle.close();
    }
  });
});
