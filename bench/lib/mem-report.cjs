// Preloaded into the server by bench/cold-start.mjs (`node --require`): on SIGUSR2 writes the main
// thread's memory breakdown (process.memoryUsage and V8's heap spaces, MiB) to SY_MEM_REPORT.
const fs = require('node:fs');
const v8 = require('node:v8');

const file = process.env.SY_MEM_REPORT;
if (file) {
  process.on('SIGUSR2', () => {
    const mib = (b) => b / 2 ** 20;
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name, { used: mib(s.space_used_size), size: mib(s.space_size) }]),
    );
    const report = {
      rss: mib(m.rss),
      heapTotal: mib(m.heapTotal),
      heapUsed: mib(m.heapUsed),
      external: mib(m.external),
      arrayBuffers: mib(m.arrayBuffers),
      spaces,
    };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(report));
    fs.renameSync(`${file}.tmp`, file);
  });
}
