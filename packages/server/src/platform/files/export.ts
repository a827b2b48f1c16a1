import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { t } from '@shuangyong/shared';
import type ExcelJS from 'exceljs';
import { tick } from '../tick.js';
import { loadExcel } from './excel.js';
import { cleanText, dateFormatter, escapeCell, safeSheetName, toCellValue, unescapeCell } from './xlsx-values.js';

export { escapeCell, safeSheetName, toCellValue, unescapeCell };

export interface ExportColumn {
  header: string;
  key: string;
  /** Width in characters (default 16). */
  width?: number;
}

export interface WriteXlsxOptions {
  sheetName: string;
  columns: readonly ExportColumn[];
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  /** Called every `progressEvery` rows (default 1000) and once at the end with the rows written. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Zone for Date values (default Asia/Shanghai): written as 'YYYY-MM-DD HH:mm:ss' text. */
  timeZone?: string;
}

/**
 * Streams rows into an xlsx written to `output` (an HTTP response, a file), one committed row at a
 * time, so memory stays flat however many rows there are. Every text cell is formula-escaped.
 * Resolves when the workbook is complete and flushed to `output`.
 */
export async function writeXlsxStream(output: Writable, opts: WriteXlsxOptions): Promise<{ rows: number }> {
  const Excel = await loadExcel();
  const wb = new Excel.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  fastUnstyledCells(wb);
  const ws = wb.addWorksheet(safeSheetName(opts.sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = opts.columns.map((c) => ({ key: c.key, width: c.width ?? 16 }));
  const header = ws.addRow(opts.columns.map((c) => cleanText(c.header)));
  header.font = { bold: true };
  header.commit();

  const formatDate = dateFormatter(opts.timeZone ?? 'Asia/Shanghai');
  const keys = opts.columns.map((c) => c.key);
  const every = opts.progressEvery ?? 1000;
  let count = 0;
  for await (const record of opts.rows) {
    ws.addRow(keys.map((k) => toCellValue(record[k], formatDate))).commit();
    count++;
    if (count % every === 0) {
      opts.onProgress?.(count);
      await drained(ws, output);
    }
  }
  ws.commit();
  await wb.commit(); // resolves on the output's 'finish'
  opts.onProgress?.(count);
  return { rows: count };
}

/**
 * exceljs hands committed rows to the zip compressor without waiting for it, so a fast row source
 * and a slow client would pile the whole sheet up in memory. Waiting here for the compressor's
 * input (the sheet stream's pipe) and for the output to drain keeps memory flat.
 */
async function drained(ws: ExcelJS.Worksheet, output: Writable): Promise<void> {
  const compressor = (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  // archiver wraps the sheet in a readable-stream 2 PassThrough, which predates `writableNeedDrain`
  const state = (compressor as unknown as { _writableState?: { needDrain?: boolean } } | undefined)?._writableState;
  if (compressor && (compressor.writableNeedDrain || state?.needDrain)) await once(compressor, 'drain');
  if (output.writableNeedDrain) await once(output, 'drain');
  await tick();
}

interface StyleRegistry {
  addStyleModel(model: object | undefined, cellType?: number): number;
}

/**
 * Styles are on only so the header can be bold, but exceljs then builds and hashes a style record
 * for every cell, which doubles the time of a 100k-row export. Unstyled cells (an empty style
 * object) always get the same style id per value type, so it is looked up once per type.
 */
function fastUnstyledCells(wb: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const styles = (wb as unknown as { styles?: StyleRegistry }).styles;
  if (!styles || typeof styles.addStyleModel !== 'function') return;
  const original = styles.addStyleModel.bind(styles);
  const byType = new Map<number | undefined, number>();
  styles.addStyleModel = (model, cellType) => {
    if (!model || Object.keys(model).length > 0) return original(model, cellType);
    let id = byType.get(cellType);
    if (id === undefined) {
      id = original(model, cellType);
      byType.set(cellType, id);
    }
    return id;
  };
}

export interface ErrorReportRow {
  /** The row's number in the uploaded file. */
  rowNumber: number;
  /** The row's cells as read. */
  cells: readonly string[];
  /** Why the row was refused (already in Chinese). */
  reasons: readonly string[];
}

export interface ErrorReportOptions {
  /** The header cells of the uploaded file, so the report can be fixed and uploaded again. */
  header: readonly string[];
  rows: AsyncIterable<ErrorReportRow> | Iterable<ErrorReportRow>;
  sheetName?: string;
  onProgress?: (rows: number) => void;
}

/**
 * The import error report: the refused rows as uploaded, then '错误原因' and '原表行号' columns
 * (after the original ones, so the fixed file imports again with the same header). The header
 * decides the width: cells beyond it (stray notes right of the table) are not carried over.
 */
export function writeErrorReport(output: Writable, opts: ErrorReportOptions): Promise<{ rows: number }> {
  const n = opts.header.length;
  const columns: ExportColumn[] = [
    ...opts.header.map((h, i) => ({ header: h, key: `c${i}` })),
    { header: t('files.report.reason'), key: 'reason', width: 40 },
    { header: t('files.report.rowNumber'), key: 'rowNumber', width: 10 },
  ];
  const separator = t('files.report.reasonSeparator');
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const r of opts.rows) {
      const rec: Record<string, unknown> = { reason: r.reasons.join(separator), rowNumber: r.rowNumber };
      for (let i = 0; i < n; i++) rec[`c${i}`] = r.cells[i] ?? '';
      yield rec;
    }
  }
  return writeXlsxStream(output, {
    sheetName: opts.sheetName ?? t('files.report.sheetName'),
    columns,
    rows: rows(),
    onProgress: opts.onProgress,
  });
}

export interface TemplateColumn extends ExportColumn {
  /** Format the column as text so ID numbers and phone numbers keep every digit (default true). */
  text?: boolean;
}

export interface TemplateOptions {
  columns: readonly TemplateColumn[];
  /** Column key → the allowed values, offered as a drop-down list. */
  validations?: Readonly<Record<string, readonly string[]>>;
  sheetName?: string;
  /** Rows below the header that get the drop-downs and text format (default 1000). */
  rows?: number;
}

/** Excel's limit on an inline list formula ("a,b,c"); longer lists go to a hidden sheet. */
const MAX_INLINE_LIST = 255;

/**
 * An import template: bold frozen header, text-formatted columns, and drop-down lists on the first
 * `rows` data rows. Short lists are inline; long ones (or ones containing commas or quotes) live
 * on a hidden options sheet the validation refers to.
 */
export async function writeTemplate(opts: TemplateOptions): Promise<Buffer> {
  const rows = opts.rows ?? 1000;
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  const ws = wb.addWorksheet(safeSheetName(opts.sheetName ?? t('files.template.sheetName')), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  ws.columns = opts.columns.map((c) => ({
    key: c.key,
    width: c.width ?? 16,
    style: c.text === false ? {} : { numFmt: '@' },
  }));
  const header = ws.getRow(1);
  opts.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = cleanText(c.header);
    cell.numFmt = '@';
  });
  header.font = { bold: true };

  let options: ExcelJS.Worksheet | undefined;
  let optionCol = 0;
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } })
    .dataValidations;
  opts.columns.forEach((c, i) => {
    const values = opts.validations?.[c.key];
    if (!values?.length) return;
    const inline = values.join(',');
    let formula: string;
    if (inline.length + 2 <= MAX_INLINE_LIST && !values.some((v) => /[,"]/.test(v))) {
      formula = `"${inline}"`;
    } else {
      options ??= wb.addWorksheet(safeSheetName(t('files.template.optionsSheet')), { state: 'veryHidden' });
      optionCol++;
      values.forEach((v, r) => {
        options!.getCell(r + 1, optionCol).value = cleanText(v);
      });
      const letter = options.getColumn(optionCol).letter;
      formula = `'${options.name.replace(/'/g, "''")}'!$${letter}$1:$${letter}$${values.length}`;
    }
    const letter = ws.getColumn(i + 1).letter;
    validations.add(`${letter}2:${letter}${rows + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: t('files.template.invalidTitle'),
      error: t('files.template.invalidChoice'),
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
