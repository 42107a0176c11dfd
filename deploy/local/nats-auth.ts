// NATS authentication of the local stack: one user per service (as in the Helm chart), one for a
// process that runs every service (all-in-one) and one for tools and tests. The passwords are
// generated once into .local/nats-credentials.json (mode 600) and the server's config file is
// written from them at every start, so a wiped .local gets new passwords and a new config together.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNames } from '@portal/contracts';
import { localDir } from './config.ts';

/** Who connects to the bus. Each name is also the NATS user. */
export const natsIdentities = [...serviceNames, 'all-in-one', 'tools'] as const;
export type NatsIdentity = (typeof natsIdentities)[number];

/** The identity whose credentials go into the stack's NATS_USER/NATS_PASSWORD: tests, demo data, scripts. */
export const toolsIdentity: NatsIdentity = 'tools';

export const natsCredentialsFile = join(localDir, 'nats-credentials.json');
export const natsConfigFile = join(localDir, 'nats.conf');

/** `directory` → `DIRECTORY_NATS_PASSWORD`, `all-in-one` → `ALL_IN_ONE_NATS_PASSWORD`: how the stack's env names each password. */
export function natsPasswordKey(identity: string): string {
  return `${identity.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
}

/** The generated passwords, creating the missing ones (a new service gets one on the next start). */
export function natsPasswords(): Record<NatsIdentity, string> {
  const stored = existsSync(natsCredentialsFile)
    ? (JSON.parse(readFileSync(natsCredentialsFile, 'utf8')) as Partial<Record<NatsIdentity, string>>)
    : {};
  const missing = natsIdentities.filter((identity) => !stored[identity]);
  const all = { ...stored } as Record<NatsIdentity, string>;
  for (const identity of missing) all[identity] = randomBytes(24).toString('base64url');
  if (missing.length > 0) {
    writeFileSync(natsCredentialsFile, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    chmodSync(natsCredentialsFile, 0o600);
  }
  return all;
}

/** What the stack hands to its clients: the tools user as NATS_USER/NATS_PASSWORD, and every identity's password by name. */
export function natsStackEnv(passwords: Record<NatsIdentity, string>): Record<string, string> {
  return {
    NATS_USER: toolsIdentity,
    NATS_PASSWORD: passwords[toolsIdentity],
    ...Object.fromEntries(natsIdentities.map((identity) => [natsPasswordKey(identity), passwords[identity]])),
  };
}

/**
 * The NATS_USER/NATS_PASSWORD a process of `identity` gets from a stack's env: its own user when
 * the stack names its password, else the stack's NATS_USER (an external stack may have one user).
 */
export function natsCredentialsEnvFor(
  stack: Readonly<Record<string, string | undefined>>,
  identity: string,
): Record<string, string> {
  const own = stack[natsPasswordKey(identity)];
  if (own) return { NATS_USER: identity, NATS_PASSWORD: own };
  const user = stack['NATS_USER'];
  const password = stack['NATS_PASSWORD'];
  return user && password ? { NATS_USER: user, NATS_PASSWORD: password } : {};
}

/**
 * nats-server's config file: the users (listen address, monitoring and the JetStream store stay
 * on the command line, which the launcher also uses to recognise its process). Written with mode 600.
 */
export function writeNatsConfig(passwords: Record<NatsIdentity, string>): string {
  const users = natsIdentities
    .map((identity) => `    { user: ${JSON.stringify(identity)}, password: ${JSON.stringify(passwords[identity])} }`)
    .join(',\n');
  const config = [
    '# Written by deploy/local/nats-auth.ts at every start of the local NATS; edits are overwritten.',
    'authorization {',
    '  users: [',
    users,
    '  ]',
    '}',
    '',
  ].join('\n');
  writeFileSync(natsConfigFile, config, { mode: 0o600 });
  chmodSync(natsConfigFile, 0o600);
  return natsConfigFile;
}
