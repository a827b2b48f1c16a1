/**
 * The return-file worker (a worker_threads entry: dist/return-file-worker.js in the bundle,
 * decisions/0075). It reads a bank's return file for a reconciliation — decodes, parses, makes the
 * blind indexes of the ID numbers with a memo kept across files — and hands the server's thread the
 * lines by person as typed arrays, then the texts of the few lines kept. The garbage of reading a
 * file (its text, its cells) is collected here, not on the server's event loop. One file at a time
 * (return-file-session.ts sends the next message after the answer to the last).
 */
import { parentPort } from 'node:worker_threads';
import { loadOrCreateKeyFile, SmCryptoProvider } from '../../platform/crypto/index.js';
import { AppError } from '../../platform/errors.js';
import { ReturnFileReader } from './return-file.js';
import type { ReturnFileReply, ReturnFileRequest } from './return-file-session.js';

const port = parentPort;
if (!port) throw new Error('return-file.worker must run as a worker thread');
const post = (m: ReturnFileReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
/** Progress is posted at most this often. */
const PROGRESS_MS = 200;

let reader: { keyFile: string; purpose: string; reader: ReturnFileReader } | null = null;

port.on('message', (m: ReturnFileRequest) => {
  handle(m).catch((err: unknown) => {
    reader?.reader.release();
    post({
      type: 'error',
      error:
        err instanceof AppError
          ? { status: err.status, code: err.code, messageKey: err.messageKey, params: err.params, extra: err.extra }
          : { message: err instanceof Error ? err.message : String(err) },
    });
  });
});

async function handle(m: ReturnFileRequest) {
  if (m.type === 'read') {
    if (!reader || reader.keyFile !== m.keyFile || reader.purpose !== m.purpose) {
      const crypto = new SmCryptoProvider(loadOrCreateKeyFile(m.keyFile));
      const purpose = m.purpose;
      reader = { keyFile: m.keyFile, purpose, reader: new ReturnFileReader((id) => crypto.mac(purpose, id)) };
    }
    let posted = 0;
    const { people, errors } = await reader.reader.read(
      Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength),
      (fraction) => {
        const now = performance.now();
        if (now - posted < PROGRESS_MS) return;
        posted = now;
        post({ type: 'progress', fraction });
      },
    );
    const parts = people.parts();
    post({ type: 'read', parts, errors }, [
      parts.rowNumbers.buffer,
      parts.fens.buffer,
      parts.paids.buffer,
      parts.nexts.buffer,
      parts.heads.buffer,
      parts.tails.buffer,
    ] as ArrayBuffer[]);
  } else if (m.type === 'cells') {
    if (!reader) throw new Error('return file: cells asked before read');
    const lines = await reader.reader.cells(new Set(m.rows), () => {});
    post({
      type: 'cells',
      lines: lines.map((l) => [l.rowNumber, l.idBi, l.fen, l.paid, l.idNumber, l.name, l.accountCell]),
    });
  } else {
    reader?.reader.release();
    post({ type: 'released' });
  }
}
