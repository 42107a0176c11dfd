import { randomBytes, randomUUID } from 'node:crypto';
import { serviceNames, type ServiceName } from '@portal/contracts';
import { devAccessToken, devCliClientId } from '@portal/deploy/local/dev-logins';
import { natsCredentialsEnvFor } from '@portal/deploy/local/nats-auth';
import { freePort, spawnNode, waitForHttp, type NodeProcess } from '@portal/testing';
import { serviceMainPath } from './service-mains.ts';

const loopback = '127.0.0.1';

export type ServiceEntry = ServiceName | 'all-in-one';

export interface ServiceSystem {
  gatewayUrl: string;
  processes: NodeProcess[];
  /** Each started entry's health server (`/healthz`, `/readyz`, `/metrics`), by entry. */
  healthUrls: Partial<Record<ServiceEntry, string>>;
  /** The last lines each process printed, for failure messages. */
  outputs(): string;
  stop(): Promise<void>;
}

export interface ServiceSystemOptions {
  /** Connection settings of the running stack (database URLs already the suites' own). */
  stack: Record<string, string>;
  /** Service processes to start; `all-in-one` is all six in one process. */
  entries: readonly ServiceEntry[];
  /** Names the Moleculer namespace (`<prefix>-<random>`), so runs never see each other's nodes. */
  namespacePrefix: string;
  /** The gateway's port when it must be known beforehand (e.g. for `PORTAL_PUBLIC_URL`); a free one by default. */
  gatewayPort?: number;
  /** Extra or overriding variables for every process (e.g. lifted rate limits). */
  env?: Record<string, string>;
  /** How to spawn a process (a benchmark tracks them itself); `spawnNode` by default. */
  spawn?: (name: string, script: string, env: Record<string, string>) => NodeProcess;
}

/**
 * The system as its users meet it: real service processes on free ports, with the stack's
 * settings, waited for until each is ready and the gateway sees every service. Used by the e2e
 * suites, the fuzzer and the benchmarks alike.
 */
export async function startServiceSystem(options: ServiceSystemOptions): Promise<ServiceSystem> {
  const { stack } = options;
  const spawn = options.spawn ?? spawnNode;
  const gatewayPort = options.gatewayPort ?? (await freePort());
  const shared: Record<string, string> = {
    NATS_URL: stack.NATS_URL ?? '',
    KEYCLOAK_URL: stack.KEYCLOAK_URL ?? '',
    // The identity service reconciles the realms (master admin) and manages users (its service account).
    KEYCLOAK_ADMIN_USERNAME: stack.KEYCLOAK_ADMIN_USERNAME ?? '',
    KEYCLOAK_ADMIN_PASSWORD: stack.KEYCLOAK_ADMIN_PASSWORD ?? '',
    KEYCLOAK_IDENTITY_CLIENT_SECRET: stack.KEYCLOAK_IDENTITY_CLIENT_SECRET ?? '',
    KEYCLOAK_GATEWAY_CLIENT_SECRET: stack.KEYCLOAK_GATEWAY_CLIENT_SECRET ?? '',
    // The key of the gateway's sealed web-session tokens: the stack's, or one for this run.
    GATEWAY_SESSION_SECRET: stack.GATEWAY_SESSION_SECRET || randomBytes(32).toString('base64url'),
    NOTIFICATIONS_UNSUBSCRIBE_SECRET: stack.NOTIFICATIONS_UNSUBSCRIBE_SECRET || randomBytes(32).toString('base64url'),
    S3_ENDPOINT: stack.S3_ENDPOINT ?? '',
    S3_ACCESS_KEY: stack.S3_ACCESS_KEY ?? '',
    S3_SECRET_KEY: stack.S3_SECRET_KEY ?? '',
    S3_REGION: stack.S3_REGION ?? '',
    SMTP_URL: stack.SMTP_URL ?? '',
    CLAMD_URL: stack.CLAMD_URL ?? '',
    ...Object.fromEntries(
      serviceNames.map((name) => {
        const key = `${name.toUpperCase()}_DATABASE_URL`;
        return [key, stack[key] ?? ''];
      }),
    ),
    MOLECULER_NAMESPACE: `${options.namespacePrefix}-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'warn',
    HEALTH_HOST: loopback,
    GATEWAY_HOST: loopback,
    GATEWAY_PORT: String(gatewayPort),
    // Tests sign in through the dev seed's password-grant client.
    GATEWAY_ALLOWED_CLIENTS: `portal-gateway,${devCliClientId}`,
    ...options.env,
  };
  const processes: NodeProcess[] = [];
  const healthPorts: number[] = [];
  for (const entry of options.entries) {
    const healthPort = await freePort();
    healthPorts.push(healthPort);
    // Each process connects to NATS as its own user, as in a deployment (unless the test says otherwise).
    const env = { ...shared, ...natsCredentialsEnvFor(stack, entry), ...options.env, HEALTH_PORT: String(healthPort) };
    processes.push(spawn(entry, serviceMainPath(entry), env));
  }
  const outputs = () => processes.map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join('\n');
  const system: ServiceSystem = {
    gatewayUrl: `http://${loopback}:${gatewayPort}`,
    processes,
    healthUrls: Object.fromEntries(
      options.entries.map((entry, index) => [entry, `http://${loopback}:${healthPorts[index]}`]),
    ),
    outputs,
    async stop() {
      await Promise.all(processes.map((p) => p.stop(10_000)));
    },
  };
  try {
    for (const port of healthPorts) await waitForHttp(`http://${loopback}:${port}/readyz`, 200, 60_000, outputs);
    const running: readonly ServiceName[] = options.entries.includes('all-in-one')
      ? serviceNames
      : options.entries.filter((entry): entry is ServiceName => entry !== 'all-in-one');
    if (running.includes('gateway')) await waitForGatewayToSee(system, running, stack.KEYCLOAK_URL ?? '');
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

/** Ready is per process; the gateway learns of the other nodes over NATS a moment later. */
async function waitForGatewayToSee(system: ServiceSystem, services: readonly ServiceName[], keycloakUrl: string) {
  // Which services answer is a detail of the status that only staff tokens see.
  const headers = { authorization: `Bearer ${await devAccessToken(keycloakUrl, 'staffViewer')}` };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = (await (await fetch(`${system.gatewayUrl}/api/v1/status`, { headers })).json()) as {
      services?: Record<string, { dependencies?: unknown }>;
    };
    if (services.every((service) => status.services?.[service]?.dependencies)) return;
    if (Date.now() > deadline) throw new Error(`the gateway does not see ${services.join(', ')}\n${system.outputs()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
