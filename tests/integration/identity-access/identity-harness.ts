import { randomUUID } from 'node:crypto';
import moleculer from 'moleculer';
import { connect, type NatsConnection } from 'nats';
import type { Actor } from '@portal/contracts';
import { defaultDurableSettings, natsConnectionOptionsOf, type ServiceInstance } from '@portal/kit';
import { directoryModule } from '@portal/directory';
import { devCliClientId } from '@portal/deploy/local/dev-logins';
import { contractCaller, stackEnv, type ContractCaller } from '@portal/testing';
import { identityModule } from '@portal/identity';

export const staffActor: Actor = { kind: 'staff', userId: 'staff-identity-it' };

/**
 * The identity and directory services as in production (their modules: realm reconciliation,
 * stores, relays, durable consumers, the invitation sweeper) on one local broker, against the real
 * Keycloak, PostgreSQL, NATS JetStream and SMTP capture.
 */
export interface IdentityHarness extends ContractCaller {
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function openIdentityHarness(overrides: Record<string, string> = {}): Promise<IdentityHarness> {
  const env: Record<string, string> = {
    ...stackEnv(),
    IDENTITY_INVITATION_SWEEP_SECONDS: '1',
    LOG_LEVEL: 'warn',
    ...overrides,
  };
  const nats: NatsConnection = await connect(natsConnectionOptionsOf(env));
  const broker = new moleculer.ServiceBroker({
    nodeID: `identity-it-${randomUUID().slice(0, 8)}`,
    logger: process.env.IDENTITY_IT_LOG ? { type: 'Console', options: { level: 'warn' } } : false,
  });
  const logger = broker.getLogger('identity-it');
  const instances: ServiceInstance[] = [];
  for (const module of [directoryModule, identityModule] as const) {
    const instance = await module.create({
      broker,
      env: module.env.parse(env) as never,
      durable: defaultDurableSettings,
      nats,
      logger,
    });
    instances.push(instance);
    for (const schema of instance.schemas) broker.createService(schema);
  }
  await broker.start();
  const meta = { actor: staffActor, requestId: `req-${randomUUID()}`, sourceIp: '203.0.113.9' };
  const harness: IdentityHarness = {
    env,
    ...contractCaller(broker, meta),
    async close() {
      await broker.stop();
      for (const instance of instances.reverse()) await instance.stop();
      await nats.drain();
    },
  };
  return harness;
}

/** A password grant through the dev-only `portal-cli` client of realm portal: the HTTP status. */
/**
 * A direct-grant login at the portal realm: `'signed-in'`, or Keycloak's refusal with its status and
 * reason (`'refused 401 invalid_grant: Invalid user credentials'`), so a failed check says why.
 */
export async function portalLogin(keycloakUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${keycloakUrl}/realms/portal/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: devCliClientId, username, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.ok) {
    await response.body?.cancel();
    return 'signed-in';
  }
  const refusal = (await response.json().catch(() => ({}))) as { error?: string; error_description?: string };
  return `refused ${response.status} ${refusal.error ?? '?'}: ${refusal.error_description ?? ''}`;
}

export interface CapturedMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
}

/** Waits for a mail to `to` in the SMTP capture that `matches`. */
export async function waitForMail(
  mailCatcherUrl: string,
  to: string,
  matches: (mail: CapturedMail) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<CapturedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${mailCatcherUrl}/api/messages?to=${encodeURIComponent(to)}`);
    const mails = (await response.json()) as CapturedMail[];
    const found = mails.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
