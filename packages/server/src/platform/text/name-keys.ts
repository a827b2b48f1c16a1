import { Worker } from 'node:worker_threads';
import { IdleWorker, workerEntry } from '../files/workers.js';
import { type SearchKeys, searchKeys } from './chinese.js';
import type { NameKeysReply, NameKeysRequest } from './name-keys.worker.js';

export interface NameKeysPoolOptions {
  /** An idle worker is ended after this long, giving back its dictionary (~30 MiB). */
  idleMs?: number;
  /** The worker entry's name (`<name>.worker.ts`); tests point it at one that is not there. */
  entry?: string;
}

interface Waiting {
  names: readonly string[];
  resolve: (keys: SearchKeys[]) => void;
  reject: (err: Error) => void;
}

/**
 * The search keys of names (pinyin, initials), made in a worker thread: loading pinyin-pro's
 * dictionary takes 60–75 ms and its first reading 50–80 ms, each one block of the event loop, and a
 * name takes ~15 µs (1.5 s per 100k imported rows) (decisions/0090). Batches are answered in order;
 * the worker starts at the first batch and ends after idleMs without one. Where no worker can run
 * (no entry file) or the worker dies with batches in it, those batches are read in-process: a
 * slower answer, never a lost one.
 */
export class NameKeysPool {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private readonly workers: IdleWorker;

  constructor(opts: NameKeysPoolOptions = {}) {
    const entry = opts.entry ?? 'name-keys';
    this.workers = new IdleWorker(() => this.spawn(entry), opts.idleMs ?? 60_000);
  }

  /** The search keys of each name, in order. */
  keys(names: readonly string[]): Promise<SearchKeys[]> {
    if (!names.length) return Promise.resolve([]);
    const worker = this.workers.take();
    if (!worker) return Promise.resolve(names.map(searchKeys));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { names, resolve, reject });
      worker.postMessage({ id, names: [...names] } satisfies NameKeysRequest);
    });
  }

  /** Ends the worker (batches still in it are read in-process). */
  async close(): Promise<void> {
    await this.workers.retire();
  }

  private spawn(name: string): Worker | null {
    const entry = workerEntry(name, import.meta.url);
    if (!entry) return null;
    let worker: Worker;
    try {
      // a small young generation: measured on 100k names in batches of 500, the worker added 91 MB
      // of RSS with V8's default and 56 MB with 4 MB, and read the names in 1.2 s instead of 1.9 s
      worker = new Worker(entry.spec, {
        eval: entry.evalCode,
        resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 4 },
      });
    } catch {
      return null;
    }
    worker.on('message', (reply: NameKeysReply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.keys);
      else w.reject(new Error(reply.message));
      if (!this.waiting.size) this.workers.rest();
    });
    worker.on('error', () => {}); // the exit below follows
    worker.on('exit', () => {
      const left = [...this.waiting.values()];
      this.waiting.clear();
      for (const w of left) {
        try {
          w.resolve(w.names.map(searchKeys));
        } catch (err) {
          w.reject(err as Error);
        }
      }
    });
    return worker;
  }
}

const shared = new NameKeysPool();

/** The search keys of each name (see NameKeysPool), from the process's one pool. */
export function nameKeys(names: readonly string[]): Promise<SearchKeys[]> {
  return shared.keys(names);
}
