import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import type { MessageKey } from '@shuangyong/shared';
import { AppError } from '../errors.js';
import { childEntry } from './workers.js';

/**
 * A renderer that runs in the render worker (src/render.worker.ts lists them): the name the worker
 * knows it by and how to load it (a dynamic import, so the document writers load in the worker and
 * not at the server's start). Input and output cross to the render process by structured clone:
 * plain data in, bytes (a Buffer, an array or an object of Buffers) out.
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
   * Render processes at most (default: env RENDER_WORKERS, else the cores but one, at least one, at
   * most two); 0 renders in this thread, as before the pool (for comparison in bench/render-stall.ts).
   */
  size?: number;
  /** Renders that may wait for a worker; more are answered 503 at once. */
  maxQueue?: number;
  /** How long one render may take before its worker is ended (and the render fails). */
  timeoutMs?: number;
  /** A worker without work is ended after this long (its memory given back: decisions/0063). */
  idleMs?: number;
  /** The render process's entry; null runs the renders in this thread (a copy of cli.js alone). */
  entry?: () => ReturnType<typeof childEntry>;
}

interface Job {
  req: RenderRequest;
  task: RenderTask<unknown, unknown>;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}
interface Slot {
  worker: ChildProcess;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  lastError: string;
}

/**
 * Renders documents and images (PDF, DOCX, charts) in child processes, off the event loop
 * (DESIGN.md §5, decisions/0077): a font embedded by pdfkit or a chart rasterised takes from 20 ms
 * to a second of CPU. Render processes ("workers") start at the first render and end after idleMs
 * without one; at most `size` run, renders beyond wait in a bounded queue. Processes rather than
 * threads (decisions/0079): the fonts, pixels and document bytes of a render are native memory,
 * which a thread that ends leaves in the server's allocator but a process gives back when it exits.
 * An AppError the renderer throws (a missing font: 503) reaches the caller as the same AppError; a
 * render that kills or outlasts its worker fails alone and the next render gets a fresh worker.
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
  private readonly entry: () => ReturnType<typeof childEntry>;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(opts: RenderPoolOptions = {}) {
    const env = process.env.RENDER_WORKERS;
    const size =
      opts.size ?? (env && /^\d+$/.test(env) ? Number(env) : Math.max(1, Math.min(2, os.availableParallelism() - 1)));
    this.size = Math.max(1, size);
    this.maxQueue = opts.maxQueue ?? 32;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.idleMs = opts.idleMs ?? 30_000;
    const entry = opts.entry ?? (() => childEntry('render', new URL('../../', import.meta.url).href));
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
        return end(s.worker);
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
    hold(slot.worker, true);
    slot.timer = setTimeout(() => {
      // out of the pool first, so that finishing does not hand the next render to this worker
      this.retire(slot);
      this.finish(slot, new Error(`render ${job.req.task} took longer than ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    slot.worker.send(job.req);
  }

  private finish(slot: Slot, err: Error | null, output?: unknown): void {
    const job = slot.job;
    if (!job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    hold(slot.worker, false);
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
    void end(slot.worker);
  }

  private spawn(): Slot | null {
    const entry = this.entry();
    if (!entry) return null;
    // the environment (PDF_FONT_FILE and the like) is the server's as it is now: fork's default
    const worker = fork(entry.file, [], {
      // pdfkit holds the font file and its parsed tables; the pixels of a chart live outside the heap
      execArgv: [...entry.execArgv, '--max-old-space-size=384'],
      // Buffers and plain objects as with a worker thread (structured clone)
      serialization: 'advanced',
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
    worker.on('exit', (code, signal) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const how = code === null ? `was ended by ${signal}` : `exited with code ${code}`;
      this.finish(slot, new Error(slot.lastError || `the render worker ${how}`));
      this.pump();
    });
    hold(worker, false);
    this.slots.push(slot);
    return slot;
  }
}

/** Whether the process waits for the child: while it renders (a render pending must keep a CLI command alive), not when idle. */
function hold(child: ChildProcess, on: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined;
  if (on) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}

/** Ends a render process; resolves when it has exited. */
function end(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // held until it has exited, so that awaiting its end keeps this process alive
    child.ref();
    child.kill('SIGKILL');
  });
}

function inProcess(job: Job): void {
  job.task
    .load()
    .then((render) => render(job.req.input))
    .then(job.resolve, job.reject);
}

/** The render process's bytes as Buffers (structured clone may hand a Buffer over as a Uint8Array). */
function asBuffers(v: unknown): unknown {
  const buf = (x: unknown) => (x instanceof Uint8Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength) : x);
  if (v instanceof Uint8Array) return buf(v);
  if (Array.isArray(v)) return v.map(buf);
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, buf(x)]));
  return v;
}

/**
 * The render process's side (src/render.worker.ts): answers each request with the output of the
 * task it names, or the error it threw. An exception never escapes, so the process outlives a bad
 * render; it exits when the server's end of the channel closes (the server ended or died).
 */
export function serveRenders(tasks: readonly RenderTask<never, unknown>[]): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('the render worker must run as a child process with an IPC channel');
  process.on('disconnect', () => process.exit(0));
  const byName = new Map(tasks.map((t) => [t.name, t]));
  process.on('message', async (req: RenderRequest) => {
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
    send(reply);
  });
}

/** The server's render pool (one per process, started at the first render). */
export const renderPool = new RenderPool();

/** Renders in the server's render pool. */
export const render = <I, O>(task: RenderTask<I, O>, input: I): Promise<O> => renderPool.run(task, input);
