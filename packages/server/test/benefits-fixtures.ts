import { expect } from 'vitest';
import type { Client, TestEnv } from './helpers.js';

/** A bank's return file (CSV) with the given rows: ID number, name, amount in yuan, result. */
export const returnCsv = (rows: string[][]) =>
  Buffer.from(['身份证号,姓名,金额（元）,发放结果', ...rows.map((r) => r.join(','))].join('\n'), 'utf8');

/**
 * Reconciles a return file against a roster as a job (benefit.reconcile) and waits for it: it
 * succeeds with its progress at 100 %. Returns the job's result.
 */
export async function reconcileReturn(env: TestEnv, c: Client, rosterId: string, file: Buffer, fileName = 'r.csv') {
  const res = await c.request(
    'POST',
    `/api/v1/benefit-rosters/${rosterId}/return?fileName=${encodeURIComponent(fileName)}`,
    file,
    { 'content-type': 'application/octet-stream' },
  );
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json()).toMatchObject({ kind: 'benefit.reconcile' });
  await env.jobs.idle();
  const job = await c.get(`/api/v1/jobs/${res.json().id}`);
  expect(job.statusCode, job.body).toBe(200);
  expect(job.json().status, job.json().error).toBe('succeeded');
  expect(job.json().processed).toBe(job.json().total);
  return job.json().result as {
    rosterId: string;
    returnLines: number;
    paidFen: number;
    discrepancies: Record<string, number>;
  };
}
