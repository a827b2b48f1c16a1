/**
 * The export worker (a worker_threads entry: dist/table-export-worker.js in the bundle). One export
 * at a time, kept a while for the next one (table-export.ts): it reads the rows on a connection of its own, turns them into cells and writes the xlsx,
 * posting the zipped bytes to the server thread (table-export.ts, decisions/0059). It loads only node,
 * better-sqlite3 (pg at a PostgreSQL export's start), the key derivation and its own sheet writer
 * (xlsx-stream.ts, decisions/0074): neither exceljs nor the shared package's catalogue. Nothing of it
 * runs on the server's event loop but the copying of those bytes into the response.
 */
import { Writable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { loadKeyFile, SmCryptoProvider } from '../crypto/index.js';
import { type ExportSource, type ExportWorkerMessage, exportRowMapper, type TableExport } from './table-export.js';
import { writeSheetXlsx } from './xlsx-stream.js';

const port = parentPort;
if (!port) throw new Error('table-export.worker must run as a worker thread');
const post = (m: ExportWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Bytes posted and not yet taken by the response; beyond WINDOW the sheet writer waits. */
const WINDOW = 1 << 20;
let inflight = 0;
let resume: (() => void) | null = null;
type Job = TableExport & { source: ExportSource };
port.on('message', (m: { ack: number } | { job: Job }) => {
  if ('job' in m) {
    // one export per worker: the server ends it after its 'done' or error
    run(m.job).then(
      (rows) => post({ type: 'done', rows }),
      (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
    return;
  }
  inflight -= m.ack;
  if (resume && inflight < WINDOW) {
    const r = resume;
    resume = null;
    r();
  }
});
const sinkOf = () =>
  new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, done) {
      const data = new Uint8Array(chunk.byteLength);
      data.set(chunk);
      inflight += data.byteLength;
      post({ type: 'chunk', data }, [data.buffer]);
      if (inflight < WINDOW) done();
      else resume = () => done();
    },
  });

/** SQLite: one statement, stepped row by row on a read-only connection (one snapshot for the whole file). */
function* sqliteRows(job: Job, file: string): Generator<Record<string, unknown>> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32768');
    db.pragma('mmap_size = 268435456');
    yield* db.prepare(job.sql).iterate(job.parameters as unknown[]) as Iterable<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

const FETCH = 2000;

/**
 * PostgreSQL: a cursor in a read-only REPEATABLE READ transaction (one snapshot), fetched 2,000
 * rows at a time, the next fetch asked for before the current rows are written.
 */
async function* postgresRows(job: Job, url: string): AsyncGenerator<Record<string, unknown>> {
  // pg only for a PostgreSQL export: a SQLite server's worker never loads it (nor what it pulls in)
  const { default: Pg } = (await import('pg')) as unknown as { default: typeof pg };
  const client = new Pg.Client({ connectionString: url, application_name: 'shuangyong export' });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${job.sql}`, job.parameters as unknown[]);
    let next: Promise<pg.QueryResult> | null = client.query(`FETCH ${FETCH} FROM export_rows`);
    while (next) {
      const { rows }: { rows: Record<string, unknown>[] } = await next;
      next = rows.length === FETCH ? client.query(`FETCH ${FETCH} FROM export_rows`) : null;
      yield* rows;
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

async function run(job: Job): Promise<number> {
  const crypto = job.keyFile ? new SmCryptoProvider(loadKeyFile(job.keyFile)) : undefined;
  const map = exportRowMapper(job.columns, crypto);
  const source = job.source;
  async function* cells() {
    const rows = source.dialect === 'sqlite' ? sqliteRows(job, source.file) : postgresRows(job, source.url);
    for await (const r of rows) yield map(r);
  }
  const { rows } = await writeSheetXlsx(sinkOf(), { sheetName: job.sheetName, columns: job.columns, rows: cells() });
  return rows;
}
