import type KcAdminClient from '@keycloak/keycloak-admin-client';
import { commonError } from '@portal/kit';
import { identityError } from '../errors.ts';
import { keycloakFailureOf } from './keycloak-admin.adapter.ts';

/** A contact's login in realm `portal`, as the identity service needs to see it. */
export interface PortalUser {
  id: string;
  username: string;
  email: string | null;
  enabled: boolean;
  contactId: string | null;
  requiredActions: string[];
}

export interface NewPortalUser {
  email: string;
  firstName: string;
  lastName: string;
  contactId: string;
  accountId: string;
  enabled: boolean;
  requiredActions: string[];
}

/** Keycloak refused a password by its policy; `error` is Keycloak's key, `description` its sentence. */
export class PasswordRefusedError extends Error {
  readonly error: string;
  readonly description: string;
  constructor(error: string, description: string) {
    super(description);
    this.error = error;
    this.description = description;
  }
}

/** The user operations on realm `portal`, through the `portal-identity` service account (user-management rights only). */
export interface PortalUsers {
  findByContact(contactId: string): Promise<PortalUser | undefined>;
  findByUsername(username: string): Promise<PortalUser | undefined>;
  get(id: string): Promise<PortalUser | undefined>;
  create(user: NewPortalUser): Promise<PortalUser>;
  update(
    id: string,
    change: Partial<Pick<NewPortalUser, 'email' | 'firstName' | 'lastName' | 'enabled' | 'requiredActions'>> & {
      attributes?: { contactId: string; accountId: string };
    },
  ): Promise<void>;
  /** Throws `PasswordRefusedError` when the policy refuses it. */
  setPassword(id: string, password: string, temporary: boolean): Promise<void>;
  sendActionsEmail(
    id: string,
    actions: string[],
    options: { lifespanSeconds: number; redirectUri: string; clientId: string },
  ): Promise<void>;
  endSessions(id: string): Promise<void>;
  /** The ids of the user's OTP credentials. */
  otpCredentialIds(id: string): Promise<string[]>;
  hasPassword(id: string): Promise<boolean>;
  removeCredential(id: string, credentialId: string): Promise<void>;
  remove(id: string): Promise<void>;
}

function toPortalUser(rep: {
  id?: string;
  username?: string;
  email?: string;
  enabled?: boolean;
  attributes?: Record<string, unknown>;
  requiredActions?: string[];
}): PortalUser {
  const contactIds = rep.attributes?.['contactId'];
  return {
    id: rep.id ?? '',
    username: rep.username ?? '',
    email: rep.email ?? null,
    enabled: rep.enabled ?? false,
    contactId: Array.isArray(contactIds) && typeof contactIds[0] === 'string' ? contactIds[0] : null,
    requiredActions: rep.requiredActions ?? [],
  };
}

export function portalUsersOf(admin: KcAdminClient): PortalUsers {
  const users: PortalUsers = {
    async findByContact(contactId) {
      const found = await admin.users.find({ q: `contactId:${contactId}`, briefRepresentation: false } as never);
      const match = found.map(toPortalUser).find((user) => user.contactId === contactId);
      return match;
    },
    async findByUsername(username) {
      const found = await admin.users.find({ username, exact: true, briefRepresentation: false });
      return found.map(toPortalUser).find((user) => user.username === username.toLowerCase());
    },
    async get(id) {
      const rep = await admin.users.findOne({ id }, { catchNotFound: true });
      return rep ? toPortalUser(rep) : undefined;
    },
    async create(user) {
      const { id } = await admin.users.create({
        username: user.email,
        email: user.email,
        emailVerified: true,
        firstName: user.firstName,
        lastName: user.lastName,
        enabled: user.enabled,
        requiredActions: user.requiredActions,
        attributes: { contactId: [user.contactId], accountId: [user.accountId] },
      });
      const created = await users.get(id);
      if (!created) throw new Error(`Keycloak user ${id} vanished right after it was created`);
      return created;
    },
    async update(id, change) {
      const current = await admin.users.findOne({ id });
      if (!current) throw new Error(`Keycloak user ${id} does not exist`);
      // A user representation is replaced as a whole (attributes included), so send it back changed.
      await admin.users.update(
        { id },
        {
          ...current,
          ...(change.email !== undefined ? { email: change.email, username: change.email, emailVerified: true } : {}),
          ...(change.firstName !== undefined ? { firstName: change.firstName } : {}),
          ...(change.lastName !== undefined ? { lastName: change.lastName } : {}),
          ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
          ...(change.requiredActions !== undefined ? { requiredActions: change.requiredActions } : {}),
          ...(change.attributes
            ? {
                attributes: {
                  ...current.attributes,
                  contactId: [change.attributes.contactId],
                  accountId: [change.attributes.accountId],
                },
              }
            : {}),
        },
      );
    },
    async setPassword(id, password, temporary) {
      try {
        await admin.users.resetPassword({ id, credential: { type: 'password', value: password, temporary } });
      } catch (error) {
        const failure = keycloakFailureOf(error);
        if (failure?.status === 400 && failure.error?.startsWith('invalidPassword')) {
          throw new PasswordRefusedError(failure.error, failure.description ?? failure.error);
        }
        throw error;
      }
    },
    async sendActionsEmail(id, actions, options) {
      try {
        await admin.users.executeActionsEmail({
          id,
          actions,
          lifespan: options.lifespanSeconds,
          redirectUri: options.redirectUri,
          clientId: options.clientId,
        });
      } catch (error) {
        // Keycloak refuses (400) a login that is disabled or has no e-mail — e.g. revoked while this
        // request ran — and answers 500 when its mail relay fails: neither is our 500.
        const failure = keycloakFailureOf(error);
        if (failure?.status === 400) {
          throw identityError('ACCESS_NOT_ALLOWED', {
            message: `The login cannot receive this e-mail now (${failure.description ?? failure.error ?? 'refused'}).`,
          });
        }
        if (failure && failure.status >= 500) {
          throw commonError('DEPENDENCY_UNAVAILABLE', { message: 'The e-mail could not be sent; try again shortly.' });
        }
        throw error;
      }
    },
    async endSessions(id) {
      await admin.users.logout({ id });
    },
    async otpCredentialIds(id) {
      const credentials = await admin.users.getCredentials({ id });
      return credentials.filter((c) => c.type === 'otp' && c.id).map((c) => c.id as string);
    },
    async hasPassword(id) {
      const credentials = await admin.users.getCredentials({ id });
      return credentials.some((c) => c.type === 'password');
    },
    async removeCredential(id, credentialId) {
      await admin.users.deleteCredential({ id, credentialId });
    },
    async remove(id) {
      await admin.users.del({ id });
    },
  };
  return users;
}
