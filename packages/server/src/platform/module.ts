import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type RecordLabeler, RecordLabels } from './audit/labels.js';
import { Sessions } from './auth/sessions.js';
import type { Platform } from './context.js';
import type { TargetResolver } from './http/pipeline.js';
import { type JobHandler, Jobs } from './jobs/jobs.js';

/**
 * The one shape of a domain module (docs/architecture.md, "Modules"). A module file
 * `<module>/<module>.module.ts` exports one `defineModule({...})`; app.ts lists the definitions in
 * order and nothing else. A module gets the platform through `ModuleContext` and other modules
 * only through `requires`: the services those modules export, never their repos or tables.
 */

/** The log calls modules make (Fastify's logger, or a silent one outside the server). */
export interface ModuleLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the platform hands every module's `build` — the same for all modules. */
export interface ModuleContext {
  p: Platform;
  /** The job runner: create and read jobs (handlers are declared in `ModuleParts.jobs`). */
  jobs: Jobs;
  sessions: Sessions;
  /** How each module's audited records are named (filled as modules are built; read per request). */
  labels: RecordLabels;
  log: ModuleLog;
  http: { secureCookie: boolean };
}

/** Periodic work `shuangyong serve` runs (reminders, deadline sweeps); tests call `run` directly. */
export interface ModuleTimer {
  /** Says what failed in the log. */
  name: string;
  everyMs: number;
  run(now: Date): Promise<unknown>;
}

/** What a module's `build` returns. Every part is optional except what it exports. */
export interface ModuleParts<S> {
  /** What other modules (through `requires`), the CLI and tests may use. */
  services: S;
  /** Fastify plugins registered under /api/v1, each in its own encapsulated context. */
  routes?: FastifyPluginAsyncZod[];
  /** Resolvers of the record kinds its `:id` routes name (platform/http/pipeline.ts). */
  targets?: Record<string, TargetResolver>;
  /** Handlers of the job kinds it creates (platform/jobs/jobs.ts). */
  jobs?: Record<string, JobHandler>;
  /** How the audit log names the records of the entity types it audits (platform/audit/labels.ts). */
  labels?: Record<string, RecordLabeler>;
  timers?: ModuleTimer[];
  /** Releases what `build` started (worker threads…) when the app closes. */
  close?(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: the erased form every definition is assignable to
export type AnyModule = ModuleDefinition<string, any, readonly any[]>;

/** The services a definition exports. */
// biome-ignore lint/suspicious/noExplicitAny: matches any list of requirements
export type ServicesOf<M> = M extends ModuleDefinition<string, infer S, readonly any[]> ? S : never;

/** `{ [name]: services }` of a list of definitions — what `build` receives as `deps`. */
export type ServicesMap<L extends readonly AnyModule[]> = {
  [M in L[number] as M['name']]: ServicesOf<M>;
};

export interface ModuleDefinition<N extends string, S, R extends readonly AnyModule[]> {
  readonly name: N;
  /** The tables it owns: only its repositories name them (scripts/check-tables.mjs). */
  readonly tables: readonly string[];
  /** Of those, the ones other modules' repositories may join to read (never write). */
  readonly joinable: readonly string[];
  /** The modules whose services this one uses; they must come before it in app.ts's list. */
  readonly requires: R;
  build(ctx: ModuleContext, deps: ServicesMap<R>): ModuleParts<S>;
}

/** Declares a module; `requires` defaults to none. Types of `deps` follow from `requires`. */
export function defineModule<const N extends string, S, const R extends readonly AnyModule[] = []>(def: {
  name: N;
  tables?: readonly string[];
  joinable?: readonly string[];
  requires?: R;
  build(ctx: ModuleContext, deps: ServicesMap<R>): ModuleParts<S>;
}): ModuleDefinition<N, S, R> {
  const tables = def.tables ?? [];
  const joinable = def.joinable ?? [];
  const stray = joinable.filter((t) => !tables.includes(t));
  if (stray.length) throw new Error(`module ${def.name} shares tables it does not own: ${stray.join(', ')}`);
  return { name: def.name, tables, joinable, requires: (def.requires ?? []) as unknown as R, build: def.build };
}

/**
 * The platform's own tables (sessions, the audit chain, settings, jobs): modules reach them
 * through the platform's services (`p.audit`, `p.settings`, `ctx.jobs`), never by name.
 */
export const PLATFORM_TABLES = ['sessions', 'auth_failures', 'audit_log', 'settings', 'jobs'] as const;

/** Table → owner ('platform' or a module's name); throws when two claim one table. */
export function tableOwners(list: readonly AnyModule[]): Map<string, string> {
  const owners = new Map<string, string>(PLATFORM_TABLES.map((t) => [t, 'platform']));
  for (const m of list)
    for (const t of m.tables) {
      const other = owners.get(t);
      if (other) throw new Error(`table ${t} of module ${m.name} is already owned by ${other}`);
      owners.set(t, m.name);
    }
  return owners;
}

/**
 * `targets` with everything they require, each module after its requirements (depth first, in
 * the order `requires` names them): the list for buildModules where the modules are built outside
 * the app (seeds, CLI commands), so no caller repeats by hand what each module requires.
 */
export function withRequirements<const L extends readonly AnyModule[]>(...targets: L): L {
  const out: AnyModule[] = [];
  const seen = new Set<string>();
  const visit = (m: AnyModule) => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    for (const r of m.requires as readonly AnyModule[]) visit(r);
    out.push(m);
  };
  for (const m of targets) visit(m);
  return out as unknown as L;
}

/** The built modules, merged: what the HTTP server, the CLI and tests use. */
export interface BuiltModules<L extends readonly AnyModule[]> {
  services: ServicesMap<L>;
  /** Route plugins in module order. */
  routes: FastifyPluginAsyncZod[];
  targets: Map<string, TargetResolver>;
  timers: ModuleTimer[];
  close(): Promise<void>;
}

/**
 * Builds the modules in list order: each gets the services of what it requires, its job handlers
 * are registered, and kinds (targets, jobs) must be unique. Throws on a misordered or duplicate
 * module, so a wrong list fails at start, not at the first request.
 */
export function buildModules<const L extends readonly AnyModule[]>(ctx: ModuleContext, list: L): BuiltModules<L> {
  const services: Record<string, unknown> = {};
  const routes: FastifyPluginAsyncZod[] = [];
  // jobs are the platform's: visible in scope and with the permission of the job's kind
  const targets = new Map<string, TargetResolver>([
    ['job', async (_scope, id, actor) => !!(await ctx.jobs.visibleTo(actor, id))],
  ]);
  const jobKinds = new Set<string>();
  // the job runner deletes job files after the retention in settings (decisions/0014)
  const timers: ModuleTimer[] = [{ name: 'job files sweep', everyMs: 3_600_000, run: (now) => ctx.jobs.sweep(now) }];
  const closers: (() => Promise<void>)[] = [];
  tableOwners(list);
  for (const m of list) {
    if (m.name in services) throw new Error(`module ${m.name} is listed twice`);
    const deps: Record<string, unknown> = {};
    for (const r of m.requires as readonly AnyModule[]) {
      if (!(r.name in services)) throw new Error(`module ${m.name} requires ${r.name}, which must be listed before it`);
      deps[r.name] = services[r.name];
    }
    const parts = m.build(ctx, deps as never);
    services[m.name] = parts.services;
    routes.push(...(parts.routes ?? []));
    for (const [kind, resolve] of Object.entries(parts.targets ?? {})) {
      if (targets.has(kind)) throw new Error(`target kind ${kind} of module ${m.name} is already taken`);
      targets.set(kind, resolve);
    }
    for (const [kind, handler] of Object.entries(parts.jobs ?? {})) {
      if (jobKinds.has(kind)) throw new Error(`job kind ${kind} of module ${m.name} is already taken`);
      jobKinds.add(kind);
      ctx.jobs.register(kind, handler);
    }
    for (const [kind, labeler] of Object.entries(parts.labels ?? {})) ctx.labels.register(kind, labeler);
    timers.push(...(parts.timers ?? []));
    if (parts.close) closers.push(parts.close);
  }
  return {
    services: services as ServicesMap<L>,
    routes,
    targets,
    timers,
    close: async () => {
      for (const c of [...closers].reverse()) await c();
    },
  };
}

/**
 * Runs every timer now (or `firstAfterMs` from now) and then every `everyMs` (unref'd: they never
 * keep the process alive).
 */
export function startTimers(
  timers: readonly ModuleTimer[],
  log: Pick<ModuleLog, 'error'>,
  opts: { firstAfterMs?: number } = {},
): () => void {
  const handles: NodeJS.Timeout[] = [];
  for (const t of timers) {
    const tick = () => void t.run(new Date()).catch((err) => log.error({ err, timer: t.name }, `${t.name} failed`));
    handles.push(setInterval(tick, t.everyMs).unref());
    if (opts.firstAfterMs) handles.push(setTimeout(tick, opts.firstAfterMs).unref());
    else tick();
  }
  return () => {
    for (const h of handles) clearTimeout(h);
  };
}

/** A logger that drops everything (modules built outside the server: seeds, CLI commands). */
export const silentLog: ModuleLog = { info() {}, warn() {}, error() {} };

/** The context modules are built with: one job runner and one session store per app. */
export function moduleContext(p: Platform, opts: { log?: ModuleLog; secureCookie?: boolean } = {}): ModuleContext {
  const log = opts.log ?? silentLog;
  return {
    p,
    jobs: new Jobs(p, log),
    sessions: new Sessions(p.handle.db, p.crypto, p.settings, p.config.demo),
    labels: new RecordLabels(),
    log,
    http: { secureCookie: opts.secureCookie ?? false },
  };
}
