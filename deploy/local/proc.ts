// Process, log, lock and state-file helpers for the local stack launcher.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentName } from './config.ts';
import { localDir, lockFile, logsDir, stackFile } from './config.ts';

// ---------------------------------------------------------------- logs

export interface LogHandle {
  path: string;
  /** Byte offset where this run's output starts (used to show only this run's last lines). */
  offset: number;
  fd: number;
}

export function openLog(name: string): LogHandle {
  mkdirSync(logsDir, { recursive: true });
  const path = join(logsDir, `${name}.log`);
  const fd = openSync(path, 'a');
  const offset = existsSync(path) ? statSync(path).size : 0;
  writeSync(fd, `\n===== ${new Date().toISOString()} starting ${name} =====\n`);
  return { path, offset, fd };
}

export async function tailLog(path: string, fromOffset = 0, lines = 25): Promise<string> {
  try {
    const buf = await readFile(path);
    const text = buf.subarray(Math.min(fromOffset, buf.length)).toString('utf8');
    const all = text.split('\n').filter((l) => l.trim() !== '');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log output)';
  }
}

// ---------------------------------------------------------------- errors

export class InfraError extends Error {
  override name = 'InfraError';
}

export async function failWithLog(what: string, log: { path: string; offset: number } | undefined): Promise<never> {
  if (!log) throw new InfraError(what);
  const tail = await tailLog(log.path, log.offset);
  throw new InfraError(`${what}\n  log: ${log.path}\n  last log lines:\n${indent(tail, '    | ')}`);
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

export function errorText(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(errorText).join('; ') || err.message;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = err.cause !== undefined ? ` (cause: ${errorText(err.cause)})` : '';
    if (code && !err.message.includes(code)) return `${code}: ${err.message}${cause}`;
    return (err.message || String(err)) + cause;
  }
  return String(err);
}

// ---------------------------------------------------------------- processes

export interface Spawned {
  pid: number;
  child: ChildProcess;
  log: LogHandle;
  /** Resolves when the process exits (never rejects). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  uid?: number;
  gid?: number;
  logName: string;
}

/** Starts a long-running process in its own process group with stdout/stderr appended to its log. */
export function spawnDetached(cmd: string, args: readonly string[], opts: SpawnOptions): Spawned {
  const log = openLog(opts.logName);
  writeSync(log.fd, `$ ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? localDir,
    env: cleanEnv({ ...process.env, ...opts.env }),
    stdio: ['ignore', log.fd, log.fd],
    detached: true,
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
  });
  closeSync(log.fd);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      done = true;
      res({ code, signal });
    });
    child.once('error', (err) => {
      done = true;
      try {
        writeFileSync(log.path, `spawn error: ${errorText(err)}\n`, { flag: 'a' });
      } catch {
        /* ignore */
      }
      res({ code: -1, signal: null });
    });
  });
  if (child.pid === undefined) {
    // spawn failed synchronously (ENOENT etc.); 'error' will fire.
    return { pid: -1, child, log, exited, hasExited: () => true };
  }
  return { pid: child.pid, child, log, exited, hasExited: () => done };
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** Runs a command to completion with a timeout, output appended to a log; throws with the log tail on failure. */
export async function runToCompletion(
  cmd: string,
  args: readonly string[],
  opts: SpawnOptions & { timeoutMs: number; what: string },
): Promise<void> {
  const p = spawnDetached(cmd, args, opts);
  const timer = sleep(opts.timeoutMs, 'timeout' as const, { ref: false });
  const result = await Promise.race([p.exited, timer]);
  if (result === 'timeout') {
    await killProcess(p.pid, { signal: 'SIGTERM', group: true, timeoutMs: 3000 });
    await failWithLog(`${opts.what} timed out after ${Math.round(opts.timeoutMs / 1000)}s`, p.log);
  } else if (result.code !== 0) {
    await failWithLog(`${opts.what} failed (exit ${result.code ?? result.signal})`, p.log);
  }
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still "exists"; treat it as dead.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Stops a process: `signal`, wait up to timeoutMs, then SIGKILL. With group=true the whole process
 * group (the process was started with detached:true, so pgid == pid) is signalled and also
 * cleaned up afterwards, so no children are left behind.
 */
export async function killProcess(
  pid: number,
  opts: { signal?: NodeJS.Signals; group?: boolean; timeoutMs?: number } = {},
): Promise<'stopped' | 'killed' | 'not-running'> {
  const signal = opts.signal ?? 'SIGTERM';
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (!isAlive(pid) && !(opts.group && groupAlive(pid))) return 'not-running';
  const send = (sig: NodeJS.Signals, target: number): void => {
    try {
      process.kill(target, sig);
    } catch {
      /* already gone */
    }
  };
  send(signal, opts.group ? -pid : pid);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) && !(opts.group && groupAlive(pid))) return 'stopped';
    await sleep(100);
  }
  send('SIGKILL', pid);
  if (opts.group) send('SIGKILL', -pid);
  const killDeadline = Date.now() + 3000;
  while (Date.now() < killDeadline && (isAlive(pid) || (opts.group && groupAlive(pid)))) await sleep(50);
  return 'killed';
}

/** Resident set size in kB of a process and all its descendants. */
export function rssKb(pid: number): number {
  let total = 0;
  const seen = new Set<number>();
  const visit = (p: number): void => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+)/.exec(status);
      if (m?.[1]) total += Number(m[1]);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const c of children.split(/\s+/).filter(Boolean)) visit(Number(c));
    } catch {
      /* gone */
    }
  };
  visit(pid);
  return total;
}

// ---------------------------------------------------------------- waiting

export async function waitUntil<T>(
  attempt: () => Promise<T>,
  opts: { timeoutMs: number; intervalMs?: number; what: string; proc?: Spawned; log?: LogHandle },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    if (opts.proc?.hasExited()) {
      const r = await opts.proc.exited;
      await failWithLog(`${opts.what}: process exited early (exit ${r.code ?? r.signal})`, opts.proc.log);
    }
    try {
      return await attempt();
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      await failWithLog(
        `${opts.what}: not ready after ${Math.round(opts.timeoutMs / 1000)}s (last error: ${errorText(last)})`,
        opts.proc?.log ?? opts.log,
      );
    }
    await sleep(opts.intervalMs ?? 250);
  }
}

export function tcpOpen(hostname: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((res) => {
    const sock = createConnection({ host: hostname, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      res(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------- state file + lock

export interface RecordedComponent {
  name: ComponentName;
  pid: number;
  /** Substring that must appear in /proc/<pid>/cmdline for the pid to be considered ours. */
  cmdMatch: string;
  url: string;
  version: string;
  startedAt: string;
  /** Signal used for a graceful stop; SIGINT for PostgreSQL (fast shutdown). */
  stopSignal: NodeJS.Signals;
  env: Record<string, string>;
  log: string;
}

export interface StackFile {
  version: 1;
  components: Partial<Record<ComponentName, RecordedComponent>>;
}

export function readStackFile(): StackFile {
  try {
    const parsed = JSON.parse(readFileSync(stackFile, 'utf8')) as StackFile;
    if (parsed && parsed.version === 1 && typeof parsed.components === 'object') return parsed;
  } catch {
    /* missing or corrupt: start fresh */
  }
  return { version: 1, components: {} };
}

export function updateStackFile(mutate: (s: StackFile) => void): void {
  mkdirSync(localDir, { recursive: true });
  const s = readStackFile();
  mutate(s);
  const tmp = `${stackFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n');
  renameSync(tmp, stackFile);
}

/** Returns the recorded component if its process is alive and is the one we started. */
export function liveRecorded(name: ComponentName): RecordedComponent | undefined {
  const rec = readStackFile().components[name];
  if (!rec) return undefined;
  if (!isAlive(rec.pid)) return undefined;
  if (!cmdlineOf(rec.pid).includes(rec.cmdMatch)) return undefined;
  return rec;
}

let inProcess: Promise<unknown> = Promise.resolve();

/** Cross-process lock around starting/stopping (two `startStack` calls must not both start Postgres). */
export function withLock<T>(fn: () => Promise<T>, opts: { timeoutMs: number; log: (l: string) => void }): Promise<T> {
  const run = inProcess.then(
    () => withFileLock(fn, opts),
    () => withFileLock(fn, opts),
  );
  inProcess = run.catch(() => undefined);
  return run;
}

async function withFileLock<T>(
  fn: () => Promise<T>,
  opts: { timeoutMs: number; log: (l: string) => void },
): Promise<T> {
  mkdirSync(localDir, { recursive: true });
  const deadline = Date.now() + opts.timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(lockFile, 'utf8').trim());
      } catch {
        /* raced with release */
      }
      if (!Number.isNaN(holder) && !isAlive(holder)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new InfraError(
          `another launcher (pid ${holder}) holds ${lockFile} for more than ${Math.round(opts.timeoutMs / 1000)}s; ` +
            `if no launcher is running, delete that file`,
        );
      }
      if (!announced) {
        opts.log(`[infra] waiting for another launcher (pid ${holder}) to finish starting the stack…`);
        announced = true;
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
