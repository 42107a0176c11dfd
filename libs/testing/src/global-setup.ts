import type { TestProject } from 'vitest/node';
import { devLoginToken } from '@portal/deploy/local/dev-logins';
import { dockerEngineAnswers, startDockerStack } from './docker-stack.ts';
import { isolateTestDatabase } from './test-database.ts';

/** What the integration and e2e suites need; if all are already in the environment, they are reused. */
export const requiredStackVars = [
  'PG_ADMIN_URL',
  'NATS_URL',
  // The bus is closed: a stack given in the environment names the client's NATS user too.
  'NATS_USER',
  'NATS_PASSWORD',
  'KEYCLOAK_URL',
  'S3_ENDPOINT',
  'SMTP_URL',
  'MAIL_CATCHER_URL',
  'CLAMD_URL',
] as const;

export type StackSource = 'env' | 'docker' | 'native';

/** Where the stack comes from: URLs given in env > a Docker engine (testcontainers) > the native launcher. */
export function chooseStackSource(input: { envComplete: boolean; dockerAnswers: boolean }): StackSource {
  if (input.envComplete) return 'env';
  if (input.dockerAnswers) return 'docker';
  return 'native';
}

/**
 * Vitest global setup: runs once per test run (not per file), so Keycloak and the rest start once.
 * Uses the stack given in the environment if complete; otherwise, when a Docker engine answers
 * `docker info`, starts the stack with testcontainers (docker-stack.ts; NOT exercised on the
 * project's machines, which have no engine; PORTAL_TEST_DOCKER=off skips it); otherwise the native
 * launcher in deploy/local, which itself reuses components already running from `npm run infra`.
 * Whatever the source, the suites get a database of their own (`portal_test`), never the data of a
 * system the developer is running.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const log = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const envComplete = requiredStackVars.every((name) => given[name]);
  // Only ask Docker when the environment does not already name the stack.
  const source = chooseStackSource({ envComplete, dockerAnswers: !envComplete && (await dockerEngineAnswers()) });

  if (source === 'env') {
    log('[testing] stack: using the URLs given in the environment');
    project.provide('stackEnv', await isolateTestDatabase(given));
    return async () => {};
  }
  if (source === 'docker') {
    log(
      '[testing] stack: a Docker engine answers: starting it with testcontainers (set PORTAL_TEST_DOCKER=off for the native launcher)',
    );
    const stack = await startDockerStack(log);
    project.provide('stackEnv', await isolateTestDatabase({ ...given, ...stack.env }));
    return async () => {
      await stack.stop();
    };
  }
  log('[testing] stack: no Docker engine (or PORTAL_TEST_DOCKER=off): native launcher (deploy/local)');
  const { startStack } = await import('@portal/deploy/local/stack');
  // No seedExternalKeycloak here: the suites never put test users into a Keycloak the launcher did
  // not start unless PORTAL_SEED_EXTERNAL_KEYCLOAK=1 says so; they check that the seed is there instead.
  const stack = await startStack({ log });
  if (!stack.components.find((component) => component.name === 'keycloak')?.devSeedApplied) {
    await requireDevSeed(stack.env['KEYCLOAK_URL'] ?? '').catch(async (error: unknown) => {
      await stack.stop();
      throw error;
    });
  }
  project.provide('stackEnv', await isolateTestDatabase({ ...given, ...stack.env }));
  return async () => {
    await stack.stop();
  };
}

/** The suites log in as the dev seed's users: fail at once, and say how, when that Keycloak lacks them. */
async function requireDevSeed(keycloakUrl: string): Promise<void> {
  const { status } = await devLoginToken(keycloakUrl, 'staffAdmin');
  if (status !== 200) {
    throw new Error(
      `[testing] the Keycloak at ${keycloakUrl} was not started by the launcher and has no dev seed ` +
        `(password grant of a seeded staff login: HTTP ${status}). If it is a throwaway Keycloak, ` +
        'run again with PORTAL_SEED_EXTERNAL_KEYCLOAK=1; otherwise stop it or point the tests at their own stack.',
    );
  }
}
