import { idChecksum } from '@shuangyong/shared';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import type { Client, TestEnv } from './helpers.js';

/** A valid 18-digit ID number (GB 11643 checksum) for a region, birth date and sequence. */
export function makeId(region: string, birth: string, seq: number, sex: 'male' | 'female' = 'male'): string {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (sex === 'male')) s = (s + 1) % 1000;
  const first17 = `${region}${birth.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
  return first17 + idChecksum(first17);
}

export const martyrSurvivor = (startDate = '2010-01-01') => [
  { code: 'martyr_survivor', startDate, relation: 'mother' },
];

/** The columns of the register's xlsx that record a grade change (decisions/0065). */
export const GRADE_IMPORT_HEADER = [
  '姓名',
  '身份证号',
  '类别',
  '伤残等级',
  '伤残性质',
  '等级调整决定日期',
  '等级调整文号',
];

/**
 * Imports a one-sheet register xlsx (header, rows) into the org `orgId` as `c`, and answers its job
 * once the dry run is done (validated, or failed).
 */
export async function importRegister(
  env: TestEnv,
  c: Client,
  orgId: string,
  header: string[],
  rows: string[][],
  fileName = '调级.xlsx',
) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  const res = await c.request(
    'POST',
    `/api/v1/beneficiaries/imports?orgId=${orgId}&fileName=${encodeURIComponent(fileName)}`,
    Buffer.from(await wb.xlsx.writeBuffer()),
    { 'content-type': 'application/octet-stream' },
  );
  expect(res.statusCode, res.body).toBe(202);
  await env.jobs.idle();
  return (await c.get(`/api/v1/jobs/${res.json().id}`)).json();
}
