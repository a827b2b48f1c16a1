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
}

export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(overrides.dataDir ?? env.DATA_DIR ?? './data');
  return {
    dataDir,
    databaseUrl:
      overrides.databaseUrl ?? (env.DATABASE_URL || undefined) ?? `sqlite:${path.join(dataDir, 'shuangyong.db')}`,
    port: overrides.port ?? Number(env.PORT ?? 8080),
    host: overrides.host ?? env.HOST ?? '0.0.0.0',
    keyFile: path.resolve(overrides.keyFile ?? env.KEY_FILE ?? path.join(dataDir, 'keys.json')),
    demo: overrides.demo ?? env.DEMO === '1',
    tzDisplay: overrides.tzDisplay ?? env.TZ_DISPLAY ?? 'Asia/Shanghai',
    logLevel: overrides.logLevel ?? env.LOG_LEVEL ?? 'info',
    trustProxy: overrides.trustProxy ?? env.TRUST_PROXY === '1',
  };
}
