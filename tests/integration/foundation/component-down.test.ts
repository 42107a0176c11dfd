import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probe, urlVar, type ComponentName } from '../../../deploy/local/components.ts';

/** A loopback port with nothing listening: what a stopped component looks like to a client. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

const urlFor: Record<ComponentName, (port: number) => string> = {
  postgres: (port) => `postgres://postgres:x@127.0.0.1:${port}/portal`,
  nats: (port) => `nats://127.0.0.1:${port}`,
  keycloak: (port) => `http://127.0.0.1:${port}`,
  s3: (port) => `http://127.0.0.1:${port}`,
  smtp: (port) => `http://127.0.0.1:${port}`,
};

describe('a stopped component fails fast with a clear message', () => {
  for (const component of Object.keys(urlFor) as ComponentName[]) {
    it(`${component}: names the component, its URL and how to start it`, async () => {
      const port = await closedPort();
      const env = {
        [urlVar[component]]: urlFor[component](port),
        S3_ACCESS_KEY: 'k',
        S3_SECRET_KEY: 's',
        S3_REGION: 'us-east-1',
      };
      const startedAt = Date.now();
      const failure = await probe(component, env, 2_000).catch((error: unknown) => error as Error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(
        new RegExp(`^${component} is not reachable at .*127\\.0\\.0\\.1:${port}`),
      );
      expect((failure as Error).message).toContain('npm run infra');
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    });
  }
});
