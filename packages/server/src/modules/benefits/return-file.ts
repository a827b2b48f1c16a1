import { maskIdNumber, normalizeIdNumber, t, todayIso, yuanTextToFen } from '@shuangyong/shared';
import { badRequest } from '../../platform/errors.js';
import {
  locateHeaderInBatches,
  type OpenedTableBatches,
  openTableBatches,
  type TableRow,
} from '../../platform/files/index.js';
import { BoundedMemo, ownString } from '../../platform/memo.js';
import type { ReturnLine } from './reconcile.js';
import { ReturnLinesByPerson } from './return-lines.js';

/** Lines a return file may hold. */
export const MAX_RETURN_ROWS = 200_000;
/**
 * Blind indexes of ID numbers kept between reconciliations (decisions/0061): twice this many at
 * most (BoundedMemo), and none once no file has been read for a while (the reader's owner).
 */
const ID_INDEX_MEMO = 200_000;

export const RETURN_HEADERS = {
  idNumber: ['身份证号', '身份证号码', '证件号码', '公民身份号码', '身份证', '证件号'],
  name: ['姓名', '户名', '收款人', '收款人姓名', '账户名称'],
  amount: ['金额', '发放金额', '实发金额', '代发金额', '金额（元）', '金额(元)', '实付金额', '交易金额'],
  status: ['状态', '结果', '发放结果', '处理结果', '代发结果', '交易状态', '备注'],
  account: ['账号', '卡号', '银行账号', '银行卡号', '收款账号'],
} as const;

/** 成功/已发放 → paid; 失败/退回/退票 → not paid; empty → paid when there is an amount. */
function paidStatus(cell: string | undefined): boolean {
  const s = (cell ?? '').replace(/\s+/g, '');
  if (/失败|退回|退票|不符|冻结|销户|未发/.test(s)) return false;
  return true;
}

/**
 * A line of a return file as the job holds it until the findings are known: what `judge` reads,
 * and the cells its other texts come from, made only for the lines kept (few) — every line of a
 * file is held, so nothing is made per line that is not needed (decisions/0061).
 */
export class FileLine implements ReturnLine {
  constructor(
    readonly rowNumber: number,
    readonly idBi: string,
    readonly fen: number,
    readonly paid: boolean,
    /** The normalised ID number. */
    readonly idNumber: string,
    readonly name: string,
    /** The account cell as written. */
    readonly accountCell: string,
  ) {}
  get idMasked() {
    return maskIdNumber(this.idNumber);
  }
  /** The account number without spaces (sealed when the line is kept). */
  get account() {
    return this.accountCell.replace(/\s+/g, '') || null;
  }
}

/** A line of the file that could not be read (its ID number or amount). */
export interface ReturnFileError {
  row: number;
  message: string;
}

/**
 * Reads a bank's return file for a reconciliation (decisions/0054, 0061, 0070), in the return-file
 * worker (return-file.worker.ts, decisions/0075) or, without it, in the server's thread: `read`
 * holds every line by person as numbers, with the blind index of its ID number from a memo kept
 * across files (a person is in a file a month); `cells` reads the texts of the few lines kept (the
 * people with a finding) from the same file again; `release` lets the file go.
 */
export class ReturnFileReader {
  /** The day ID numbers are checked against (birth dates after it are refused), set per file. */
  private today = todayIso();
  private readonly idIndex: BoundedMemo<string, string>;
  private opened: OpenedTableBatches | null = null;

  /** `blindIndex` of a normalised ID number: the registry's (CryptoProvider.mac). */
  constructor(blindIndex: (idNumber: string) => string) {
    this.idIndex = new BoundedMemo<string, string>(
      ID_INDEX_MEMO,
      (raw) => {
        // a number refused is not kept: one born "in the future" is accepted from that day on
        const n = normalizeIdNumber(raw, { today: this.today });
        return n.ok ? blindIndex(n.value) : undefined;
      },
      // the cells are slices of the file's text: kept as they are, they would keep every file read
      ownString,
    );
  }

  /**
   * The lines of the file by person, and the lines that could not be read. `pace` is awaited every
   * 64 lines with the share of the file read (0–1): progress, and in the server's thread a turn of
   * the loop when a slice of work is over.
   */
  async read(
    buf: Buffer,
    pace: (fraction: number) => Promise<void> | void,
  ): Promise<{ people: ReturnLinesByPerson; errors: ReturnFileError[] }> {
    this.today = todayIso();
    let fraction = 0;
    this.opened = await openTableBatches(buf, {
      maxRows: MAX_RETURN_ROWS,
      onProgress: (p) => {
        fraction = p.fraction;
      },
    });
    const { col, dataBatches } = await columnsOf(this.opened);
    // every line by person (blind index), in file order, as numbers: nothing is written per line
    // (decisions/0054) and no text is held per line (decisions/0070)
    const people = new ReturnLinesByPerson();
    const errors: ReturnFileError[] = [];
    for await (const rows of dataBatches)
      for (const row of rows) {
        const rawId = col(row, 'idNumber');
        if (!rawId || /合计|总计/.test(col(row, 'name')) || /合计|总计/.test(rawId)) continue;
        const bi = this.idIndex.get(rawId);
        const fen = yuanTextToFen(col(row, 'amount'));
        if (!bi || fen === null) {
          errors.push({ row: row.rowNumber, message: t(bi ? 'benefits.import.amount' : 'benefits.import.idNumber') });
          continue;
        }
        people.add(bi, row.rowNumber, fen, paidStatus(col(row, 'status')));
        if ((people.count & 63) === 0) await pace(fraction);
      }
    return { people, errors };
  }

  /** The lines `rows` (row numbers) of the file `read` last, in row order; `pace` is awaited after each batch of rows. */
  async cells(rows: ReadonlySet<number>, pace: () => Promise<void> | void): Promise<FileLine[]> {
    if (!this.opened) throw new Error('return file: cells asked before read');
    let last = 0;
    for (const n of rows) if (n > last) last = n;
    const { cell, col, dataBatches } = await columnsOf(await this.opened.again({ maxRows: MAX_RETURN_ROWS }));
    const out: FileLine[] = [];
    read: for await (const batch of dataBatches) {
      for (const row of batch) {
        if (row.rowNumber > last) break read;
        if (!rows.has(row.rowNumber)) continue;
        const rawId = col(row, 'idNumber');
        const bi = this.idIndex.get(rawId);
        const id = normalizeIdNumber(rawId, { today: this.today });
        const fen = yuanTextToFen(col(row, 'amount'));
        if (!bi || !id.ok || fen === null)
          throw new Error(`return file: row ${row.rowNumber} read differently the second time`);
        out.push(
          new FileLine(
            row.rowNumber,
            bi,
            fen,
            paidStatus(col(row, 'status')),
            ownString(id.value),
            ownString(col(row, 'name')),
            ownString(cell(row, 'account')),
          ),
        );
      }
      await pace();
    }
    if (out.length !== rows.size) throw new Error('return file: rows missing the second time');
    return out.sort((a, b) => a.rowNumber - b.rowNumber);
  }

  /** Lets the file `read` last go. */
  release(): void {
    this.opened = null;
  }

  /** Forgets the blind indexes kept. */
  forget(): void {
    this.idIndex.clear();
  }
}

/** The return file's columns located by their headers (an ID number and an amount are required). */
async function columnsOf(opened: OpenedTableBatches) {
  const { header, dataBatches } = await locateHeaderInBatches(opened.batches, RETURN_HEADERS, { minMatches: 2 });
  if (header.columns.idNumber === undefined || header.columns.amount === undefined)
    throw badRequest('bad_header', 'benefits.import.header', { missing: '身份证号、金额' });
  const cell = (row: TableRow, f: keyof typeof RETURN_HEADERS) => {
    const i = header.columns[f];
    return i === undefined ? '' : (row.cells[i] ?? '');
  };
  const col = (row: TableRow, f: keyof typeof RETURN_HEADERS) => cell(row, f).trim();
  return { cell, col, dataBatches };
}
