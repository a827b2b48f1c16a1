import { setFlagsFromString } from 'node:v8';

// V8 sizes the old generation after each full collection as the live size times a growing factor
// it picks from the collector's speed against the program's (up to 4× for a large heap). A bulk job
// that allocates fast but keeps little (an import of 10^5 rows keeps ~15 MB) thus let the main heap
// grow to 170–250 MB of mostly garbage, which made most of its peak RSS above the 400 MB target
// (decisions/0071). While such a job runs, the factor is fixed at 1 + HEAP_GROWING_PERCENT/100:
// more, smaller collections (measured: ~+10 % CPU of the job) for a heap a fraction of the size.
// V8 reads the flag at each full collection, so it applies at once and is set back after the job.

/** V8's default `--heap-growing-percent` (0: V8 chooses the factor; node --v8-options, Node 20–22). */
const V8_DEFAULT = 0;
/** The growing factor while a bulk job runs: 1.3× the live size. */
export const HEAP_GROWING_PERCENT = 30;

/** The growing percents of the jobs running now (one entry per job). */
const running: number[] = [];
/** The percent in force: the loosest a running job asked for, or V8's own choice. */
const inForce = () => (running.length ? Math.max(...running) : V8_DEFAULT);

/** Changes the running jobs with `change`, and V8's flag if the percent in force moved. */
function update(change: () => void) {
  const before = inForce();
  change();
  if (inForce() !== before) setFlagsFromString(`--heap-growing-percent=${inForce()}`);
}

/**
 * Runs `job` with the main heap kept close to its live size (see above): the growing factor is
 * 1 + percent/100 while it runs. Concurrent jobs share one setting, the loosest any of them asked
 * for; V8's own choice comes back when the last one ends.
 */
export async function withTightHeap<T>(job: () => Promise<T>, percent = HEAP_GROWING_PERCENT): Promise<T> {
  update(() => running.push(percent));
  try {
    return await job();
  } finally {
    update(() => running.splice(running.indexOf(percent), 1));
  }
}
