// The Docker path of the test setup: the same six components as deploy/local/stack.ts, started with
// testcontainers, producing the same env contract (deploy/README.md).
//
// !!! UNEXERCISED ON THESE MACHINES !!!
// The project's machines have the docker client but no Docker engine, so this file has never started
// a container. It was written from the testcontainers-node documentation and type definitions
// (testcontainers 12) and the images' documentation; typecheck, lint and the unit tests of
// `dockerEngineAnswers` pass, nothing more. Expect to fix something the first time it runs on a
// machine with Docker. Opt out with PORTAL_TEST_DOCKER=off (then the native launcher is used).
//
// testcontainers and the deploy/local modules are imported dynamically inside startDockerStack, so
// the env-URL and native paths never load them.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { freePort, spawnNode, waitForHttp } from './processes.ts';
import type { NodeProcess } from './processes.ts';
import { serviceNames } from '@portal/contracts';

/** What the Docker path returns: the same shape the global setup uses from the native launcher. */
export interface DockerStack {
  env: Record<string, string>;
  /** Stops the containers, the network and the mail catcher (Keycloak first, PostgreSQL last). */
  stop(): Promise<void>;
}

/**
 * Images. Keycloak follows the native launcher's pin (deploy/local/config.ts `pins.keycloak`) so both
 * paths run the same Keycloak; the others follow INFRA.md / docker-compose.yml.
 */
export const dockerImages = {
  postgres: 'postgres:15',
  nats: 'nats:2.10',
  keycloak: (version: string): string => `quay.io/keycloak/keycloak:${version}`,
  s3: 'versity/versitygw:v1.7.0',
  /** Run with our clamd.conf and signature file only (its bundled database and freshclam unused). */
  clamd: 'clamav/clamav:1.4',
} as const;

/**
 * True when a Docker engine answers `docker info` within `timeoutMs` (3 s). False on any error (no
 * client, no engine, no permission, timeout) and always false when PORTAL_TEST_DOCKER=off. `env` is
 * the environment `docker` runs with (PATH, DOCKER_HOST, …).
 */
export function dockerEngineAnswers(
  env: Record<string, string | undefined> = process.env,
  timeoutMs = 3_000,
): Promise<boolean> {
  if (env['PORTAL_TEST_DOCKER'] === 'off') return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      const options = { timeout: timeoutMs, killSignal: 'SIGKILL' as const, env };
      execFile('docker', ['info', '--format', '{{.ServerVersion}}'], options, (error, stdout) => {
        resolve(!error && stdout.trim() !== '');
      });
    } catch {
      resolve(false);
    }
  });
}

const mailCatcherScript = createRequire(import.meta.url).resolve('@portal/deploy/local/mail-catcher');

/** Hands one line to `log` per component, like the native launcher's "[infra] … ready" lines. */
export async function startDockerStack(log: (line: string) => void): Promise<DockerStack> {
  // Dynamic imports: only this path loads testcontainers (and its dockerode/ssh2 tree).
  const { GenericContainer, Network, TestContainers, Wait } = await import('testcontainers');
  const { devCredentials, pins, servicePassword } = await import('@portal/deploy/local/config');
  const { provisionKeycloakDatabase, provisionServiceSchemas } = await import('@portal/deploy/local/postgres');
  const { applyRealms, realmSecrets } = await import('@portal/deploy/local/keycloak');
  const { keycloakVersion, probe } = await import('@portal/deploy/local/components');
  const { clamdConfig, clamdSignatureFile } = await import('@portal/deploy/local/clamd');

  const t0 = Date.now();
  const containers: { name: string; container: StartedTestContainer }[] = [];
  let network: StartedNetwork | undefined;
  let mail: NodeProcess | undefined;
  let mailDir: string | undefined;

  const stop = async (): Promise<void> => {
    const byName = (name: string) => containers.filter((c) => c.name === name);
    const stopAll = (list: typeof containers) =>
      Promise.all(list.map((c) => c.container.stop().catch(() => undefined)));
    await stopAll(byName('keycloak'));
    await stopAll(containers.filter((c) => c.name !== 'keycloak' && c.name !== 'postgres'));
    await stopAll(byName('postgres'));
    containers.length = 0;
    await network?.stop().catch(() => undefined);
    network = undefined;
    await mail?.stop(5_000);
    mail = undefined;
    if (mailDir) rmSync(mailDir, { recursive: true, force: true });
    mailDir = undefined;
  };
  const started = (name: string, container: StartedTestContainer): StartedTestContainer => {
    containers.push({ name, container });
    return container;
  };
  const ready = (line: string, since: number): void =>
    log(`[infra] ${line} (docker, started in ${((Date.now() - since) / 1000).toFixed(1)}s)`);

  try {
    network = await new Network().start();
    const net = network;

    // ---- SMTP: our own mail catcher, run natively (it is our code, not an image).
    const startSmtp = async (): Promise<Record<string, string>> => {
      const since = Date.now();
      const smtpPort = await freePort();
      let httpPort = await freePort();
      while (httpPort === smtpPort) httpPort = await freePort();
      mailDir = mkdtempSync(join(tmpdir(), 'portal-mail-'));
      mail = spawnNode('mail-catcher', mailCatcherScript, {
        MAIL_CATCHER_SMTP_PORT: String(smtpPort),
        MAIL_CATCHER_HTTP_PORT: String(httpPort),
        MAIL_CATCHER_HOST: '127.0.0.1',
        MAIL_CATCHER_STORE: join(mailDir, 'messages.jsonl'),
      });
      const proc = mail;
      await waitForHttp(`http://127.0.0.1:${httpPort}/healthz`, 200, 30_000, () => proc.output());
      const env = { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_CATCHER_URL: `http://127.0.0.1:${httpPort}` };
      const { version } = await probe('smtp', env, 5_000);
      ready(
        `smtp mail-catcher (smtp-server ${version}) ready at ${env.SMTP_URL}, inbox ${env.MAIL_CATCHER_URL}`,
        since,
      );
      return env;
    };

    // ---- PostgreSQL: superuser + database `portal`, then the same provisioning as the native launcher.
    const startPostgres = async (): Promise<Record<string, string>> => {
      const since = Date.now();
      const pg = started(
        'postgres',
        await new GenericContainer(dockerImages.postgres)
          .withNetwork(net)
          .withNetworkAliases('postgres')
          .withEnvironment({
            POSTGRES_USER: devCredentials.pgSuperuser,
            POSTGRES_PASSWORD: devCredentials.pgSuperuserPassword,
            POSTGRES_DB: devCredentials.pgDatabase,
          })
          .withExposedPorts(5432)
          // The image's init runs a temporary server first, so "ready" is logged twice.
          .withWaitStrategy(
            Wait.forAll([
              Wait.forLogMessage(/database system is ready to accept connections/, 2),
              Wait.forListeningPorts(),
            ]),
          )
          .withStartupTimeout(60_000)
          .start(),
      );
      const hostPort = `${pg.getHost()}:${pg.getMappedPort(5432)}`;
      const admin = `postgres://${devCredentials.pgSuperuser}:${encodeURIComponent(devCredentials.pgSuperuserPassword)}@${hostPort}/${devCredentials.pgDatabase}`;
      const env: Record<string, string> = { PG_ADMIN_URL: admin };
      for (const svc of serviceNames) {
        env[`${svc.toUpperCase()}_DATABASE_URL`] =
          `postgres://${svc}:${encodeURIComponent(servicePassword(svc))}@${hostPort}/${devCredentials.pgDatabase}`;
      }
      await provisionServiceSchemas(
        admin,
        serviceNames.map((svc) => ({ name: svc, password: servicePassword(svc) })),
      );
      await provisionKeycloakDatabase(admin);
      const { version } = await probe('postgres', env, 5_000);
      ready(`postgres ${version} ready at postgres://${hostPort} (${dockerImages.postgres})`, since);
      return env;
    };

    // ---- NATS with JetStream (the image's default command loads a config file; ours replaces it).
    const startNats = async (): Promise<Record<string, string>> => {
      const since = Date.now();
      const natsPassword = randomBytes(24).toString('base64url');
      const nats = started(
        'nats',
        await new GenericContainer(dockerImages.nats)
          .withNetwork(net)
          // One user for every client here (the native launcher has one per service): enough to keep
          // the bus closed, so the suites meet authentication as in a deployment.
          .withCommand([
            '-js',
            '-sd',
            '/data',
            '-m',
            '8222',
            '-n',
            'portal-test',
            '--user',
            'tools',
            '--pass',
            natsPassword,
          ])
          .withTmpFs({ '/data': 'rw' })
          .withExposedPorts(4222, 8222)
          .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
          .withStartupTimeout(30_000)
          .start(),
      );
      const env = {
        NATS_URL: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
        NATS_MONITOR_URL: `http://${nats.getHost()}:${nats.getMappedPort(8222)}`,
        NATS_USER: 'tools',
        NATS_PASSWORD: natsPassword,
      };
      const { version } = await probe('nats', env, 5_000);
      ready(`nats ${version} (jetstream) ready at ${env.NATS_URL} (${dockerImages.nats})`, since);
      return env;
    };

    // ---- S3: versitygw's posix backend on a tmpfs. The image's entrypoint runs the binary with our args.
    const startS3 = async (): Promise<Record<string, string>> => {
      const since = Date.now();
      const s3 = started(
        's3',
        await new GenericContainer(dockerImages.s3)
          .withNetwork(net)
          .withEnvironment({ ROOT_ACCESS_KEY: devCredentials.s3AccessKey, ROOT_SECRET_KEY: devCredentials.s3SecretKey })
          .withCommand(['--port', ':7070', '--region', devCredentials.s3Region, 'posix', '/data'])
          .withTmpFs({ '/data': 'rw' })
          .withExposedPorts(7070)
          // An HTTP answer, whatever its status (anonymous S3 requests get 403): no shell needed in the image.
          .withWaitStrategy(Wait.forHttp('/', 7070).forStatusCodeMatching((status) => status > 0 && status < 500))
          .withStartupTimeout(30_000)
          .start(),
      );
      const env = {
        S3_ENDPOINT: `http://${s3.getHost()}:${s3.getMappedPort(7070)}`,
        S3_ACCESS_KEY: devCredentials.s3AccessKey,
        S3_SECRET_KEY: devCredentials.s3SecretKey,
        S3_REGION: devCredentials.s3Region,
      };
      await probe('s3', env, 5_000);
      const tag = dockerImages.s3.split(':')[1] ?? '?';
      ready(`s3 versitygw ${tag.replace(/^v/, '')} ready at ${env.S3_ENDPOINT} (${dockerImages.s3})`, since);
      return env;
    };

    // ---- Keycloak start-dev on the PostgreSQL container (shared network, alias `postgres`).
    const startKeycloak = async (
      pgReady: Promise<Record<string, string>>,
      smtpReady: Promise<Record<string, string>>,
    ): Promise<Record<string, string>> => {
      const smtpEnv = await smtpReady;
      const smtpPort = Number(new URL(smtpEnv['SMTP_URL'] ?? '').port);
      // Lets the container reach the host's mail catcher as host.testcontainers.internal:<port>
      // (testcontainers runs a small sshd container for this); must precede the container's start.
      await TestContainers.exposeHostPorts(smtpPort);
      await pgReady; // the keycloak role and database exist from here on
      const since = Date.now();
      const image = dockerImages.keycloak(pins.keycloak);
      const kc = started(
        'keycloak',
        await new GenericContainer(image)
          .withNetwork(net)
          .withEnvironment({
            KC_DB: 'postgres',
            KC_DB_URL: `jdbc:postgresql://postgres:5432/${devCredentials.keycloakDatabase}`,
            KC_DB_USERNAME: devCredentials.keycloakDbUser,
            KC_DB_PASSWORD: devCredentials.keycloakDbPassword,
            KC_BOOTSTRAP_ADMIN_USERNAME: devCredentials.keycloakAdminUser,
            KC_BOOTSTRAP_ADMIN_PASSWORD: devCredentials.keycloakAdminPassword,
            JAVA_OPTS_KC_HEAP: '-Xms64m -Xmx512m',
          })
          .withCommand(['start-dev', '--http-port=8080', '--health-enabled=true', '--cache=local'])
          .withExposedPorts(8080, 9000)
          .withWaitStrategy(Wait.forHttp('/health/ready', 9000).forStatusCode(200))
          .withStartupTimeout(240_000)
          .start(),
      );
      const env: Record<string, string> = {
        KEYCLOAK_URL: `http://${kc.getHost()}:${kc.getMappedPort(8080)}`,
        KEYCLOAK_ADMIN_USERNAME: devCredentials.keycloakAdminUser,
        KEYCLOAK_ADMIN_PASSWORD: devCredentials.keycloakAdminPassword,
        ...realmSecrets(process.env),
      };
      const summary = await applyRealms({
        baseUrl: env['KEYCLOAK_URL'] ?? '',
        adminUser: devCredentials.keycloakAdminUser,
        adminPassword: devCredentials.keycloakAdminPassword,
        // A Keycloak container this run started itself: the dev seed and dev secrets belong there.
        devSeed: true,
        allowDevSecrets: true,
        smtp: { host: 'host.testcontainers.internal', port: smtpPort },
        env: process.env,
      });
      log(`[infra] keycloak realms: ${summary.join('; ')}`);
      const version = await keycloakVersion(
        env['KEYCLOAK_URL'] ?? '',
        devCredentials.keycloakAdminUser,
        devCredentials.keycloakAdminPassword,
        10_000,
      );
      ready(`keycloak ${version} ready at ${env['KEYCLOAK_URL']} (${image})`, since);
      return env;
    };

    // ---- clamd: the image's binary with the native launcher's config and signature file, so EICAR
    // gets the same name (Portal.Test.EICAR.UNOFFICIAL) on both paths.
    const startClamd = async (): Promise<Record<string, string>> => {
      const since = Date.now();
      const config = clamdConfig({
        tcpAddr: '0.0.0.0',
        tcpPort: 3310,
        databaseDir: '/portal/db',
        pidFile: '/tmp/clamd.pid',
        tempDir: '/tmp',
      });
      const clamd = started(
        'clamd',
        await new GenericContainer(dockerImages.clamd)
          .withCopyContentToContainer([{ content: config, target: '/portal/clamd.conf' }])
          .withCopyFilesToContainer([{ source: clamdSignatureFile, target: '/portal/db/portal-eicar.ndb' }])
          .withEntrypoint(['clamd'])
          .withCommand(['--foreground', '--config-file=/portal/clamd.conf'])
          .withExposedPorts(3310)
          .withWaitStrategy(Wait.forListeningPorts())
          .withStartupTimeout(60_000)
          .start(),
      );
      const env = { CLAMD_URL: `tcp://${clamd.getHost()}:${clamd.getMappedPort(3310)}` };
      const { version } = await probe('clamd', env, 5_000);
      ready(`clamd ClamAV ${version} ready at ${env.CLAMD_URL} (${dockerImages.clamd})`, since);
      return env;
    };

    const smtp = startSmtp();
    const pg = startPostgres();
    const tasks = [pg, startNats(), startS3(), smtp, startKeycloak(pg, smtp), startClamd()];
    const settled = await Promise.allSettled(tasks);
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failures.length > 0) {
      const reasons = [
        ...new Set(failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason)))),
      ];
      throw new Error(`[infra] the Docker stack did not start:\n- ${reasons.join('\n- ')}`);
    }
    const env: Record<string, string> = {};
    for (const s of settled) if (s.status === 'fulfilled') Object.assign(env, s.value);
    log(`[infra] ${tasks.length} component(s) ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (docker)`);
    return { env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
