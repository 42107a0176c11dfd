import { randomUUID } from 'node:crypto';
import { serviceNames, type ServiceName } from '@portal/contracts';
import { freePort, spawnNode, stackEnv, waitForHttp, type NodeProcess } from '@portal/testing';
import { devAccessToken, type DevLoginKey } from '@portal/deploy/local/dev-logins';
import { serviceMainPath } from '../../support/service-mains.ts';

export interface SystemUnderTest {
  gatewayUrl: string;
  processes: NodeProcess[];
  outputs(): string;
  stop(): Promise<void>;
}

/**
 * Starts the named services as real processes in their own Moleculer namespace (so suites do not
 * see each other's nodes), waits until each is ready and the gateway sees them, and returns the
 * gateway's URL. Connection settings come from the running stack unless overridden.
 */
export async function startServices(
  services: readonly ServiceName[],
  overrides: Record<string, string> = {},
): Promise<SystemUnderTest> {
  const env = stackEnv();
  const gatewayPort = await freePort();
  const shared: Record<string, string> = {
    NATS_URL: String(env.NATS_URL),
    KEYCLOAK_URL: String(env.KEYCLOAK_URL),
    S3_ENDPOINT: String(env.S3_ENDPOINT),
    S3_ACCESS_KEY: String(env.S3_ACCESS_KEY),
    S3_SECRET_KEY: String(env.S3_SECRET_KEY),
    S3_REGION: String(env.S3_REGION),
    SMTP_URL: String(env.SMTP_URL),
    ...Object.fromEntries(
      serviceNames.map((name) => [
        `${name.toUpperCase()}_DATABASE_URL`,
        String(env[`${name.toUpperCase()}_DATABASE_URL`]),
      ]),
    ),
    MOLECULER_NAMESPACE: `e2e-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'warn',
    HEALTH_HOST: '127.0.0.1',
    GATEWAY_PORT: String(gatewayPort),
    ...overrides,
  };
  const processes: NodeProcess[] = [];
  const healthPorts: number[] = [];
  for (const service of services) {
    const healthPort = await freePort();
    healthPorts.push(healthPort);
    processes.push(spawnNode(service, serviceMainPath(service), { ...shared, HEALTH_PORT: String(healthPort) }));
  }
  const outputs = () => processes.map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join('\n');
  const system: SystemUnderTest = {
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    processes,
    outputs,
    async stop() {
      await Promise.all(processes.map((p) => p.stop(5_000)));
    },
  };
  try {
    for (const port of healthPorts) await waitForHttp(`http://127.0.0.1:${port}/readyz`, 200, 60_000, outputs);
    if (services.includes('gateway')) await waitForGatewayToSee(system.gatewayUrl, services, outputs);
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

/** Ready is per process; the gateway learns of the other nodes over NATS a moment later. */
async function waitForGatewayToSee(gatewayUrl: string, services: readonly ServiceName[], outputs: () => string) {
  // Which services answer is a detail of the status that only staff tokens see.
  const headers = { authorization: `Bearer ${await tokenFor('staffViewer')}` };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = (await (await fetch(`${gatewayUrl}/api/v1/status`, { headers })).json()) as {
      services?: Record<string, { dependencies?: unknown }>;
    };
    if (services.every((service) => status.services?.[service]?.dependencies)) return;
    if (Date.now() > deadline) throw new Error(`the gateway does not see ${services.join(', ')}\n${outputs()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A real access token for a seeded login, by the password grant of the dev-only `portal-cli` client. */
export function tokenFor(login: DevLoginKey): Promise<string> {
  return devAccessToken(stackEnv().KEYCLOAK_URL ?? '', login);
}
