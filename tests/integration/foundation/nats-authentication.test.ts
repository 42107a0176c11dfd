import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type moleculer from 'moleculer';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsCredentialsEnvFor } from '@portal/deploy/local/nats-auth';
import { directoryMigrations } from '@portal/directory/migrations';
import { directoryService } from '@portal/directory/service';
import { createBroker, DurableEventsMigration, natsConnectionOptionsOf, natsSettingsOf } from '@portal/kit';
import { contractCaller, openScratchSchema, stackEnv, type ContractCaller, type ScratchSchema } from '@portal/testing';
import { requireComponent } from './component-probes.ts';

// The bus is closed (DESIGN, "Deployment"): internal actions such as directory.applyAccessTransition
// trust the caller they are given, so only processes with credentials may reach NATS at all.

const anonymousBrokerScript = fileURLToPath(new URL('./fixtures/anonymous-broker.ts', import.meta.url));
const staffActor = { kind: 'staff', userId: 'staff-nats-auth' } as const;

/** nats.js's refusal of bad or missing credentials. */
const authorizationViolation = { code: 'AUTHORIZATION_VIOLATION' };

async function connectionOutcome(options: Parameters<typeof connect>[0]): Promise<unknown> {
  try {
    const connection = await connect({ ...options, reconnect: false, timeout: 3_000 });
    await connection.close();
    return 'connected';
  } catch (error) {
    return error;
  }
}

describe('NATS authentication', () => {
  const namespace = `natsauth-${randomUUID().slice(0, 8)}`;
  let scratch: ScratchSchema;
  let directoryNode: moleculer.ServiceBroker;
  let trustedNode: moleculer.ServiceBroker;
  let trusted: ContractCaller;

  beforeAll(async () => {
    await requireComponent('nats');
    const stack = stackEnv();
    scratch = await openScratchSchema({
      prefix: 'natsauth_it',
      migrations: [DurableEventsMigration, ...directoryMigrations],
    });
    // The directory joins the bus as itself, as its process does in a deployment.
    directoryNode = createBroker({
      nodeID: `directory-${namespace}`,
      ...natsSettingsOf({ ...stack, ...natsCredentialsEnvFor(stack, 'directory') }),
      namespace,
      logLevel: 'warn',
    });
    directoryNode.createService(directoryService({ orm: scratch.orm, readiness: {} }));
    // A legitimate caller (the stack's tools user): identity would be one in a deployment.
    trustedNode = createBroker({
      nodeID: `trusted-${namespace}`,
      ...natsSettingsOf(stack),
      namespace,
      logLevel: 'warn',
    });
    await Promise.all([directoryNode.start(), trustedNode.start()]);
    await trustedNode.waitForServices(['directory'], 10_000);
    trusted = contractCaller(trustedNode, { actor: staffActor, requestId: `req-${namespace}` });
  });

  afterAll(async () => {
    await trustedNode?.stop();
    await directoryNode?.stop();
    await scratch?.close();
  });

  it('refuses a client without credentials', async () => {
    const { authenticator, ...anonymous } = natsConnectionOptionsOf(stackEnv());
    expect(authenticator).toBeDefined();
    expect(await connectionOutcome(anonymous)).toMatchObject(authorizationViolation);
  });

  it('refuses a wrong password, and a password of another user', async () => {
    const stack = stackEnv();
    const directory = natsCredentialsEnvFor(stack, 'directory');
    const gateway = natsCredentialsEnvFor(stack, 'gateway');
    expect(directory['NATS_USER']).toBe('directory');
    const as = (password: string) =>
      natsConnectionOptionsOf({ ...stack, NATS_USER: 'directory', NATS_PASSWORD: password });
    expect(await connectionOutcome(as(`${directory['NATS_PASSWORD']}-wrong`))).toMatchObject(authorizationViolation);
    expect(await connectionOutcome(as(gateway['NATS_PASSWORD'] ?? ''))).toMatchObject(authorizationViolation);
    // The right one, for contrast.
    expect(await connectionOutcome(as(directory['NATS_PASSWORD'] ?? ''))).toBe('connected');
  });

  it("accepts each service's own credentials, with JetStream available to them", async () => {
    const stack = stackEnv();
    for (const identity of [
      'gateway',
      'identity',
      'directory',
      'documents',
      'submittals',
      'notifications',
      'all-in-one',
    ]) {
      const credentials = natsCredentialsEnvFor(stack, identity);
      expect(credentials['NATS_USER']).toBe(identity);
      const connection: NatsConnection = await connect({
        ...natsConnectionOptionsOf({ ...stack, ...credentials }),
        reconnect: false,
        timeout: 3_000,
      });
      try {
        await connection.flush();
        await expect((await connection.jetstreamManager()).getAccountInfo()).resolves.toBeDefined();
      } finally {
        await connection.close();
      }
    }
  });

  it("does not hand a node's NATS password to another node asking for its options", async () => {
    const stack = stackEnv();
    const password = natsCredentialsEnvFor(stack, 'directory')['NATS_PASSWORD'];
    expect(password).toBeTruthy();
    const options: unknown = await trustedNode.call('$node.options', {}, { nodeID: directoryNode.nodeID });
    expect(JSON.stringify(options)).toContain('"transporter"');
    expect(JSON.stringify(options)).not.toContain(String(password));
  });

  it('keeps a broker without credentials off the bus: it cannot call directory.applyAccessTransition', async () => {
    const contactAccount = await trusted.call('directory.createAccount', {
      number: `NA-${namespace.slice(-8)}`,
      name: 'NATS authentication',
    });
    const contact = await trusted.call('directory.createContact', {
      accountId: contactAccount.id,
      firstName: 'Nadia',
      lastName: 'Bus',
      email: `nadia.${namespace}@example.com`,
    });
    const auditBefore = await trusted.call('directory.listContactAudit', { contactId: contact.id });

    const intruder = spawn(process.execPath, [anonymousBrokerScript], {
      env: {
        PATH: process.env.PATH ?? '',
        NATS_URL: stackEnv().NATS_URL ?? '',
        PROOF_NAMESPACE: namespace,
        PROOF_CONTACT_ID: contact.id,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    intruder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    intruder.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => intruder.once('exit', resolve));
    const report = output.split('\n').find((line) => line.startsWith('{'));
    expect(exitCode, output).toBe(0);
    const outcome = JSON.parse(report ?? '{}') as { started: boolean; transporterErrors: string[]; call: string };
    expect(outcome.started, output).toBe(false);
    expect(outcome.transporterErrors.join('\n')).toMatch(/authorization.violation/i);
    expect(outcome.call).toMatch(/^failed: /);

    // Nothing changed: the contact has no portal access and its audit trail has no new entry.
    const after = await trusted.call('directory.getContact', { contactId: contact.id });
    expect(after.access.status).toBe('none');
    expect(after.access.identityUserId).toBeNull();
    expect((await trusted.call('directory.listContactAudit', { contactId: contact.id })).items).toEqual(
      auditBefore.items,
    );

    // The same call from a process with credentials goes through: the refusal above was the bus's.
    const invited = await trusted.call('directory.applyAccessTransition', {
      contactId: contact.id,
      to: 'invited',
      identityUserId: 'kc-user-nats-auth',
      inviteExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(invited.access.status).toBe('invited');
  });
});
