import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Permission, t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { Scope } from '../access/scope.js';
import { SYSTEM_SCOPE, scopeWhere } from '../access/scope.js';
import type { Actor } from '../auth/actor.js';
import type { Platform } from '../context.js';
import { isSealedFile } from '../crypto/index.js';
import type { Queryable } from '../db/index.js';
import type { JobsTable } from '../db/schema.js';
import { nowIso, uuidv7 } from '../ids.js';

export type JobStatus = 'queued' | 'validating' | 'validated' | 'committing' | 'succeeded' | 'failed';

export type JobRow = Selectable<JobsTable>;

/** A job's states that wait on the user: checked (waiting for the commit) or failed (see why). */
const FINISHED: JobStatus[] = ['validated', 'failed'];

/** What a job handler gets: its row, its uploaded file, and a throttled progress reporter. */
export interface JobContext {
  job: JobRow;
  params: Record<string, unknown>;
  /** The uploaded file, opened (it is sealed at rest) a slice at a time, with turns of the loop between. */
  readUpload(): Promise<Buffer>;
  progress(processed: number, total?: number): Promise<void>;
}

export interface JobHandler {
  /**
   * The permission a caller needs, besides scope, to see a job of this kind, its result and its
   * files (an import's error report holds clear ID numbers): import → `beneficiary:import`.
   */
  readonly permission: Permission;
  /** Runs when the job is queued: validate, preview (a dry run) — never changes business data. */
  validate(ctx: JobContext): Promise<Record<string, unknown>>;
  /** Runs on commit: applies everything in one transaction, or nothing. */
  commit?(ctx: JobContext): Promise<Record<string, unknown>>;
}

/**
 * Long work as rows of the jobs table (DESIGN §3): the browser polls progress; the work runs in this
 * process one job at a time (SQLite has one writer anyway). After a crash, `resume()` puts
 * interrupted jobs back: a validation starts again, an interrupted commit — whose transaction was
 * rolled back — runs again, so no import is ever half applied.
 */
export class Jobs {
  private readonly handlers = new Map<string, JobHandler>();
  /** Progress of the job running now. A commit runs inside one transaction, so its progress lives here. */
  private readonly live = new Map<string, { processed: number; total: number }>();
  private queue: Promise<void> = Promise.resolve();
  readonly dir: string;

  constructor(
    private readonly p: Platform,
    private readonly log?: { error(obj: object, msg?: string): void; warn(obj: object, msg?: string): void },
  ) {
    this.dir = path.join(p.config.dataDir, 'jobs');
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.upload`);
  }

  artefact(id: string, name: string): string {
    return path.join(this.dir, `${id}.${name}`);
  }

  /**
   * Job files hold personal data (rosters, error reports, letters): sealed with the key of the
   * database fields (SM4-CTR + HMAC-SM3), readable by the service user only (0600 in a 0700
   * folder), deleted by `sweep` after the retention in settings (decisions/0014).
   */
  private writeSealed(file: string, data: Buffer): void {
    const tmp = this.prepare(file);
    fs.writeFileSync(tmp, this.p.crypto.encryptBytes(data), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }

  private prepare(file: string): string {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
    return `${file}.${process.pid}.tmp`;
  }

  /**
   * `writeSealed` a slice at a time with turns of the loop between (decisions/0066): an upload is
   * sealed in the request that queues its job.
   */
  private async writeSealedSliced(file: string, data: Buffer): Promise<void> {
    const tmp = this.prepare(file);
    await fs.promises.writeFile(tmp, await this.p.crypto.encryptBytesSliced(data), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }

  /** `readSealed` read and opened a slice at a time, with turns of the loop between. */
  private async readSealedSliced(file: string): Promise<Buffer | undefined> {
    const data = await fs.promises.readFile(file).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!data) return undefined;
    return isSealedFile(data) ? this.p.crypto.decryptBytesSliced(data) : data;
  }

  private readSealed(file: string): Buffer | undefined {
    if (!fs.existsSync(file)) return undefined;
    const data = fs.readFileSync(file);
    // a clear file from before sealing (it is swept within the retention) is read as it is
    return isSealedFile(data) ? this.p.crypto.decryptBytes(data) : data;
  }

  writeArtefact(id: string, name: string, data: Buffer): void {
    this.writeSealed(this.artefact(id, name), data);
  }

  /**
   * A file the job makes as a stream (a letters zip): sealed as it is written, never whole in
   * memory; the file appears under its name only once the stream ended (a failed one leaves none).
   */
  async writeArtefactStream(id: string, name: string, data: Readable): Promise<void> {
    const file = this.artefact(id, name);
    const tmp = this.prepare(file);
    try {
      await pipeline(data, this.p.crypto.sealStream(), fs.createWriteStream(tmp, { mode: 0o600 }));
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.renameSync(tmp, file);
  }

  /** A file the job made (error report, letters zip), opened; undefined when there is none. */
  readArtefact(id: string, name: string): Buffer | undefined {
    return this.readSealed(this.artefact(id, name));
  }

  /**
   * A file the job made, opened as a stream (a plan file of 10^5 rows is tens of MB): never whole
   * in memory (`CryptoProvider.openFileStream`); `size` is its opened length. Undefined when there
   * is none.
   */
  async readArtefactStream(id: string, name: string): Promise<{ stream: Readable; size: number } | undefined> {
    // one reading of the head: a clear file from before sealing (swept within the retention) is
    // read as it is, a sealed one opened
    return this.p.crypto.openFileStream(this.artefact(id, name), { clear: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
  }

  hasArtefact(id: string, name: string): boolean {
    return fs.existsSync(this.artefact(id, name));
  }

  /**
   * Deletes job files (uploads, reports, letters) older than `files.retentionDays` of the
   * settings; the job rows stay (counts, who, when). Run by the job runner's timer.
   */
  async sweep(now: Date = new Date()): Promise<number> {
    const { retentionDays } = (await this.p.settings.security()).files;
    if (!fs.existsSync(this.dir)) return 0;
    const before = now.getTime() - retentionDays * 86_400_000;
    let removed = 0;
    for (const name of fs.readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile() || stat.mtimeMs >= before) continue;
      fs.rmSync(file, { force: true });
      removed++;
    }
    return removed;
  }

  async create(
    actor: Actor,
    org: { id: string; path: string },
    kind: string,
    params: Record<string, unknown>,
    file?: { name: string; data: Buffer },
  ) {
    const id = uuidv7();
    if (file) await this.writeSealedSliced(this.fileOf(id), file.data);
    await this.insertRow(this.p.handle.db, id, actor, org, kind, params, file?.name ?? null);
    this.schedule(id, 'validate');
    return this.get(SYSTEM_SCOPE, id) as Promise<JobRow>;
  }

  /**
   * Queues a job (without a file) inside the caller's transaction, so the job exists if and only if
   * the work that asks for it was committed: call `start()` after the commit. Should the process stop
   * between the commit and `start()`, `resume()` finds the row queued and runs it.
   */
  async enqueueIn(
    trx: Queryable,
    actor: Actor,
    org: { id: string; path: string },
    kind: string,
    params: Record<string, unknown>,
  ): Promise<{ id: string; start(): void }> {
    const id = uuidv7();
    await this.insertRow(trx, id, actor, org, kind, params, null);
    return { id, start: () => this.schedule(id, 'validate') };
  }

  private async insertRow(
    db: Queryable,
    id: string,
    actor: Actor,
    org: { id: string; path: string },
    kind: string,
    params: Record<string, unknown>,
    fileName: string | null,
  ) {
    const now = nowIso();
    await db
      .insertInto('jobs')
      .values({
        id,
        kind,
        status: 'queued',
        org_id: org.id,
        org_path: org.path,
        created_by: actor.userId,
        total: 0,
        processed: 0,
        params: JSON.stringify(params),
        result: null,
        error: null,
        file_name: fileName,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async get(scope: Scope, id: string, db: Queryable = this.p.handle.db): Promise<JobRow | undefined> {
    const row = await db
      .selectFrom('jobs as j')
      .selectAll('j')
      .where('j.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, { path: 'j.org_path', orgId: 'j.org_id', owner: 'j.created_by' }))
      .executeTakeFirst();
    const live = this.live.get(id);
    return row && live ? { ...row, ...live } : row;
  }

  /**
   * One user's jobs of a kind that finished their run and wait on the user — checked and waiting
   * for the commit, or failed — changed since an instant, newest first (the home page's to-do).
   */
  async finishedOf(userId: string, kind: string, since: string, page: number, pageSize: number) {
    const db = this.p.handle.db;
    const base = db
      .selectFrom('jobs')
      .where('created_by', '=', userId)
      .where('kind', '=', kind)
      .where('status', 'in', FINISHED)
      .where('updated_at', '>=', since);
    const [rows, total] = await Promise.all([
      base
        .selectAll()
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(total.n) };
  }

  /** The job, when it is in the caller's scope and the caller holds the permission of its kind. */
  async visibleTo(
    actor: { scope: Scope; permissions: ReadonlySet<Permission> },
    id: string,
  ): Promise<JobRow | undefined> {
    const row = await this.get(actor.scope, id);
    const permission = row ? this.handlers.get(row.kind)?.permission : undefined;
    return row && permission && actor.permissions.has(permission) ? row : undefined;
  }

  /** Queues the commit of a validated job; returns false when the job is not in `validated`. */
  async commit(id: string): Promise<boolean> {
    const res = await this.p.handle.db
      .updateTable('jobs')
      .set({ status: 'committing', updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'validated')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    this.schedule(id, 'commit');
    return true;
  }

  /** Waits until every scheduled job has run (tests, CLI). */
  async idle(): Promise<void> {
    let last: Promise<void>;
    do {
      last = this.queue;
      await last;
    } while (last !== this.queue);
  }

  async resume(): Promise<void> {
    const stuck = await this.p.handle.db
      .selectFrom('jobs')
      .select(['id', 'status'])
      .where('status', 'in', ['queued', 'validating', 'committing'])
      .orderBy('created_at')
      .execute();
    for (const j of stuck) this.schedule(j.id, j.status === 'committing' ? 'commit' : 'validate');
  }

  private schedule(id: string, phase: 'validate' | 'commit') {
    this.queue = this.queue
      .then(() => this.run(id, phase))
      .catch((err) => this.log?.error({ err, id }, 'job runner failed'));
  }

  private async set(id: string, set: Partial<JobRow>) {
    await this.p.handle.db
      .updateTable('jobs')
      .set({ ...set, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  }

  private async run(id: string, phase: 'validate' | 'commit') {
    const job = await this.get(SYSTEM_SCOPE, id);
    if (!job) return;
    const handler = this.handlers.get(job.kind);
    if (!handler) return this.set(id, { status: 'failed', error: `unknown job kind ${job.kind}` });
    let last = 0;
    const state = { processed: 0, total: job.total };
    this.live.set(id, state);
    const ctx: JobContext = {
      job,
      params: job.params ? (JSON.parse(job.params) as Record<string, unknown>) : {},
      readUpload: async () => {
        const data = await this.readSealedSliced(this.fileOf(id));
        if (!data) throw new Error(t('jobs.uploadGone'));
        return data;
      },
      progress: async (processed, total) => {
        state.processed = processed;
        if (total !== undefined) state.total = total;
        // the database copy is for other processes; never written from inside a commit's transaction
        const now = Date.now();
        if (phase === 'commit' || now - last < 500) return;
        last = now;
        await this.set(id, { processed: state.processed, total: state.total });
      },
    };
    try {
      if (phase === 'validate') {
        await this.set(id, { status: 'validating', processed: 0 });
        state.processed = 0;
        const result = await handler.validate(ctx);
        await this.set(id, { status: handler.commit ? 'validated' : 'succeeded', result: JSON.stringify(result) });
      } else {
        if (!handler.commit) return;
        await this.set(id, { status: 'committing', processed: 0 });
        state.processed = 0;
        const result = await handler.commit(ctx);
        await this.set(id, { status: 'succeeded', result: JSON.stringify(result) });
      }
    } catch (err) {
      this.log?.warn({ err, id }, 'job failed');
      const message = err instanceof Error ? err.message : String(err);
      await this.set(id, { status: 'failed', error: message });
    } finally {
      this.live.delete(id);
      await this.set(id, { processed: state.processed, total: state.total });
    }
  }
}
