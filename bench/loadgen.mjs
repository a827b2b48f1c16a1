#!/usr/bin/env node
// Load generator, run by bench/run.mjs as a separate process (so the server under test and the load
// do not share an event loop). C keep-alive connections (node:http Agent, one request in flight per
// connection), bounded by a duration and a request count; per-request latency from perf_hooks
// (request written → last byte of the response read).
//
//   node bench/loadgen.mjs '<json spec>'   (or the spec on stdin when the argument is '-')
//
// spec = { url: 'http://127.0.0.1:P', concurrency, durationSec, maxRequests, warmupSec,
//          headers: {…}, requests: [{ method, path, body?, headers? }, …],   // used round-robin
//          uniqueForwardedFor?: true, timeoutMs? }
// prints one JSON line: { requests, ok, errors, status: {code: n}, seconds, rps, latencyMs: {…}, sampleError }
import http from 'node:http';
import { performance } from 'node:perf_hooks';

async function readSpec() {
  const arg = process.argv[2];
  if (arg && arg !== '-') return JSON.parse(arg);
  let s = '';
  for await (const chunk of process.stdin) s += chunk;
  return JSON.parse(s);
}

export function percentiles(values) {
  if (!values.length) return { p50: null, p95: null, p99: null, max: null, mean: null, min: null };
  const a = Float64Array.from(values).sort();
  const at = (p) => a[Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1))];
  let sum = 0;
  for (const v of a) sum += v;
  return { min: a[0], p50: at(50), p95: at(95), p99: at(99), max: a[a.length - 1], mean: sum / a.length };
}

async function main() {
  const spec = await readSpec();
  const base = new URL(spec.url);
  const concurrency = spec.concurrency ?? 16;
  const durationMs = (spec.durationSec ?? 10) * 1000;
  const warmupMs = (spec.warmupSec ?? 0) * 1000;
  const maxRequests = spec.maxRequests ?? Number.MAX_SAFE_INTEGER;
  const timeoutMs = spec.timeoutMs ?? 120_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  const reqs = spec.requests.map((r) => ({
    ...r,
    bodyBuf: r.body === undefined ? null : Buffer.from(typeof r.body === 'string' ? r.body : JSON.stringify(r.body)),
  }));

  let next = 0;
  let issued = 0;
  let xff = 0;
  const latencies = [];
  const status = {};
  let errors = 0;
  let ok = 0;
  let sampleError = null;

  function once(r) {
    return new Promise((resolve) => {
      const headers = { ...spec.headers, ...r.headers };
      if (r.bodyBuf) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = r.bodyBuf.length;
      }
      if (spec.uniqueForwardedFor) {
        xff++;
        headers['x-forwarded-for'] = `10.${(xff >> 16) & 255}.${(xff >> 8) & 255}.${xff & 255}`;
      }
      const t0 = performance.now();
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          method: r.method ?? 'GET',
          path: r.path,
          headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          let size = 0;
          let first = null;
          res.on('data', (c) => {
            size += c.length;
            if (res.statusCode >= 400 && !first) first = c.subarray(0, 300).toString();
          });
          res.on('end', () => resolve({ code: res.statusCode, ms: performance.now() - t0, size, first }));
          res.on('error', (e) => resolve({ code: 'error', ms: performance.now() - t0, first: String(e) }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => resolve({ code: 'error', ms: performance.now() - t0, first: String(e) }));
      if (r.bodyBuf) req.end(r.bodyBuf);
      else req.end();
    });
  }

  const start = performance.now();
  const measureFrom = start + warmupMs;
  const stopAt = measureFrom + durationMs;
  let measuredStart = null;
  let lastEnd = start;
  let warmupRequests = 0;

  async function worker() {
    while (performance.now() < stopAt && issued < maxRequests) {
      const r = reqs[next++ % reqs.length];
      const t = performance.now();
      const inWarmup = t < measureFrom;
      if (!inWarmup) {
        issued++;
        measuredStart ??= t;
      }
      const res = await once(r);
      if (inWarmup) {
        warmupRequests++;
        continue;
      }
      lastEnd = performance.now();
      latencies.push(res.ms);
      status[res.code] = (status[res.code] ?? 0) + 1;
      if (typeof res.code === 'number' && res.code < 400) ok++;
      else {
        errors++;
        sampleError ??= `${res.code} ${res.first ?? ''}`;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (lastEnd - (measuredStart ?? lastEnd)) / 1000;
  agent.destroy();
  const out = {
    requests: latencies.length,
    warmupRequests,
    ok,
    errors,
    status,
    seconds,
    rps: seconds > 0 ? latencies.length / seconds : null,
    latencyMs: percentiles(latencies),
    sampleError,
    cpuMs: (() => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    })(),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  main().catch((e) => {
    process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}
