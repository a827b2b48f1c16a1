import { isValidIdNumber, maskAddress, maskIdNumber, maskPhone } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idBlindIndex, open } from '../src/modules/registry/personal-data.js';
import { seedSynthetic } from '../src/seed/synthetic.js';
import { signedIn, type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

describe('synthetic registry', () => {
  it('creates valid, unique, searchable people with a realistic mix, deterministically', async () => {
    const r = await seedSynthetic(env.p, { count: 3000, seed: 7, batch: 700 });
    expect(r.created).toBe(3000);
    const rows = await env.p.handle.db
      .selectFrom('beneficiaries')
      .select(['id_enc', 'id_bi', 'name', 'categories', 'status', 'org_path'])
      .execute();
    expect(rows.length).toBe(3000);
    expect(new Set(rows.map((x) => x.id_bi)).size).toBe(3000);
    const sample = rows.slice(0, 200).map((x) => env.p.crypto.decrypt(x.id_enc));
    expect(sample.every(isValidIdNumber)).toBe(true);
    // each sealed column (encrypted a group at a time) in its place: the blind index and the masks
    // are those of the value it opens to, and the household holds the person's address
    const sealed = await env.p.handle.db
      .selectFrom('beneficiaries as b')
      .innerJoin('households as h', 'h.id', 'b.household_id')
      .select(['b.id_enc', 'b.id_bi', 'b.id_masked', 'b.phone_enc', 'b.phone_masked', 'b.address_enc'])
      .select(['h.address_enc as household_address', 'h.address_masked as household_masked'])
      .limit(300)
      .execute();
    for (const x of sealed) {
      const id = open(env.p.crypto, x.id_enc)!;
      const phone = open(env.p.crypto, x.phone_enc)!;
      const address = open(env.p.crypto, x.address_enc)!;
      expect([x.id_bi, x.id_masked, x.phone_masked]).toEqual([
        idBlindIndex(env.p.crypto, id),
        maskIdNumber(id),
        maskPhone(phone),
      ]);
      expect([open(env.p.crypto, x.household_address), x.household_masked]).toEqual([address, maskAddress(address)]);
    }
    const share = (pred: (x: (typeof rows)[number]) => boolean) => rows.filter(pred).length / rows.length;
    expect(share((x) => x.categories === 'veteran')).toBeGreaterThan(0.3);
    expect(share((x) => x.name.includes('·'))).toBeGreaterThan(0.03);
    expect(share((x) => x.status === 'active')).toBeGreaterThan(0.85);
    expect(new Set(rows.map((x) => x.org_path.split('/')[1])).size).toBe(4);
    // the same seed on a fresh run draws the same names (a second band of ID numbers avoids clashes)
    const again = await seedSynthetic(env.p, { count: 50, seed: 7 });
    expect(again.created).toBe(50);
    const firstNames = rows.slice(0, 50).map((x) => x.name);
    const all = await env.p.handle.db
      .selectFrom('beneficiaries')
      .select('name')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(all.slice(3000).map((x) => x.name)).toEqual(firstNames);
    // and they are found through the API like any registered person
    const klmy = await signedIn(env.app, 'klmy', '10.6.0.1');
    const list = (await klmy.get('/api/v1/beneficiaries?pageSize=5')).json();
    expect(list.total).toBeGreaterThan(300);
    const someone = list.items[0];
    const found = (await klmy.get(`/api/v1/beneficiaries?q=${encodeURIComponent(someone.name.slice(0, 2))}`)).json();
    expect(found.items.map((x: { id: string }) => x.id)).toContain(someone.id);
  });
});

describe('export scan', () => {
  it('walks every row of a filter exactly once in small keyset pages, in name order', async () => {
    const { registryRepo } = await import('../src/modules/registry/registry.repo.js');
    for (const f of [{}, { category: 'veteran' as const }]) {
      const expected = await registryRepo.count(env.p.handle.db, { kind: 'subtree', path: '650200/650203/' }, f);
      const seen: string[] = [];
      const names: string[] = [];
      for await (const rows of registryRepo.scan(env.p.handle.db, { kind: 'subtree', path: '650200/650203/' }, f, 37))
        for (const r of rows) {
          seen.push(r.id);
          names.push(r.name_pinyin);
        }
      expect(seen.length).toBe(expected);
      expect(new Set(seen).size).toBe(expected);
      expect([...names].sort()).toEqual(names);
      expect(expected).toBeGreaterThan(100);
    }
  });
});
