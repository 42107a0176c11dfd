import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonError, createBroker, DomainError, natsSettingsOf } from '@portal/kit';
import { stackEnv } from '@portal/testing';
import { requireComponent } from './component-probes.ts';

const echoScript = fileURLToPath(new URL('./fixtures/echo-broker.ts', import.meta.url));

function waitForLine(child: ChildProcess, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no "${text}" within ${timeoutMs} ms; output: ${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before "${text}"; output: ${output}`)));
  });
}

describe('Moleculer over NATS between two OS processes', () => {
  const namespace = `proof-${randomUUID().slice(0, 8)}`;
  let echo: ChildProcess;
  let broker: moleculer.ServiceBroker;

  beforeAll(async () => {
    await requireComponent('nats');
    const nats = natsSettingsOf(stackEnv());
    echo = spawn(process.execPath, [echoScript], {
      env: {
        ...process.env,
        NATS_URL: nats.natsUrl,
        NATS_USER: nats.natsCredentials?.user ?? '',
        NATS_PASSWORD: nats.natsCredentials?.password ?? '',
        PROOF_NAMESPACE: namespace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForLine(echo, 'echo-broker ready', 20_000);

    broker = createBroker({ nodeID: `test-${process.pid}`, ...nats, namespace, logLevel: 'warn' });
    broker.createService({
      name: 'proofFailing',
      actions: {
        fail: () => {
          throw commonError('NOT_FOUND', { message: 'No such thing.', details: { id: '42' } });
        },
      },
    });
    await broker.start();
    await broker.waitForServices(['proofEcho'], 10_000);
  });

  afterAll(async () => {
    await broker?.stop();
    echo?.kill('SIGTERM');
  });

  it('answers a request from the other process', async () => {
    const reply = (await broker.call('proofEcho.echo', { hello: 'world' })) as { echoed: unknown; pid: number };
    expect(reply.echoed).toEqual({ hello: 'world' });
    expect(reply.pid).toBe(echo.pid);
    expect(reply.pid).not.toBe(process.pid);
  });

  it('delivers an event to the other process and receives its answer', async () => {
    const nonce = randomUUID();
    const ponged = new Promise<{ nonce: string; pid: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no proof.ponged within 5 s')), 5_000);
      broker.createService({
        name: 'proofListener',
        events: {
          'proof.ponged'(ctx: moleculer.Context<{ nonce: string; pid: number }>) {
            if (ctx.params.nonce === nonce) {
              clearTimeout(timer);
              resolve(ctx.params);
            }
          },
        },
      });
    });
    await broker.waitForServices(['proofListener'], 5_000);
    // Give the remote node time to learn about the new listener before pinging it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await broker.emit('proof.pinged', { nonce });
    const answer = await ponged;
    expect(answer).toEqual({ nonce, pid: echo.pid });
  });

  it('keeps a DomainError intact across the wire', async () => {
    const remote = createBroker({
      nodeID: `remote-${process.pid}`,
      ...natsSettingsOf(stackEnv()),
      namespace,
      logLevel: 'warn',
    });
    await remote.start();
    try {
      await remote.waitForServices(['proofFailing'], 5_000);
      const failure = await remote.call('proofFailing.fail').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DomainError);
      expect(failure).toMatchObject({
        kind: 'not_found',
        code: 404,
        type: 'NOT_FOUND',
        data: { id: '42' },
      });
    } finally {
      await remote.stop();
    }
  });
});
