import { performance } from 'node:perf_hooks';
// the timers module's own functions: a test's fake timers (which replace the globals) never hold a request
import { setImmediate, setTimeout } from 'node:timers';
import { type Driver, PostgresDialect, type PostgresDialectConfig, PostgresDriver } from 'kysely';

/**
 * Keeps each turn of the event loop short when many requests are ready at once (decisions/0084).
 *
 * Every piece of request work that starts on its own — a request arriving, a reader thread's
 * answer coming back — first calls `admitTurn()`. The first caller of a turn opens a slice of
 * `budgetMs`; callers in the same turn go straight on while the slice lasts, and once it is used
 * up they wait for a later turn (a 0 ms timer), where timers, other I/O and the event-loop monitor
 * run first. 32 connections whose requests each need ~2 ms of the main thread then make turns of
 * ~10 ms instead of one of ~60–90 ms; the work, and so the throughput, is the same.
 */
export function turnSlicer(budgetMs: number): () => Promise<void> | undefined {
  let sliceStart = -1;
  const endSlice = () => {
    sliceStart = -1;
  };
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  const admit = (): Promise<void> | undefined => {
    const now = performance.now();
    if (sliceStart < 0) {
      sliceStart = now;
      setImmediate(endSlice); // the slice ends with this turn
      return undefined;
    }
    if (now - sliceStart < budgetMs) return undefined;
    return later().then(admit);
  };
  return admit;
}

/** The server's slicer: 10 ms of request work a turn before the rest waits for the next. */
export const admitTurn = turnSlicer(10);

/**
 * The same for PostgreSQL's answers (the pool's results are parsed on this thread): the code awaiting
 * a statement goes on only in its slice of a turn, as it does after a SQLite reader's answer. The wait
 * comes after the connection is back in the pool — after a statement outside a transaction, after a
 * whole transaction — so no request holds a connection, or a transaction its row locks, while it waits
 * for its turn (issue 15 item 2).
 */
export class SlicedPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;

  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SlicedPostgresDriver(this.#config);
  }
}

class SlicedPostgresDriver extends PostgresDriver {
  override async releaseConnection(connection: Parameters<PostgresDriver['releaseConnection']>[0]): Promise<void> {
    await super.releaseConnection(connection);
    await admitTurn();
  }
}
