import { cpus, loadavg, totalmem } from 'node:os';
/**
 * What the load benchmarks share: the processes they start (stopped in `finally`), the running
 * stack's settings, and one autocannon measurement with latency in µs and CPU per request of the
 * processes under test, PostgreSQL, NATS and the load generator.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { spawnNode, type NodeProcess } from '@portal/testing';
import { componentNames, repoRoot } from '@portal/deploy/local/config';
import { liveRecorded } from '@portal/deploy/local/proc';

export interface MeasureSettings {
  connections: number;
  /** Measured seconds (a target may ask for its own). */
  seconds: number;
  /** Uncounted warm-up before each target that wants one. */
  warmupSeconds: number;
}

export interface Measurement {
  name: string;
  request: string;
  seconds: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU time of the processes under test per request (user + system), in ms. */
  serverCpuMsPerRequest: number;
  /** CPU time of this process (the load generator) per request, in ms. */
  loadCpuMsPerRequest: number;
  /** CPU time of the stack's PostgreSQL (postmaster and its backends) per request, in ms. */
  postgresCpuMsPerRequest: number;
  /** CPU time of the stack's NATS server per request, in ms. */
  natsCpuMsPerRequest: number;
}

export interface Target {
  name: string;
  request: string;
  url: string;
  processes: readonly NodeProcess[];
  options?: Partial<autocannon.Options>;
  duration?: number;
  warmup?: boolean;
}

const started = new Set<NodeProcess>();

export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((p) => p.stop(10_000)));
  started.clear();
}

export function start(name: string, script: string, env: Record<string, string>): NodeProcess {
  const child = spawnNode(name, script, env);
  started.add(child);
  return child;
}

export async function stop(processes: readonly NodeProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.stop(10_000)));
  for (const p of processes) started.delete(p);
}

/** Connection settings of the running native stack, as recorded in .local/stack.json. */
export function stackEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of componentNames) Object.assign(env, liveRecorded(name)?.env ?? {});
  const missing = ['PG_ADMIN_URL', 'NATS_URL', 'KEYCLOAK_URL', 'S3_ENDPOINT', 'SMTP_URL'].filter((key) => !env[key]);
  if (missing.length > 0)
    throw new Error(`the local stack is not running (missing ${missing.join(', ')}): npm run infra`);
  return env;
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** user + system CPU of a process so far, in ms (from /proc; 0 once it is gone). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1000;
  } catch {
    return 0;
  }
}

const serverCpuMs = (processes: readonly NodeProcess[]) => processes.reduce((sum, p) => sum + cpuMsOf(p.child.pid), 0);
/** CPU so far of a process and of each of its direct children (PostgreSQL's backends), by pid, from /proc. */
function treeCpuMs(pid: number | undefined): Map<number, number> {
  const byPid = new Map<number, number>();
  if (pid === undefined) return byPid;
  byPid.set(pid, cpuMsOf(pid));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid)
        byPid.set(Number(entry), cpuMsOf(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/**
 * CPU spent between two samples by the processes alive at the second. A backend that ended in
 * between (an idle pooled connection closed) takes its whole past with it: subtracting it would
 * make the figure negative, so only what it spent is lost.
 */
function spentBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += Math.max(0, ms - (before.get(pid) ?? 0));
  return total;
}

const infraCpuMs = () => ({
  postgres: treeCpuMs(liveRecorded('postgres')?.pid),
  nats: cpuMsOf(liveRecorded('nats')?.pid),
});

const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

interface Run {
  result: autocannon.Result;
  /** Latency of the 2xx answers in µs: autocannon's own histogram keeps whole milliseconds only. */
  latencyUs: RecordableHistogram;
}

async function cannon(target: Target, duration: number, connections: number): Promise<Run> {
  const latencyUs = createHistogram();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections, duration, timeout: 10, ...target.options },
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300) latencyUs.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
  return { result, latencyUs };
}

const msAt = (histogram: RecordableHistogram, percentile: number) =>
  Math.round(histogram.percentile(percentile) / 10) / 100;

export async function measure(target: Target, settings: MeasureSettings): Promise<Measurement> {
  if (target.warmup !== false) await cannon(target, settings.warmupSeconds, settings.connections);
  const duration = target.duration ?? settings.seconds;
  const cpuBefore = serverCpuMs(target.processes);
  const ownBefore = ownCpuMs();
  const infraBefore = infraCpuMs();
  const { result, latencyUs } = await cannon(target, duration, settings.connections);
  const [cpuAfter, ownAfter, infraAfter] = [serverCpuMs(target.processes), ownCpuMs(), infraCpuMs()];
  const requests = result.requests.total;
  const perRequest = (ms: number) => Math.round((ms / Math.max(requests, 1)) * 1000) / 1000;
  const measurement: Measurement = {
    name: target.name,
    request: target.request,
    seconds: duration,
    requests,
    rps: Math.round(result.requests.average),
    p50Ms: msAt(latencyUs, 50),
    p99Ms: msAt(latencyUs, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    serverCpuMsPerRequest: perRequest(cpuAfter - cpuBefore),
    loadCpuMsPerRequest: perRequest(ownAfter - ownBefore),
    postgresCpuMsPerRequest: perRequest(spentBetween(infraBefore.postgres, infraAfter.postgres)),
    natsCpuMsPerRequest: perRequest(infraAfter.nats - infraBefore.nats),
  };
  process.stdout.write(
    `  ${target.name}: ${measurement.rps} req/s, p50 ${measurement.p50Ms} ms, p99 ${measurement.p99Ms} ms\n`,
  );
  if (measurement.non2xx > 0 || measurement.errors > 0) {
    throw new Error(`${target.name}: not every request succeeded: ${JSON.stringify(measurement)}`);
  }
  return measurement;
}

export async function postgresVersion(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<{ version: string }>('select version()')).rows[0]?.version ?? 'unknown';
  } finally {
    await client.end();
  }
}

export const ratio = (value: number, base: number) => Math.round((value / base) * 100) / 100;

export function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: repoRoot }).trim();
  } catch {
    return null;
  }
}

/** Each measurement beside the baseline's: how many times its rate and latencies the baseline's are. */
export function withRatios<M extends Measurement>(rows: readonly M[], baseline: Measurement) {
  return rows.map((m) => ({
    ...m,
    rpsRatio: ratio(m.rps, baseline.rps),
    p50Ratio: ratio(m.p50Ms, baseline.p50Ms),
    p99Ratio: ratio(m.p99Ms, baseline.p99Ms),
  }));
}

/** The machine a result was measured on; load averages before and after, since anything else running competes. */
export function machineFacts(loadAverageBefore: readonly number[]) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    loadAverageBefore,
    loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
