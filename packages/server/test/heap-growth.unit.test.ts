import { afterEach, describe, expect, it, vi } from 'vitest';

const flags: string[] = [];
vi.mock('node:v8', async (original) => ({
  ...(await original<typeof import('node:v8')>()),
  setFlagsFromString: (f: string) => flags.push(f),
}));

/** The main heap kept near its live size while bulk jobs run (decisions/0071). */
describe('withTightHeap', () => {
  afterEach(() => {
    flags.length = 0;
  });
  it('sets the growing factor for the first job and back after the last, also when one fails', async () => {
    const { withTightHeap, HEAP_GROWING_PERCENT } = await import('../src/platform/heap-growth.js');
    let release!: () => void;
    const first = withTightHeap(() => new Promise<void>((r) => (release = r)));
    const second = withTightHeap(async () => {
      throw new Error('failed');
    });
    await expect(second).rejects.toThrow('failed');
    expect(flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    release();
    await first;
    expect(flags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '--heap-growing-percent=0']);
    expect(await withTightHeap(async () => 7)).toBe(7);
    expect(flags).toHaveLength(4);
  });
  it('holds the loosest percent a running job asked for, and sets the flag only when that moves', async () => {
    const { withTightHeap } = await import('../src/platform/heap-growth.js');
    let releaseTight!: () => void;
    const tight = withTightHeap(() => new Promise<void>((r) => (releaseTight = r)), 30);
    let releaseLoose!: () => void;
    const loose = withTightHeap(() => new Promise<void>((r) => (releaseLoose = r)), 60);
    const same = withTightHeap(async () => 'same', 60);
    expect(await same).toBe('same');
    expect(flags).toEqual(['--heap-growing-percent=30', '--heap-growing-percent=60']);
    releaseLoose();
    await loose;
    expect(flags.at(-1)).toBe('--heap-growing-percent=30');
    releaseTight();
    await tight;
    expect(flags).toEqual([
      '--heap-growing-percent=30',
      '--heap-growing-percent=60',
      '--heap-growing-percent=30',
      '--heap-growing-percent=0',
    ]);
  });
});
