// The import file of the import scenario and a row counter for the export scenario (exceljs streaming).
import fs from 'node:fs';
import ExcelJS from 'exceljs';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** GB 11643-1999 check character of the first 17 digits. */
export function idChecksum(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘';
const GIVEN = '建国军华明英秀兰伟芳强敏静丽勇艳杰娟涛超霞平刚桂红玉春志海燕文辉新荣成宝东林忠德福';
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(1900, 0, 1);
const DAYS = (Date.UTC(1920, 0, 1) - FIRST_DAY) / DAY; // 1900-01-01 … 1919-12-31: 7305 days

/**
 * Row i of the import file: region 650203, a birth date in 1900–1919 (the synthetic seed uses 1929
 * and later) and a sequence number, so every ID number is distinct and new to the database.
 */
export function importRow(i) {
  const day = i % DAYS;
  const seq = Math.floor(i / DAYS) + 1; // ≤ 999 for up to 7.29 million rows
  if (seq > 999) throw new Error('too many rows for the 1900–1919 ID space');
  const d = new Date(FIRST_DAY + day * DAY).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `650203${d}${String(seq).padStart(3, '0')}`;
  const name =
    SURNAMES[i % SURNAMES.length] +
    GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] +
    GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length];
  return {
    name,
    idNumber: first17 + idChecksum(first17),
    category: '退役军人',
    phone: `139${String(i).padStart(8, '0')}`,
  };
}

/** Writes `rows` rows (姓名, 身份证号, 类别, 手机) with the streaming WorkbookWriter; reuses an existing file. */
export async function ensureImportFile(file, rows) {
  if (fs.existsSync(file)) return { file, reused: true };
  const tmp = `${file}.tmp`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('优抚对象');
  ws.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '身份证号', key: 'idNumber', width: 22 },
    { header: '类别', key: 'category', width: 12 },
    { header: '手机', key: 'phone', width: 14 },
  ];
  for (let i = 0; i < rows; i++) ws.addRow(importRow(i)).commit();
  ws.commit();
  await wb.commit();
  fs.renameSync(tmp, file);
  return { file, reused: false };
}

/** Counts the data rows (all rows after the first) of every sheet of an xlsx file, streaming. */
export async function countXlsxRows(file) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'ignore', styles: 'ignore' });
  let rows = 0;
  for await (const ws of reader) {
    let first = true;
    for await (const _row of ws) {
      if (first) first = false;
      else rows++;
    }
  }
  return rows;
}
