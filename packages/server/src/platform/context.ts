import type { FastifyBaseLogger } from 'fastify';
import { AuditLog } from './audit/audit.js';
import type { Config } from './config.js';
import { type CryptoProvider, loadOrCreateKeyFile, SmCryptoProvider } from './crypto/index.js';
import { type DbHandle, openDatabase } from './db/index.js';
import { Settings } from './settings.js';

/** The platform services every module receives (explicitly — no container, no globals). */
export interface Platform {
  config: Config;
  handle: DbHandle;
  crypto: CryptoProvider;
  audit: AuditLog;
  settings: Settings;
}

/** `deferBackground`: see openDatabase (`serve` starts the database's background work once ready). */
export function createPlatform(
  config: Config,
  log?: Pick<FastifyBaseLogger, 'error'>,
  opts: { deferBackground?: boolean } = {},
): Platform {
  const handle = openDatabase(config.databaseUrl, {
    onPoolError: (err) => log?.error({ err }, 'database pool error'),
    deferBackground: opts.deferBackground,
  });
  const crypto = new SmCryptoProvider(loadOrCreateKeyFile(config.keyFile));
  return {
    config,
    handle,
    crypto,
    audit: new AuditLog(handle.dialect, crypto),
    settings: new Settings(handle.db),
  };
}
