import { defineConfig } from 'vitest/config';

const integrationSetup = './libs/testing/src/global-setup.ts';

// Three sizes of test: unit (fakes, no I/O), integration (real PostgreSQL, NATS, Keycloak, S3,
// SMTP), e2e (whole processes over HTTP), and browser (a person in headless Chromium on Keycloak's
// real pages and the gateway's). One global setup starts the real stack once per run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'libs/*/test/unit/**/*.test.ts',
            'services/*/test/unit/**/*.test.ts',
            'deploy/*/test/unit/**/*.test.ts',
            'web/test/unit/**/*.test.ts',
          ],
        },
      },
      {
        // The Helm chart: lint, render, validate against Kubernetes' schemas, helm-unittest (tools from the cache).
        test: {
          name: 'chart',
          include: ['tests/chart/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 30 * 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'libs/*/test/integration/**/*.test.ts',
            'services/*/test/integration/**/*.test.ts',
            'tests/integration/**/*.test.ts',
          ],
          globalSetup: [integrationSetup],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['./tests/browser/support/build-web.global.ts', integrationSetup],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: [integrationSetup],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
