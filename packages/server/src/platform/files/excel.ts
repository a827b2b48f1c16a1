import type ExcelJS from 'exceljs';

let loaded: Promise<typeof ExcelJS> | undefined;

/**
 * exceljs, loaded at its first use instead of at start-up: it is the largest module the server
 * imports (~20% of the time from spawn to ready; docs/decisions/0032), and most starts never read
 * or write a spreadsheet before the first import or export.
 */
export function loadExcel(): Promise<typeof ExcelJS> {
  loaded ??= import('exceljs').then(
    (m) => (m as unknown as { default?: typeof ExcelJS }).default ?? (m as unknown as typeof ExcelJS),
  );
  return loaded;
}
