import { Worker } from 'node:worker_threads';
import type { ImageType as PhotoType } from './image.js';
import type { ThumbnailReply, ThumbnailRequest } from './thumbnail.worker.js';
import { IdleWorker, workerEntry } from './workers.js';

export type ThumbnailOutcome =
  | { ok: true; jpeg: Buffer; width: number; height: number; ms: number }
  | {
      ok: false;
      /** too_large/corrupt: the photo; busy: queue full; timeout/crashed/unavailable: the worker. */
      reason: 'too_large' | 'corrupt' | 'busy' | 'timeout' | 'crashed' | 'unavailable';
      message: string;
    };

export interface ThumbnailPoolOptions {
  /** Jobs that may wait behind the running one; more are answered 'busy' at once. */
  maxQueue?: number;
  /** How long one job may run before its worker is ended (and replaced for the next job). */
  timeoutMs?: number;
  /**
   * An idle worker is ended after this long, giving back the memory a decode took (a 12 MP decode
   * takes some 300 MB); long enough to keep the worker, warmed up, through one visit's photos.
   */
  idleMs?: number;
}

interface Job {
  req: ThumbnailRequest;
  /** Move data's memory to the worker instead of copying it. */
  transfer: boolean;
  resolve: (o: ThumbnailOutcome) => void;
}

/**
 * One worker thread that makes thumbnails, one job at a time, off the event loop: jobs queue in
 * front of it (bounded), a job that runs too long or kills the worker fails alone and the next job
 * gets a fresh worker. The promise of render() never rejects: no thumbnail is a normal outcome.
 * The worker starts on the first job and ends after idleMs without one.
 */
export class ThumbnailPool {
  private readonly workers: IdleWorker;
  private running: (Job & { worker: Worker; timer: NodeJS.Timeout }) | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly maxQueue: number;
  /** How long one job may run (see ThumbnailPoolOptions); applies to the jobs started after a change. */
  timeoutMs: number;

  constructor(opts: ThumbnailPoolOptions = {}) {
    this.maxQueue = opts.maxQueue ?? 8;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.workers = new IdleWorker(() => this.spawn(), opts.idleMs ?? 10_000);
  }

  /**
   * The thumbnail of a stripped photo. With `transfer`, data's memory moves to the worker (a copy
   * of several MB costs the event loop tens of ms) and data is left empty — when data is the whole
   * of its ArrayBuffer; a view into a shared one (Node's small-buffer pool) is copied as usual.
   */
  render(data: Uint8Array, type: PhotoType, orientation: number, transfer = false): Promise<ThumbnailOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'unavailable', message: 'the pool is closed' });
    if (this.queue.length >= this.maxQueue)
      return Promise.resolve({ ok: false, reason: 'busy', message: `${this.queue.length} thumbnails are waiting` });
    return new Promise((resolve) => {
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      this.queue.push({ req: { id: this.nextId++, data, type, orientation }, transfer: transfer && whole, resolve });
      this.pump();
    });
  }

  /** Ends the worker; jobs still waiting or running get 'unavailable'. */
  async close(): Promise<void> {
    this.closed = true;
    const outcome = { ok: false, reason: 'unavailable', message: 'the pool is closed' } as const;
    for (const job of this.queue.splice(0)) job.resolve(outcome);
    this.finish(outcome);
    await this.workers.retire();
  }

  private pump(): void {
    while (!this.running && this.queue.length) {
      const job = this.queue.shift()!;
      const worker = this.workers.take();
      if (!worker) {
        job.resolve({ ok: false, reason: 'unavailable', message: 'the thumbnail worker is not there' });
        continue;
      }
      const timer = setTimeout(() => {
        this.finish({ ok: false, reason: 'timeout', message: `no thumbnail after ${this.timeoutMs} ms` });
        void this.workers.retire(worker);
        this.pump();
      }, this.timeoutMs);
      this.running = { ...job, worker, timer };
      worker.postMessage(job.req, job.transfer ? [job.req.data.buffer as ArrayBuffer] : []);
    }
    if (!this.running) this.workers.rest();
  }

  private finish(outcome: ThumbnailOutcome): void {
    const job = this.running;
    if (!job) return;
    clearTimeout(job.timer);
    this.running = null;
    job.resolve(outcome);
  }

  private spawn(): Worker | null {
    const entry = workerEntry('thumbnail');
    if (!entry) return null;
    let worker: Worker;
    try {
      worker = new Worker(entry.spec, {
        eval: entry.evalCode,
        // the pixels live in ArrayBuffers outside this heap (bounded by the decoders' own limits);
        // the heap holds jpeg-js's per-block arrays, some 50 MB for 24 MP
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      });
    } catch {
      return null;
    }
    let lastError = '';
    worker.on('message', (reply: ThumbnailReply) => {
      if (this.running?.worker !== worker || this.running.req.id !== reply.id) return;
      this.finish(
        reply.ok
          ? {
              ok: true,
              jpeg: Buffer.from(reply.jpeg.buffer, reply.jpeg.byteOffset, reply.jpeg.byteLength),
              width: reply.width,
              height: reply.height,
              ms: reply.ms,
            }
          : { ok: false, reason: reply.reason, message: reply.message },
      );
      this.pump();
    });
    worker.on('error', (err) => {
      lastError = err.message;
    });
    worker.on('exit', (code) => {
      if (this.running?.worker === worker) {
        this.finish({ ok: false, reason: 'crashed', message: lastError || `the worker exited with code ${code}` });
        this.pump();
      }
    });
    return worker;
  }
}
