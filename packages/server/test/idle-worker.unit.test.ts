import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { IdleWorker } from '../src/platform/files/workers.js';

/** A worker that answers each message with its thread id and otherwise waits. */
const echo = () =>
  new Worker(
    "const { parentPort, threadId } = require('node:worker_threads'); parentPort.on('message', () => parentPort.postMessage(threadId));",
    { eval: true },
  );

async function ask(worker: Worker): Promise<number> {
  worker.postMessage('who');
  const [id] = await once(worker, 'message');
  return id as number;
}

describe('a worker started when needed and ended when idle', () => {
  it('keeps one worker while it works, ends it after the idle time, and starts another when taken again', async () => {
    let started = 0;
    const pool = new IdleWorker(() => {
      started++;
      return echo();
    }, 50);
    const first = pool.take()!;
    expect(await ask(first)).toBe(first.threadId);
    expect(pool.take()).toBe(first);
    expect(started).toBe(1);
    // taken again before the idle time is up: the same worker, not ended
    pool.rest();
    expect(pool.take()).toBe(first);
    await sleep(120);
    expect(await ask(first)).toBe(first.threadId);
    // at rest for longer than the idle time: ended, and the next take starts a new one
    const ended = once(first, 'exit');
    pool.rest();
    await ended;
    const second = pool.take()!;
    expect(second).not.toBe(first);
    expect(started).toBe(2);
    await pool.retire();
  });

  it('starts a new worker after one dies, and none when none can run', async () => {
    const pool = new IdleWorker(echo, 60_000);
    const first = pool.take()!;
    await first.terminate();
    const second = pool.take()!;
    expect(second).not.toBe(first);
    expect(await ask(second)).toBe(second.threadId);
    await pool.retire();
    expect(new IdleWorker(() => null, 10).take()).toBeNull();
  });
});
