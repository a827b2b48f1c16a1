// npm run bench:thumbnails — a visit photo's thumbnail by sharp and by the pure-JS path
// (decisions/0049): time per 12 MP photo and the peak memory of the process that makes it.
// Each engine runs in a child process of its own (`--engine sharp|js`) that reads the photo from a
// file, so neither making the photo nor the other engine counts in its peak memory. The photo: 4000×3000, smooth gradients with noise (what a
// camera's sensor leaves), JPEG quality 90, about 5 MB, as a phone takes it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { makeThumbnail } from '../packages/server/src/platform/files/thumbnail.js';

const W = 4000;
const H = 3000;
const RUNS = Number(process.env.RUNS ?? 5);

async function photo(): Promise<Buffer> {
  const px = Buffer.alloc(W * H * 3);
  let seed = 12345;
  for (let y = 0, i = 0; y < H; y++)
    for (let x = 0; x < W; x++, i += 3) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const n = (seed >>> 24) % 24;
      px[i] = ((x * 255) / W + n) & 255;
      px[i + 1] = ((y * 255) / H + n) & 255;
      px[i + 2] = (((x + y) * 127) / (W + H) + 64 + n) & 255;
    }
  return sharp(px, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

const engine = process.argv.includes('--engine') ? process.argv[process.argv.indexOf('--engine') + 1] : null;
const file = path.join(os.tmpdir(), 'bench-thumbnail-12mp.jpg');
if (engine === 'sharp' || engine === 'js') {
  const data = fs.readFileSync(file);
  const before = process.resourceUsage().maxRSS;
  const ms: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const t = await makeThumbnail(data, 'image/jpeg', 6, engine);
    if (i > 0) ms.push(performance.now() - t0); // the first run loads the library
    if (t.width !== 240 || t.height !== 320) throw new Error(`unexpected ${t.width}×${t.height}`);
  }
  ms.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      engine,
      bytes: data.length,
      medianMs: Math.round(ms[Math.floor(ms.length / 2)]!),
      minMs: Math.round(ms[0]!),
      maxMs: Math.round(ms[ms.length - 1]!),
      // maxRSS in KiB: the peak of the whole process, the photo's own making included
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      rssBeforeMiB: Math.round(before / 1024),
    }),
  );
} else {
  fs.writeFileSync(file, await photo());
  console.log(
    `${os.cpus().length} × ${os.cpus()[0]?.model}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const e of ['sharp', 'js'])
    process.stdout.write(
      execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--engine', e], {
        env: { ...process.env, RUNS: String(RUNS) },
      }),
    );
}
