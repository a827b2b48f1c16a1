// `npm test`: every test — unit, API on SQLite, API on PostgreSQL (under CI, or when
// TEST_DATABASE_URL is set), crash tests and real-browser journeys. Ends with `N passed, N failed`.
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
if (env.CI === 'true' && !env.TEST_DATABASE_URL) env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const args = ['vitest', 'run', ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit', env });
process.exit(r.status ?? 1);
