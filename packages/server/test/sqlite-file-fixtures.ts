import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type DbHandle, openDatabase } from '../src/platform/db/index.js';

type OpenOptions = Parameters<typeof openDatabase>[1];

/**
 * A database file in a fresh temporary folder for each test (`prefix` names the folder). `open`
 * opens it (or `url`, e.g. 'sqlite::memory:'); the handle is closed and the folder removed after
 * the test.
 */
export function sqliteFile(prefix: string) {
  let handle: DbHandle | null = null;
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    await handle?.close();
    handle = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    open(opts?: OpenOptions, url = `sqlite:${path.join(dir, 'db.sqlite')}`): DbHandle {
      handle = openDatabase(url, opts);
      return handle;
    },
  };
}

/** Counts turns of the event loop until `stop()`. */
export function spinner() {
  let turns = 0;
  let done = false;
  const spin = () => {
    turns++;
    if (!done) setImmediate(spin);
  };
  setImmediate(spin);
  return {
    get turns() {
      return turns;
    },
    get stopped() {
      return done;
    },
    stop() {
      done = true;
    },
  };
}
