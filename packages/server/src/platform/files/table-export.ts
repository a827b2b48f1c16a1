import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { CryptoProvider } from '../crypto/index.js';
import { workerEntry } from './workers.js';
import { type SheetColumn, writeSheetXlsx } from './xlsx-stream.js';

/**
 * One column of a table export: a column of the query's rows, shown as stored, by its label (a
 * code → label table; `list` for a comma-separated list of codes), or opened (a sealed value,
 * decrypted — only for an export with reveal).
 */
export type TableExportColumn = SheetColumn & {
  from: string;
  labels?: Readonly<Record<string, string>>;
  list?: { split: string; join: string };
  open?: boolean;
};

/** Where the export worker reads: the SQLite file (read-only) or the PostgreSQL database. */
export type ExportSource = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

export interface TableExport {
  sheetName: string;
  columns: readonly TableExportColumn[];
  /** The one statement that yields every row, in the file's order (compiled by the caller's Kysely). */
  sql: string;
  parameters: readonly unknown[];
  /** The key file, when a column is opened (the worker derives the same keys as the server). */
  keyFile?: string;
}

/** A row of the query as the cells of the export (labels looked up, sealed values opened). */
export function exportRowMapper(
  columns: readonly TableExportColumn[],
  crypto?: Pick<CryptoProvider, 'decrypt'>,
): (row: Record<string, unknown>) => Record<string, unknown> {
  const cells = columns.map((c): ((row: Record<string, unknown>) => unknown) => {
    const from = c.from;
    if (c.open) {
      if (!crypto) throw new Error(`column ${c.key} is opened but no keys were given`);
      return (r) => (r[from] ? crypto.decrypt(String(r[from])) : null);
    }
    const labels = c.labels;
    if (!labels) return (r) => r[from];
    const label = (code: string) => labels[code] ?? code;
    if (c.list) {
      const { split, join } = c.list;
      return (r) => (r[from] ? String(r[from]).split(split).map(label).join(join) : '');
    }
    return (r) => (r[from] === null || r[from] === undefined ? r[from] : label(String(r[from])));
  });
  return (row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) out[columns[i]!.key] = cells[i]!(row);
    return out;
  };
}

/** Messages of the export worker (table-export.worker.ts). */
export type ExportWorkerMessage =
  | { type: 'chunk'; data: Uint8Array }
  | { type: 'done'; rows: number }
  | { type: 'error'; message: string };

/**
 * Writes a table export as xlsx into `out` from a worker thread that does all of it: runs the
 * statement on a connection of its own (SQLite: read-only, one statement stepped row by row;
 * PostgreSQL: a read-only REPEATABLE READ transaction and a cursor fetched 2,000 rows at a time),
 * turns rows into cells, writes and zips the sheet (xlsx-stream.ts, decisions/0074), and hands the
 * bytes over as they come. A worker does one export and ends, its memory going back with it (kept
 * idle for the next export, it held ~70 MB through an import that followed; decisions/0059). The
 * event loop only moves those bytes into `out`; the worker waits when more than 1 MiB is
 * unacknowledged, so a slow client holds the worker, not memory (decisions/0059). Null when the
 * worker entry is not there (a copy of cli.js alone): the caller exports in-process.
 */
export function exportInWorker(
  job: TableExport,
  source: ExportSource,
  out: Writable,
): Promise<{ rows: number }> | null {
  const worker = spawnExportWorker();
  if (!worker) return null;
  return new Promise((resolve, reject) => {
    let settled = false;
    let owed = 0;
    let waiting = false;
    const settle = (err: Error | null, rows = 0) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      void worker.terminate();
      if (err) {
        out.destroy(err);
        reject(err);
      } else {
        out.end();
        resolve({ rows });
      }
    };
    const onMessage = (m: ExportWorkerMessage) => {
      if (settled) return;
      if (m.type === 'chunk') {
        const n = m.data.byteLength;
        if (out.write(Buffer.from(m.data.buffer, m.data.byteOffset, n)) && !waiting) {
          worker.postMessage({ ack: n });
          return;
        }
        owed += n;
        if (waiting) return;
        waiting = true;
        out.once('drain', () => {
          waiting = false;
          if (settled) return;
          worker.postMessage({ ack: owed });
          owed = 0;
        });
      } else if (m.type === 'done') settle(null, m.rows);
      else settle(new Error(m.message));
    };
    const onError = (err: Error) => settle(err);
    const onExit = (code: number) => settle(new Error(`export worker exited (${code})`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    // the client went away: stop reading and writing (the worker is ended)
    out.once('close', () => settle(new Error('export stopped: the response was closed')));
    worker.postMessage({ job: { ...job, source } });
  });
}

function spawnExportWorker(): Worker | null {
  const entry = workerEntry('table-export');
  if (!entry) return null;
  return new Worker(entry.spec, { eval: entry.evalCode, resourceLimits: { maxOldGenerationSizeMb: 256 } });
}

/** The same export in this thread, from rows the caller reads (in-memory SQLite, no worker entry). */
export function exportInProcess(
  job: TableExport,
  rows: AsyncIterable<readonly Record<string, unknown>[]>,
  out: Writable,
  crypto: Pick<CryptoProvider, 'decrypt'>,
): Promise<{ rows: number }> {
  const map = exportRowMapper(job.columns, job.columns.some((c) => c.open) ? crypto : undefined);
  async function* cells() {
    for await (const batch of rows) for (const r of batch) yield map(r);
  }
  return writeSheetXlsx(out, { sheetName: job.sheetName, columns: job.columns, rows: cells() });
}
