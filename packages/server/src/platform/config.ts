import path from 'node:path';

export interface Config {
  databaseUrl: string;
  port: number;
  host: string;
  dataDir: string;
  keyFile: string;
  demo: boolean;
  tzDisplay: string;
  logLevel: string;
  /** Trust X-Forwarded-For from a reverse proxy. */
  trustProxy: boolean;
  /**
   * Served over HTTPS: the session cookie carries `Secure` and responses carry HSTS. `COOKIE_SECURE=1`
   * or `0`; unset → on outside demo mode when TRUST_PROXY is set (the proxy terminates TLS).
   */
  cookieSecure: boolean;
}

export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.DATA_DIR ?? './data');
  const demo = overrides.demo ?? env.DEMO === '1';
  const trustProxy = overrides.trustProxy ?? env.TRUST_PROXY === '1';
  return {
    dataDir,
    databaseUrl:
      overrides.databaseUrl ?? (env.DATABASE_URL || undefined) ?? `sqlite:${path.join(dataDir, 'shuangyong.db')}`,
    port: overrides.port ?? Number(env.PORT ?? 8080),
    host: overrides.host ?? env.HOST ?? '0.0.0.0',
    keyFile: path.resolve(overrides.keyFile ?? env.KEY_FILE ?? path.join(dataDir, 'keys.json')),
    demo,
    tzDisplay: overrides.tzDisplay ?? env.TZ_DISPLAY ?? 'Asia/Shanghai',
    logLevel: overrides.logLevel ?? env.LOG_LEVEL ?? 'info',
    trustProxy,
    cookieSecure:
      overrides.cookieSecure ??
      (env.COOKIE_SECURE === '1' ? true : env.COOKIE_SECURE === '0' ? false : !demo && trustProxy),
  };
}
