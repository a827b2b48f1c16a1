import { describe, expect, it } from 'vitest';
import { BoundedMemo, ownString } from '../src/platform/memo.js';

describe('BoundedMemo', () => {
  const counted = (capacity: number) => {
    const calls: string[] = [];
    const memo = new BoundedMemo<string, string>(capacity, (k) => {
      calls.push(k);
      return `v:${k}`;
    });
    return { memo, calls };
  };

  it('computes a key once while it is held', () => {
    const { memo, calls } = counted(10);
    expect(['a', 'b', 'a', 'a', 'b'].map((k) => memo.get(k))).toEqual(['v:a', 'v:b', 'v:a', 'v:a', 'v:b']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('holds at most twice its capacity, dropping the older generation whole', () => {
    const { memo, calls } = counted(3);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) memo.get(k);
    expect(memo.size).toBeLessThanOrEqual(6);
    // a, b, c became the older generation at d; d, e, f at g, and a, b, c were dropped
    calls.length = 0;
    memo.get('a');
    memo.get('e');
    expect(calls).toEqual(['a']);
  });

  it('keeps a key used again within the capacity (moved out of the older generation)', () => {
    const { memo, calls } = counted(2);
    memo.get('a');
    memo.get('b');
    memo.get('c'); // a, b older
    memo.get('a'); // a back in the current generation with c
    memo.get('d'); // c, a older
    calls.length = 0;
    memo.get('a');
    memo.get('c');
    memo.get('b');
    expect(calls).toEqual(['b']);
  });

  it('forgets everything on clear, and refuses a capacity below one', () => {
    const { memo, calls } = counted(5);
    memo.get('a');
    memo.clear();
    expect(memo.size).toBe(0);
    memo.get('a');
    expect(calls).toEqual(['a', 'a']);
    expect(() => new BoundedMemo(0, (k: string) => k)).toThrow('capacity');
  });
});

describe('BoundedMemo without a value', () => {
  it('does not keep a key whose computation gives undefined', () => {
    let calls = 0;
    const memo = new BoundedMemo<string, number>(4, (k) => {
      calls++;
      return k === 'bad' ? undefined : k.length;
    });
    expect([memo.get('bad'), memo.get('bad'), memo.get('good'), memo.get('good')]).toEqual([
      undefined,
      undefined,
      4,
      4,
    ]);
    expect(calls).toBe(3);
    expect(memo.size).toBe(1);
  });
});

describe('BoundedMemo keys of their own', () => {
  it('stores the key as `own` gives it, and finds it again by an equal key', () => {
    const stored: string[] = [];
    const memo = new BoundedMemo<string, number>(
      4,
      (k) => k.length,
      (k) => {
        const copy = ownString(k);
        stored.push(copy);
        return copy;
      },
    );
    const text = `x${'650203195003011234'}y`;
    expect(memo.get(text.slice(1, 19))).toBe(18);
    expect(memo.get(text.slice(1, 19))).toBe(18);
    expect(stored).toEqual(['650203195003011234']);
    expect(ownString('克拉玛依 650203')).toBe('克拉玛依 650203');
  });
});
