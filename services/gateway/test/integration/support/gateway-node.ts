import { randomUUID } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type moleculer from 'moleculer';
import { createBroker, defaultDurableSettings, natsSettingsOf } from '@portal/kit';
import { devCliClientId } from '@portal/deploy/local/dev-logins';
import { freePort, stackEnv } from '@portal/testing';
import { gatewayModule } from '../../../src/gateway.module.ts';

/** What the gateway needs of the stack besides Keycloak: its database, the session key, its client secret. */
export function gatewayStackEnv(port: number): Record<string, string | undefined> {
  return {
    GATEWAY_DATABASE_URL: stackEnv().GATEWAY_DATABASE_URL,
    GATEWAY_SESSION_SECRET: stackEnv().GATEWAY_SESSION_SECRET || 'gateway-integration-test-session-secret-0123',
    KEYCLOAK_GATEWAY_CLIENT_SECRET: stackEnv().KEYCLOAK_GATEWAY_CLIENT_SECRET,
    PORTAL_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
}

export interface GatewayNode {
  /** `http://127.0.0.1:<port>/api/v1` */
  base: string;
  broker: moleculer.ServiceBroker;
  readiness: Record<string, () => Promise<void>>;
  stop(): Promise<void>;
}

/**
 * The gateway module on a broker of its own in `namespace`, as `runServiceProcess` would run it,
 * with the stack's Keycloak and the dev seed's `portal-cli` among the allowed clients. Waits for
 * the services named in `waitFor` (the test's stand-ins).
 */
export async function startGatewayNode(options: {
  namespace: string;
  nats: NatsConnection;
  env?: Record<string, string>;
  waitFor?: string[];
}): Promise<GatewayNode> {
  const port = await freePort();
  const broker = createBroker({
    nodeID: `gateway-${randomUUID().slice(0, 6)}`,
    ...natsSettingsOf(stackEnv()),
    namespace: options.namespace,
    logLevel: 'warn',
  });
  const env = gatewayModule.env.parse({
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    KEYCLOAK_URL: stackEnv().KEYCLOAK_URL,
    GATEWAY_ALLOWED_CLIENTS: `portal-gateway,${devCliClientId}`,
    ...gatewayStackEnv(port),
    ...options.env,
  });
  const instance = await gatewayModule.create({
    broker,
    env,
    nats: options.nats,
    durable: defaultDurableSettings,
    logger: broker.getLogger('gateway'),
  });
  for (const schema of instance.schemas) broker.createService(schema);
  await broker.start();
  if (options.waitFor?.length) await broker.waitForServices(options.waitFor, 10_000);
  return {
    base: `http://127.0.0.1:${port}/api/v1`,
    broker,
    readiness: instance.readiness,
    async stop() {
      await broker.stop();
      await instance.stop();
    },
  };
}
