import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReturnFile, type ReturnFileSession } from '../src/modules/benefits/return-file-session.js';
import { ReturnLinesByPerson } from '../src/modules/benefits/return-lines.js';
import { loadOrCreateKeyFile, SmCryptoProvider } from '../src/platform/crypto/index.js';
import { AppError } from '../src/platform/errors.js';
import { makeId } from './registry-fixtures.js';

// A bank's return file read for a reconciliation (decisions/0075): in the return-file worker and, as
// without the worker's entry, in the server's thread — the same lines, blind indexes and cells.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-return-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const keyFile = path.join(dir, 'keys.json');
const crypto = new SmCryptoProvider(loadOrCreateKeyFile(keyFile));
const PURPOSE = 'beneficiary.id_number';
const keys = { keyFile, purpose: PURPOSE, blindIndex: (id: string) => crypto.mac(PURPOSE, id) };

/** 3,000 lines of 1,000 people (each three times, spread over the file), every 7th failed, and a total line. */
function returnFile() {
  const ids = Array.from({ length: 1000 }, (_, i) =>
    makeId('650203', i % 2 ? '19600101' : '19610101', i, i % 4 < 2 ? 'male' : 'female'),
  );
  const lines = ['姓名,身份证号,金额,状态,账号'];
  for (let i = 0; i < 3000; i++)
    lines.push(
      `人${i % 1000},${ids[(i * 7) % 1000]},${(100 + (i % 13)).toFixed(2)},${i % 7 ? '成功' : '退票'},6222 0000 ${i}`,
    );
  lines.push('合计,,300000.00,,');
  return { ids, buf: Buffer.from(`${lines.join('\n')}\n`) };
}

async function readAll(session: ReturnFileSession, buf: Buffer) {
  try {
    const { people, errors } = await session.read(buf, async () => {});
    const kept = await session.cells(new Set([2, 3, 3001]));
    return { people, errors, kept };
  } finally {
    await session.close();
  }
}

describe('a return file read for a reconciliation', () => {
  it('gives the same lines by person, blind indexes and kept cells in the worker and in-process', async () => {
    const { ids, buf } = returnFile();
    const inWorker = await readAll(openReturnFile(keys, 8), buf);
    const inProcess = await readAll(openReturnFile(keys, 8, { inProcess: true }), buf);
    for (const r of [inWorker, inProcess]) {
      expect(r.errors).toEqual([]);
      expect(r.people.count).toBe(3000);
      expect(r.people.persons).toBe(1000);
      expect(r.people.bis[0]).toBe(keys.blindIndex(ids[0]!));
      const first = r.people.linesOf(r.people.indexOf(keys.blindIndex(ids[7]!))!);
      expect(first.map((l) => [l.rowNumber, l.fen, l.paid])).toEqual([
        [3, 10100, true],
        [1003, 10000, false],
        [2003, 11200, true],
      ]);
      expect(r.kept.map((l) => [l.rowNumber, l.name, l.idMasked, l.fen, l.paid, l.account])).toEqual([
        [2, '人0', `${ids[0]!.slice(0, 6)}********${ids[0]!.slice(-4)}`, 10000, false, '622200000'],
        [3, '人1', `${ids[7]!.slice(0, 6)}********${ids[7]!.slice(-4)}`, 10100, true, '622200001'],
        [3001, '人999', `${ids[993]!.slice(0, 6)}********${ids[993]!.slice(-4)}`, 10900, true, '622200002999'],
      ]);
    }
    expect(inWorker.people.parts()).toEqual(inProcess.people.parts());
  });

  it('reports the lines it cannot read, and a file without the columns as the same error as before', async () => {
    const bad = Buffer.from(
      '姓名,身份证号,金额\n甲,110101199001011234,100\n乙,not-an-id,100\n丙,11010119900101123X,abc\n',
    );
    for (const inProcess of [false, true]) {
      const session = openReturnFile(keys, 8, { inProcess });
      try {
        const { errors } = await session.read(bad, async () => {});
        expect(errors.map((e) => e.row)).toEqual(expect.arrayContaining([3]));
        expect(errors.every((e) => /[\u4e00-\u9fff]/.test(e.message))).toBe(true);
      } finally {
        await session.close();
      }
      const noHeader = openReturnFile(keys, 8, { inProcess });
      try {
        const err = await noHeader.read(Buffer.from('甲,乙\n1,2\n'), async () => {}).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).status).toBe(400);
      } finally {
        await noHeader.close();
      }
    }
  });

  it('makes the store again from its parts', async () => {
    const held = new ReturnLinesByPerson();
    for (let i = 0; i < 2000; i++) held.add(`bi-${i % 300}`, i + 2, i, i % 3 !== 0);
    const again = await ReturnLinesByPerson.fromParts(structuredClone(held.parts()));
    expect(again.count).toBe(2000);
    expect(again.bis).toEqual(held.bis);
    for (let p = 0; p < held.persons; p += 37) expect(again.linesOf(p)).toEqual(held.linesOf(p));
    expect(again.indexOf('bi-299')).toBe(held.indexOf('bi-299'));
  });
});
