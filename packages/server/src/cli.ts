#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@shuangyong/shared';
import { buildApp } from './app.js';
import { hashPassword } from './platform/auth/password.js';
import { type Config, loadConfig } from './platform/config.js';
import { createPlatform, type Platform } from './platform/context.js';
import { migrateToLatest } from './platform/db/index.js';
import { startTimers } from './platform/module.js';
import { warmUpChinese } from './platform/text/chinese.js';
import { letYoungGenerationGrow } from './platform/young-generation.js';

// What only a command other than `serve` needs (the seeders, import, backup, key rotation, doctor)
// is imported where the command runs, so `serve` does not load and compile it (decisions/0063).

const HELP = `shuangyong — 双拥工作平台

用法: shuangyong <命令> [选项]
  serve [--demo [--empty]] [--port N] [--host H] [--data-dir D]  启动服务（先执行迁移；演示模式下空库自动生成演示城市，--empty 只生成组织与账号）
  migrate                                               执行数据库迁移
  seed --demo [--empty]                                 生成演示城市（克拉玛依市：优抚对象、工作部署、走访、急难愁盼）与演示账号；--empty 只生成组织、账号与工作部署
  seed --synthetic --beneficiaries N [--seed S]         生成 N 名模拟优抚对象（可复现）
  seed --synthetic --visits N [--seed S]                在模拟优抚对象上生成 N 条模拟走访记录
  user create --username U --display-name N --org-path P --role R [--role R2]
                                                        新建用户（密码取自环境变量 SY_PASSWORD）
  import beneficiaries FILE [--org CODE] [--dry-run] [--json]
                                                        导入优抚对象（xlsx/CSV）；--dry-run 只校验不写入
  keys rotate                                           生成新主密钥并用它重新加密全部个人信息（可中断后重跑）
  audit verify                                          校验审计链；被篡改时以非零状态退出并指出首个断点
  doctor [--rebuild]                                    核对维护的统计数（与基础数据重新计算比较）；--rebuild 重建
  backup --out FILE                                     在线备份（SQLite 备份 API / pg_dump）
  restore --from FILE --target URL                      恢复到新的空数据库（sqlite:路径 或 postgres://…）

配置（环境变量）: DATABASE_URL, PORT, HOST, DATA_DIR, KEY_FILE, TZ_DISPLAY, DEMO=1
`;

async function withPlatform<T>(config: Config, fn: (p: Platform) => Promise<T>): Promise<T> {
  const p = createPlatform(config);
  try {
    await migrateToLatest(p.handle);
    return await fn(p);
  } finally {
    await p.handle.close();
  }
}

async function serve(config: Config, empty = false): Promise<void> {
  // what grows with the data or only matters once serving (the checkpoint worker and the planner
  // statistics, the modules' sweeps, the name dictionaries) starts after the server is ready, so
  // the start-up path does not grow with the data (decisions/0059, 0063)
  const p = createPlatform(config, undefined, { deferBackground: true });
  const applied = await migrateToLatest(p.handle);
  let seeded = false;
  const demo = config.demo ? await import('./seed/demo.js') : undefined;
  if (demo && (await demo.isEmpty(p))) {
    await demo.seedDemo(p);
    if (empty) await (await import('./seed/demo-campaign.js')).seedDemoCampaign(p);
    else {
      const r = await (await import('./seed/living.js')).seedLivingCity(p);
      process.stdout.write(`演示城市数据已生成，用时 ${(r.ms / 1000).toFixed(1)} 秒\n`);
    }
    seeded = true;
  }
  const { app, jobs, timers } = await buildApp(p, { logger: true });
  // OpenCC's tables load when the server is first used — just after its first API request — not at
  // start-up (decisions/0059) and not while it sits idle (0063); pinyin-pro's, in the name-keys
  // worker at the first name written (0090)
  // The young generation, kept small while the server starts and sits idle (entry.ts), grows as
  // V8's default lets it from the same first request on (decisions/0068)
  let dictionaries = false;
  app.addHook('onResponse', async (req) => {
    if (dictionaries || !req.url.startsWith('/api/')) return;
    dictionaries = true;
    letYoungGenerationGrow();
    setImmediate(warmUpChinese);
  });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await p.handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  await jobs.resume(); // jobs a crash interrupted: validations restart, rolled-back commits run again
  p.handle.startBackground();
  // the modules' periodic work (deadline sweeps, reminders, the outbox) first runs a moment after
  // ready, not in the way of the first requests
  startTimers(timers, app.log, { firstAfterMs: 2000 });
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `双拥工作平台已启动: ${url}`,
    `数据库: ${p.handle.dialect}${applied.length ? `（本次迁移: ${applied.join(', ')}）` : ''}`,
    `API 文档: ${url}/api/docs`,
  ];
  if (demo) {
    lines.push(
      seeded
        ? '已生成演示数据：克拉玛依市（4 个区）、军分区、驻市部队、职能部门，以及一项春节走访慰问工作部署。'
        : '演示模式。',
      `演示账号（密码均为 ${demo.DEMO_PASSWORD}）：`,
      ...demo.DEMO_USERS.map((u) => `  ${u.username.padEnd(8)} ${u.displayName}（${u.role}）`),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  const args = ['user', 'audit', 'import', 'keys'].includes(cmd ?? '') ? rest : argv.slice(1);
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      empty: { type: 'boolean' },
      synthetic: { type: 'boolean' },
      beneficiaries: { type: 'string' },
      visits: { type: 'string' },
      seed: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      username: { type: 'string' },
      'display-name': { type: 'string' },
      'org-path': { type: 'string' },
      role: { type: 'string', multiple: true },
      out: { type: 'string' },
      from: { type: 'string' },
      target: { type: 'string' },
      org: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      rebuild: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const overrides: Partial<Config> = {};
  if (values.demo) overrides.demo = true;
  if (values.port) overrides.port = Number(values.port);
  if (values.host) overrides.host = values.host;
  if (values['data-dir']) overrides.dataDir = values['data-dir'];
  const config = loadConfig(overrides);

  switch (cmd) {
    case 'serve':
      await serve(config, !!values.empty);
      return -1; // keep running
    case 'migrate':
      return withPlatform(config, async () => {
        process.stdout.write('迁移完成\n');
        return 0;
      });
    case 'seed':
      if (values.synthetic && values.visits !== undefined) {
        const visits = Number(values.visits);
        const people = values.beneficiaries === undefined ? 0 : Number(values.beneficiaries);
        if (!Number.isInteger(visits) || visits < 1 || !Number.isInteger(people) || people < 0) {
          process.stderr.write('需要 --visits N（正整数）\n');
          return 2;
        }
        const { isEmpty, seedDemo } = await import('./seed/demo.js');
        const { seedSynthetic } = await import('./seed/synthetic.js');
        const { seedSyntheticVisits } = await import('./modules/visits/synthetic.js');
        return withPlatform(config, async (p) => {
          if (await isEmpty(p)) await seedDemo(p);
          const started = Date.now();
          const seed = values.seed ? Number(values.seed) : undefined;
          if (people) await seedSynthetic(p, { count: people, seed });
          const r = await seedSyntheticVisits(p, {
            count: visits,
            seed,
            onProgress: (done, total) => process.stderr.write(`\r已生成走访 ${done}/${total}`),
          });
          process.stderr.write('\n');
          process.stdout.write(
            `已生成 ${r.created} 条模拟走访记录（${r.targets} 个对象，工作部署 ${r.campaignId}），用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`,
          );
          return 0;
        });
      }
      if (values.synthetic) {
        const count = Number(values.beneficiaries);
        if (!Number.isInteger(count) || count < 1) {
          process.stderr.write('需要 --beneficiaries N（正整数）\n');
          return 2;
        }
        const { isEmpty, seedDemo } = await import('./seed/demo.js');
        const { seedSynthetic } = await import('./seed/synthetic.js');
        return withPlatform(config, async (p) => {
          if (await isEmpty(p)) await seedDemo(p);
          const started = Date.now();
          const r = await seedSynthetic(p, {
            count,
            seed: values.seed ? Number(values.seed) : undefined,
            onProgress: (done, total) => process.stderr.write(`\r已生成 ${done}/${total}`),
          });
          process.stderr.write('\n');
          process.stdout.write(
            `已生成 ${r.created} 名模拟优抚对象，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`,
          );
          return 0;
        });
      }
      if (!values.demo) break;
      return withPlatform(config, async (p) => {
        const { isEmpty, seedDemo } = await import('./seed/demo.js');
        if (!(await isEmpty(p))) {
          process.stderr.write('数据库中已有数据，未生成演示数据\n');
          return 1;
        }
        const r = await seedDemo(p);
        if (values.empty) await (await import('./seed/demo-campaign.js')).seedDemoCampaign(p);
        else {
          const l = await (await import('./seed/living.js')).seedLivingCity(p);
          process.stdout.write(
            `已生成演示城市：${l.persons} 名优抚对象，${l.visits} 条走访记录，${l.needs} 件急难愁盼，${l.citations} 份立功喜报，用时 ${(l.ms / 1000).toFixed(1)} 秒\n`,
          );
        }
        process.stdout.write(`已生成演示数据：${r.orgs} 个单位，${r.users} 个账号\n`);
        return 0;
      });
    case 'user': {
      if (sub !== 'create') break;
      const password = process.env.SY_PASSWORD;
      const roles = (values.role ?? []) as Role[];
      if (!values.username || !values['display-name'] || !values['org-path'] || !roles.length || !password) {
        process.stderr.write('需要 --username --display-name --org-path --role，密码通过环境变量 SY_PASSWORD 提供\n');
        return 2;
      }
      const bad = roles.filter((r) => !ROLES.includes(r));
      if (bad.length) {
        process.stderr.write(`未知角色: ${bad.join(', ')}（可用: ${ROLES.join(', ')}）\n`);
        return 2;
      }
      const { insertUser } = await import('./seed/demo.js');
      return withPlatform(config, async (p) => {
        const passwordHash = await hashPassword(password);
        const id = await p.handle.db.transaction().execute(async (trx) => {
          const userId = await insertUser(trx, {
            username: values.username!,
            displayName: values['display-name']!,
            orgPath: values['org-path']!,
            roles,
            passwordHash,
            mustChange: true,
          });
          await p.audit.append(
            trx,
            { userId: null, username: 'cli', orgId: null, orgPath: null, requestId: null, ip: null },
            {
              action: 'user.create',
              entityType: 'user',
              entityId: userId,
              changes: { username: [null, values.username], roles: [null, roles] },
            },
          );
          return userId;
        });
        process.stdout.write(`已创建用户 ${values.username}（${id}），首次登录须修改密码\n`);
        return 0;
      });
    }
    case 'import': {
      if (sub !== 'beneficiaries' || !rest[0]) break;
      const file = rest.find((a) => !a.startsWith('--'))!;
      const { importFile } = await import('./modules/registry/import-cli.js');
      return withPlatform(config, async (p) => {
        const code = values.org;
        const org = await p.handle.db
          .selectFrom('orgs')
          .select(['id', 'path', 'name'])
          .where((eb) => (code ? eb.or([eb('code', '=', code), eb('path', '=', code)]) : eb('depth', '=', 0)))
          .orderBy('depth')
          .executeTakeFirst();
        if (!org) {
          process.stderr.write(`找不到单位：${code}\n`);
          return 2;
        }
        const data = fs.readFileSync(file);
        const result = await importFile(p, org, path.basename(file), data, !values['dry-run']);
        if (values.json) process.stdout.write(`${JSON.stringify(result.result)}\n`);
        else
          process.stdout.write(
            `${result.status === 'failed' ? result.error : JSON.stringify(result.result, null, 2)}\n`,
          );
        return result.status === 'failed' ? 1 : 0;
      });
    }
    case 'keys': {
      if (sub !== 'rotate') break;
      const { addKey, reencryptAll } = await import('./platform/crypto/rotate.js');
      const keyFile = addKey(config.keyFile);
      return withPlatform(config, async (p) => {
        const n = await reencryptAll(p.handle, keyFile, (done) => process.stderr.write(`\r已重新加密 ${done} 项`));
        process.stderr.write('\n');
        await p.audit.event(
          p.handle.db,
          { userId: null, username: 'cli', orgId: null, orgPath: null, requestId: null, ip: null },
          {
            action: 'keys.rotate',
            changes: { key: keyFile.current, reencrypted: n },
          },
        );
        process.stdout.write(`已启用新密钥 ${keyFile.current}，重新加密 ${n} 项；旧密钥仍保留在密钥文件中用于读取\n`);
        return 0;
      });
    }
    case 'audit': {
      if (sub !== 'verify') break;
      return withPlatform(config, async (p) => {
        const r = await p.audit.verify(p.handle.db);
        if (r.ok) {
          process.stdout.write(`审计链完整：共校验 ${r.checked} 条记录\n`);
          return 0;
        }
        process.stderr.write(`审计链被破坏：第 ${r.firstBrokenSeq} 条记录（${r.reason}），此前 ${r.checked} 条完好\n`);
        return 1;
      });
    }
    case 'doctor': {
      const { nameIndexDoctor, registryDoctor } = await import('./modules/registry/doctor.js');
      const { needsDoctor } = await import('./modules/needs/doctor.js');
      return withPlatform(config, async (p) => {
        const checks = [registryDoctor, nameIndexDoctor, needsDoctor];
        let ok = true;
        for (const check of checks) {
          const r = await p.handle.db.transaction().execute((trx) => check(trx, !!values.rebuild));
          (r.ok ? process.stdout : process.stderr).write(`${r.lines.join('\n')}\n`);
          ok &&= r.ok;
        }
        return ok ? 0 : 1;
      });
    }
    case 'backup':
      if (!values.out) break;
      return withPlatform(config, async (p) => {
        const { backup } = await import('./cli/backup.js');
        await backup(p.handle, values.out!);
        process.stdout.write(`备份完成: ${values.out}\n`);
        return 0;
      });
    case 'restore':
      if (!values.from || !values.target) break;
      await (await import('./cli/backup.js')).restore(values.from, values.target);
      process.stdout.write(`恢复完成: ${values.target}\n`);
      return 0;
  }
  process.stdout.write(HELP);
  return cmd && cmd !== 'help' && !values.help ? 2 : 0;
}

/** Runs `main` and exits with its code (a code below 0 — `serve` — keeps the process running). */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`错误: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

// Run directly (`node dist/cli.js`, tsx in tests); the `shuangyong` bin (bin/shuangyong.mjs) calls run().
const isEntry = process.argv[1] && /cli\.(js|ts)$/.test(process.argv[1]);
if (isEntry) run(process.argv.slice(2));
