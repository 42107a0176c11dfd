// PostgreSQL: a private cluster in .local/pg plus per-service role/schema provisioning.
import { chownSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { devCredentials, host, localDir, ports } from './config.ts';
import { InfraError, runToCompletion } from './proc.ts';
import { osUser, postgresBinDir } from './install.ts';

export interface ServiceSchemaSpec {
  /** Role and schema name (lower-case identifier). */
  name: string;
  password: string;
}

const identRe = /^[a-z_][a-z0-9_]{0,62}$/;

async function connect(url: string, timeoutMs = 5000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Idempotently provisions one LOGIN role + one schema per service in the database named by `adminUrl`
 * (created if missing), isolated from each other:
 *  - `REVOKE ALL ON SCHEMA public FROM PUBLIC` and `REVOKE ALL ON DATABASE <db> FROM PUBLIC`
 *    (no default CONNECT/TEMP for everyone), then `GRANT CONNECT` to each service role only;
 *  - each role owns its schema, nobody else gets USAGE, `search_path = <svc>`;
 *  - passwords are (re)set on every run, so rotating them is just a re-run.
 * `adminUrl` must be a superuser (or a role with CREATEROLE + CREATEDB that owns the database).
 * Reusable outside the local stack, e.g. from a Helm pre-install job.
 */
export async function provisionServiceSchemas(adminUrl: string, services: readonly ServiceSchemaSpec[]): Promise<void> {
  for (const s of services) {
    if (!identRe.test(s.name)) throw new InfraError(`invalid service/role name ${JSON.stringify(s.name)}`);
    if (!s.password) throw new InfraError(`empty password for service ${s.name}`);
  }
  const database = decodeURIComponent(new URL(adminUrl).pathname.replace(/^\//, '')) || 'postgres';
  await ensureDatabase(adminUrl, database);

  const client = await connect(adminUrl);
  try {
    const db = client.escapeIdentifier(database);
    await client.query('BEGIN');
    // Serialise concurrent provisioners (CREATE ROLE races otherwise).
    await client.query('SELECT pg_advisory_xact_lock(4242001)');
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    for (const s of services) {
      const role = client.escapeIdentifier(s.name);
      const pw = client.escapeLiteral(s.password);
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [s.name]);
      if (exists.rowCount === 0) {
        await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${pw} NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      } else {
        await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${pw} NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      }
      await client.query(`GRANT CONNECT ON DATABASE ${db} TO ${role}`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${role} AUTHORIZATION ${role}`);
      await client.query(`ALTER SCHEMA ${role} OWNER TO ${role}`);
      await client.query(`REVOKE ALL ON SCHEMA ${role} FROM PUBLIC`);
      await client.query(`ALTER ROLE ${role} IN DATABASE ${db} SET search_path = ${role}`);
      await client.query(`ALTER ROLE ${role} SET search_path = ${role}`);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new InfraError(`provisioning service schemas in ${redact(adminUrl)} failed: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates `database` (optionally owned by `owner`) if it does not exist, via the server's `postgres` database. */
export async function ensureDatabase(adminUrl: string, database: string, owner?: string): Promise<void> {
  const client = await connect(withDatabase(adminUrl, 'postgres'));
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (r.rowCount === 0) {
      const ownerSql = owner ? ` OWNER ${client.escapeIdentifier(owner)}` : '';
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}${ownerSql}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The `keycloak` role + database used by the local Keycloak. */
export async function provisionKeycloakDatabase(adminUrl: string): Promise<void> {
  const client = await connect(withDatabase(adminUrl, 'postgres'));
  try {
    const role = client.escapeIdentifier(devCredentials.keycloakDbUser);
    const pw = client.escapeLiteral(devCredentials.keycloakDbPassword);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [devCredentials.keycloakDbUser]);
    if (exists.rowCount === 0) await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${pw}`);
    else await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${pw}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  await ensureDatabase(adminUrl, devCredentials.keycloakDatabase, devCredentials.keycloakDbUser);
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------- local cluster

export const pgDataDir = join(localDir, 'pg');

/** Unix socket directory inside .local (short enough for the 107-byte sun_path limit). */
export function pgSocketDir(): string {
  const dir = join(localDir, 'pg-run');
  if (join(dir, `.s.PGSQL.${ports.postgres}.lock`).length > 100) {
    throw new InfraError(
      `the PostgreSQL socket path under ${dir} is too long for a unix socket; move the checkout to a shorter path`,
    );
  }
  return dir;
}

/** When running as root, PostgreSQL must run as an unprivileged OS user (postgres). */
export function pgRunAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const u = osUser('postgres');
  if (!u)
    throw new InfraError(
      'running as root, but there is no "postgres" OS user to run PostgreSQL as (PostgreSQL refuses to run as root)',
    );
  return u;
}

function chownTree(path: string, owner: { uid: number; gid: number }): void {
  chownSync(path, owner.uid, owner.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) chownTree(p, owner);
    else chownSync(p, owner.uid, owner.gid);
  }
}

/** initdb into .local/pg once (via a temp dir + rename so a failed initdb never leaves a half cluster). */
export async function ensurePgCluster(log: (l: string) => void): Promise<void> {
  const runAs = pgRunAs();
  mkdirSync(localDir, { recursive: true });
  const sock = pgSocketDir();
  mkdirSync(sock, { recursive: true });
  if (runAs) chownSync(sock, runAs.uid, runAs.gid);
  if (existsSync(join(pgDataDir, 'PG_VERSION'))) {
    if (runAs) chownTree(pgDataDir, runAs); // cheap; repairs ownership after a root-owned copy/restore
    return;
  }
  if (existsSync(pgDataDir) && readdirSync(pgDataDir).length > 0) {
    throw new InfraError(`${pgDataDir} exists but is not a PostgreSQL data directory; remove it (rm -rf ${pgDataDir})`);
  }
  const bin = postgresBinDir();
  const tmp = `${pgDataDir}.init-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const pwfile = join(tmp, '..', `.pg-pw-${process.pid}`);
  writeFileSync(pwfile, devCredentials.pgSuperuserPassword + '\n', { mode: 0o600 });
  if (runAs) {
    chownSync(tmp, runAs.uid, runAs.gid);
    chownSync(pwfile, runAs.uid, runAs.gid);
  }
  log(`[infra] initdb ${pgDataDir} (one-time)…`);
  try {
    await runToCompletion(
      join(bin, 'initdb'),
      [
        '-D',
        tmp,
        '-U',
        devCredentials.pgSuperuser,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      {
        logName: 'postgres',
        ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
        env: { HOME: localDir, LC_ALL: 'C.UTF-8' },
        timeoutMs: 120_000,
        what: 'initdb',
      },
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  rmSync(pgDataDir, { recursive: true, force: true });
  renameSync(tmp, pgDataDir);
}

export function pgStartArgs(): string[] {
  return [
    '-D',
    pgDataDir,
    '-c',
    `listen_addresses=${host}`,
    '-c',
    `port=${ports.postgres}`,
    '-c',
    `unix_socket_directories=${pgSocketDir()}`,
    '-c',
    'max_connections=200',
    '-c',
    'logging_collector=off',
  ];
}

export function pgAdminUrl(database: string = devCredentials.pgDatabase): string {
  return `postgres://${devCredentials.pgSuperuser}:${encodeURIComponent(devCredentials.pgSuperuserPassword)}@${host}:${ports.postgres}/${database}`;
}
