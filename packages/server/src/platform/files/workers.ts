import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';

/**
 * How to start one of the server's worker-thread entries (`name.worker.ts` beside this file, or
 * beside `from`, the caller's `import.meta.url`). In
 * the bundle, dist/<name>-worker.js sits beside dist/cli.js (an entry point of build.mjs). From
 * the sources (vitest, tsx) the worker is TypeScript: node 20 does not apply `--import tsx` to a
 * worker's entry, so a one-line bootstrap loads it with tsx's tsImport. Null when the worker file
 * is not there (a copy of cli.js alone): the caller does without, or does the work in-process.
 */
export function workerEntry(name: string, from?: string): { spec: string | URL; evalCode: boolean } | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const file = new URL(`./${name}.worker.ts`, from ?? here).href;
    const tsx = path.dirname(createRequire(here).resolve('tsx/package.json'));
    const api = pathToFileURL(path.join(tsx, 'dist/esm/api/index.mjs')).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`;
    return { spec: boot, evalCode: true };
  }
  const file = new URL(`./${name}-worker.js`, here);
  return fs.existsSync(fileURLToPath(file)) ? { spec: file, evalCode: false } : null;
}

/**
 * How to start one of the server's entries as a child process (`name.worker.ts` beside `from`, or
 * dist/<name>-worker.js in the bundle): the file and the node options it needs — from the sources,
 * tsx's loader (unlike a worker thread, a child process takes `--import`). Null as `workerEntry`.
 */
export function childEntry(name: string, from?: string): { file: string; execArgv: string[] } | null {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = path.dirname(createRequire(here).resolve('tsx/package.json'));
    return {
      file: fileURLToPath(new URL(`./${name}.worker.ts`, from ?? here)),
      execArgv: ['--import', pathToFileURL(path.join(tsx, 'dist/esm/index.mjs')).href],
    };
  }
  const file = fileURLToPath(new URL(`./${name}-worker.js`, here));
  return fs.existsSync(file) ? { file, execArgv: [] } : null;
}

/**
 * A worker's messages in order, as its reader asks for them (`next`); the worker's error or exit
 * comes as the message `failure` makes of its text. `close` stops listening (the worker lives on).
 */
export function workerReplies<M>(worker: Worker, failure: (message: string) => M) {
  const queue: M[] = [];
  let wake: (() => void) | null = null;
  const push = (m: M) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  const onError = (err: Error) => push(failure(err.message));
  const onExit = (code: number) => push(failure(`the worker exited with code ${code}`));
  worker.on('message', push).on('error', onError).on('exit', onExit);
  return {
    async next(): Promise<M> {
      while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
      return queue.shift()!;
    },
    close() {
      worker.off('message', push).off('error', onError).off('exit', onExit);
    },
  };
}

/**
 * A worker thread started when first needed and ended after `idleMs` without work, giving back its
 * memory (a dictionary, a decoder's buffers): the lifecycle of the name-keys and thumbnail pools.
 * While it works it holds the process; at rest it does not.
 */
export class IdleWorker {
  private worker: Worker | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  /** `spawn` starts a worker with its own listeners, or returns null when none can run. */
  constructor(
    private readonly spawn: () => Worker | null,
    private readonly idleMs: number,
  ) {}

  /** The worker, started if need be and held for work (its rest ended); null when none can run. */
  take(): Worker | null {
    const worker = this.worker ?? this.start();
    if (!worker) return null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    worker.ref();
    return worker;
  }

  /** No work is left: the worker no longer holds the process, and it ends after idleMs unless taken. */
  rest(): void {
    const worker = this.worker;
    if (!worker || this.idleTimer) return;
    worker.unref();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.retire(worker);
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Ends `worker` (by default the current one); the next `take` starts another. */
  retire(worker = this.worker): Promise<number> | undefined {
    if (!worker) return undefined;
    if (this.worker === worker) {
      this.worker = null;
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    return worker.terminate();
  }

  private start(): Worker | null {
    const worker = this.spawn();
    if (!worker) return null;
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }
}
