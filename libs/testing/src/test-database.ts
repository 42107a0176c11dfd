import { serviceNames } from '@portal/contracts';
import { provisionServiceSchemas } from '@portal/deploy/local/postgres';

/** Suffix of the database the suites use beside the one a running system uses (`portal` → `portal_test`). */
export const testDatabaseSuffix = '_test';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Points every database URL of the stack at a database of the suites' own, with the same service
 * roles and schemas, so tests that reuse a developer's running stack never write into the data
 * `npm start` shows. Roles and passwords are taken from the given URLs; the admin URL must be a
 * superuser (the stack contract says it is).
 */
export async function isolateTestDatabase(env: Record<string, string>): Promise<Record<string, string>> {
  const adminUrl = env.PG_ADMIN_URL;
  if (!adminUrl) throw new Error('PG_ADMIN_URL is not set: cannot prepare the test database');
  const database = new URL(adminUrl).pathname.replace(/^\//, '') || 'postgres';
  if (database.endsWith(testDatabaseSuffix)) return env;
  const testDatabase = `${database}${testDatabaseSuffix}`;

  const services = serviceNames.flatMap((service) => {
    const url = env[`${service.toUpperCase()}_DATABASE_URL`];
    if (!url) return [];
    const parsed = new URL(url);
    return [{ name: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }];
  });
  await provisionServiceSchemas(withDatabase(adminUrl, testDatabase), services);

  const isolated: Record<string, string> = { ...env, PG_ADMIN_URL: withDatabase(adminUrl, testDatabase) };
  for (const service of serviceNames) {
    const key = `${service.toUpperCase()}_DATABASE_URL`;
    const url = env[key];
    if (url) isolated[key] = withDatabase(url, testDatabase);
  }
  return isolated;
}
