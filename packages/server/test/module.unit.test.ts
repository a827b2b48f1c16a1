import { describe, expect, it, vi } from 'vitest';
import { RecordLabels } from '../src/platform/audit/labels.js';
import {
  buildModules,
  defineModule,
  type ModuleContext,
  startTimers,
  tableOwners,
  withRequirements,
} from '../src/platform/module.js';

/** Only what buildModules touches of the context: the job runner's `register`, the record labels. */
function fakeContext() {
  const registered: string[] = [];
  const ctx = {
    jobs: { register: (kind: string) => registered.push(kind) },
    labels: new RecordLabels(),
  } as unknown as ModuleContext;
  return { ctx, registered };
}

const clockModule = defineModule({
  name: 'clock',
  build: () => ({ services: { today: () => '2025-01-01' }, targets: { tick: async () => true } }),
});

const diaryModule = defineModule({
  name: 'diary',
  requires: [clockModule],
  build: (_ctx, { clock }) => ({
    services: { heading: () => `日记 ${clock.today()}` },
    jobs: { 'diary.print': { permission: 'campaign:read', validate: async () => ({}) } },
    timers: [{ name: 'diary sweep', everyMs: 60_000, run: async () => clock.today() }],
  }),
});

describe('buildModules', () => {
  it('builds in order and hands each module the services it requires', () => {
    const { ctx, registered } = fakeContext();
    const built = buildModules(ctx, [clockModule, diaryModule]);
    expect(built.services.diary.heading()).toBe('日记 2025-01-01');
    expect([...built.targets.keys()]).toEqual(['job', 'tick']);
    expect(registered).toEqual(['diary.print']);
    expect(built.timers.map((t) => t.name)).toEqual(['job files sweep', 'diary sweep']);
  });

  it('refuses a module listed before what it requires, and one listed twice', () => {
    expect(() => buildModules(fakeContext().ctx, [diaryModule, clockModule])).toThrow(
      'module diary requires clock, which must be listed before it',
    );
    expect(() => buildModules(fakeContext().ctx, [clockModule, clockModule])).toThrow('module clock is listed twice');
  });

  it('refuses two modules claiming the same target kind or job kind', () => {
    const otherClock = defineModule({
      name: 'other',
      build: () => ({ services: undefined, targets: { tick: async () => false } }),
    });
    expect(() => buildModules(fakeContext().ctx, [clockModule, otherClock])).toThrow(
      'target kind tick of module other is already taken',
    );
    const otherDiary = defineModule({
      name: 'other',
      build: () => ({
        services: undefined,
        jobs: { 'diary.print': { permission: 'campaign:read', validate: async () => ({}) } },
      }),
    });
    expect(() => buildModules(fakeContext().ctx, [clockModule, diaryModule, otherDiary])).toThrow(
      'job kind diary.print of module other is already taken',
    );
  });

  it('names audited records through the labels modules declare, once per kind', async () => {
    const named = defineModule({
      name: 'named',
      build: () => ({
        services: undefined,
        labels: { diary: async (ids: readonly string[]) => new Map(ids.map((id) => [id, `日记 ${id}`])) },
      }),
    });
    const { ctx } = fakeContext();
    buildModules(ctx, [named]);
    const rows = [
      { entity_type: 'diary', entity_id: '1' },
      { entity_type: 'diary', entity_id: '1' },
      { entity_type: 'clock', entity_id: '2' },
      { entity_type: null, entity_id: null },
    ];
    const labels = await ctx.labels.resolve(rows, {} as never);
    expect([...labels]).toEqual([['diary:1', '日记 1']]);
    expect(() => buildModules(fakeContext().ctx, [named, defineModule({ ...named, name: 'again' })])).toThrow(
      'record label kind diary is already taken',
    );
  });

  it('closes what the modules started, last built first', async () => {
    const closed: string[] = [];
    const closing = (name: string) =>
      defineModule({ name, build: () => ({ services: undefined, close: async () => void closed.push(name) }) });
    await buildModules(fakeContext().ctx, [closing('a'), closing('b')]).close();
    expect(closed).toEqual(['b', 'a']);
  });

  it('runs timers at once and logs a failing one by name', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const stop = startTimers(
      [
        { name: 'ok', everyMs: 3_600_000, run: async () => ++runs },
        { name: 'broken sweep', everyMs: 3_600_000, run: async () => Promise.reject(new Error('boom')) },
      ],
      { error: (obj, msg) => errors.push([obj, msg]) },
    );
    await new Promise((r) => setImmediate(r));
    stop();
    expect(runs).toBe(1);
    expect(errors).toEqual([[expect.objectContaining({ timer: 'broken sweep' }), 'broken sweep failed']]);
  });
});

describe('startTimers after a delay (serve)', () => {
  it('runs nothing before firstAfterMs, then every everyMs, and nothing once stopped', () => {
    vi.useFakeTimers();
    try {
      let runs = 0;
      const stop = startTimers(
        [{ name: 'sweep', everyMs: 60_000, run: async () => void runs++ }],
        { error() {} },
        {
          firstAfterMs: 2000,
        },
      );
      vi.advanceTimersByTime(1999);
      expect(runs).toBe(0);
      vi.advanceTimersByTime(1);
      expect(runs).toBe(1);
      vi.advanceTimersByTime(60_000);
      expect(runs).toBe(2);
      stop();
      vi.advanceTimersByTime(600_000);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('withRequirements', () => {
  it('lists what the targets require, each after its requirements, once', () => {
    const a = defineModule({ name: 'a', build: () => ({ services: 1 }) });
    const b = defineModule({ name: 'b', requires: [a], build: () => ({ services: 2 }) });
    const c = defineModule({ name: 'c', requires: [a], build: () => ({ services: 3 }) });
    const d = defineModule({ name: 'd', requires: [c, b], build: () => ({ services: 4 }) });
    expect(withRequirements(d, b).map((m) => m.name)).toEqual(['a', 'c', 'b', 'd']);
  });
});

describe('table ownership', () => {
  it('gives each table one owner, the platform first', () => {
    const owners = tableOwners([
      defineModule({ name: 'stock', tables: ['stock_items'], build: () => ({ services: 1 }) }),
    ]);
    expect(owners.get('stock_items')).toBe('stock');
    expect(owners.get('audit_log')).toBe('platform');
    expect(() =>
      tableOwners([
        defineModule({ name: 'a', tables: ['items'], build: () => ({ services: 1 }) }),
        defineModule({ name: 'b', tables: ['items'], build: () => ({ services: 1 }) }),
      ]),
    ).toThrow('table items of module b is already owned by a');
    expect(() => tableOwners([defineModule({ name: 'c', tables: ['jobs'], build: () => ({ services: 1 }) })])).toThrow(
      'table jobs of module c is already owned by platform',
    );
  });

  it('shares for joins only tables the module owns', () => {
    expect(() =>
      defineModule({ name: 'a', tables: ['items'], joinable: ['orgs'], build: () => ({ services: 1 }) }),
    ).toThrow('module a shares tables it does not own: orgs');
  });
});
