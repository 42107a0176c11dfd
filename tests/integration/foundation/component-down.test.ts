import { describe, expect, it } from 'vitest';
import { freePort } from '@portal/testing';
import { probe, urlVar, type ComponentName } from '@portal/deploy/local/components';

const urlFor: Record<ComponentName, (port: number) => string> = {
  postgres: (port) => `postgres://postgres:x@127.0.0.1:${port}/portal`,
  nats: (port) => `nats://127.0.0.1:${port}`,
  keycloak: (port) => `http://127.0.0.1:${port}`,
  s3: (port) => `http://127.0.0.1:${port}`,
  smtp: (port) => `http://127.0.0.1:${port}`,
  clamd: (port) => `tcp://127.0.0.1:${port}`,
};

describe('a stopped component fails fast with a clear message', () => {
  for (const component of Object.keys(urlFor) as ComponentName[]) {
    it(`${component}: names the component, its URL and how to start it`, async () => {
      // A free port is what a stopped component looks like to a client.
      const port = await freePort();
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
