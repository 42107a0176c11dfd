import { z } from 'zod';
import type { AccessStatus, Contact, EventData, EventType, Invitation } from '@portal/contracts';
import {
  call,
  DomainError,
  recordEvent,
  type Caller,
  type EventOrigin,
  type RevocationList,
  type ServiceEntityManager,
  type ServiceOrm,
} from '@portal/kit';
import { PasswordRefusedError, type PortalUser, type PortalUsers } from '../adapters/portal-users.adapter.ts';
import { loginNameOf } from '../domain/contact-name.rules.ts';
import { generatePassword } from '../domain/password-policy.rules.ts';
import { identityError } from '../errors.ts';
import {
  closeInvitation,
  insertInvitation,
  markResent,
  pendingInvitationOf,
  type PendingInvitation,
} from '../invitations/invitation.repository.ts';

export interface AccessSettings {
  /** Where an invitation or reset link leads after Keycloak: the portal (PORTAL_PUBLIC_URL + /portal/). */
  redirectUri: string;
  /** The client whose redirect URIs allow `redirectUri` (the gateway's web login client). */
  linkClientId: string;
  /** Lifespan of an e-mailed password reset link. */
  resetLinkLifespanSeconds: number;
}

export interface AccessDeps {
  orm: ServiceOrm;
  users: PortalUsers;
  revocations: RevocationList;
  settings: AccessSettings;
  /** Called whenever a contact's MFA state may have changed (the `/portal/me` cache). */
  forgetProfile(contactId: string): void;
}

const validEmail = z.email();

/** Keycloak's required actions for a login: set a password when invited, set up TOTP when MFA is required. */
function requiredActionsFor(options: { invite: boolean; mfaRequired: boolean; otpConfigured: boolean }): string[] {
  return [
    ...(options.invite ? ['UPDATE_PASSWORD'] : []),
    ...(options.mfaRequired && !options.otpConfigured ? ['CONFIGURE_TOTP'] : []),
  ];
}

/**
 * The access lifecycle as one sequence per operation: check the contact, change Keycloak, move the
 * directory's status, then record the identity event. When the directory refuses the move, the
 * Keycloak change is undone, so no login works for a contact the directory does not show as enabled.
 */
export function accessOperations(deps: AccessDeps) {
  const { users, orm, settings } = deps;

  async function contactOf(caller: Caller, contactId: string): Promise<Contact> {
    return call(caller, 'directory.getContact', { contactId });
  }

  function requireEmail(contact: Contact): string {
    if (contact.email === null || !validEmail.safeParse(contact.email).success) {
      throw identityError('ACCESS_EMAIL_REQUIRED', {
        message: 'The contact has no valid e-mail address; add one before giving it portal access.',
      });
    }
    return contact.email;
  }

  function requireStatus(contact: Contact, allowed: readonly AccessStatus[], what: string): void {
    if (!allowed.includes(contact.access.status)) {
      throw identityError('ACCESS_NOT_ALLOWED', {
        message: `Cannot ${what} while the contact's portal access is ${contact.access.status}.`,
        details: { status: contact.access.status, allowed },
      });
    }
  }

  /** The contact's login, by its link in the directory, its contactId attribute, then its username. */
  async function loginOf(contact: Contact): Promise<PortalUser | undefined> {
    const linked = contact.access.identityUserId ? await users.get(contact.access.identityUserId) : undefined;
    if (linked) return linked;
    const byContact = await users.findByContact(contact.id);
    if (byContact) return byContact;
    if (!contact.email) return undefined;
    const byName = await users.findByUsername(contact.email);
    if (byName && byName.contactId !== null && byName.contactId !== contact.id) {
      throw identityError('ACCESS_NOT_ALLOWED', {
        message: 'Another contact already has a portal login with this e-mail.',
      });
    }
    return byName;
  }

  async function requireLogin(contact: Contact): Promise<PortalUser> {
    const user = await loginOf(contact);
    if (!user) {
      throw identityError('ACCESS_NOT_ALLOWED', { message: 'The contact has no portal login yet.' });
    }
    return user;
  }

  /** Creates the login or brings it in line; returns it with the undo of what was done. */
  async function prepareLogin(
    contact: Contact,
    email: string,
    want: { enabled: boolean; invite: boolean },
  ): Promise<{ user: PortalUser; undo: () => Promise<void> }> {
    const existing = await loginOf(contact);
    if (!existing) {
      const user = await users.create({
        email,
        ...loginNameOf(contact),
        contactId: contact.id,
        accountId: contact.accountId,
        enabled: want.enabled,
        requiredActions: requiredActionsFor({ ...want, mfaRequired: contact.access.mfaRequired, otpConfigured: false }),
      });
      return { user, undo: () => users.remove(user.id) };
    }
    const otpConfigured = (await users.otpCredentialIds(existing.id)).length > 0;
    await users.update(existing.id, {
      email,
      ...loginNameOf(contact),
      enabled: want.enabled,
      requiredActions: requiredActionsFor({ ...want, mfaRequired: contact.access.mfaRequired, otpConfigured }),
      attributes: { contactId: contact.id, accountId: contact.accountId },
    });
    return {
      user: { ...existing, enabled: want.enabled },
      undo: () => users.update(existing.id, { enabled: existing.enabled, requiredActions: existing.requiredActions }),
    };
  }

  /** Moves the directory's status; its lifecycle refusals become this service's codes. */
  async function moveAccess(
    caller: Caller,
    contactId: string,
    to: AccessStatus,
    facts: { identityUserId?: string | null; inviteExpiresAt?: string | null } = {},
  ): Promise<Contact> {
    try {
      return await call(caller, 'directory.applyAccessTransition', { contactId, to, ...facts });
    } catch (error) {
      if (error instanceof DomainError && error.type === 'ACCESS_TRANSITION_NOT_ALLOWED') {
        throw identityError('ACCESS_NOT_ALLOWED', { message: error.message, details: error.details });
      }
      if (error instanceof DomainError && error.type === 'CONTACT_EMAIL_REQUIRED') {
        throw identityError('ACCESS_EMAIL_REQUIRED');
      }
      throw error;
    }
  }

  async function withUndo<T>(step: () => Promise<T>, undo: () => Promise<void>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      await undo().catch((undoError: unknown) => {
        throw new AggregateError([error, undoError], 'the change failed and undoing its Keycloak part failed too');
      });
      throw error;
    }
  }

  async function inTransaction<T>(work: (em: ServiceEntityManager) => Promise<T>): Promise<T> {
    return orm.em.fork().transactional(work);
  }

  function record<E extends EventType>(em: ServiceEntityManager, type: E, data: EventData<E>, origin: EventOrigin) {
    return recordEvent(em, type, data, origin);
  }

  const hours = (n: number) => n * 3_600_000;

  return {
    async enableAccess(caller: Caller, origin: EventOrigin, args: { contactId: string; temporary: boolean }) {
      const contact = await contactOf(caller, args.contactId);
      const email = requireEmail(contact);
      requireStatus(contact, ['none', 'invited'], 'enable access');
      const { user, undo } = await prepareLogin(contact, email, { enabled: true, invite: false });
      const password = generatePassword();
      const moved = await withUndo(async () => {
        await users.setPassword(user.id, password, args.temporary);
        return moveAccess(caller, contact.id, 'enabled', { identityUserId: user.id });
      }, undo);
      await inTransaction(async (em) => {
        const pending = await pendingInvitationOf(em, contact.id, { forUpdate: true });
        if (pending) await closeInvitation(em, pending.id, 'accepted');
        await record(
          em,
          'identity.access.enabled',
          {
            contactId: contact.id,
            accountId: contact.accountId,
            identityUserId: user.id,
            temporaryPassword: args.temporary,
          },
          { ...origin, accountId: contact.accountId },
        );
      });
      deps.forgetProfile(contact.id);
      return { contact: moved, credentials: { password, temporary: args.temporary } };
    },

    async inviteContact(caller: Caller, origin: EventOrigin, args: { contactId: string; lifespanHours: number }) {
      const contact = await contactOf(caller, args.contactId);
      const email = requireEmail(contact);
      requireStatus(contact, ['none', 'disabled'], 'invite (resend a pending invitation instead)');
      const expiresAt = new Date(Date.now() + hours(args.lifespanHours));
      const { user, undo } = await prepareLogin(contact, email, { enabled: true, invite: true });
      await withUndo(
        () =>
          moveAccess(caller, contact.id, 'invited', {
            identityUserId: user.id,
            inviteExpiresAt: expiresAt.toISOString(),
          }),
        undo,
      );
      await withUndo(
        () => sendInvitation(user.id, contact.access.mfaRequired, args.lifespanHours),
        async () => {
          await moveAccess(caller, contact.id, contact.access.status);
          await undo();
        },
      );
      const invitation = await inTransaction(async (em) => {
        const stale = await pendingInvitationOf(em, contact.id, { forUpdate: true });
        if (stale) await closeInvitation(em, stale.id, 'cancelled');
        const created = await insertInvitation(em, {
          contactId: contact.id,
          accountId: contact.accountId,
          email,
          identityUserId: user.id,
          invitedBy: origin.actor,
          expiresAt,
        });
        await record(
          em,
          'identity.invitation.sent',
          {
            contactId: contact.id,
            accountId: contact.accountId,
            identityUserId: user.id,
            expiresAt: created.expiresAt,
            resend: false,
          },
          { ...origin, accountId: contact.accountId },
        );
        return created;
      });
      return invitation;
    },

    async resendInvitation(caller: Caller, origin: EventOrigin, args: { contactId: string; lifespanHours: number }) {
      const contact = await contactOf(caller, args.contactId);
      const pending = await requirePending(contact);
      const expiresAt = new Date(Date.now() + hours(args.lifespanHours));
      await moveAccess(caller, contact.id, 'invited', { inviteExpiresAt: expiresAt.toISOString() });
      await sendInvitation(pending.identityUserId, contact.access.mfaRequired, args.lifespanHours);
      return inTransaction(async (em) => {
        const resent = await markResent(em, pending.id, expiresAt);
        await record(
          em,
          'identity.invitation.sent',
          {
            contactId: contact.id,
            accountId: contact.accountId,
            identityUserId: pending.identityUserId,
            expiresAt: resent.expiresAt,
            resend: true,
          },
          { ...origin, accountId: contact.accountId },
        );
        return resent;
      });
    },

    async cancelInvitation(caller: Caller, origin: EventOrigin, args: { contactId: string }) {
      const contact = await contactOf(caller, args.contactId);
      const pending = await requirePending(contact);
      // Disabled, the login's action token no longer works: the e-mailed link is dead.
      await users.update(pending.identityUserId, { enabled: false });
      const moved = await withUndo(
        () => moveAccess(caller, contact.id, 'none'),
        () => users.update(pending.identityUserId, { enabled: true }),
      );
      await inTransaction(async (em) => {
        await closeInvitation(em, pending.id, 'cancelled');
        await record(
          em,
          'identity.invitation.cancelled',
          { contactId: contact.id, accountId: contact.accountId },
          { ...origin, accountId: contact.accountId },
        );
      });
      return moved;
    },

    /** The sweeper's step for one expired invitation: the link is dead, the contact back to `none`. */
    async expireInvitation(caller: Caller, origin: EventOrigin, pending: PendingInvitation, em: ServiceEntityManager) {
      await users.update(pending.identityUserId, { enabled: false }).catch(() => undefined);
      const contact = await contactOf(caller, pending.contactId).catch(() => undefined);
      if (contact?.access.status === 'invited' && !contact.archivedAt) {
        await moveAccess(caller, pending.contactId, 'none');
      }
      await closeInvitation(em, pending.id, 'expired');
      await record(
        em,
        'identity.invitation.expired',
        { contactId: pending.contactId, accountId: pending.accountId },
        { ...origin, accountId: pending.accountId },
      );
    },

    /** The sweeper's step for a live invitation: once the link was used (a password is set), access is enabled. */
    async acceptIfUsed(caller: Caller, pending: PendingInvitation, em: ServiceEntityManager): Promise<boolean> {
      const user = await users.get(pending.identityUserId);
      if (!user || user.requiredActions.includes('UPDATE_PASSWORD') || !(await users.hasPassword(user.id))) {
        return false;
      }
      const contact = await contactOf(caller, pending.contactId);
      if (contact.access.status === 'invited') await moveAccess(caller, pending.contactId, 'enabled');
      await closeInvitation(em, pending.id, 'accepted');
      return true;
    },

    async resetPassword(
      caller: Caller,
      origin: EventOrigin,
      args: { contactId: string; delivery: 'generated' | 'email'; temporary: boolean },
    ) {
      const contact = await contactOf(caller, args.contactId);
      requireStatus(contact, ['enabled'], 'reset the password');
      const user = await requireLogin(contact);
      let credentials: { password: string; temporary: boolean } | null = null;
      if (args.delivery === 'generated') {
        const password = generatePassword();
        await users.setPassword(user.id, password, args.temporary);
        credentials = { password, temporary: args.temporary };
      } else {
        await users.sendActionsEmail(user.id, ['UPDATE_PASSWORD'], {
          lifespanSeconds: settings.resetLinkLifespanSeconds,
          redirectUri: settings.redirectUri,
          clientId: settings.linkClientId,
        });
      }
      await inTransaction((em) =>
        record(
          em,
          'identity.password.reset',
          {
            contactId: contact.id,
            accountId: contact.accountId,
            delivery: args.delivery,
            temporary: args.delivery === 'generated' ? args.temporary : false,
          },
          { ...origin, accountId: contact.accountId },
        ),
      );
      return { credentials };
    },

    async setPassword(
      caller: Caller,
      origin: EventOrigin,
      args: { contactId: string; password: string; temporary: boolean },
    ) {
      const contact = await contactOf(caller, args.contactId);
      requireStatus(contact, ['enabled'], 'set the password');
      const user = await requireLogin(contact);
      try {
        await users.setPassword(user.id, args.password, args.temporary);
      } catch (error) {
        if (!(error instanceof PasswordRefusedError)) throw error;
        throw identityError('PASSWORD_POLICY_VIOLATION', {
          message: `The password does not meet the password policy: ${error.description.replace(/^Invalid password: /, '')}`,
          details: [{ path: 'password', message: error.description, rule: error.error }],
        });
      }
      await inTransaction((em) =>
        record(
          em,
          'identity.password.reset',
          { contactId: contact.id, accountId: contact.accountId, delivery: 'set', temporary: args.temporary },
          { ...origin, accountId: contact.accountId },
        ),
      );
      return { contactId: contact.id, temporary: args.temporary };
    },

    async resetMfa(caller: Caller, origin: EventOrigin, args: { contactId: string }) {
      const contact = await contactOf(caller, args.contactId);
      requireStatus(contact, ['enabled', 'invited', 'disabled'], 'reset MFA');
      const user = await requireLogin(contact);
      const otp = await users.otpCredentialIds(user.id);
      for (const credentialId of otp) await users.removeCredential(user.id, credentialId);
      if (contact.access.mfaRequired && !user.requiredActions.includes('CONFIGURE_TOTP')) {
        await users.update(user.id, { requiredActions: [...user.requiredActions, 'CONFIGURE_TOTP'] });
      }
      // Sessions opened with the old authenticator end too: the next login asks for the new setup.
      if (otp.length > 0) await users.endSessions(user.id);
      await inTransaction((em) =>
        record(
          em,
          'identity.mfa.reset',
          { contactId: contact.id, accountId: contact.accountId, credentialsRemoved: otp.length },
          { ...origin, accountId: contact.accountId },
        ),
      );
      deps.forgetProfile(contact.id);
      return contact;
    },

    async revokeAccess(caller: Caller, origin: EventOrigin, args: { contactId: string }) {
      const contact = await contactOf(caller, args.contactId);
      requireStatus(contact, ['enabled', 'invited'], 'revoke access');
      const user = await loginOf(contact);
      const revokedAt = new Date();
      if (user) await cutOff(user, revokedAt);
      const moved = await withUndo(
        () => moveAccess(caller, contact.id, 'disabled', user ? { identityUserId: user.id } : {}),
        async () => {
          if (user?.enabled) await users.update(user.id, { enabled: true });
        },
      );
      await inTransaction(async (em) => {
        const pending = await pendingInvitationOf(em, contact.id, { forUpdate: true });
        if (pending) await closeInvitation(em, pending.id, 'cancelled');
        await record(
          em,
          'identity.access.revoked',
          {
            contactId: contact.id,
            accountId: contact.accountId,
            identityUserId: user?.id ?? contact.access.identityUserId ?? 'none',
            revokedAt: revokedAt.toISOString(),
          },
          { ...origin, accountId: contact.accountId },
        );
      });
      deps.forgetProfile(contact.id);
      return moved;
    },

    /** For an archived contact (no directory move: the directory keeps an archived contact as it was). */
    async cutOffArchived(origin: EventOrigin, contactId: string, accountId: string, em: ServiceEntityManager) {
      const user = await users.findByContact(contactId);
      const pending = await pendingInvitationOf(em, contactId, { forUpdate: true });
      if (pending) await closeInvitation(em, pending.id, 'cancelled');
      if (!user?.enabled) return false;
      const revokedAt = new Date();
      await cutOff(user, revokedAt);
      await record(
        em,
        'identity.access.revoked',
        { contactId, accountId, identityUserId: user.id, revokedAt: revokedAt.toISOString() },
        { ...origin, accountId },
      );
      return true;
    },

    async reenableAccess(caller: Caller, origin: EventOrigin, args: { contactId: string }) {
      const contact = await contactOf(caller, args.contactId);
      requireStatus(contact, ['disabled'], 're-enable access');
      const email = requireEmail(contact);
      const user = await requireLogin(contact);
      const { undo } = await prepareLogin(contact, email, { enabled: true, invite: false });
      const moved = await withUndo(() => moveAccess(caller, contact.id, 'enabled', { identityUserId: user.id }), undo);
      await inTransaction((em) =>
        record(
          em,
          'identity.access.reenabled',
          { contactId: contact.id, accountId: contact.accountId, identityUserId: user.id },
          { ...origin, accountId: contact.accountId },
        ),
      );
      deps.forgetProfile(contact.id);
      return moved;
    },

    /** Keycloak follows the directory: username and e-mail, and TOTP setup when MFA is required. */
    async followContact(caller: Caller, contactId: string): Promise<void> {
      const contact = await contactOf(caller, contactId);
      const user = await loginOf(contact).catch(() => undefined);
      if (!user) return;
      const otpConfigured = (await users.otpCredentialIds(user.id)).length > 0;
      const others = user.requiredActions.filter((action) => action !== 'CONFIGURE_TOTP');
      const requiredActions = contact.access.mfaRequired && !otpConfigured ? [...others, 'CONFIGURE_TOTP'] : others;
      const emailChanged = contact.email !== null && contact.email !== user.email;
      const actionsChanged = requiredActions.length !== user.requiredActions.length;
      if (!emailChanged && !actionsChanged) return;
      await users.update(user.id, {
        ...(emailChanged && contact.email ? { email: contact.email } : {}),
        ...(actionsChanged ? { requiredActions } : {}),
      });
      deps.forgetProfile(contact.id);
    },

    contactOf,
  };

  async function requirePending(contact: Contact): Promise<PendingInvitation> {
    const pending = await pendingInvitationOf(orm.em.fork(), contact.id);
    if (!pending || contact.access.status !== 'invited') throw identityError('INVITATION_NOT_PENDING');
    return pending;
  }

  async function sendInvitation(userId: string, mfaRequired: boolean, lifespanHours: number): Promise<void> {
    await users.sendActionsEmail(userId, requiredActionsFor({ invite: true, mfaRequired, otpConfigured: false }), {
      lifespanSeconds: lifespanHours * 3600,
      redirectUri: settings.redirectUri,
      clientId: settings.linkClientId,
    });
  }

  /** Disable the login, end its sessions, and have every gateway refuse its tokens issued until now. */
  async function cutOff(user: PortalUser, at: Date): Promise<void> {
    await users.update(user.id, { enabled: false });
    await users.endSessions(user.id);
    await deps.revocations.revoke('portal', user.id, at);
  }
}

export type AccessOperations = ReturnType<typeof accessOperations>;
export type { Invitation };
