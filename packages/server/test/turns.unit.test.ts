import {
  type DatabaseConnection,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { TurnsPlugin, turnSlicer } from '../src/platform/turns.js';

/** Holds the thread for `ms` (a request's synchronous work: statements, serialisation). */
function busy(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

/** A driver whose answers arrive one per callback of the event loop, as a socket's do. */
class AnswersApartDriver extends DummyDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    return {
      executeQuery: <R>() => new Promise<QueryResult<R>>((resolve) => setImmediate(() => resolve({ rows: [] }))),
      async *streamQuery() {},
    };
  }
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

  it('holds PostgreSQL answers for their slice too (the Kysely plugin of the pool)', async () => {
    const db = new Kysely<{ t: { id: number } }>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new AnswersApartDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      plugins: [new TurnsPlugin()],
    });
    let done = 0;
    let doneWhenTimerRan = -1;
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
    expect(done).toBe(30);
    expect(doneWhenTimerRan).toBeGreaterThan(0);
    expect(doneWhenTimerRan).toBeLessThan(30);
  });
});
