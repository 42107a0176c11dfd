// Fixed facts of the local stack: paths, ports, versions we install, dev credentials.
// Everything here is for LOCAL DEVELOPMENT ONLY. The passwords are deterministic on purpose
// (tests and humans can log in without reading files); never reuse them anywhere else.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ComponentName = 'postgres' | 'nats' | 'keycloak' | 's3' | 'smtp' | 'clamd';
/** Every component, in the order readiness lines and env are listed. */
export const componentNames: readonly ComponentName[] = ['postgres', 'nats', 'keycloak', 's3', 'smtp', 'clamd'];

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (…/deploy/local/../..). */
export const repoRoot = resolve(here, '..', '..');
export const deployDir = resolve(here, '..');
export const localDir = join(repoRoot, '.local');
export const logsDir = join(localDir, 'logs');
export const stackFile = join(localDir, 'stack.json');
export const lockFile = join(localDir, 'stack.lock');

export function cacheDir(): string {
  const explicit = process.env['PORTAL_CACHE_DIR'];
  if (explicit && explicit.trim() !== '') return resolve(explicit);
  const xdg = process.env['XDG_CACHE_HOME'];
  const base = xdg && xdg.trim() !== '' ? xdg : join(homedir(), '.cache');
  return join(base, 'customer-portal');
}

/**
 * `PORTAL_PORT_OFFSET` shifts every port, so a second checkout (a CI check in a temporary clone,
 * say) can run its own stack beside one already running.
 */
const portOffset = Number(process.env['PORTAL_PORT_OFFSET'] ?? 0);
if (!Number.isInteger(portOffset) || portOffset < 0 || portOffset > 5000) {
  throw new Error(
    `PORTAL_PORT_OFFSET must be a whole number from 0 to 5000, got "${process.env['PORTAL_PORT_OFFSET']}"`,
  );
}

export const ports = {
  postgres: 55432 + portOffset,
  natsClient: 54222 + portOffset,
  natsMonitor: 58222 + portOffset,
  keycloakHttp: 58080 + portOffset,
  keycloakManagement: 58090 + portOffset,
  s3: 59000 + portOffset,
  smtp: 51025 + portOffset,
  mailHttp: 51080 + portOffset,
  /** clamd's usual 3310 in the same 5xxxx range as the others. */
  clamd: 53310 + portOffset,
  /** `npm start`: the gateway's REST API and the processes' health endpoints (all-in-one, then one per service). */
  gateway: 8080 + portOffset,
  healthBase: 9100 + portOffset,
} as const;

export const host = '127.0.0.1';

/** What we install when something is missing. Running versions are always read from the process. */
export const pins = {
  natsModule: 'github.com/nats-io/nats-server/v2@v2.15.2',
  versitygwModule: 'github.com/versity/versitygw/cmd/versitygw@v1.7.0',
  helmModule: 'helm.sh/helm/v3/cmd/helm@v3.22.0',
  helmUnittestModule: 'github.com/helm-unittest/helm-unittest@v1.1.2',
  // v5 needs Go 1.26.10; v2.40 builds with the Go these machines have.
  dockerComposeModule: 'github.com/docker/compose/v2@v2.40.3',
  keycloak: '26.7.3',
  mavenDependencyPlugin: '3.8.1',
  minJava: 21,
} as const;

/** Local-only dev credentials (documented in deploy/README.md). */
export const devCredentials = {
  pgSuperuser: 'postgres',
  pgSuperuserPassword: 'postgres-local-dev',
  pgDatabase: 'portal',
  keycloakDbUser: 'keycloak',
  keycloakDbPassword: 'keycloak-local-dev',
  keycloakDatabase: 'keycloak',
  keycloakAdminUser: 'admin',
  keycloakAdminPassword: 'admin-local-dev',
  gatewayClientSecret: 'portal-gateway-local-dev-secret',
  identityClientSecret: 'portal-identity-local-dev-secret',
  /** Key of the gateway's sealed web-session tokens (≥ 32 characters); GATEWAY_SESSION_SECRET overrides it. */
  gatewaySessionSecret: 'portal-gateway-local-dev-session-secret-not-for-production',
  /** Key of the notifications' unsubscribe links (≥ 32 characters); NOTIFICATIONS_UNSUBSCRIBE_SECRET overrides it. */
  notificationsUnsubscribeSecret: 'portal-notifications-local-dev-unsubscribe-secret-not-for-production',
  s3AccessKey: 'portal-local',
  s3SecretKey: 'portal-local-dev-secret',
  s3Region: 'us-east-1',
} as const;

export function servicePassword(service: string): string {
  return `${service}-local-dev`;
}
