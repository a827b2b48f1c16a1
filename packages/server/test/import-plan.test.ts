import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BeneficiaryImport, IMPORT_KIND } from '../src/modules/registry/import.js';
import { importFile } from '../src/modules/registry/import-cli.js';
import { idBlindIndex } from '../src/modules/registry/personal-data.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { type Actor, systemActor } from '../src/platform/auth/actor.js';
import { Jobs } from '../src/platform/jobs/jobs.js';
import { type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * The commit after a dry run (decisions/0064): the file's checks come from the dry run's plan file,
 * the register's are made again in the commit's transaction — a person registered between the two
 * with an ID number of the file is refused (another district) or found (the importer's own), as a
 * commit that checked the whole file again would do. A plan that no longer fits (the places under
 * the importer changed) is not used: the file is checked again.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await testEnv();
});
afterAll(async () => env?.close());

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('优抚对象');
  ws.addRow(['姓名', '身份证号', '类别', '手机', '街道', '社区']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const district = (code: string) =>
  env.p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('depth', '=', 1)
    .where('path', 'like', `%${code}/`)
    .executeTakeFirstOrThrow();

/** A dry run of `data` by the district's importer; the job and a commit to run later. */
async function dryRun(org: { id: string; path: string; name: string }, data: Buffer) {
  // the district's own importer: its scope is the district (someone registered elsewhere is out of it)
  const actor: Actor = {
    ...systemActor(org, 'test'),
    scopeKind: 'subtree',
    scope: { kind: 'subtree', path: org.path },
  };
  const jobs = new Jobs(env.p);
  const handler = new BeneficiaryImport(env.p, async () => actor, jobs);
  jobs.register(IMPORT_KIND, handler);
  const job = await jobs.create(
    { ...actor, userId: 'system' },
    org,
    IMPORT_KIND,
    { orgId: org.id },
    {
      name: 'plan.xlsx',
      data,
    },
  );
  await jobs.idle();
  const validated = await jobs.get(SYSTEM_SCOPE, job.id);
  const commit = async () => {
    await jobs.commit(job.id);
    await jobs.idle();
    const done = await jobs.get(SYSTEM_SCOPE, job.id);
    return { status: done!.status, error: done!.error, result: JSON.parse(done!.result!) };
  };
  return { jobs, job, handler, validated, commit };
}

const personsWithId = (id: string) =>
  env.p.handle.db
    .selectFrom('beneficiaries')
    .select(['id', 'org_path'])
    .where('id_bi', '=', idBlindIndex(env.p.crypto, id))
    .execute();

describe('import commit from the dry run plan', () => {
  it('refuses or finds a person registered between the dry run and the commit', async () => {
    const klmy = await district('650203');
    const other = await district('650204');
    const ELSEWHERE = makeId('650203', '1961-04-01', 11);
    const OWN = makeId('650203', '1961-04-02', 13);
    const NEW = makeId('650203', '1961-04-03', 15);
    const rows = [
      ['王立新', ELSEWHERE, '退役军人', '13911110001', '天山路街道', '友谊社区'],
      ['王立国', OWN, '退役军人', '13911110002', '天山路街道', '友谊社区'],
      ['王立华', NEW, '退役军人', '13911110003', '', ''],
      ['王立华', NEW, '退役军人', '13911110003', '', ''],
      ['王', 'not an id', '退役军人', '', '', ''],
    ];
    const run = await dryRun(klmy, await xlsx(rows));
    expect(run.validated?.status).toBe('validated');
    expect(JSON.parse(run.validated!.result!)).toMatchObject({
      total: 5,
      created: 3,
      duplicates: 1,
      invalid: 1,
      errorCount: 2,
    });
    expect(run.jobs.hasArtefact(run.job.id, 'plan.jsonl')).toBe(true);

    // meanwhile: ELSEWHERE registered by another district, OWN by this one (phone as in the file)
    const byOther = await importFile(
      env.p,
      other,
      'other.xlsx',
      await xlsx([[rows[0]![0]!, ELSEWHERE, '退役军人', '', '', '']]),
      true,
    );
    expect(byOther.result).toMatchObject({ created: 1 });
    const byOwn = await importFile(env.p, klmy, 'own.xlsx', await xlsx([rows[1]!]), true);
    expect(byOwn.result).toMatchObject({ created: 1 });

    // biome-ignore lint/suspicious/noExplicitAny: spies on the handler's private steps
    const handler = run.handler as any;
    const plan = vi.spyOn(handler, 'plan');
    const fromPlan = vi.spyOn(handler, 'commitPlan');
    const done = await run.commit();
    expect(done.status).toBe('succeeded');
    // the file was not checked again: the commit ran from the plan file
    expect(fromPlan).toHaveBeenCalledTimes(1);
    expect(plan).not.toHaveBeenCalled();
    expect(done.result).toMatchObject({
      total: 5,
      created: 1,
      updated: 0,
      unchanged: 1,
      duplicates: 2,
      invalid: 1,
      errorCount: 3,
    });
    const kinds = done.result.errors.map((e: { row: number; kind: string }) => [e.row, e.kind]);
    expect(kinds).toEqual([
      [6, 'invalid'],
      [5, 'duplicateInFile'],
      [2, 'registeredElsewhere'],
    ]);
    // one person per ID number, where the first registration put them
    expect((await personsWithId(ELSEWHERE)).map((x) => x.org_path.startsWith(other.path))).toEqual([true]);
    expect(await personsWithId(OWN)).toHaveLength(1);
    expect(await personsWithId(NEW)).toHaveLength(1);
    // the error report has the refused row with its cells (read from the file again: the plan keeps none)
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(run.jobs.readArtefact(run.job.id, 'errors.xlsx')! as never);
    const texts: string[] = [];
    report.worksheets[0]!.eachRow((r) => {
      texts.push((r.values as unknown[]).map((v) => String(v ?? '')).join('|'));
    });
    expect(texts.some((x) => x.includes('王立新') && x.includes(ELSEWHERE))).toBe(true);
    expect(await env.p.audit.verify(env.p.handle.db)).toMatchObject({ ok: true });
  });

  it('checks the file again when the places under the importer changed since the dry run', async () => {
    const klmy = await district('650203');
    const A = makeId('650203', '1962-05-01', 21);
    const run = await dryRun(klmy, await xlsx([['赵立新', A, '退役军人', '13922220001', '天山路街道', '友谊社区']]));
    expect(JSON.parse(run.validated!.result!)).toMatchObject({ created: 1, invalid: 0 });
    // the community the row names is closed in between
    const community = await env.p.handle.db
      .selectFrom('orgs')
      .select(['id'])
      .where('name', 'like', '友谊社区%')
      .where('path', 'like', `${klmy.path}%`)
      .executeTakeFirstOrThrow();
    await env.p.handle.db.updateTable('orgs').set({ active: 0 }).where('id', '=', community.id).execute();
    try {
      // biome-ignore lint/suspicious/noExplicitAny: spies on the handler's private step
      const plan = vi.spyOn(run.handler as any, 'plan');
      const done = await run.commit();
      expect(done.status).toBe('succeeded');
      expect(plan).toHaveBeenCalledTimes(1);
      expect(done.result).toMatchObject({ created: 0, invalid: 1 });
      expect(await personsWithId(A)).toHaveLength(0);
    } finally {
      await env.p.handle.db.updateTable('orgs').set({ active: 1 }).where('id', '=', community.id).execute();
    }
  });
});

/** `n` rows of new people (ID numbers of distinct birth dates), Chinese names, a phone each. */
function manyRows(n: number, from: number): string[][] {
  const surnames = '王李张刘陈杨赵黄周吴';
  return Array.from({ length: n }, (_, i) => {
    const birth = new Date(Date.UTC(1940, 0, 1) + (from + i) * 86_400_000).toISOString().slice(0, 10);
    return [
      `${surnames[i % 10]}建${'国华军民'[i % 4]}`,
      makeId('650203', birth, 2 * (i % 400) + 1),
      '退役军人',
      `139${String(from + i).padStart(8, '0')}`,
      '',
      '',
    ];
  });
}

describe('import plan file streamed (decisions/0071)', () => {
  it('a file of several batches and plan pieces commits what its dry run found', async () => {
    const klmy = await district('650203');
    const rows = manyRows(1300, 0);
    rows[900] = [...rows[10]!]; // the file's own duplicate, past the first batch
    rows[1100] = ['王', 'not an id', '退役军人', '', '', '']; // invalid, in the third batch
    const run = await dryRun(klmy, await xlsx(rows));
    expect(run.validated?.status).toBe('validated');
    const planned = JSON.parse(run.validated!.result!);
    expect(planned).toMatchObject({ total: 1300, created: 1298, duplicates: 1, invalid: 1, errorCount: 2 });
    // the plan file spans several pieces of its writing and chunks of its reading
    const plan = run.jobs.readArtefact(run.job.id, 'plan.jsonl')!;
    expect(plan.length).toBeGreaterThan(300 * 1024);
    expect(plan.toString('utf8').split('\n').filter(Boolean)).toHaveLength(1 + 1298 + 1);

    // biome-ignore lint/suspicious/noExplicitAny: spies on the handler's private steps
    const handler = run.handler as any;
    const recheck = vi.spyOn(handler, 'plan');
    const done = await run.commit();
    expect(done.status).toBe('succeeded');
    expect(recheck).not.toHaveBeenCalled();
    expect(done.result).toEqual({ ...planned, errors: planned.errors });
    for (const i of [0, 499, 500, 1299]) expect(await personsWithId(rows[i]![1]!)).toHaveLength(1);
    const stored = await env.p.handle.db
      .selectFrom('beneficiaries')
      .select(['name', 'phone_masked'])
      .where('id_bi', '=', idBlindIndex(env.p.crypto, rows[777]![1]!))
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe(rows[777]![0]);
  });

  it('a commit interrupted mid-way runs again from the plan when the jobs resume', async () => {
    const klmy = await district('650203');
    const rows = manyRows(1200, 2000);
    const run = await dryRun(klmy, await xlsx(rows));
    const planned = JSON.parse(run.validated!.result!);
    expect(planned).toMatchObject({ created: 1200 });
    // the second batch's write fails: the commit's transaction is rolled back whole
    // biome-ignore lint/suspicious/noExplicitAny: breaks the handler's private step
    const handler = run.handler as any;
    const write = handler.write.bind(handler);
    let calls = 0;
    const broken = vi.spyOn(handler, 'write').mockImplementation((...args: unknown[]) => {
      if (++calls === 2) return Promise.reject(new Error('power cut'));
      return write(...args);
    });
    expect((await run.commit()).status).toBe('failed');
    broken.mockRestore();
    expect(await personsWithId(rows[0]![1]!)).toHaveLength(0);

    // as after a crash during the commit: the job row says committing; a new process resumes it
    await env.p.handle.db.updateTable('jobs').set({ status: 'committing' }).where('id', '=', run.job.id).execute();
    const jobs = new Jobs(env.p);
    const again = new BeneficiaryImport(env.p, handler.actorOf, jobs);
    jobs.register(IMPORT_KIND, again);
    const fromPlan = vi.spyOn(again as never, 'commitPlan');
    await jobs.resume();
    await jobs.idle();
    const done = await jobs.get(SYSTEM_SCOPE, run.job.id);
    expect(done?.status).toBe('succeeded');
    expect(fromPlan).toHaveBeenCalledTimes(1);
    expect(JSON.parse(done!.result!)).toEqual(planned);
    for (const i of [0, 600, 1199]) expect(await personsWithId(rows[i]![1]!)).toHaveLength(1);
    expect(await env.p.audit.verify(env.p.handle.db)).toMatchObject({ ok: true });
  });
});
