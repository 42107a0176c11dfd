import type { TestProject } from 'vitest/node';

/** What the integration and e2e suites need; if all are already in the environment, they are reused. */
export const requiredStackVars = [
  'PG_ADMIN_URL',
  'NATS_URL',
  'KEYCLOAK_URL',
  'S3_ENDPOINT',
  'SMTP_URL',
  'MAIL_CATCHER_URL',
] as const;

/**
 * Vitest global setup: runs once per test run (not per file), so Keycloak and the rest start once.
 * Uses the stack given in the environment if complete, otherwise the native launcher in
 * deploy/local, which itself reuses components already running from `npm run infra`.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  if (requiredStackVars.every((name) => given[name])) {
    process.stdout.write('[testing] using the stack given in the environment\n');
    project.provide('stackEnv', given);
    return async () => {};
  }
  const { startStack } = await import('../../../deploy/local/stack.ts');
  const stack = await startStack({ log: (line) => process.stdout.write(`${line}\n`) });
  project.provide('stackEnv', { ...given, ...stack.env });
  return async () => {
    await stack.stop();
  };
}
