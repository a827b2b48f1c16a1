/**
 * The worksheet reader's worker (a worker_threads entry: dist/xlsx-read-worker.js in the bundle;
 * decisions/0083). It opens one upload at a time with `openXlsxHere` — exceljs loads and parses
 * here, not on the server's event loop — and hands its rows over in batches: the first batch at
 * once, each next one when asked (`more`), so it parses at most one batch ahead of its reader.
 * A refusal (FileError) goes back as its code, message key and parameters.
 */
import { parentPort } from 'node:worker_threads';
import { toWorkerFailure } from './errors.js';
import type { TableRow } from './table.js';
import { openXlsxHere, type XlsxReadReply, type XlsxReadRequest } from './xlsx-read.js';

const port = parentPort;
if (!port) throw new Error('xlsx-read.worker must run as a worker thread');
const BATCH = 500;

let waiting: (() => void) | null = null;
const asked = () => new Promise<void>((resolve) => (waiting = resolve));

const failure = (err: unknown): XlsxReadReply => ({ type: 'error', ...toWorkerFailure(err) });

async function read(req: XlsxReadRequest) {
  const buf = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.byteLength);
  const sheet = await openXlsxHere(buf, req.dir, req.maxColumns);
  port!.postMessage({ type: 'open', name: sheet.name, date1904: sheet.date1904 } satisfies XlsxReadReply);
  let batch: TableRow[] = [];
  for await (const row of sheet.rows) {
    batch.push(row);
    if (batch.length < BATCH) continue;
    port!.postMessage({ type: 'rows', rows: batch, progress: sheet.progress() } satisfies XlsxReadReply);
    batch = [];
    await asked();
  }
  port!.postMessage({ type: 'rows', rows: batch, progress: 1, end: true } satisfies XlsxReadReply);
}

port.on('message', (m: XlsxReadRequest | 'more') => {
  if (m === 'more') {
    const go = waiting;
    waiting = null;
    go?.();
    return;
  }
  read(m).catch((err) => port.postMessage(failure(err)));
});
