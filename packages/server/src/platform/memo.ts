/**
 * A memo of a costly pure function with a bound on its size: two generations of entries, the
 * current one and the one before; a key found in the older moves to the current, and when the
 * current holds `capacity` keys the older is dropped whole and the current becomes the older. So
 * it holds at most 2 × capacity entries, and a key used again within `capacity` other keys stays.
 * (No per-hit reordering as in a strict LRU: a hit in the current generation is one Map look-up.)
 * A key for which `compute` gives undefined is not kept (it is computed again when asked again).
 * `own` gives the key as stored: e.g. a copy of a string cut from a large text, which V8 keeps as a
 * slice holding the whole text alive.
 */
export class BoundedMemo<K, V> {
  private current = new Map<K, V>();
  private older = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly compute: (key: K) => V | undefined,
    private readonly own: (key: K) => K = (key) => key,
  ) {
    if (!(capacity >= 1)) throw new Error('BoundedMemo: capacity must be at least 1');
  }

  get(key: K): V | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    let value = this.older.get(key);
    let owned = key;
    if (value === undefined) {
      value = this.compute(key);
      if (value === undefined) return undefined;
      owned = this.own(key);
    } else this.older.delete(key);
    if (this.current.size >= this.capacity) {
      this.older = this.current;
      this.current = new Map();
    }
    this.current.set(owned, value);
    return value;
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.current.size + this.older.size;
  }

  clear(): void {
    this.current = new Map();
    this.older = new Map();
  }
}

/**
 * A string of its own: a substring of a large text is a slice that keeps the whole text in memory
 * for as long as it lives (V8); this copy does not.
 */
export function ownString(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
