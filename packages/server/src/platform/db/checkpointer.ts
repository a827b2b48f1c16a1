import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { WriteGate } from './writer.js';

/** How often the worker looks for WAL frames to copy back (a checkpoint with none is a no-op). */
export const CHECKPOINT_INTERVAL_MS = 250;

/**
 * A WAL file larger than this is cut back once all of it is in the database file: by the worker
 * (a TRUNCATE checkpoint), with the server's writes held at the gate meanwhile — never by the
 * server's connection, whose write that restarts the WAL would otherwise truncate it on the event
 * loop (the kernel dropping a 1.5 GB file's cached pages: 240 ms at 10^6; decisions/0085).
 */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/** After a TRUNCATE checkpoint that readers kept from finishing, the next is asked for no sooner. */
const TRUNCATE_RETRY_MS = 10_000;

/**
 * The worker: its own connection to the file and a PASSIVE checkpoint every `intervalMs` (it
 * never waits for or blocks the writer), or when asked ('run', answered with the outcome); and the
 * planner's statistics refresh (`PRAGMA optimize`) when asked ('optimize'), off the event loop.
 * Plain CommonJS, evaluated: the bundle and the sources (tsx) start it the same way.
 */
const WORKER = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
const walFile = workerData.file + '-wal';
const walSize = () => { try { return fs.statSync(walFile).size; } catch { return 0; } };
let askAfter = 0;
const run = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log: r.log, checkpointed: r.checkpointed };
  } catch (err) {
    return { error: String(err && err.message) };
  }
};
const report = (r) => { if (r.error) parentPort.postMessage(r); };
// a WAL all copied back but larger than the limit: ask the server to hold its writes for a truncate
const tick = () => {
  const r = run();
  report(r);
  if (r.error || !r.log || r.checkpointed !== r.log || Date.now() < askAfter) return;
  if (walSize() <= workerData.walLimit) return;
  askAfter = Infinity;
  parentPort.postMessage({ truncate: true });
};
const timer = workerData.intervalMs > 0 ? setInterval(tick, workerData.intervalMs) : null;
const truncate = () => {
  try {
    db.pragma('busy_timeout = 1000'); // readers still on the WAL: wait for them a little
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)');
    askAfter = r.busy ? Date.now() + workerData.retryMs : 0;
    return { truncated: true, busy: r.busy };
  } catch (err) {
    askAfter = Date.now() + workerData.retryMs;
    return { truncated: true, failed: String(err && err.message) };
  } finally {
    db.pragma('busy_timeout = 0');
  }
};
const optimize = () => {
  try {
    db.pragma('analysis_limit = 1000');
    db.pragma('optimize = 0x10002');
    return { optimized: true };
  } catch (err) {
    return { optimized: true, failed: String(err && err.message) };
  }
};
parentPort.on('message', (m) => {
  if (m === 'run') parentPort.postMessage({ reply: true, ...run() });
  if (m === 'optimize') parentPort.postMessage(optimize());
  if (m === 'truncate') parentPort.postMessage(truncate());
  if (m !== 'stop') return;
  if (timer) clearInterval(timer);
  report(run());
  db.close();
  parentPort.close();
});
`;

export interface CheckpointInfo {
  /** Frames in the WAL, and how many of them are in the database file now (by any checkpoint). */
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Runs one checkpoint now, in the worker. */
  checkpoint(): Promise<CheckpointInfo>;
  /**
   * Refreshes the planner's statistics where they are missing or stale (`PRAGMA optimize`, sampled
   * by `analysis_limit`), on the worker's connection: the server's connection reloads them at its
   * next statement (ANALYZE changes the schema cookie). Resolves when done; never rejects.
   */
  optimize(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * SQLite copies the WAL back into the database file (a checkpoint) on the connection that commits,
 * once the WAL passes 1000 pages: a request that wrote 10^5 rows then also paid ~1.3 s of copying
 * and fsync on the event loop (decisions/0010). Here the connection's automatic checkpoints are
 * off and a worker thread with a connection of its own checkpoints instead. Should the worker fail,
 * the connection takes its automatic checkpoints back, so the WAL never grows without bound.
 *
 * `deferred`: the worker starts at `start()` or at the first request to it, not now — `serve`
 * starts it once it answers requests, so starting a thread is not on the start-up path
 * (decisions/0063); until then the connection checkpoints by itself as SQLite does by default.
 */
export function startCheckpointer(
  sqlite: SqliteDatabase,
  file: string,
  intervalMs = CHECKPOINT_INTERVAL_MS,
  opts: { deferred?: boolean; gate?: WriteGate; walLimitBytes?: number } = {},
): Checkpointer & { start(): void } {
  const walLimit = opts.walLimitBytes ?? WAL_SIZE_LIMIT;
  // until the worker runs (and should it fail) the connection checkpoints and cuts the WAL itself
  const ownCheckpoints = () => {
    sqlite.pragma('wal_autocheckpoint = 1000');
    sqlite.pragma(`journal_size_limit = ${walLimit}`);
  };
  ownCheckpoints();
  let worker: Worker | null = null;
  let stopped = false;
  const fallBack = () => {
    if (!stopped && sqlite.open) ownCheckpoints();
  };
  const replies: ((info: CheckpointInfo) => void)[] = [];
  const optimized: (() => void)[] = [];
  const truncated: (() => void)[] = [];
  const release = () => {
    for (const r of optimized.splice(0)) r();
    for (const r of truncated.splice(0)) r();
  };
  /** The worker's TRUNCATE checkpoint, the server's writes held at the gate (it takes the write lock). */
  const truncate = async (w: Worker) => {
    opts.gate?.close();
    try {
      await new Promise<void>((resolve) => {
        truncated.push(resolve);
        w.postMessage('truncate');
      });
    } finally {
      opts.gate?.release();
    }
  };
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(WORKER, {
      eval: true,
      workerData: {
        file,
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs,
        walLimit,
        retryMs: TRUNCATE_RETRY_MS,
      },
    });
    w.unref();
    w.on(
      'message',
      (
        m: CheckpointInfo & {
          error?: string;
          reply?: boolean;
          optimized?: boolean;
          truncate?: boolean;
          truncated?: boolean;
        },
      ) => {
        if (m.truncate) return void truncate(w);
        if (m.truncated) return truncated.shift()?.();
        if (m.optimized) return optimized.shift()?.();
        if (m.error) fallBack();
        if (m.reply) replies.shift()?.({ log: m.log, checkpointed: m.checkpointed });
      },
    );
    w.on('error', () => {
      fallBack();
      release();
    });
    w.on('exit', () => {
      fallBack();
      release();
    });
    sqlite.pragma('wal_autocheckpoint = 0');
    sqlite.pragma('journal_size_limit = -1');
    worker = w;
    return w;
  };
  const self = {
    start() {
      if (!stopped) started();
    },
    checkpoint() {
      if (stopped) return Promise.reject(new Error('the checkpointer is stopped'));
      return new Promise<CheckpointInfo>((resolve) => {
        replies.push(resolve);
        started().postMessage('run');
      });
    },
    optimize() {
      if (stopped) return Promise.resolve();
      return new Promise<void>((resolve) => {
        optimized.push(resolve);
        started().postMessage('optimize');
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage('stop');
      const timeout = setTimeout(() => void w.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
  if (!opts.deferred) started();
  return self;
}
