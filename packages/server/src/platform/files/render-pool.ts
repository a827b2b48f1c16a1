import os from 'node:os';
import { parentPort, SHARE_ENV, Worker } from 'node:worker_threads';
import type { MessageKey } from '@shuangyong/shared';
import { AppError } from '../errors.js';
import { workerEntry } from './worker-entry.js';

/**
 * A renderer that runs in the render worker (src/render.worker.ts lists them): the name the worker
 * knows it by and how to load it (a dynamic import, so the document writers load in the worker and
 * not at the server's start). Input and output cross threads by structured clone: plain data in,
 * bytes (a Buffer, an array or an object of Buffers) out.
 */
export interface RenderTask<I, O> {
  readonly name: string;
  readonly load: () => Promise<(input: I) => Promise<O>>;
}

export const renderTask = <I, O>(name: string, load: () => Promise<(input: I) => Promise<O>>): RenderTask<I, O> => ({
  name,
  load,
});

/** An AppError as it crosses the thread (the worker's renderer threw it; the server answers it). */
interface AppErrorData {
  status: number;
  code: string;
  messageKey: MessageKey;
  params?: Record<string, string | number>;
}
export interface RenderRequest {
  id: number;
  task: string;
  input: unknown;
}
export type RenderReply =
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; message: string; app?: AppErrorData };

export interface RenderPoolOptions {
  /**
   * Worker threads at most (default: env RENDER_WORKERS, else the cores but one, at least one, at
   * most two); 0 renders in this thread, as before the pool (for comparison in bench/render-stall.ts).
   */
  size?: number;
  /** Renders that may wait for a worker; more are answered 503 at once. */
  maxQueue?: number;
  /** How long one render may take before its worker is ended (and the render fails). */
  timeoutMs?: number;
  /** A worker without work is ended after this long (its memory given back: decisions/0063). */
  idleMs?: number;
  /** The worker's entry; null runs the renders in this thread (a copy of cli.js alone). */
  entry?: () => ReturnType<typeof workerEntry>;
}

interface Job {
  req: RenderRequest;
  task: RenderTask<unknown, unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}
interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  lastError: string;
}

/**
 * Renders documents and images (PDF, DOCX, charts) in worker threads, off the event loop
 * (DESIGN.md §5, decisions/0077): a font embedded by pdfkit or a chart rasterised takes from 20 ms
 * to a second of CPU. Workers start at the first render and end after idleMs without one; at most
 * `size` run, renders beyond wait in a bounded queue. An AppError the renderer throws (a missing
 * font: 503) reaches the caller as the same AppError; a render that kills or outlasts its worker
 * fails alone and the next render gets a fresh worker.
 */
export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  private readonly maxQueue: number;
  /** How long one render may take (see RenderPoolOptions); applies to the renders started after a change. */
  timeoutMs: number;
  private readonly idleMs: number;
  private readonly entry: () => ReturnType<typeof workerEntry>;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(opts: RenderPoolOptions = {}) {
    const env = process.env.RENDER_WORKERS;
    const size =
      opts.size ?? (env && /^\d+$/.test(env) ? Number(env) : Math.max(1, Math.min(2, os.availableParallelism() - 1)));
    this.size = Math.max(1, size);
    this.maxQueue = opts.maxQueue ?? 32;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.idleMs = opts.idleMs ?? 30_000;
    const entry = opts.entry ?? (() => workerEntry('render', new URL('../../', import.meta.url).href));
    this.entry = size > 0 ? entry : () => null;
  }

  /** Workers running now (started lazily, ended when idle). */
  workers(): number {
    return this.slots.length;
  }

  run<I, O>(task: RenderTask<I, O>, input: I): Promise<O> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    if (this.queue.length >= this.maxQueue) return Promise.reject(new AppError(503, 'render_busy', 'error.renderBusy'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({
        req: { id: this.nextId++, task: task.name, input },
        task: task as RenderTask<unknown, unknown>,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  /** Ends the workers; renders waiting or running fail. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const err = new Error('the render pool is closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.timer) clearTimeout(s.timer);
        s.job?.reject(err);
        return s.worker.terminate();
      }),
    );
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) {
        const spawned = this.spawn();
        if (!spawned) {
          // no worker entry: the renders run here, as before the pool
          for (const job of this.queue.splice(0)) inProcess(job);
          return;
        }
        slot = spawned;
      }
      if (!slot) return;
      const job = this.queue.shift()!;
      this.start(slot, job);
    }
    this.idleLater();
  }

  private start(slot: Slot, job: Job): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      // out of the pool first, so that finishing does not hand the next render to this worker
      this.retire(slot);
      this.finish(slot, new Error(`render ${job.req.task} took longer than ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    slot.worker.postMessage(job.req);
  }

  private finish(slot: Slot, err: Error | null, output?: unknown): void {
    const job = slot.job;
    if (!job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
    if (err) job.reject(err);
    else job.resolve(asBuffers(output));
    this.pump();
  }

  /** No render waits or runs: the workers end after idleMs (unref'd: they never hold the process). */
  private idleLater(): void {
    if (this.idleTimer || !this.slots.length || this.slots.some((s) => s.job)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      for (const s of this.slots.filter((x) => !x.job)) this.retire(s);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate();
  }

  private spawn(): Slot | null {
    const entry = this.entry();
    if (!entry) return null;
    const worker = new Worker(entry.spec, {
      eval: entry.evalCode,
      // PDF_FONT_FILE and the like as the server sees them now
      env: SHARE_ENV,
      // pdfkit holds the font file and its parsed tables; the pixels of a chart live outside the heap
      resourceLimits: { maxOldGenerationSizeMb: 384 },
    });
    const slot: Slot = { worker, job: null, timer: null, lastError: '' };
    worker.on('message', (reply: RenderReply) => {
      if (slot.job?.req.id !== reply.id) return;
      if (reply.ok) this.finish(slot, null, reply.output);
      else
        this.finish(
          slot,
          reply.app
            ? new AppError(reply.app.status, reply.app.code, reply.app.messageKey, reply.app.params)
            : new Error(reply.message),
        );
    });
    worker.on('error', (err) => {
      slot.lastError = err.message;
    });
    worker.on('exit', (code) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      this.finish(slot, new Error(slot.lastError || `the render worker exited with code ${code}`));
      this.pump();
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}

function inProcess(job: Job): void {
  job.task
    .load()
    .then((render) => render(job.req.input))
    .then(job.resolve, job.reject);
}

/** The worker's bytes as Buffers again (structured clone hands a Buffer over as a Uint8Array). */
function asBuffers(v: unknown): unknown {
  const buf = (x: unknown) => (x instanceof Uint8Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength) : x);
  if (v instanceof Uint8Array) return buf(v);
  if (Array.isArray(v)) return v.map(buf);
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, buf(x)]));
  return v;
}

/** The memory of the output's bytes, moved to the server rather than copied, when a buffer owns it all. */
function transferList(v: unknown): ArrayBuffer[] {
  const whole = (x: unknown): x is Uint8Array =>
    x instanceof Uint8Array && x.byteOffset === 0 && x.byteLength === x.buffer.byteLength;
  const values = v instanceof Uint8Array ? [v] : v && typeof v === 'object' ? Object.values(v) : [];
  return [...new Set(values.filter(whole).map((x) => x.buffer as ArrayBuffer))];
}

/**
 * The worker's side (src/render.worker.ts): answers each request with the output of the task it
 * names, or the error it threw. An exception never escapes, so the worker outlives a bad render.
 */
export function serveRenders(tasks: readonly RenderTask<never, unknown>[]): void {
  const port = parentPort;
  if (!port) throw new Error('the render worker must run as a worker thread');
  const byName = new Map(tasks.map((t) => [t.name, t]));
  port.on('message', async (req: RenderRequest) => {
    let reply: RenderReply;
    try {
      const task = byName.get(req.task);
      if (!task) throw new Error(`no render task ${req.task}`);
      const render = (await task.load()) as (input: unknown) => Promise<unknown>;
      reply = { id: req.id, ok: true, output: await render(req.input) };
    } catch (err) {
      reply = {
        id: req.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
        ...(err instanceof AppError
          ? { app: { status: err.status, code: err.code, messageKey: err.messageKey, params: err.params } }
          : {}),
      };
    }
    port.postMessage(reply, reply.ok ? transferList(reply.output) : []);
  });
}

/** The server's render pool (one per process, started at the first render). */
export const renderPool = new RenderPool();

/** Renders in the server's render pool. */
export const render = <I, O>(task: RenderTask<I, O>, input: I): Promise<O> => renderPool.run(task, input);
