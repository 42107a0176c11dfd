import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { keycloakAdminClient } from '../adapters/keycloak-admin.adapter.ts';
import { portalRealms } from '../adapters/keycloak-realms.adapter.ts';
import { defaultProductName } from '@portal/config';
import { changedMessages, realmBrandingOf } from './realm-branding.rules.ts';
import { describeChange, missingByName, settingChanges, smtpServerOf } from './realm-diff.rules.ts';

export { realmBrandingOf } from './realm-branding.rules.ts';

type Json = Record<string, unknown>;
export type PortalRealm = (typeof portalRealms)[number];

/**
 * The realm files: deploy/keycloak/realms in the repository, copied to the same path in the
 * service image (docker/Dockerfile), so the launcher, `kc.sh --import-realm` and the identity
 * service read one set of files.
 */
export const defaultRealmsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../deploy/keycloak/realms');

/** The sender of invitations and resets unless IDENTITY_MAIL_FROM says otherwise (the launcher uses it too). */
export const defaultMailFrom = 'no-reply@customer-portal.localhost';

/** The theme the browser engineer ships (deploy/keycloak/themes/customer-portal); set only where the server has it. */
export const portalThemeName = 'customer-portal';

/** What code adds to the realm files: facts that come from configuration or that files cannot say safely. */
const codeSettings: Record<PortalRealm, { defaultRequiredActions: string[]; adminOnlyAttributes: string[] }> = {
  // Staff must set up TOTP: every new staff user gets CONFIGURE_TOTP (the dev seed clears it for its users).
  staff: { defaultRequiredActions: ['CONFIGURE_TOTP'], adminOnlyAttributes: [] },
  // Contacts: MFA per contact or account class, set by the identity service on the user.
  portal: { defaultRequiredActions: [], adminOnlyAttributes: ['contactId', 'accountId'] },
};

export interface RealmReconcileOptions {
  keycloakUrl: string;
  /** Master-realm administrator: realm settings, clients and roles need realm-admin rights. */
  admin: { username: string; password: string };
  realmsDir?: string;
  /** Values of the `${VAR}`/`${VAR:default}` placeholders in the realm files (client secrets, public URL). */
  vars: Record<string, string | undefined>;
  /** The SMTP relay realms send invitations and resets through; unset leaves the realms' SMTP alone. */
  smtp?: { url: string; from: string; fromDisplayName?: string };
  /** May a missing realm be created (else it is an error: the launcher decides about dev secrets). */
  createMissing?: boolean;
  /** `PORTAL_PRODUCT_NAME`: the realms' display names, the login page's title and the e-mails' wording. */
  productName?: string;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/** Replaces ${VAR} / ${VAR:default} placeholders (Keycloak's --import-realm syntax). */
export function substitutePlaceholders(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?::([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => {
    const value = vars[name] || fallback;
    if (value === undefined) throw new Error(`realm file placeholder ${whole} has no value (set ${name})`);
    return value;
  });
}

export function readRealmFile(
  realm: PortalRealm,
  vars: Record<string, string | undefined>,
  dir = defaultRealmsDir,
): Json {
  return JSON.parse(substitutePlaceholders(readFileSync(join(dir, `${realm}.realm.json`), 'utf8'), vars)) as Json;
}

/** Realm-level keys reconciled as settings; the rest of the file is handled item by item. */
const itemKeys = new Set(['realm', 'clients', 'users', 'roles', 'id']);

/**
 * Brings realms `staff` and `portal` to what the realm files plus code say, idempotently: a
 * missing realm is created from its file; then every named setting, client, mapper, role and
 * grant is compared and only differences are written, one returned line per change (none when all
 * is in place). Run by the identity service at every start and by the local launcher.
 */
export async function reconcileRealms(options: RealmReconcileOptions): Promise<string[]> {
  const lines: string[] = [];
  const note = (line: string) => {
    lines.push(line);
    options.log(line);
  };
  const login = { kind: 'master-admin', ...options.admin } as const;
  const master = keycloakAdminClient(options.keycloakUrl, 'master', login);
  const serverInfo = await master.serverInfo.find();
  const themes = {
    login: (serverInfo.themes?.['login'] ?? []).some((t) => t.name === portalThemeName),
    email: (serverInfo.themes?.['email'] ?? []).some((t) => t.name === portalThemeName),
  };
  for (const realm of portalRealms) {
    const file = readRealmFile(realm, options.vars, options.realmsDir);
    const kc = keycloakAdminClient(options.keycloakUrl, realm, login);
    const existing = await master.realms.findOne({ realm });
    if (!existing) {
      if (options.createMissing === false) throw new Error(`Keycloak has no realm ${realm}`);
      await master.realms.create(file);
      note(`realm ${realm}: created from ${realm}.realm.json`);
    }
    await reconcileRealmSettings(kc, realm, file, { ...options, themes }, note);
    await reconcileRealmMessages(kc, realm, options.productName ?? defaultProductName, note);
    await reconcileRoles(kc, realm, file, note);
    await reconcileRealmClients(kc, realm, file, note);
    await reconcileServiceAccountRoles(kc, realm, file, note);
    await reconcileRequiredActions(kc, realm, note);
    await reconcileUserProfile(kc, realm, note);
  }
  return lines;
}

/**
 * Brings clients that are not in the realm files (the dev seed's `portal-cli`) to their given
 * shape with the same comparison: created if missing, named settings and mappers reconciled.
 */
export async function reconcileClients(
  options: Pick<RealmReconcileOptions, 'keycloakUrl' | 'admin'>,
  realm: PortalRealm,
  clients: readonly Json[],
): Promise<string[]> {
  const lines: string[] = [];
  const kc = keycloakAdminClient(options.keycloakUrl, realm, { kind: 'master-admin', ...options.admin });
  await reconcileRealmClients(kc, realm, { clients }, (line) => lines.push(line));
  return lines;
}

async function reconcileRealmSettings(
  kc: KcAdminClient,
  realm: PortalRealm,
  file: Json,
  options: RealmReconcileOptions & { themes: { login: boolean; email: boolean } },
  note: (line: string) => void,
): Promise<void> {
  const current = ((await kc.realms.findOne({ realm })) ?? {}) as Json;
  const desired: Json = Object.fromEntries(Object.entries(file).filter(([key]) => !itemKeys.has(key)));
  const branding = realmBrandingOf(realm, options.productName ?? defaultProductName);
  desired['displayName'] = branding.displayName;
  desired['displayNameHtml'] = branding.displayNameHtml;
  if (options.themes.login) desired['loginTheme'] = portalThemeName;
  else
    options.warn(
      `realm ${realm}: login theme ${portalThemeName} is not installed on this Keycloak; the login page stays unbranded`,
    );
  if (options.themes.email) desired['emailTheme'] = portalThemeName;
  else
    options.warn(
      `realm ${realm}: e-mail theme ${portalThemeName} is not installed on this Keycloak; invitations use Keycloak's own`,
    );
  const changes = settingChanges(desired, current);

  const update: Json = Object.fromEntries(changes.map((change) => [change.key, desired[change.key]]));
  if (options.smtp) {
    const wanted = smtpServerOf(
      options.smtp.url,
      options.smtp.from,
      options.smtp.fromDisplayName ?? options.productName ?? defaultProductName,
    );
    // Keycloak never shows the stored SMTP password: compare everything else; a new password alone is not seen.
    const { password, ...comparable } = wanted;
    const smtpChanges = settingChanges(comparable, (current['smtpServer'] ?? {}) as Json, { prefix: 'smtpServer.' });
    if (smtpChanges.length > 0) {
      update['smtpServer'] = password === undefined ? wanted : { ...wanted, password };
      changes.push(...smtpChanges);
    }
  }
  if (Object.keys(update).length === 0) return;
  await kc.realms.update({ realm }, update);
  for (const change of changes) note(describeChange(`realm ${realm}`, change));
}

/** The realm's overrides of the e-mail subjects that carry the product name (`realmBrandingOf`). */
async function reconcileRealmMessages(
  kc: KcAdminClient,
  realm: PortalRealm,
  productName: string,
  note: (line: string) => void,
): Promise<void> {
  const { messages } = realmBrandingOf(realm, productName);
  const current = await kc.realms.getRealmLocalizationTexts({ realm, selectedLocale: 'en' });
  for (const key of changedMessages(messages, current)) {
    await kc.realms.addLocalization({ realm, selectedLocale: 'en', key }, messages[key] ?? '');
    note(
      `realm ${realm}: message ${key} ${JSON.stringify(current[key]) ?? 'unset'} → ${JSON.stringify(messages[key])}`,
    );
  }
}

async function reconcileRoles(kc: KcAdminClient, realm: PortalRealm, file: Json, note: (line: string) => void) {
  const desired = ((file['roles'] as Json | undefined)?.['realm'] ?? []) as Json[];
  if (desired.length === 0) return;
  const current = (await kc.roles.find()) as Json[];
  for (const role of missingByName(desired, current, 'name')) {
    await kc.roles.create(role);
    note(`realm ${realm}: role ${String(role['name'])} created`);
  }
}

const clientItemKeys = new Set(['secret', 'protocolMappers']);

async function reconcileRealmClients(kc: KcAdminClient, realm: PortalRealm, file: Json, note: (line: string) => void) {
  for (const desired of (file['clients'] ?? []) as Json[]) {
    const clientId = String(desired['clientId']);
    const scope = `realm ${realm} client ${clientId}`;
    let [current] = (await kc.clients.find({ clientId })) as Json[];
    if (!current) {
      await kc.clients.create(desired);
      note(`${scope}: created`);
      continue;
    }
    const id = String(current['id']);
    const settings = Object.fromEntries(Object.entries(desired).filter(([key]) => !clientItemKeys.has(key)));
    const changes = settingChanges(settings, current);
    if (changes.length > 0) {
      const merged: Json = { ...current };
      for (const change of changes) {
        merged[change.key] =
          change.key === 'attributes'
            ? { ...(current['attributes'] as Json), ...(desired['attributes'] as Json) }
            : desired[change.key];
      }
      await kc.clients.update({ id }, merged);
      for (const change of changes) note(describeChange(scope, change));
      current = merged;
    }
    if (typeof desired['secret'] === 'string' && desired['publicClient'] !== true) {
      const stored = await kc.clients.getClientSecret({ id });
      if (stored.value !== desired['secret']) {
        await kc.clients.update({ id }, { ...current, secret: desired['secret'] });
        note(describeChange(scope, { key: 'secret', from: undefined, to: undefined, secret: true }));
      }
    }
    const mappers = (await kc.clients.listProtocolMappers({ id })) as Json[];
    for (const mapper of (desired['protocolMappers'] ?? []) as Json[]) {
      const existing = mappers.find((m) => m['name'] === mapper['name']);
      if (!existing) {
        await kc.clients.addProtocolMapper({ id }, mapper);
        note(`${scope}: mapper "${String(mapper['name'])}" added`);
        continue;
      }
      const mapperChanges = settingChanges(mapper, existing);
      if (mapperChanges.length === 0) continue;
      await kc.clients.updateProtocolMapper(
        { id, mapperId: String(existing['id']) },
        { ...existing, ...mapper, config: { ...(existing['config'] as Json), ...(mapper['config'] as Json) } },
      );
      for (const change of mapperChanges) note(describeChange(`${scope} mapper "${String(mapper['name'])}"`, change));
    }
  }
}

/** The service-account grants named in the file's `users` (`serviceAccountClientId` + `clientRoles`). */
async function reconcileServiceAccountRoles(
  kc: KcAdminClient,
  realm: PortalRealm,
  file: Json,
  note: (line: string) => void,
) {
  for (const user of (file['users'] ?? []) as Json[]) {
    const clientId = user['serviceAccountClientId'];
    if (typeof clientId !== 'string') continue;
    const [client] = await kc.clients.find({ clientId });
    if (!client?.id) continue;
    const account = await kc.clients.getServiceAccountUser({ id: client.id });
    for (const [roleClientId, roleNames] of Object.entries((user['clientRoles'] ?? {}) as Record<string, string[]>)) {
      const [roleClient] = await kc.clients.find({ clientId: roleClientId });
      if (!roleClient?.id || !account.id) continue;
      const held = await kc.users.listClientRoleMappings({ id: account.id, clientUniqueId: roleClient.id });
      const missing = roleNames.filter((name) => !held.some((role) => role.name === name));
      if (missing.length === 0) continue;
      const available = await kc.clients.listRoles({ id: roleClient.id });
      const roles = available
        .filter((role) => missing.includes(role.name ?? ''))
        .map((role) => ({ id: role.id ?? '', name: role.name ?? '' }));
      await kc.users.addClientRoleMappings({ id: account.id, clientUniqueId: roleClient.id, roles });
      for (const name of missing)
        note(`realm ${realm} client ${clientId}: service account granted ${roleClientId}/${name}`);
    }
  }
}

async function reconcileRequiredActions(kc: KcAdminClient, realm: PortalRealm, note: (line: string) => void) {
  const wantedDefaults = codeSettings[realm].defaultRequiredActions;
  const actions = await kc.authenticationManagement.getRequiredActions();
  for (const action of actions) {
    const alias = action.alias ?? '';
    // Only actions the portal names are touched: CONFIGURE_TOTP is a default for staff, never for contacts.
    if (alias !== 'CONFIGURE_TOTP') continue;
    const shouldDefault = wantedDefaults.includes(alias);
    if (action.enabled === true && action.defaultAction === shouldDefault) continue;
    await kc.authenticationManagement.updateRequiredAction(
      { alias },
      { ...action, enabled: true, defaultAction: shouldDefault },
    );
    note(`realm ${realm}: required action ${alias} enabled=true defaultAction=${shouldDefault}`);
  }
}

/** Keycloak keeps only attributes its user profile declares: the contact and account links, admin-only. */
async function reconcileUserProfile(kc: KcAdminClient, realm: PortalRealm, note: (line: string) => void) {
  const wanted = codeSettings[realm].adminOnlyAttributes;
  if (wanted.length === 0) return;
  const profile = await kc.users.getProfile();
  const attributes = profile.attributes ?? [];
  const missing = wanted.filter((name) => !attributes.some((a) => a.name === name));
  if (missing.length === 0) return;
  await kc.users.updateProfile({
    ...profile,
    attributes: [
      ...attributes,
      ...missing.map((name) => ({
        name,
        displayName: name,
        multivalued: false,
        permissions: { view: ['admin'], edit: ['admin'] },
      })),
    ],
  });
  for (const name of missing) note(`realm ${realm}: user profile attribute ${name} added (admin only)`);
}

/** The longest access token the realm files allow (revocation entries must outlive it). */
export function longestAccessTokenSeconds(dir = defaultRealmsDir): number {
  const vars = new Proxy({}, { get: () => 'placeholder' }) as Record<string, string>;
  return Math.max(
    ...portalRealms.map((realm) => {
      const file = readRealmFile(realm, vars, dir);
      return Math.max(
        Number(file['accessTokenLifespan'] ?? 300),
        Number(file['accessTokenLifespanForImplicitFlow'] ?? 0),
      );
    }),
  );
}
