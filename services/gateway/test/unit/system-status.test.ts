import moleculer from 'moleculer';
import { describe, expect, it } from 'vitest';
import type { ServiceStatus } from '@portal/contracts';
import type { Caller } from '@portal/kit';
import { cachedStatus, collectSystemStatus, publicStatusOf } from '../../src/system-status.ts';

const statusOf = (service: ServiceStatus['service'], dependencies: Record<string, 'up' | 'down'>): ServiceStatus => ({
  service,
  nodeID: `${service}-1`,
  version: '0.1.0',
  uptimeSeconds: 1,
  dependencies,
});

function fakeCaller(answers: Record<string, ServiceStatus | Error>): Caller {
  return {
    async call(action: string) {
      const answer = answers[action];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const allUp = {
  'gateway.status': statusOf('gateway', { http: 'up' }),
  'identity.status': statusOf('identity', { postgres: 'up' }),
  'directory.status': statusOf('directory', { postgres: 'up' }),
  'documents.status': statusOf('documents', { postgres: 'up', s3: 'up' }),
  'submittals.status': statusOf('submittals', { postgres: 'up' }),
  'notifications.status': statusOf('notifications', { postgres: 'up', smtp: 'up' }),
};

describe('collectSystemStatus', () => {
  it('is ok when every service answers with every dependency up', async () => {
    const status = await collectSystemStatus(fakeCaller(allUp));
    expect(status.status).toBe('ok');
  });

  it('is degraded when a dependency is down', async () => {
    const status = await collectSystemStatus(
      fakeCaller({ ...allUp, 'documents.status': statusOf('documents', { postgres: 'up', s3: 'down' }) }),
    );
    expect(status.status).toBe('degraded');
  });

  it('marks a service that does not answer as unreachable', async () => {
    const status = await collectSystemStatus(
      fakeCaller({
        ...allUp,
        'submittals.status': new moleculer.Errors.ServiceNotFoundError({ action: 'submittals.status' }),
      }),
    );
    expect(status.status).toBe('degraded');
    expect(status.services.submittals).toEqual({
      service: 'submittals',
      state: 'unreachable',
      reason: 'ServiceNotFoundError',
    });
  });
});

describe('cachedStatus', () => {
  it('asks the services once per period, sharing a collection in progress', async () => {
    let now = 0;
    let collections = 0;
    const status = cachedStatus(
      async (caller) => {
        collections++;
        return collectSystemStatus(caller);
      },
      { ttlMs: 5_000, now: () => now },
    );
    const caller = fakeCaller(allUp);
    await Promise.all(Array.from({ length: 20 }, () => status(caller)));
    expect(collections).toBe(1);
    now = 4_999;
    expect((await status(caller)).status).toBe('ok');
    expect(collections).toBe(1);
    now = 5_000;
    await status(caller);
    expect(collections).toBe(2);
  });

  it('shows only the verdict to the public', async () => {
    expect(publicStatusOf(await collectSystemStatus(fakeCaller(allUp)))).toEqual({ status: 'ok' });
  });
});
