import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  natsConnectionOptionsOf,
  openRevocationList,
  REVOCATION_BUCKET,
  type RevocationWatcher,
  watchRevocations,
} from '@portal/kit';
import { stackEnv } from '@portal/testing';

const options = { entryTtlMs: 60 * 60 * 1000 };

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await sleep(5);
  }
  return Date.now() - started;
}

// The deny-list behind "revoked within 2 seconds": one writer, watchers in other connections (as
// gateway replicas are), a real JetStream key-value bucket.
describe('revocation list', () => {
  let writerConnection: NatsConnection;
  const replicas: { nats: NatsConnection; watcher: RevocationWatcher }[] = [];
  const subject = () => crypto.randomUUID();

  beforeAll(async () => {
    const natsOptions = natsConnectionOptionsOf(stackEnv());
    writerConnection = await connect(natsOptions);
    for (let index = 0; index < 2; index++) {
      const nats = await connect(natsOptions);
      const watcher = await watchRevocations(nats, options);
      await watcher.ready;
      replicas.push({ nats, watcher });
    }
  });

  afterAll(async () => {
    for (const { nats, watcher } of replicas) {
      await watcher.stop();
      await nats.close();
    }
    await writerConnection?.close();
  });

  it('reaches every watching replica, refusing tokens issued before the revocation only', async () => {
    const list = await openRevocationList(writerConnection, options);
    const who = subject();
    const revokedAt = new Date();
    const issuedBefore = Math.floor(revokedAt.getTime() / 1000) - 60;
    for (const { watcher } of replicas) expect(watcher.isRevoked('portal', who, issuedBefore)).toBe(false);

    await list.revoke('portal', who, revokedAt);
    for (const { watcher } of replicas) {
      await until(() => watcher.isRevoked('portal', who, issuedBefore));
      expect(watcher.isRevoked('portal', who, Math.floor(revokedAt.getTime() / 1000) + 5)).toBe(false);
      expect(watcher.isRevoked('staff', who, issuedBefore)).toBe(false);
    }
  });

  it('gives a replica that starts later the revocations made before it', async () => {
    const list = await openRevocationList(writerConnection, options);
    const who = subject();
    await list.revoke('staff', who);
    const late = await connect(natsConnectionOptionsOf(stackEnv()));
    const watcher = await watchRevocations(late, options);
    try {
      await watcher.ready;
      expect(watcher.revokedAt('staff', who)).toBeGreaterThan(0);
    } finally {
      await watcher.stop();
      await late.close();
    }
  });

  it('keeps its entries in a bucket whose TTL outlives access tokens', async () => {
    // Whoever creates the bucket first sets its TTL (here or a gateway in another suite): at least an
    // hour, far beyond the realms' 5-minute access tokens.
    const status = await (await writerConnection.jetstream().views.kv(REVOCATION_BUCKET)).status();
    expect(status.ttl).toBeGreaterThanOrEqual(options.entryTtlMs);
  });

  it('refuses a subject that is not a plain token id', async () => {
    const list = await openRevocationList(writerConnection, options);
    await expect(list.revoke('portal', 'a.b>c')).rejects.toThrow(/Cannot key/);
  });
});
