// `npm start`: the whole system on this machine. Starts (or reuses) the infrastructure, then the six
// services — each in its own process by default, or all in one with --all-in-one — waits until every
// health endpoint is ready, and prints the URLs and logins. Ctrl-C stops everything it started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { devCredentials, logsDir, ports, repoRoot } from './config.ts';
import { devCliClientId, devLogins } from './dev-logins.ts';
import { seedDemoData } from './demo-data.ts';
import { natsCredentialsEnvFor } from './nats-auth.ts';
import { startStack } from './stack.ts';
import { portalPublicPagePath, serviceNames } from '@portal/contracts';
import { webBuildMissing, webDistDir } from '@portal/web/assets';

const allInOne = process.argv.includes('--all-in-one');
const gatewayPort = Number(process.env.GATEWAY_PORT ?? ports.gateway);
const readyTimeoutMs = 120_000;
/** Where people open the web UIs; sign-in redirects, cookies and the same-origin check follow it. */
const publicUrl = process.env.PORTAL_PUBLIC_URL ?? `http://localhost:${gatewayPort}`;

// The gateway serves the built web UIs; build them once when they are missing.
if (webBuildMissing(webDistDir)) {
  console.log('building the web UIs (npm run build:web)…');
  const build = spawnSync('npm', ['run', 'build:web'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:web failed; see its output above');
}

interface ServiceProcess {
  name: string;
  healthPort: number;
  child: ChildProcess;
}

const processPlan = allInOne
  ? [{ name: 'all-in-one', healthPort: ports.healthBase }]
  : serviceNames.map((name, index) => ({ name, healthPort: ports.healthBase + 1 + index }));

const stack = await startStack({
  log: (line) => console.log(line),
  ...(process.argv.includes('--seed-external-keycloak') ? { seedExternalKeycloak: true } : {}),
});
// The dev seed goes only into a Keycloak the launcher started (or one it was explicitly told to seed).
const devSeeded = stack.components.find((component) => component.name === 'keycloak')?.devSeedApplied === true;
mkdirSync(logsDir, { recursive: true });

const running: ServiceProcess[] = processPlan.map(({ name, healthPort }) => {
  const log = createWriteStream(join(logsDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(repoRoot, 'services', name, 'src', 'main.ts')], {
    env: {
      ...process.env,
      ...stack.env,
      // Each process connects to NATS as itself (the all-in-one process has a user of its own).
      ...natsCredentialsEnvFor(stack.env, name),
      HEALTH_PORT: String(healthPort),
      HEALTH_HOST: '127.0.0.1',
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_HOST: '127.0.0.1',
      // Sign-in callbacks, cookies and the same-origin check of the web UIs name this origin.
      PORTAL_PUBLIC_URL: publicUrl,
      // The dev seed's password-grant client signs in the README's curl examples and the demo loader.
      GATEWAY_ALLOWED_CLIENTS: process.env.GATEWAY_ALLOWED_CLIENTS ?? `portal-gateway,${devCliClientId}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return { name, healthPort, child };
});

let stopping = false;
async function stopAll(exitCode: number): Promise<never> {
  if (stopping) process.exit(exitCode);
  stopping = true;
  console.log('\nstopping services…');
  await Promise.all(
    running.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await stack.stop();
  process.exit(exitCode);
}
process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

for (const service of running) {
  service.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${service.name} exited (${signal ?? code}); see .local/logs/${service.name}.log`);
    void stopAll(1);
  });
}

async function waitReady(service: ServiceProcess): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${service.healthPort}/readyz`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(
    `${service.name} not ready after ${readyTimeoutMs / 1000} s (${last}); see .local/logs/${service.name}.log`,
  );
}

/** Each process is ready on its own; the gateway sees the others once they announce themselves over NATS. */
async function waitForSystemStatus(): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${gatewayPort}/api/v1/status`, {
        signal: AbortSignal.timeout(3_000),
      });
      if (response.ok) return;
      last = await response.text();
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the gateway does not see every service after ${readyTimeoutMs / 1000} s: ${last}`);
}

try {
  await Promise.all(running.map(waitReady));
  await waitForSystemStatus();
} catch (error) {
  console.error((error as Error).message);
  await stopAll(1);
}

const env = stack.env;
let portalLogin: { email: string; password: string } | undefined;
try {
  const demo = await seedDemoData({
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    keycloakUrl: env.KEYCLOAK_URL ?? '',
  });
  console.log(
    demo.created
      ? `demo data: ${demo.accounts} accounts, ${demo.sites} sites, ${demo.projects} projects, ${demo.contacts} contacts, ${demo.documents} documents (and a document request to Greta) created`
      : `demo data: already present${demo.documents > 0 ? ` (${demo.documents} demo documents added)` : ''}`,
  );
  portalLogin = demo.portalLogin;
} catch (error) {
  console.error((error as Error).message);
  if (!devSeeded) {
    console.error(
      'The demo data is loaded as a seeded staff login, and this Keycloak was not seeded by this run: ' +
        'run `npm start -- --seed-external-keycloak` (or PORTAL_SEED_EXTERNAL_KEYCLOAK=1) if it is a throwaway one.',
    );
  }
  await stopAll(1);
}
const line = (label: string, value: string) => console.log(`  ${label.padEnd(28)} ${value}`);
console.log('\nCustomer Portal is running.\n');
console.log('URLs');
line('Admin web UI (staff)', `${publicUrl}/admin/`);
line('Portal web UI (contacts)', `${publicUrl}/portal/`);
line('API status', `http://127.0.0.1:${gatewayPort}/api/v1/status`);
line('OpenAPI document', `http://127.0.0.1:${gatewayPort}/api/v1/openapi.json`);
line('Staff API', `http://127.0.0.1:${gatewayPort}/api/v1/admin/accounts (Bearer token from realm staff)`);
line('Portal API', `http://127.0.0.1:${gatewayPort}/api/v1/portal/me (Bearer token from realm portal)`);
line('Portal login page', `${env.KEYCLOAK_URL}/realms/portal/account (Keycloak, themed)`);
line('Request access page', `${publicUrl}${portalPublicPagePath('requestAccess')}`);
line('Register with an invoice', `${publicUrl}${portalPublicPagePath('register')}`);
for (const service of running) line(`health: ${service.name}`, `http://127.0.0.1:${service.healthPort}/readyz`);
line('Keycloak admin console', `${env.KEYCLOAK_URL}/admin/`);
line('Mail inbox (captured mail)', env.MAIL_CATCHER_URL ?? '');
line('S3 endpoint', env.S3_ENDPOINT ?? '');
line('NATS', `${env.NATS_URL ?? ''} (user ${env.NATS_USER ?? '-'}; passwords in .local/nats-credentials.json)`);
line('PostgreSQL (superuser)', env.PG_ADMIN_URL ?? '');
console.log('\nLogins (local development only)');
line('Keycloak admin (master)', `${devCredentials.keycloakAdminUser} / ${devCredentials.keycloakAdminPassword}`);
if (!devSeeded)
  console.log('  (dev seed not applied by this run: the logins below work if that Keycloak already has it)');
for (const login of Object.values(devLogins)) {
  line(`${login.realm} realm: ${login.roles[0] ?? 'contact'}`, `${login.username} / ${login.password}`);
}
if (portalLogin) {
  line(
    'portal realm: demo contact',
    `${portalLogin.email} / ${portalLogin.password}  (access enabled through the staff API; a new password at every start)`,
  );
}
console.log(`\nService logs in .local/logs/. Press Ctrl-C to stop everything this command started.`);
