// Fast readiness probes, one per component. Tests call these to fail fast and clearly when a
// dependency is down, instead of timing out somewhere deep inside a service.
import { createConnection } from 'node:net';
import pg from 'pg';
import * as Minio from 'minio';
import { ClamdScanner } from '@portal/documents/malware-scanner';
import type { ComponentName } from './config.ts';
import { componentNames } from './config.ts';

export type { ComponentName } from './config.ts';

export interface ProbeResult {
  /** Version reported by the running component. */
  version: string;
  /** Server product when it can be told (e.g. "versitygw", "nats-server"). */
  server?: string;
  /** NATS only: whether JetStream is enabled. */
  jetstream?: boolean;
}

/** The env var that holds each component's URL (the one that, when set, makes the launcher reuse it). */
export const urlVar: Record<ComponentName, string> = {
  postgres: 'PG_ADMIN_URL',
  nats: 'NATS_URL',
  keycloak: 'KEYCLOAK_URL',
  s3: 'S3_ENDPOINT',
  smtp: 'MAIL_CATCHER_URL',
  clamd: 'CLAMD_URL',
};

type Env = Record<string, string | undefined>;

/**
 * Checks that a component answers and returns its version. Throws an Error naming the component,
 * the URL, the cause and how to start it, e.g.
 * `postgres is not reachable at postgres://127.0.0.1:55432 (ECONNREFUSED) — start the stack with "npm run infra" or set PG_ADMIN_URL`.
 */
export async function probe(name: ComponentName, env: Env = process.env, timeoutMs = 3000): Promise<ProbeResult> {
  const variable = urlVar[name];
  const url = env[variable];
  if (!url) {
    throw new Error(
      `${name}: ${variable} is not set — start the stack with "npm run infra" (then "eval \\"$(npm run -s infra env)\\"") or set ${variable}`,
    );
  }
  try {
    return await withTimeout(probeOnce(name, url, env, timeoutMs), timeoutMs, `no answer within ${timeoutMs} ms`);
  } catch (err) {
    const cause = causeOf(err);
    const unreachable =
      /^(E[A-Z]+|timed out|no answer|no greeting|connection closed|bad port|clamd at \S+ (did not answer|closed))/.test(
        cause,
      );
    throw new Error(
      `${name} ${unreachable ? 'is not reachable' : 'answered but failed its check'} at ${displayUrl(url)} (${cause}) — ` +
        `start the stack with "npm run infra" or set ${variable}`,
      { cause: err },
    );
  }
}

/** Probes every component in parallel; resolves to per-component results (never rejects). */
export async function probeAll(
  env: Env = process.env,
  names: readonly ComponentName[] = componentNames,
  timeoutMs = 3000,
): Promise<Record<string, { ok: true; version: string } | { ok: false; error: string }>> {
  const entries = await Promise.all(
    names.map(async (n) => {
      try {
        const r = await probe(n, env, timeoutMs);
        return [n, { ok: true as const, version: r.version }] as const;
      } catch (err) {
        return [n, { ok: false as const, error: (err as Error).message }] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

async function probeOnce(name: ComponentName, url: string, env: Env, timeoutMs: number): Promise<ProbeResult> {
  switch (name) {
    case 'postgres':
      return probePostgres(url, timeoutMs);
    case 'nats':
      return probeNats(url, env, timeoutMs);
    case 'keycloak':
      return probeKeycloak(url, env, timeoutMs);
    case 's3':
      return probeS3(url, env, timeoutMs);
    case 'smtp':
      return probeSmtp(url, env, timeoutMs);
    case 'clamd':
      return probeClamd(url, timeoutMs);
  }
}

async function probePostgres(url: string, timeoutMs: number): Promise<ProbeResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ version: string }>('SELECT version()');
    const full = r.rows[0]?.version ?? '';
    const version = /PostgreSQL (\S+)/.exec(full)?.[1] ?? full;
    return { version, server: 'postgresql' };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Reads the NATS INFO line (no client library needed): version, JetStream, and that the server
 * asks for credentials; with NATS_USER/NATS_PASSWORD in `env`, also that it accepts them. A NATS
 * without authentication is refused, never used quietly: the tests must meet the closed bus.
 */
async function probeNats(url: string, env: Env, timeoutMs: number): Promise<ProbeResult> {
  const first = url.split(',')[0] ?? url;
  const u = new URL(first.includes('://') ? first : `nats://${first}`);
  const port = Number(u.port || 4222);
  const info = await readFirstLine(u.hostname, port, timeoutMs);
  if (!info.startsWith('INFO ')) throw new Error(`unexpected greeting ${JSON.stringify(info.slice(0, 60))}`);
  const parsed = JSON.parse(info.slice(5)) as {
    version?: string;
    jetstream?: boolean;
    auth_required?: boolean;
    tls_required?: boolean;
  };
  const version = parsed.version ?? 'unknown';
  if (!parsed.jetstream) throw new Error(`nats-server ${version} is running without JetStream (-js)`);
  if (!parsed.auth_required) {
    throw new Error(
      `nats-server ${version} accepts clients without credentials (started by an older launcher?): ` +
        'stop it ("npm run infra down", or end the process on that port) and start the stack again, ' +
        'which starts NATS with authentication',
    );
  }
  const user = env['NATS_USER'];
  const password = env['NATS_PASSWORD'];
  if (!user || !password) {
    throw new Error(`nats-server ${version} asks for credentials: set NATS_USER and NATS_PASSWORD with NATS_URL`);
  }
  // Over TLS the raw check below cannot speak; the clients' own connection will tell.
  if (!parsed.tls_required) await natsAccepts(u.hostname, port, user, password, timeoutMs);
  return { version, server: 'nats-server', jetstream: true };
}

/** Sends CONNECT with the credentials and PING: PONG means accepted, `-ERR` names the refusal. */
function natsAccepts(hostname: string, port: number, user: string, password: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: hostname, port });
    let buf = '';
    let greeted = false;
    const finish = (err?: Error): void => {
      sock.destroy();
      if (err) reject(err);
      else resolve();
    };
    sock.setTimeout(timeoutMs, () => finish(new Error(`no answer to CONNECT within ${timeoutMs} ms`)));
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      if (!greeted && buf.includes('\n')) {
        greeted = true;
        buf = buf.slice(buf.indexOf('\n') + 1);
        const connectLine = JSON.stringify({ verbose: false, pedantic: false, user, pass: password, name: 'probe' });
        sock.write(`CONNECT ${connectLine}\r\nPING\r\n`);
      }
      if (/PONG\r?\n/.test(buf)) finish();
      const refusal = /-ERR ([^\r\n]*)/.exec(buf);
      if (refusal)
        finish(
          new Error(
            `NATS refused user "${user}": ${refusal[1] ?? ''} (NATS_USER/NATS_PASSWORD do not match the server's users)`,
          ),
        );
    });
    sock.once('error', (e) => finish(e));
    sock.once('end', () => finish(new Error('connection closed after CONNECT')));
  });
}

async function probeKeycloak(url: string, env: Env, timeoutMs: number): Promise<ProbeResult> {
  const base = url.replace(/\/+$/, '');
  const res = await fetch(`${base}/realms/master`, { signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) throw new Error(`GET /realms/master returned HTTP ${res.status}`);
  await res.body?.cancel();
  const user = env['KEYCLOAK_ADMIN_USERNAME'];
  const password = env['KEYCLOAK_ADMIN_PASSWORD'];
  if (!user || !password) return { version: 'unknown', server: 'keycloak' };
  const version = await keycloakVersion(base, user, password, timeoutMs);
  return { version, server: 'keycloak' };
}

/** Keycloak's own version via the admin API (`/admin/serverinfo` → systemInfo.version). */
export async function keycloakVersion(
  base: string,
  user: string,
  password: string,
  timeoutMs: number,
): Promise<string> {
  const token = await keycloakAdminToken(base, user, password, timeoutMs);
  const info = await fetch(`${base}/admin/serverinfo`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!info.ok) throw new Error(`GET /admin/serverinfo returned HTTP ${info.status}`);
  const body = (await info.json()) as { systemInfo?: { version?: string } };
  return body.systemInfo?.version ?? 'unknown';
}

export async function keycloakAdminToken(
  base: string,
  user: string,
  password: string,
  timeoutMs: number,
): Promise<string> {
  const res = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: user, password }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`admin login as ${user} failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error('admin login returned no access_token');
  return body.access_token;
}

async function probeS3(url: string, env: Env, timeoutMs: number): Promise<ProbeResult> {
  const u = new URL(url);
  const accessKey = env['S3_ACCESS_KEY'];
  const secretKey = env['S3_SECRET_KEY'];
  if (!accessKey || !secretKey) throw new Error('S3_ACCESS_KEY / S3_SECRET_KEY are not set');
  const head = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
  const serverHeader = head.headers.get('server') ?? undefined;
  const client = new Minio.Client({
    endPoint: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    useSSL: u.protocol === 'https:',
    accessKey,
    secretKey,
    region: env['S3_REGION'] ?? 'us-east-1',
    pathStyle: true,
  });
  await client.listBuckets();
  return { version: 'unknown', ...(serverHeader ? { server: serverHeader.toLowerCase() } : {}) };
}

async function probeSmtp(httpUrl: string, env: Env, timeoutMs: number): Promise<ProbeResult> {
  const res = await fetch(`${httpUrl.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET /healthz returned HTTP ${res.status}`);
  const body = (await res.json()) as { version?: string; server?: string };
  const smtpUrl = env['SMTP_URL'];
  if (smtpUrl) {
    const u = new URL(smtpUrl);
    const banner = await readFirstLine(u.hostname, Number(u.port || 25), timeoutMs);
    if (!banner.startsWith('220'))
      throw new Error(`SMTP ${smtpUrl} greeted with ${JSON.stringify(banner.slice(0, 60))}`);
  }
  return { version: body.version ?? 'unknown', server: body.server ?? 'mail-catcher' };
}

/** clamd answers `PING` with `PONG`; `VERSION` gives `ClamAV <engine>[/<database>/<date>]`. */
async function probeClamd(url: string, timeoutMs: number): Promise<ProbeResult> {
  // The documents service's own adapter: one implementation of clamd's protocol.
  const clamd = new ClamdScanner({ url, timeoutMs });
  await clamd.ping();
  const answer = await clamd.version();
  return { version: /^ClamAV ([^/\s]+)/.exec(answer)?.[1] ?? answer, server: 'ClamAV' };
}

// ---------------------------------------------------------------- helpers

function readFirstLine(hostname: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: hostname, port });
    let buf = '';
    const finish = (err: Error | undefined, line?: string): void => {
      sock.destroy();
      if (err) reject(err);
      else resolve(line ?? '');
    };
    sock.setTimeout(timeoutMs, () => finish(new Error(`no greeting within ${timeoutMs} ms`)));
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        if (buf.startsWith('220')) sock.write('QUIT\r\n');
        finish(undefined, buf.slice(0, nl).replace(/\r$/, ''));
      }
    });
    sock.once('error', (e) => finish(e));
    sock.once('end', () => finish(new Error('connection closed before greeting')));
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function causeOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return causeOf(err.errors[0]);
  const e = err as { code?: string; message?: string; name?: string; cause?: unknown };
  if (e?.name === 'TimeoutError') return 'timed out';
  if (e?.code && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  if (e?.cause) return causeOf(e.cause);
  return e?.message ?? String(err);
}

function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.pathname = u.protocol.startsWith('postgres') ? '' : u.pathname;
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
