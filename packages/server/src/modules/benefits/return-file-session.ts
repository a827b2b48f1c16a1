import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { MessageKey } from '@shuangyong/shared';
import { AppError } from '../../platform/errors.js';
import { workerEntry } from '../../platform/files/worker-entry.js';
import { tick } from '../../platform/tick.js';
import { FileLine, type ReturnFileError, ReturnFileReader } from './return-file.js';
import { ReturnLinesByPerson, type ReturnLinesParts } from './return-lines.js';

/** What the server's thread asks the return-file worker (return-file.worker.ts). */
export type ReturnFileRequest =
  | { type: 'read'; data: Uint8Array; keyFile: string; purpose: string }
  | { type: 'cells'; rows: number[] }
  | { type: 'release' };

type WorkerError =
  | {
      status: number;
      code: string;
      messageKey: MessageKey;
      params?: Record<string, string | number>;
      extra?: AppError['extra'];
    }
  | { message: string };

/** What the return-file worker answers (`progress` any number of times before `read`). */
export type ReturnFileReply =
  | { type: 'progress'; fraction: number }
  | { type: 'read'; parts: ReturnLinesParts; errors: ReturnFileError[] }
  | { type: 'cells'; lines: [number, string, number, boolean, string, string, string][] }
  | { type: 'released' }
  | { type: 'error'; error: WorkerError };

/** The keys a return file's ID numbers are indexed with: the registry's blind index, and how a worker makes it. */
export interface ReturnFileKeys {
  keyFile: string;
  /** The `CryptoProvider.mac` purpose of the blind index. */
  purpose: string;
  blindIndex(idNumber: string): string;
}

/** One return file being reconciled: `read`, then `cells` of the lines kept, then `close`. */
export interface ReturnFileSession {
  read(
    buf: Buffer,
    progress: (fraction: number) => Promise<void>,
  ): Promise<{ people: ReturnLinesByPerson; errors: ReturnFileError[] }>;
  cells(rows: ReadonlySet<number>): Promise<FileLine[]>;
  close(): Promise<void>;
}

/**
 * How long the reader (its worker and the blind indexes it keeps) stays after a file: the files of
 * a month come one after another (decisions/0061).
 */
const KEPT_MS = 10 * 60_000;

/**
 * Opens a return file for a reconciliation: in the return-file worker (decisions/0075) — the
 * server's thread receives the lines as typed arrays and never holds the file's text — or, when the
 * worker entry is not there (a copy of cli.js alone), in the server's thread with a turn of the loop
 * every `sliceMs` of work (`inProcess`: so, whether or not the entry is there). One worker is kept idle between files (unref'd), with its memo of
 * blind indexes; a second file read meanwhile gets a worker of its own.
 */
export function openReturnFile(
  keys: ReturnFileKeys,
  sliceMs: number,
  opts: { inProcess?: boolean } = {},
): ReturnFileSession {
  const worker = opts.inProcess ? null : takeWorker();
  return worker ? new WorkerSession(worker, keys, slicer(sliceMs)) : localSession(keys, sliceMs);
}

/** A turn of the loop when more than `sliceMs` of work went on since the last. */
function slicer(sliceMs: number): () => Promise<void> {
  let slice = performance.now();
  return async () => {
    if (performance.now() - slice < sliceMs) return;
    await tick();
    slice = performance.now();
  };
}

let idle: Worker | null = null;
let idleTimer: NodeJS.Timeout | undefined;

function takeWorker(): Worker | null {
  clearTimeout(idleTimer);
  if (idle) {
    const w = idle;
    idle = null;
    return w;
  }
  const entry = workerEntry('return-file', import.meta.url);
  if (!entry) return null;
  return new Worker(entry.spec, { eval: entry.evalCode, resourceLimits: { maxOldGenerationSizeMb: 256 } });
}

function keepIdle(worker: Worker) {
  worker.unref();
  if (idle) {
    void worker.terminate();
    return;
  }
  idle = worker;
  idleTimer = setTimeout(() => {
    if (idle === worker) idle = null;
    void worker.terminate();
  }, KEPT_MS).unref();
}

class WorkerSession implements ReturnFileSession {
  private pending: {
    resolve: (m: ReturnFileReply) => void;
    reject: (e: Error) => void;
    progress?: (fraction: number) => void;
  } | null = null;
  private failed: Error | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly keys: ReturnFileKeys,
    private readonly breathe: () => Promise<void>,
  ) {
    worker.ref();
    worker.on('message', this.onMessage);
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  private readonly onMessage = (m: ReturnFileReply) => {
    if (m.type === 'progress') {
      this.pending?.progress?.(m.fraction);
      return;
    }
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    if (m.type === 'error') p.reject(revive(m.error));
    else p.resolve(m);
  };

  private readonly onError = (err: Error) => {
    this.failed = err;
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  };

  private readonly onExit = (code: number) => this.onError(new Error(`return-file worker exited (${code})`));

  private ask(m: ReturnFileRequest, transfer: ArrayBuffer[] = [], progress?: (fraction: number) => void) {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<ReturnFileReply>((resolve, reject) => {
      this.pending = { resolve, reject, progress };
      this.worker.postMessage(m, transfer);
    });
  }

  async read(buf: Buffer, progress: (fraction: number) => Promise<void>) {
    // a copy of the file's bytes, moved to the worker (the job's buffer may share its memory)
    const data = new Uint8Array(buf);
    let reporting: Promise<void> | null = null;
    let progressFailed: unknown = null;
    const onProgress = (fraction: number) => {
      if (reporting) return;
      reporting = progress(fraction)
        .catch((e: unknown) => {
          progressFailed ??= e;
        })
        .finally(() => {
          reporting = null;
        });
    };
    const { keyFile, purpose } = this.keys;
    const r = await this.ask({ type: 'read', data, keyFile, purpose }, [data.buffer as ArrayBuffer], onProgress);
    await reporting;
    if (progressFailed) throw progressFailed;
    if (r.type !== 'read') throw new Error(`return-file worker answered ${r.type} to read`);
    return { people: await ReturnLinesByPerson.fromParts(r.parts, this.breathe), errors: r.errors };
  }

  async cells(rows: ReadonlySet<number>) {
    const r = await this.ask({ type: 'cells', rows: [...rows] });
    if (r.type !== 'cells') throw new Error(`return-file worker answered ${r.type} to cells`);
    return r.lines.map((l) => new FileLine(...l));
  }

  async close() {
    if (!this.failed && !this.pending) await this.ask({ type: 'release' }).catch(() => {});
    this.worker.off('message', this.onMessage);
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    if (this.failed || this.pending) void this.worker.terminate();
    else keepIdle(this.worker);
  }
}

function revive(e: WorkerError): Error {
  return 'messageKey' in e ? new AppError(e.status, e.code, e.messageKey, e.params, e.extra) : new Error(e.message);
}

/** The reader in the server's thread (no worker entry), kept as the worker is, per key file. */
let local: { keyFile: string; reader: ReturnFileReader; timer?: NodeJS.Timeout } | null = null;

function localSession(keys: ReturnFileKeys, sliceMs: number): ReturnFileSession {
  if (local?.keyFile !== keys.keyFile) local = { keyFile: keys.keyFile, reader: new ReturnFileReader(keys.blindIndex) };
  const held = local;
  clearTimeout(held.timer);
  const breathe = slicer(sliceMs);
  let reported = performance.now();
  return {
    read: (buf, progress) =>
      held.reader.read(buf, async (fraction) => {
        if (performance.now() - reported >= sliceMs) {
          reported = performance.now();
          await progress(fraction);
        }
        await breathe();
      }),
    cells: (rows) => held.reader.cells(rows, breathe),
    close: async () => {
      held.reader.release();
      held.timer = setTimeout(() => held.reader.forget(), KEPT_MS).unref();
    },
  };
}
