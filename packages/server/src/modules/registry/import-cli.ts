import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { systemActor } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { sniff } from '../../platform/files/index.js';
import { Jobs } from '../../platform/jobs/jobs.js';
import { BeneficiaryImport, IMPORT_KIND } from './import.js';

/** `shuangyong import beneficiaries FILE`: the same job as the browser's import, run to the end. */
export async function importFile(
  p: Platform,
  org: { id: string; path: string; name: string },
  fileName: string,
  data: Buffer,
  commit: boolean,
) {
  const actor = systemActor(org, 'cli');
  const jobs = new Jobs(p);
  jobs.register(IMPORT_KIND, new BeneficiaryImport(p, async () => actor, jobs));
  sniff(data);
  const created = await jobs.create(
    { ...actor, userId: 'system' },
    org,
    IMPORT_KIND,
    { orgId: org.id },
    { name: fileName, data },
  );
  await jobs.idle();
  let job = await jobs.get(SYSTEM_SCOPE, created.id);
  if (commit && job?.status === 'validated') {
    await jobs.commit(created.id);
    await jobs.idle();
    job = await jobs.get(SYSTEM_SCOPE, created.id);
  }
  return { status: job!.status, error: job!.error, result: job!.result ? JSON.parse(job!.result) : null };
}
