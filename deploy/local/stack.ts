// Starts (or reuses) the real dependencies of the portal as local processes.
//
//   const stack = await startStack();            // prints one "[infra] … ready" line per component
//   process.env = { ...process.env, ...stack.env };
//   …
//   await stack.stop();                          // stops only what this call started
//
// Per component: URL env var already set → reuse it (probe only); else a live process recorded in
// .local/stack.json → reuse it; else install-if-missing into the cache, start, wait (bounded), record.
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNames } from '@portal/contracts';
import type { ComponentName } from './config.ts';
import { componentNames, devCredentials, host, localDir, ports, repoRoot, servicePassword } from './config.ts';
import { clamdConfigFile, clamdSignatureFile, prepareClamd } from './clamd.ts';
import { keycloakVersion, probe, urlVar } from './components.ts';
import { natsIdentities, natsPasswordKey, natsPasswords, natsStackEnv, writeNatsConfig } from './nats-auth.ts';
import {
  ensureClamd,
  ensureKeycloak,
  ensureNatsServer,
  ensureVersitygw,
  goModuleVersion,
  postgresBinDir,
} from './install.ts';
import {
  applyRealms,
  devSeedDecision,
  keycloakEnv,
  seedExternalKeycloakRequested,
  type KeycloakOrigin,
  keycloakHealthUrl,
  keycloakStartArgs,
  keycloakUrl,
  prepareKeycloakHome,
  realmSecrets,
} from './keycloak.ts';
import {
  ensurePgCluster,
  pgAdminUrl,
  pgDataDir,
  pgRunAs,
  pgStartArgs,
  provisionKeycloakDatabase,
  provisionServiceSchemas,
} from './postgres.ts';
import type { RecordedComponent, Spawned } from './proc.ts';
import {
  InfraError,
  errorText,
  isAlive,
  killProcess,
  liveRecorded,
  readStackFile,
  spawnDetached,
  tcpOpen,
  updateStackFile,
  waitUntil,
  withLock,
} from './proc.ts';

export { provisionServiceSchemas } from './postgres.ts';
export type { ServiceSchemaSpec } from './postgres.ts';

export interface ComponentInfo {
  name: ComponentName;
  version: string;
  url: string;
  startedByUs: boolean;
  pid?: number;
  /** Keycloak only: whether the dev seed was applied in this run (see `devSeedDecision`). */
  devSeedApplied?: boolean;
}

export interface RunningStack {
  env: Record<string, string>;
  components: ComponentInfo[];
  /** Stops only what this call started (SIGTERM/SIGINT, wait, then SIGKILL) and removes it from stack.json. */
  stop(): Promise<void>;
}

export interface StartStackOptions {
  /** Subset of components (Keycloak pulls in PostgreSQL). Default: all of `componentNames`. */
  only?: ComponentInfo['name'][];
  /** Receives the readiness lines and progress; default console.log. */
  log?: (line: string) => void;
  /**
   * Apply deploy/keycloak/dev-seed (portal-cli client + seeded users). Default true; false for a
   * production-like run. Applied only to a Keycloak this launcher started (now, or recorded in
   * .local/stack.json), unless `seedExternalKeycloak`.
   */
  devSeed?: boolean;
  /** Also seed a Keycloak given by KEYCLOAK_URL or found on the port. Default: PORTAL_SEED_EXTERNAL_KEYCLOAK=1. */
  seedExternalKeycloak?: boolean;
}

interface Started {
  name: ComponentName;
  pid: number;
  stopSignal: NodeJS.Signals;
  timeoutMs: number;
}

interface Outcome {
  info: ComponentInfo;
  env: Record<string, string>;
  started?: Started;
  /** "started", "started in 21.3s", "reused", "reused from PG_ADMIN_URL", … */
  how: string;
  server?: string;
}

const stopTimeouts: Record<ComponentName, number> = {
  postgres: 20_000,
  nats: 10_000,
  keycloak: 25_000,
  s3: 10_000,
  smtp: 5_000,
  clamd: 10_000,
};
const readyTimeouts: Record<ComponentName, number> = {
  postgres: 60_000,
  nats: 30_000,
  keycloak: 240_000,
  s3: 30_000,
  smtp: 30_000,
  // With our one signature clamd answers within a second; the bound leaves room for a bigger database.
  clamd: 60_000,
};

const mailCatcherScript = fileURLToPath(new URL('./mail-catcher.ts', import.meta.url));

export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const devSeed = options.devSeed ?? true;
  const seedExternal = options.seedExternalKeycloak ?? seedExternalKeycloakRequested();
  const wanted = new Set<ComponentName>(options.only && options.only.length > 0 ? options.only : componentNames);
  if (wanted.has('keycloak') && !process.env[urlVar.keycloak]) wanted.add('postgres');
  mkdirSync(localDir, { recursive: true });

  const startedHere: Started[] = [];
  const t0 = Date.now();

  const outcomes = await withLock(
    async () => {
      const track = (p: Promise<Outcome>): Promise<Outcome> =>
        p.then((o) => {
          if (o.started) startedHere.push(o.started);
          log(readinessLine(o));
          return o;
        });
      const tasks = new Map<ComponentName, Promise<Outcome>>();
      if (wanted.has('postgres')) tasks.set('postgres', track(resolvePostgres(log)));
      if (wanted.has('nats')) tasks.set('nats', track(resolveNats(log)));
      if (wanted.has('s3')) tasks.set('s3', track(resolveS3(log)));
      if (wanted.has('smtp')) tasks.set('smtp', track(resolveSmtp(log)));
      if (wanted.has('clamd')) tasks.set('clamd', track(resolveClamd(log)));
      if (wanted.has('keycloak')) {
        const pgTask = tasks.get('postgres');
        const smtpTask = tasks.get('smtp');
        tasks.set('keycloak', track(resolveKeycloak(log, pgTask, smtpTask, devSeed, seedExternal)));
      }
      const settled = await Promise.allSettled(tasks.values());
      const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failures.length > 0) {
        await stopStarted(startedHere, log);
        const msgs = [...new Set(failures.map((f) => errorText(f.reason)))];
        throw new InfraError(`[infra] the local stack did not start:\n- ${msgs.join('\n- ')}`);
      }
      return settled.map((s) => (s as PromiseFulfilledResult<Outcome>).value);
    },
    { timeoutMs: 6 * 60_000, log },
  );

  outcomes.sort((a, b) => componentNames.indexOf(a.info.name) - componentNames.indexOf(b.info.name));
  const env: Record<string, string> = {};
  for (const o of outcomes) Object.assign(env, o.env);
  log(`[infra] ${outcomes.length} component(s) ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  let stopped = false;
  return {
    env,
    components: outcomes.map((o) => o.info),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopStarted(startedHere, log);
    },
  };
}

/** Stops every live process recorded in .local/stack.json (whoever started it). Used by `infra down`. */
export async function stopRecorded(log: (line: string) => void = (l) => console.log(l)): Promise<ComponentName[]> {
  const recorded = readStackFile().components;
  const list: Started[] = [];
  for (const name of componentNames) {
    const rec = liveRecorded(name);
    if (rec) list.push({ name, pid: rec.pid, stopSignal: rec.stopSignal, timeoutMs: stopTimeouts[name] });
    else if (recorded[name]) updateStackFile((s) => delete s.components[name]);
  }
  await stopStarted(list, log);
  return list.map((s) => s.name);
}

async function stopStarted(list: Started[], log: (line: string) => void): Promise<void> {
  const stopOne = async (s: Started): Promise<void> => {
    const how = await killProcess(s.pid, { signal: s.stopSignal, group: true, timeoutMs: s.timeoutMs });
    updateStackFile((f) => {
      if (f.components[s.name]?.pid === s.pid) delete f.components[s.name];
    });
    if (how !== 'not-running')
      log(`[infra] ${s.name} ${how === 'killed' ? 'killed (did not stop in time)' : 'stopped'} (pid ${s.pid})`);
  };
  // Keycloak first (it holds DB connections), PostgreSQL last.
  const byName = (n: ComponentName): Started[] => list.filter((s) => s.name === n);
  await Promise.all(byName('keycloak').map(stopOne));
  await Promise.all(list.filter((s) => s.name !== 'keycloak' && s.name !== 'postgres').map(stopOne));
  await Promise.all(byName('postgres').map(stopOne));
}

function readinessLine(o: Outcome): string {
  const { info, how } = o;
  switch (info.name) {
    case 'postgres':
      return `[infra] postgres ${info.version} ready at ${info.url} (${how})`;
    case 'nats':
      return `[infra] nats ${info.version} (jetstream) ready at ${info.url} (${how})`;
    case 'keycloak':
      return `[infra] keycloak ${info.version} ready at ${info.url} (${how})`;
    case 's3':
      return `[infra] s3 ${o.server ?? 's3'} ${info.version} ready at ${info.url} (${how})`;
    case 'smtp':
      return `[infra] smtp mail-catcher (smtp-server ${info.version}) ready at ${info.url}, inbox ${o.env['MAIL_CATCHER_URL'] ?? ''} (${how})`;
    case 'clamd':
      return `[infra] clamd ClamAV ${info.version} ready at ${info.url} (${how})`;
  }
}

// ---------------------------------------------------------------- generic resolve flow

interface StartResult {
  spawned: Spawned;
  cmdMatch: string;
  stopSignal: NodeJS.Signals;
  /** Overrides the "(started)" note, e.g. with the measured start time. */
  how?: string;
}

/** How the launcher came by a running component (see `KeycloakOrigin`). */
type ComponentOrigin = KeycloakOrigin;

interface ComponentSpec {
  name: ComponentName;
  /** Public URL (ComponentInfo.url) from an env map. */
  url(env: Record<string, string>): string;
  /** Env when the component's URL var is already set in process.env; undefined otherwise. */
  externalEnv(): Record<string, string> | undefined;
  /** Env of our local instance. */
  localEnv(): Record<string, string>;
  port: number;
  start(): Promise<StartResult>;
  /** Idempotent provisioning once the component answers (schemas, realms); runs when reused too. */
  afterReady?(env: Record<string, string>, origin: ComponentOrigin): Promise<void>;
  version(env: Record<string, string>, pid: number | undefined): Promise<{ version: string; server?: string }>;
}

async function resolveComponent(spec: ComponentSpec, log: (l: string) => void): Promise<Outcome> {
  const { name } = spec;
  const reuse = async (
    env: Record<string, string>,
    how: string,
    origin: ComponentOrigin,
    pid?: number,
  ): Promise<Outcome> => {
    await spec.afterReady?.(env, origin);
    const v = await spec.version(env, pid);
    return {
      info: { name, version: v.version, url: spec.url(env), startedByUs: false, ...(pid !== undefined ? { pid } : {}) },
      env,
      how,
      ...(v.server ? { server: v.server } : {}),
    };
  };

  // 1. URL env var already set: use it as is (probe, then idempotent provisioning).
  const ext = spec.externalEnv();
  if (ext) {
    await probe(name, ext, 5000);
    return reuse(ext, `reused from ${urlVar[name]}`, 'external');
  }

  // 2. A live process of ours recorded in .local/stack.json.
  const rec: RecordedComponent | undefined = liveRecorded(name);
  if (rec) {
    try {
      await waitUntil(() => probe(name, rec.env, 3000), {
        timeoutMs: name === 'keycloak' ? 60_000 : 10_000,
        what: name,
      });
      // Settings added since the component was recorded (e.g. a new secret) come from today's defaults.
      return await reuse({ ...spec.localEnv(), ...rec.env }, 'reused', 'recorded', rec.pid);
    } catch (err) {
      log(
        `[infra] WARNING: recorded ${name} (pid ${rec.pid}) does not answer (${errorText(err).split('\n')[0]}); restarting it`,
      );
      await killProcess(rec.pid, { signal: rec.stopSignal, group: true, timeoutMs: stopTimeouts[name] });
      updateStackFile((s) => delete s.components[name]);
    }
  }

  // 3. Something already listens on our port: adopt it if it is the right thing, else fail loudly.
  const localEnv = spec.localEnv();
  if (await tcpOpen(host, spec.port, 500)) {
    try {
      await probe(name, localEnv, 5000);
    } catch (err) {
      throw new InfraError(
        `${name}: port ${host}:${spec.port} is already in use by a process that does not answer as ${name} ` +
          `(${(err as Error).message.split(' — ')[0]}). Free the port (ss -ltnp 'sport = :${spec.port}') or run "npm run infra down".`,
      );
    }
    return reuse(localEnv, `reused: unrecorded process already on port ${spec.port}`, 'adopted');
  }

  // 4. Start it.
  const r = await spec.start();
  try {
    updateStackFile((s) => {
      s.components[name] = {
        name,
        pid: r.spawned.pid,
        cmdMatch: r.cmdMatch,
        url: spec.url(localEnv),
        version: '',
        startedAt: new Date().toISOString(),
        stopSignal: r.stopSignal,
        env: localEnv,
        log: r.spawned.log.path,
      };
    });
    await spec.afterReady?.(localEnv, 'started');
    const v = await spec.version(localEnv, r.spawned.pid);
    updateStackFile((s) => {
      const c = s.components[name];
      if (c) c.version = v.version;
    });
    r.spawned.child.unref();
    return {
      info: { name, version: v.version, url: spec.url(localEnv), startedByUs: true, pid: r.spawned.pid },
      env: localEnv,
      started: { name, pid: r.spawned.pid, stopSignal: r.stopSignal, timeoutMs: stopTimeouts[name] },
      how: r.how ?? 'started',
      ...(v.server ? { server: v.server } : {}),
    };
  } catch (err) {
    await killProcess(r.spawned.pid, { signal: r.stopSignal, group: true, timeoutMs: stopTimeouts[name] });
    updateStackFile((s) => {
      if (s.components[name]?.pid === r.spawned.pid) delete s.components[name];
    });
    throw err instanceof InfraError ? err : new InfraError(`${name}: ${errorText(err)}\n  log: ${r.spawned.log.path}`);
  }
}

function pickEnv(keys: readonly string[], defaults: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = process.env[k] || defaults[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- PostgreSQL

function serviceUrlVar(service: string): string {
  return `${service.toUpperCase()}_DATABASE_URL`;
}

function serviceUrls(adminUrl: string): Record<string, string> {
  // The key of the gateway's sealed session tokens travels with the database that holds them.
  const out: Record<string, string> = {
    GATEWAY_SESSION_SECRET: process.env['GATEWAY_SESSION_SECRET'] || devCredentials.gatewaySessionSecret,
    // The key of the notifications' unsubscribe links: links in sent e-mails stay valid while it does.
    NOTIFICATIONS_UNSUBSCRIBE_SECRET:
      process.env['NOTIFICATIONS_UNSUBSCRIBE_SECRET'] || devCredentials.notificationsUnsubscribeSecret,
  };
  for (const svc of serviceNames) {
    const u = new URL(adminUrl);
    u.username = svc;
    u.password = servicePassword(svc);
    out[serviceUrlVar(svc)] = u.toString();
  }
  return out;
}

async function provisionFromEnv(env: Record<string, string>): Promise<void> {
  const admin = env['PG_ADMIN_URL'];
  if (!admin) throw new InfraError('postgres: PG_ADMIN_URL missing');
  await provisionServiceSchemas(
    admin,
    serviceNames.map((svc) => {
      const url = env[serviceUrlVar(svc)];
      const password = url ? decodeURIComponent(new URL(url).password) : servicePassword(svc);
      return { name: svc, password: password || servicePassword(svc) };
    }),
  );
}

function resolvePostgres(log: (l: string) => void): Promise<Outcome> {
  const pgUrlForDisplay = (env: Record<string, string>): string => {
    const u = new URL(env['PG_ADMIN_URL'] ?? pgAdminUrl());
    return `postgres://${u.hostname}:${u.port || '5432'}`;
  };
  return resolveComponent(
    {
      name: 'postgres',
      port: ports.postgres,
      url: pgUrlForDisplay,
      externalEnv() {
        const admin = process.env['PG_ADMIN_URL'];
        if (!admin) return undefined;
        const derived = serviceUrls(admin);
        return pickEnv(['PG_ADMIN_URL', ...Object.keys(derived)], derived);
      },
      localEnv() {
        const admin = pgAdminUrl();
        return { PG_ADMIN_URL: admin, ...serviceUrls(admin) };
      },
      async start() {
        const bin = postgresBinDir();
        await ensurePgCluster(log);
        const runAs = pgRunAs();
        const spawned = spawnDetached(join(bin, 'postgres'), pgStartArgs(), {
          logName: 'postgres',
          ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
          env: { LC_ALL: 'C.UTF-8', HOME: localDir },
        });
        await waitUntil(() => probe('postgres', { PG_ADMIN_URL: pgAdminUrl('postgres') }, 2000), {
          timeoutMs: readyTimeouts.postgres,
          what: `postgres (data ${pgDataDir})`,
          proc: spawned,
        });
        return { spawned, cmdMatch: pgDataDir, stopSignal: 'SIGINT' };
      },
      async afterReady(env) {
        await provisionFromEnv(env);
        // The keycloak role/database only matter for a Keycloak we run ourselves.
        if (!process.env['KEYCLOAK_URL']) await provisionKeycloakDatabase(env['PG_ADMIN_URL'] ?? pgAdminUrl());
      },
      async version(env) {
        return { version: (await probe('postgres', env, 5000)).version };
      },
    },
    log,
  );
}

// ---------------------------------------------------------------- NATS

function resolveNats(log: (l: string) => void): Promise<Outcome> {
  const dataDir = join(localDir, 'nats');
  const clientUrl = `nats://${host}:${ports.natsClient}`;
  return resolveComponent(
    {
      name: 'nats',
      port: ports.natsClient,
      url: (env) => env['NATS_URL'] ?? '',
      externalEnv() {
        if (!process.env['NATS_URL']) return undefined;
        return pickEnv(
          [
            'NATS_URL',
            'NATS_MONITOR_URL',
            'NATS_USER',
            'NATS_PASSWORD',
            'NATS_CA_FILE',
            ...natsIdentities.map((identity) => natsPasswordKey(identity)),
          ],
          {},
        );
      },
      // The probe checks these credentials, so a NATS started with other passwords (or none) is not reused.
      localEnv: () => ({
        NATS_URL: clientUrl,
        NATS_MONITOR_URL: `http://${host}:${ports.natsMonitor}`,
        ...natsStackEnv(natsPasswords()),
      }),
      async start() {
        const { path } = await ensureNatsServer(log);
        mkdirSync(dataDir, { recursive: true });
        const configFile = writeNatsConfig(natsPasswords());
        const spawned = spawnDetached(
          path,
          [
            '-c',
            configFile,
            '-js',
            '-sd',
            dataDir,
            '-a',
            host,
            '-p',
            String(ports.natsClient),
            '-m',
            String(ports.natsMonitor),
            '-n',
            'portal-local',
          ],
          { logName: 'nats' },
        );
        await waitUntil(() => probe('nats', this.localEnv(), 2000), {
          timeoutMs: readyTimeouts.nats,
          what: 'nats',
          proc: spawned,
        });
        return { spawned, cmdMatch: dataDir, stopSignal: 'SIGTERM' };
      },
      async version(env) {
        const p = await probe('nats', env, 5000);
        if (env['NATS_MONITOR_URL']) {
          // Confirm through the monitoring port too (/varz carries the JetStream config when enabled).
          const res = await fetch(`${env['NATS_MONITOR_URL']}/varz`, { signal: AbortSignal.timeout(5000) });
          const varz = (await res.json()) as { version?: string; jetstream?: { config?: unknown } };
          if (!varz.jetstream?.config)
            throw new InfraError(`nats: ${env['NATS_MONITOR_URL']}/varz reports JetStream disabled`);
          if (varz.version && varz.version !== p.version)
            throw new InfraError(`nats: monitor reports ${varz.version}, client port ${p.version}`);
        }
        return { version: p.version };
      },
    },
    log,
  );
}

// ---------------------------------------------------------------- S3 (versitygw)

function resolveS3(log: (l: string) => void): Promise<Outcome> {
  const dataDir = join(localDir, 's3');
  return resolveComponent(
    {
      name: 's3',
      port: ports.s3,
      url: (env) => env['S3_ENDPOINT'] ?? '',
      externalEnv() {
        if (!process.env['S3_ENDPOINT']) return undefined;
        return pickEnv(['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_REGION'], {
          S3_REGION: devCredentials.s3Region,
        });
      },
      localEnv: () => ({
        S3_ENDPOINT: `http://${host}:${ports.s3}`,
        S3_ACCESS_KEY: devCredentials.s3AccessKey,
        S3_SECRET_KEY: devCredentials.s3SecretKey,
        S3_REGION: devCredentials.s3Region,
      }),
      async start() {
        const bin = await ensureVersitygw(log);
        mkdirSync(dataDir, { recursive: true });
        const spawned = spawnDetached(
          bin,
          ['--port', `${host}:${ports.s3}`, '--region', devCredentials.s3Region, '--quiet', 'posix', dataDir],
          {
            logName: 's3',
            env: { ROOT_ACCESS_KEY: devCredentials.s3AccessKey, ROOT_SECRET_KEY: devCredentials.s3SecretKey },
          },
        );
        await waitUntil(() => probe('s3', this.localEnv(), 2000), {
          timeoutMs: readyTimeouts.s3,
          what: 's3 (versitygw)',
          proc: spawned,
        });
        return { spawned, cmdMatch: dataDir, stopSignal: 'SIGTERM' };
      },
      async version(env, knownPid) {
        const p = await probe('s3', env, 5000);
        // An S3_ENDPOINT that points at our own recorded versitygw: read the version from that process too.
        const rec = liveRecorded('s3');
        const pid = knownPid ?? (rec && rec.env['S3_ENDPOINT'] === env['S3_ENDPOINT'] ? rec.pid : undefined);
        if (pid !== undefined && existsSync(`/proc/${pid}/exe`)) {
          const exe = `/proc/${pid}/exe`;
          const v = await goModuleVersion(exe, 'github.com/versity/versitygw').catch(() => undefined);
          if (v) return { version: v, server: 'versitygw' };
        }
        return { version: p.version, server: p.server ?? 's3' };
      },
    },
    log,
  );
}

// ---------------------------------------------------------------- SMTP capture

function resolveSmtp(log: (l: string) => void): Promise<Outcome> {
  const store = join(localDir, 'mail', 'messages.jsonl');
  return resolveComponent(
    {
      name: 'smtp',
      port: ports.mailHttp,
      url: (env) => env['SMTP_URL'] ?? '',
      externalEnv() {
        if (!process.env['MAIL_CATCHER_URL']) return undefined;
        return pickEnv(['SMTP_URL', 'MAIL_CATCHER_URL'], { SMTP_URL: `smtp://${host}:${ports.smtp}` });
      },
      localEnv: () => ({
        SMTP_URL: `smtp://${host}:${ports.smtp}`,
        MAIL_CATCHER_URL: `http://${host}:${ports.mailHttp}`,
      }),
      async start() {
        if (await tcpOpen(host, ports.smtp, 500)) {
          throw new InfraError(
            `smtp: port ${host}:${ports.smtp} is already in use (ss -ltnp 'sport = :${ports.smtp}')`,
          );
        }
        const spawned = spawnDetached(process.execPath, [mailCatcherScript], {
          logName: 'mail-catcher',
          env: {
            MAIL_CATCHER_SMTP_PORT: String(ports.smtp),
            MAIL_CATCHER_HTTP_PORT: String(ports.mailHttp),
            MAIL_CATCHER_HOST: host,
            MAIL_CATCHER_STORE: store,
          },
        });
        await waitUntil(() => probe('smtp', this.localEnv(), 2000), {
          timeoutMs: readyTimeouts.smtp,
          what: 'smtp (mail-catcher)',
          proc: spawned,
        });
        return { spawned, cmdMatch: mailCatcherScript, stopSignal: 'SIGTERM' };
      },
      async version(env) {
        return { version: (await probe('smtp', env, 5000)).version };
      },
    },
    log,
  );
}

// ---------------------------------------------------------------- clamd (malware scanning)

function resolveClamd(log: (l: string) => void): Promise<Outcome> {
  const localUrl = `tcp://${host}:${ports.clamd}`;
  const signatures = relative(repoRoot, clamdSignatureFile);
  return resolveComponent(
    {
      name: 'clamd',
      port: ports.clamd,
      url: (env) => env['CLAMD_URL'] ?? '',
      externalEnv() {
        if (!process.env['CLAMD_URL']) return undefined;
        return pickEnv(['CLAMD_URL'], {});
      },
      localEnv: () => ({ CLAMD_URL: localUrl }),
      async start() {
        const bin = ensureClamd();
        const config = prepareClamd();
        const began = Date.now();
        const spawned = spawnDetached(bin, ['--foreground', `--config-file=${config}`], { logName: 'clamd' });
        // clamd binds its socket only once the signatures are loaded, so PONG means ready to scan.
        await waitUntil(() => probe('clamd', { CLAMD_URL: localUrl }, 2000), {
          timeoutMs: readyTimeouts.clamd,
          intervalMs: 100,
          what: `clamd (${bin})`,
          proc: spawned,
        });
        const secs = ((Date.now() - began) / 1000).toFixed(1);
        return {
          spawned,
          cmdMatch: clamdConfigFile,
          stopSignal: 'SIGTERM',
          how: `started in ${secs}s; signatures: ${signatures} only`,
        };
      },
      async version(env) {
        return { version: (await probe('clamd', env, 5000)).version };
      },
    },
    log,
  );
}

// ---------------------------------------------------------------- Keycloak

function resolveKeycloak(
  log: (l: string) => void,
  pgTask: Promise<Outcome> | undefined,
  smtpTask: Promise<Outcome> | undefined,
  devSeed: boolean,
  seedExternal: boolean,
): Promise<Outcome> {
  let devSeedApplied = false;
  const adminUser = (): string => process.env['KEYCLOAK_ADMIN_USERNAME'] || devCredentials.keycloakAdminUser;
  const adminPassword = (): string => process.env['KEYCLOAK_ADMIN_PASSWORD'] || devCredentials.keycloakAdminPassword;
  const secrets = realmSecrets();
  return resolveComponent(
    {
      name: 'keycloak',
      port: ports.keycloakHttp,
      url: (env) => env['KEYCLOAK_URL'] ?? '',
      externalEnv() {
        if (!process.env['KEYCLOAK_URL']) return undefined;
        return {
          ...pickEnv(['KEYCLOAK_URL', 'KEYCLOAK_ADMIN_USERNAME', 'KEYCLOAK_ADMIN_PASSWORD'], {
            KEYCLOAK_ADMIN_USERNAME: adminUser(),
            KEYCLOAK_ADMIN_PASSWORD: adminPassword(),
          }),
          ...secrets,
        };
      },
      localEnv: () => ({
        KEYCLOAK_URL: keycloakUrl,
        KEYCLOAK_ADMIN_USERNAME: devCredentials.keycloakAdminUser,
        KEYCLOAK_ADMIN_PASSWORD: devCredentials.keycloakAdminPassword,
        ...secrets,
      }),
      async start() {
        // Install (extract + kc.sh build, one-time) while PostgreSQL comes up.
        const [{ home: distHome, java }, pg] = await Promise.all([
          ensureKeycloak(log),
          pgTask ?? Promise.reject(new InfraError('keycloak needs postgres, which was not started')),
        ]);
        const pgUrl = new URL(pg.env['PG_ADMIN_URL'] ?? pgAdminUrl());
        const home = prepareKeycloakHome(distHome);
        const began = Date.now();
        const spawned = spawnDetached(
          join(home, 'bin', 'kc.sh'),
          keycloakStartArgs(pgUrl.hostname, Number(pgUrl.port || 5432)),
          {
            logName: 'keycloak',
            cwd: home,
            env: keycloakEnv(java.home),
          },
        );
        await waitUntil(
          async () => {
            const res = await fetch(keycloakHealthUrl, { signal: AbortSignal.timeout(2000) });
            await res.body?.cancel();
            if (res.status !== 200) throw new Error(`health/ready HTTP ${res.status}`);
          },
          {
            timeoutMs: readyTimeouts.keycloak,
            intervalMs: 500,
            what: `keycloak (Java ${java.version})`,
            proc: spawned,
          },
        );
        const secs = ((Date.now() - began) / 1000).toFixed(1);
        return {
          spawned,
          cmdMatch: join(home, 'bin', 'kc.sh'),
          stopSignal: 'SIGTERM',
          how: `started in ${secs}s on Java ${java.version}`,
        };
      },
      async afterReady(env, origin) {
        const baseUrl = env['KEYCLOAK_URL'] ?? keycloakUrl;
        const decision = devSeedDecision({
          wanted: devSeed,
          origin,
          seedExternal,
          url: baseUrl,
          port: ports.keycloakHttp,
        });
        log(decision.line);
        const smtp = smtpTask ? await smtpTask.catch(() => undefined) : undefined;
        const smtpUrl = smtp?.env['SMTP_URL'] ? new URL(smtp.env['SMTP_URL']) : undefined;
        const summary = await applyRealms({
          baseUrl,
          adminUser: env['KEYCLOAK_ADMIN_USERNAME'] ?? adminUser(),
          adminPassword: env['KEYCLOAK_ADMIN_PASSWORD'] ?? adminPassword(),
          devSeed: decision.apply,
          allowDevSecrets: decision.allowDevSecrets,
          ...(smtpUrl ? { smtp: { host: smtpUrl.hostname, port: Number(smtpUrl.port || 25) } } : {}),
          env: process.env,
        });
        devSeedApplied = decision.apply;
        log(`[infra] keycloak realms: ${summary.join('; ')}`);
      },
      async version(env) {
        const base = env['KEYCLOAK_URL'] ?? keycloakUrl;
        return {
          version: await keycloakVersion(
            base,
            env['KEYCLOAK_ADMIN_USERNAME'] ?? adminUser(),
            env['KEYCLOAK_ADMIN_PASSWORD'] ?? adminPassword(),
            10_000,
          ),
        };
      },
    },
    log,
  ).then((outcome) => ({ ...outcome, info: { ...outcome.info, devSeedApplied } }));
}

/** Names of the PID-owning processes currently recorded and alive (for `infra status`). */
export function recordedPids(): Partial<Record<ComponentName, number>> {
  const out: Partial<Record<ComponentName, number>> = {};
  for (const n of componentNames) {
    const rec = liveRecorded(n);
    if (rec && isAlive(rec.pid)) out[n] = rec.pid;
  }
  return out;
}
