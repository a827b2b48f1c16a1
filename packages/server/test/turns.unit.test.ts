import { Kysely, type PostgresPool } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SlicedPostgresDialect, turnSlicer } from '../src/platform/turns.js';

/** Holds the thread for `ms` (a request's synchronous work: statements, serialisation). */
function busy(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

describe('turns of the event loop under many ready requests (decisions/0084)', () => {
  it('lets a timer run between the slices of 30 requests that arrive together, and runs every request', async () => {
    const admit = turnSlicer(10);
    let done = 0;
    let doneWhenTimerRan = -1;
    setTimeout(() => {
      doneWhenTimerRan = done;
    }, 0);
    const request = async () => {
      const wait = admit();
      if (wait) await wait;
      busy(3);
      done++;
    };
    await Promise.all(Array.from({ length: 30 }, request));
    expect(done).toBe(30);
    // without slices the 30 requests (~90 ms) would all run before the timer
    expect(doneWhenTimerRan).toBeGreaterThan(0);
    expect(doneWhenTimerRan).toBeLessThan(30);
  });

  it('admits the first caller of a turn at once, and light callers of the same turn too', async () => {
    const admit = turnSlicer(10);
    expect(admit()).toBeUndefined();
    expect(admit()).toBeUndefined(); // the slice is not used up
    busy(12);
    const held = admit();
    expect(held).toBeInstanceOf(Promise);
    await held;
    // a later turn: a new slice
    await new Promise((resolve) => setImmediate(resolve));
    expect(admit()).toBeUndefined();
  });

  it('holds PostgreSQL answers for their slice too, with the connection back in the pool', async () => {
    const pool = new FakePool('apart');
    const db = new Kysely<{ t: { id: number } }>({ dialect: new SlicedPostgresDialect({ pool: pool.asPool() }) });
    let done = 0;
    let doneWhenTimerRan = -1;
    // samples, at every timers phase (where a caller waiting for its slice resumes), how many clients
    // have answered and are still lent out
    let heldWhileWaiting = 0;
    let finished = false;
    const sample = () => {
      heldWhileWaiting = Math.max(heldWhileWaiting, pool.heldAfterAnswer);
      if (!finished) setTimeout(sample, 0);
    };
    sample();
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        await db.selectFrom('t').selectAll().execute();
        busy(3);
        // a timer set as the first answer is handled: without slices the other 29 run before it
        if (++done === 1)
          setTimeout(() => {
            doneWhenTimerRan = done;
          }, 0);
      }),
    );
    finished = true;
    expect(done).toBe(30);
    expect(doneWhenTimerRan).toBeGreaterThan(0);
    expect(doneWhenTimerRan).toBeLessThan(30);
    expect(heldWhileWaiting).toBe(0);
  });

  it('never makes a transaction wait for a turn while it holds its connection', async () => {
    // answers come at once (in the same turn): only a wait for a slice could let a timer run
    const pool = new FakePool('at once');
    const db = new Kysely<{ t: { id: number } }>({ dialect: new SlicedPostgresDialect({ pool: pool.asPool() }) });
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) {
        await trx.selectFrom('t').selectAll().execute();
        busy(12); // each statement's caller uses up more than a slice
      }
      expect(timerRan).toBe(false);
    });
    expect(pool.statements).toEqual(['begin', ...Array(5).fill('select * from "t"'), 'commit']);
    expect(pool.heldAfterAnswer).toBe(0);
  });
});

/** A pg pool whose answers arrive one per callback of the event loop (as a socket's do), or at once. */
class FakePool {
  heldAfterAnswer = 0;
  readonly statements: string[] = [];

  constructor(private readonly answers: 'apart' | 'at once') {}

  asPool() {
    return this as unknown as PostgresPool;
  }

  async connect() {
    let answered = false;
    return {
      query: (sql: string) => {
        this.statements.push(sql);
        const answer = () => {
          if (!answered) this.heldAfterAnswer++;
          answered = true;
          return { command: 'SELECT', rowCount: 0, rows: [] };
        };
        if (this.answers === 'at once') return Promise.resolve(answer());
        return new Promise((resolve) => setImmediate(() => resolve(answer())));
      },
      release: () => {
        if (answered) this.heldAfterAnswer--;
      },
    };
  }

  async end() {}
}
