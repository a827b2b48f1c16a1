/**
 * The import checks' worker (a worker_threads entry: dist/import-check-worker.js in the bundle;
 * decisions/0092). It runs `checkFile` on one upload (workerData): the worksheet is parsed here, the
 * names' pinyin read here, and the plan's pieces posted in order. It posts at most two pieces ahead
 * of the server, one more for each `more`, and waits to be ended after the last.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadKeyFile, SmCryptoProvider } from '../../platform/crypto/index.js';
import { toWorkerFailure } from '../../platform/files/errors.js';
import { searchKeys } from '../../platform/text/chinese.js';
import { type CheckReply, type CheckRequest, checkFile } from './import-check.js';
import { idBlindIndex } from './personal-data.js';

const port = parentPort;
if (!port) throw new Error('import-check.worker must run as a worker thread');
const { data, places, keyFile } = workerData as CheckRequest;

let credit = 2;
let waiting: (() => void) | null = null;
port.on('message', () => {
  credit++;
  waiting?.();
  waiting = null;
});
const post = (m: CheckReply) => port.postMessage(m);

async function run() {
  const crypto = new SmCryptoProvider(loadKeyFile(keyFile));
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const pieces = checkFile(buf, places, {
    blindIndex: (id) => idBlindIndex(crypto, id),
    nameKeys: (names) => names.map(searchKeys),
  });
  let next = await pieces.next();
  while (!next.done) {
    const piece = next.value;
    next = await pieces.next();
    while (credit <= 0) await new Promise<void>((resolve) => (waiting = resolve));
    credit--;
    post({ type: 'piece', ...piece, ...(next.done ? { last: true } : {}) });
  }
}

run().catch((err) => post({ type: 'error', ...toWorkerFailure(err) }));
