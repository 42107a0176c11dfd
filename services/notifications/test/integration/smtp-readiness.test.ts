import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, type NatsConnection } from 'nats';
import type moleculer from 'moleculer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBroker,
  defaultDurableSettings,
  natsConnectionOptionsOf,
  natsSettingsOf,
  type ServiceInstance,
} from '@portal/kit';
import { stackEnv } from '@portal/testing';
import { createMailTransport, mailRelayCheck } from '../../src/adapters/smtp.adapter.ts';
import { notificationsModule } from '../../src/notifications.module.ts';

/**
 * The relay's readiness check must not log in on every status call: a relay that requires AUTH
 * counts each session and each login here, while the real notifications module answers
 * `notifications.status` over NATS.
 */

// The module also runs its e-mail consumers, which may deliver a message left in a shared test
// NATS by another suite: such sessions send mail; a readiness check's session only logs in and quits.
const relay = { connections: 0, logins: 0, refusedLogins: 0, checkSessions: 0 };
const sendingSessions = new Set<string>();
const relayServer = new SMTPServer({
  secure: false,
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onConnect(_session, callback) {
    relay.connections++;
    callback();
  },
  onAuth(auth, _session, callback) {
    relay.logins++;
    if (auth.username === 'portal' && auth.password === 'relay-pass') {
      callback(null, { user: 'portal' });
      return;
    }
    relay.refusedLogins++;
    callback(new Error('Invalid username or password'));
  },
  onMailFrom(_address, session, callback) {
    sendingSessions.add(session.id);
    callback();
  },
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => callback());
  },
  onClose(session) {
    if (session.user && !sendingSessions.has(session.id)) relay.checkSessions++;
  },
});

/** Waits until the relay has seen the sessions that were closing when the calls returned. */
async function settled(): Promise<typeof relay> {
  let last = JSON.stringify(relay);
  for (let round = 0; round < 10; round++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (JSON.stringify(relay) === last) break;
    last = JSON.stringify(relay);
  }
  return { ...relay };
}

describe('notifications SMTP readiness', () => {
  let smtpUrl: (user: string, password: string) => string;
  let nats: NatsConnection;
  let service: moleculer.ServiceBroker;
  let caller: moleculer.ServiceBroker;
  let instance: ServiceInstance;
  const namespace = `smtp-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await new Promise<void>((resolve) => relayServer.listen(0, '127.0.0.1', resolve));
    const { port } = relayServer.server.address() as AddressInfo;
    smtpUrl = (user, password) => `smtp://${user}:${password}@127.0.0.1:${port}`;

    nats = await connect(natsConnectionOptionsOf(stackEnv()));
    const brokerOn = (name: string) =>
      createBroker({
        nodeID: `${name}-${randomUUID().slice(0, 6)}`,
        ...natsSettingsOf(stackEnv()),
        namespace,
        logLevel: 'warn',
      });
    service = brokerOn('notifications');
    const env = notificationsModule.env.parse({
      NOTIFICATIONS_DATABASE_URL: stackEnv().NOTIFICATIONS_DATABASE_URL,
      SMTP_URL: smtpUrl('portal', 'relay-pass'),
      NOTIFICATIONS_UNSUBSCRIBE_SECRET: 'smtp-readiness-test-unsubscribe-secret-0123456789',
    });
    instance = await notificationsModule.create({
      broker: service,
      env,
      nats,
      logger: service.getLogger('notifications'),
      durable: defaultDurableSettings,
    });
    for (const schema of instance.schemas) service.createService(schema);
    await service.start();
    caller = brokerOn('gateway');
    await caller.start();
    await caller.waitForServices(['notifications'], 10_000);
  });

  afterAll(async () => {
    await caller?.stop();
    await service?.stop();
    await instance?.stop();
    await nats?.close();
    await new Promise<void>((resolve) => relayServer.close(() => resolve()));
  });

  it('logs in to the relay at most once per period, however many status calls arrive', async () => {
    const before = await settled();
    const answers = await Promise.all(
      Array.from(
        { length: 25 },
        () => caller.call('notifications.status', {}) as Promise<{ dependencies: Record<string, string> }>,
      ),
    );
    for (let i = 0; i < 15; i++) answers.push(await caller.call('notifications.status', {}));
    expect(answers.every((answer) => answer.dependencies.smtp === 'up')).toBe(true);
    const after = await settled();
    expect(after.checkSessions - before.checkSessions).toBe(1);
  });

  it('remembers a refused login for a while instead of retrying it on every check', async () => {
    let now = 0;
    const check = mailRelayCheck(createMailTransport(smtpUrl('portal', 'wrong-pass')), {
      downForMs: 15_000,
      now: () => now,
    });
    const before = relay.refusedLogins;
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => check()));
    for (let i = 0; i < 10; i++) outcomes.push(...(await Promise.allSettled([check()])));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(relay.refusedLogins - before).toBe(1);
    now = 15_000;
    await expect(check()).rejects.toThrow();
    expect(relay.refusedLogins - before).toBe(2);
  });
});
