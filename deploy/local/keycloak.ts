// Keycloak: run the optimized dist from the cache with a per-project home in .local/keycloak,
// then apply realms (and optionally the dev seed) through the admin REST API.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { deployDir, devCredentials, host, localDir, ports } from './config.ts';
import { devLogins } from './dev-logins.ts';
import type { DevLogin } from './dev-logins.ts';
import { keycloakAdminToken } from './components.ts';
import { InfraError } from './proc.ts';
import { defaultMailFrom, reconcileClients, reconcileRealms } from '@portal/identity/realms';

export const keycloakLocalDir = join(localDir, 'keycloak');

/** Our Keycloak themes (login and e-mail), one folder per theme: `customer-portal`. */
export const projectThemesDir = join(deployDir, 'keycloak', 'themes');
export const portalThemeName = 'customer-portal';

/**
 * Keycloak derives its data dir from kc.home.dir (<home>/data). To keep the cached dist read-only at
 * run time, each project gets its own home: a copy of bin/kc.sh (so kc.sh resolves the home to
 * .local/keycloak/home) and symlinks to the cached lib/, conf/, providers/; data/ is real. themes/
 * is real too: it links each entry of the dist's themes/ and each theme of deploy/keycloak/themes,
 * so Keycloak serves our theme straight from the checkout (edits show at once: see keycloakStartArgs).
 */
export function prepareKeycloakHome(distHome: string): string {
  const home = join(keycloakLocalDir, 'home');
  mkdirSync(join(home, 'bin'), { recursive: true });
  mkdirSync(join(home, 'data'), { recursive: true });
  for (const entry of ['lib', 'conf', 'providers', 'version.txt']) linkTo(join(home, entry), join(distHome, entry));
  const themes = join(home, 'themes');
  // Earlier checkouts linked the whole folder to the dist's read-only themes/.
  if (existsSync(themes) && lstatSync(themes).isSymbolicLink()) rmSync(themes);
  mkdirSync(themes, { recursive: true });
  const wanted = new Map<string, string>();
  for (const entry of readdirSync(join(distHome, 'themes'))) wanted.set(entry, join(distHome, 'themes', entry));
  for (const theme of readdirSync(projectThemesDir)) wanted.set(theme, join(projectThemesDir, theme));
  for (const entry of readdirSync(themes)) if (!wanted.has(entry)) rmSync(join(themes, entry), { force: true });
  for (const [entry, target] of wanted) linkTo(join(themes, entry), target);
  for (const script of ['kc.sh']) copyFileSync(join(distHome, 'bin', script), join(home, 'bin', script));
  return home;
}

/** Makes `link` a symlink to `target`, replacing whatever is there unless it already is one. */
function linkTo(link: string, target: string): void {
  let current: string | undefined;
  try {
    if (lstatSync(link).isSymbolicLink()) current = readlinkSync(link);
    else rmSync(link, { recursive: true, force: true });
  } catch {
    /* missing */
  }
  if (current !== target) {
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}

export function keycloakStartArgs(pgHost: string = host, pgPort: number = ports.postgres): string[] {
  return [
    'start',
    '--optimized',
    '--http-enabled=true',
    `--http-host=${host}`,
    `--http-port=${ports.keycloakHttp}`,
    `--http-management-port=${ports.keycloakManagement}`,
    '--hostname-strict=false',
    '--cache=local',
    `--db-url=jdbc:postgresql://${pgHost}:${pgPort}/${devCredentials.keycloakDatabase}`,
    `--db-username=${devCredentials.keycloakDbUser}`,
    `--db-password=${devCredentials.keycloakDbPassword}`,
    '--log-console-color=false',
    // A local Keycloak is for development and tests: templates, messages and styles of
    // deploy/keycloak/themes are read again on each request, so an edit shows without a restart.
    '--spi-theme--cache-themes=false',
    '--spi-theme--cache-templates=false',
    '--spi-theme--static-max-age=-1',
  ];
}

/**
 * The branding variables Keycloak's own process reads: the customer-portal theme's properties take
 * the colour and logo from them (`${env.PORTAL_PRIMARY_COLOR:#1f4e79}`; Keycloak 26 substitutes
 * `${env.NAME:default}` in theme.properties). The product name reaches Keycloak through the realms
 * (identity's reconciliation), but is passed too, so every process of the stack sees one setting.
 */
export const keycloakBrandingVars = ['PORTAL_PRODUCT_NAME', 'PORTAL_PRIMARY_COLOR', 'PORTAL_LOGO_URL'] as const;

export function keycloakEnv(
  javaHome: string,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const branding = Object.fromEntries(
    keycloakBrandingVars.flatMap((name) => (env[name] ? [[name, env[name]] as const] : [])),
  );
  return {
    JAVA_HOME: javaHome,
    KC_BOOTSTRAP_ADMIN_USERNAME: devCredentials.keycloakAdminUser,
    KC_BOOTSTRAP_ADMIN_PASSWORD: devCredentials.keycloakAdminPassword,
    JAVA_OPTS_KC_HEAP: '-Xms64m -Xmx512m',
    ...branding,
  };
}

export const keycloakUrl = `http://${host}:${ports.keycloakHttp}`;
export const keycloakHealthUrl = `http://${host}:${ports.keycloakManagement}/health/ready`;

// ---------------------------------------------------------------- realms

type Json = Record<string, unknown>;

const seedDir = join(deployDir, 'keycloak', 'dev-seed');

export function realmSecrets(env: Record<string, string | undefined> = process.env): Record<string, string> {
  return {
    KEYCLOAK_GATEWAY_CLIENT_SECRET: env['KEYCLOAK_GATEWAY_CLIENT_SECRET'] || devCredentials.gatewayClientSecret,
    KEYCLOAK_IDENTITY_CLIENT_SECRET: env['KEYCLOAK_IDENTITY_CLIENT_SECRET'] || devCredentials.identityClientSecret,
  };
}

/** The client-secret variables not set in `env` (their realms would get the dev defaults). */
function missingClientSecrets(env: Record<string, string | undefined> = process.env): string[] {
  return ['KEYCLOAK_GATEWAY_CLIENT_SECRET', 'KEYCLOAK_IDENTITY_CLIENT_SECRET'].filter((name) => !env[name]);
}

class Admin {
  private token = '';
  private tokenAt = 0;
  private readonly base: string;
  private readonly user: string;
  private readonly password: string;
  constructor(base: string, user: string, password: string) {
    this.base = base;
    this.user = user;
    this.password = password;
  }
  async call(method: string, path: string, body?: unknown): Promise<Response> {
    // admin-cli tokens live 60 s by default: re-login well before expiry.
    if (!this.token || Date.now() - this.tokenAt > 30_000) {
      this.token = await keycloakAdminToken(this.base, this.user, this.password, 10_000);
      this.tokenAt = Date.now();
    }
    return fetch(`${this.base}/admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
  }
  async ok(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await this.call(method, path, body);
    if (!res.ok)
      throw new InfraError(
        `Keycloak admin ${method} ${path} failed: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`,
      );
    return res;
  }
}

// ---------------------------------------------------------------- whose Keycloak, and the dev seed

/**
 * How the launcher came by a Keycloak: it `started` it, or found one a launcher of this checkout
 * started earlier (`recorded` in .local/stack.json, pid and command line checked), or it was given
 * one (`external`: KEYCLOAK_URL) or found one listening on its port that it has no record of
 * (`adopted`). Only the first two are ours.
 */
export type KeycloakOrigin = 'started' | 'recorded' | 'external' | 'adopted';

export const seedExternalKeycloakFlag = '--seed-external-keycloak';
export const seedExternalKeycloakVar = 'PORTAL_SEED_EXTERNAL_KEYCLOAK';

/** `PORTAL_SEED_EXTERNAL_KEYCLOAK=1` (or `true`): the explicit request to seed a Keycloak we did not start. */
export function seedExternalKeycloakRequested(env: Record<string, string | undefined> = process.env): boolean {
  return ['1', 'true'].includes((env[seedExternalKeycloakVar] ?? '').trim().toLowerCase());
}

export interface DevSeedDecision {
  apply: boolean;
  /** Realms may be created with the published dev client secrets (when no secret is given in env). */
  allowDevSecrets: boolean;
  /** The one line the launcher prints about it. */
  line: string;
}

/**
 * Whether to apply deploy/keycloak/dev-seed (test users with published passwords, the public
 * `portal-cli` client with direct password grants) to this Keycloak. Never to one the launcher
 * did not start, unless asked explicitly: an operator's Keycloak must not grow test logins.
 */
export function devSeedDecision(input: {
  /** The run wants the seed at all (false with --no-seed). */
  wanted: boolean;
  origin: KeycloakOrigin;
  /** --seed-external-keycloak / PORTAL_SEED_EXTERNAL_KEYCLOAK=1. */
  seedExternal: boolean;
  url: string;
  port?: number;
}): DevSeedDecision {
  const ours = input.origin === 'started' || input.origin === 'recorded';
  const allowDevSecrets = ours || input.seedExternal;
  const why =
    input.origin === 'external'
      ? 'given by KEYCLOAK_URL'
      : `found listening on port ${input.port ?? '?'} with no record in .local/stack.json`;
  if (!input.wanted) {
    return {
      apply: false,
      allowDevSecrets,
      line: `[infra] keycloak dev seed: not applied to ${input.url} (--no-seed)`,
    };
  }
  if (ours) {
    return {
      apply: true,
      allowDevSecrets,
      line:
        input.origin === 'started'
          ? `[infra] keycloak dev seed: applied to ${input.url}, a Keycloak this launcher started (test users, client portal-cli)`
          : `[infra] keycloak dev seed: applied to ${input.url}, a Keycloak this checkout's launcher started (recorded in .local/stack.json)`,
    };
  }
  if (input.seedExternal) {
    return {
      apply: true,
      allowDevSecrets,
      line: `[infra] keycloak dev seed: applied to ${input.url}, a Keycloak this launcher did not start (${why}), as ${seedExternalKeycloakFlag} / ${seedExternalKeycloakVar}=1 asked`,
    };
  }
  return {
    apply: false,
    allowDevSecrets,
    line: `[infra] keycloak dev seed: NOT applied to ${input.url}: this launcher did not start it (${why}); pass ${seedExternalKeycloakFlag} or set ${seedExternalKeycloakVar}=1 to add the test users and the portal-cli client`,
  };
}

export interface ApplyRealmsOptions {
  baseUrl: string;
  adminUser: string;
  adminPassword: string;
  devSeed: boolean;
  /**
   * A missing realm may be created with the published dev client secrets when
   * KEYCLOAK_GATEWAY_CLIENT_SECRET / KEYCLOAK_IDENTITY_CLIENT_SECRET are not set. Only for a
   * Keycloak the launcher started (or when the dev seed is explicitly wanted there).
   */
  allowDevSecrets: boolean;
  /** SMTP server the realms should send mail through (dev seed only). */
  smtp?: { host: string; port: number };
  env?: Record<string, string | undefined>;
}

/**
 * Brings the realms to what deploy/keycloak/realms plus the identity service's code say, with the
 * identity service's own reconciliation (`@portal/identity/realms`: the same code runs at every
 * identity start), then — with devSeed — partial-imports deploy/keycloak/dev-seed/<realm>.seed.json
 * with ifResourceExists=SKIP, adding the passwords from dev-logins.ts. Returns a summary per realm.
 */
export async function applyRealms(opts: ApplyRealmsOptions): Promise<string[]> {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const admin = new Admin(baseUrl, opts.adminUser, opts.adminPassword);
  const secrets = realmSecrets(opts.env);
  const summary: string[] = [];
  const missingRealms: string[] = [];
  for (const realmName of ['staff', 'portal'] as const) {
    const existing = await admin.call('GET', `/realms/${realmName}`);
    await existing.body?.cancel();
    if (existing.status === 404) missingRealms.push(realmName);
    else if (!existing.ok)
      throw new InfraError(`Keycloak admin GET /realms/${realmName} failed: HTTP ${existing.status}`);
  }
  const defaulted = missingClientSecrets(opts.env);
  if (missingRealms.length > 0 && defaulted.length > 0 && !opts.allowDevSecrets) {
    throw new InfraError(
      `keycloak: realm ${missingRealms.join(' and ')} does not exist at ${opts.baseUrl}, and creating it now would give its clients the ` +
        `published dev secrets. Set ${defaulted.join(' and ')} (or pass ${seedExternalKeycloakFlag} if this is a throwaway Keycloak).`,
    );
  }
  const changes = await reconcileRealms({
    keycloakUrl: baseUrl,
    admin: { username: opts.adminUser, password: opts.adminPassword },
    vars: { ...secrets, PORTAL_PUBLIC_URL: opts.env?.['PORTAL_PUBLIC_URL'] },
    ...(opts.smtp ? { smtp: { url: `smtp://${opts.smtp.host}:${opts.smtp.port}`, from: defaultMailFrom } } : {}),
    ...(opts.env?.['PORTAL_PRODUCT_NAME']?.trim() ? { productName: opts.env['PORTAL_PRODUCT_NAME'].trim() } : {}),
    log: () => undefined,
    warn: () => undefined,
  });
  for (const realmName of ['staff', 'portal'] as const) {
    const own = changes.filter((line) => line.startsWith(`realm ${realmName}`)).length;
    summary.push(
      `${realmName}: ${missingRealms.includes(realmName) ? 'created' : 'exists'}, ${own} setting(s) reconciled`,
    );
  }
  for (const realmName of ['staff', 'portal'] as const) {
    if (!opts.devSeed) continue;

    const seedFile = join(seedDir, `${realmName}.seed.json`);
    if (!existsSync(seedFile)) continue;
    const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as { clients?: Json[]; users?: Json[] };
    const logins = (Object.values(devLogins) as DevLogin[]).filter((l) => l.realm === realmName);
    const users = (seed.users ?? []).map((u) => {
      const login = logins.find((l) => l.username === u['username']);
      if (!login)
        throw new InfraError(`${seedFile}: user ${String(u['username'])} has no entry in deploy/local/dev-logins.ts`);
      return { ...u, credentials: [{ type: 'password', value: login.password, temporary: false }] };
    });
    const res = await admin.ok('POST', `/realms/${realmName}/partialImport`, {
      ifResourceExists: 'SKIP',
      clients: seed.clients ?? [],
      users,
    });
    const result = (await res.json()) as { added?: number; skipped?: number };
    // SKIP leaves an existing seed client as it was: bring its settings and mappers (audiences) in line.
    const clientChanges = await reconcileClients(
      { keycloakUrl: baseUrl, admin: { username: opts.adminUser, password: opts.adminPassword } },
      realmName,
      seed.clients ?? [],
    );
    summary.push(
      `${realmName} dev seed: ${result.added ?? 0} added, ${result.skipped ?? 0} skipped, ${clientChanges.length} client setting(s) reconciled`,
    );
    if (realmName === 'staff') {
      // Staff must set up TOTP (a default required action of the realm); the seeded logins are for
      // tests and demos, so the seed takes it off them, and says so.
      for (const login of logins) {
        const found = await admin.ok(
          'GET',
          `/realms/staff/users?exact=true&username=${encodeURIComponent(login.username)}`,
        );
        const [user] = (await found.json()) as { id: string; requiredActions?: string[] }[];
        if (!user?.requiredActions?.includes('CONFIGURE_TOTP')) continue;
        await admin.ok('PUT', `/realms/staff/users/${user.id}`, {
          requiredActions: user.requiredActions.filter((action) => action !== 'CONFIGURE_TOTP'),
        });
      }
      summary.push(
        'staff dev seed: TOTP NOT required for the seeded staff logins (every other staff user must set up TOTP)',
      );
    }
  }
  return summary;
}
