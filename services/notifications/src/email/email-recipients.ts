import type moleculer from 'moleculer';
import type { DirectoryErrorCode, DocumentOwner, NotificationRecipient } from '@portal/contracts';
import { call, DomainError } from '@portal/kit';
// The one visibility rule and the staff roles told, shared with the bell (read, not changed, here).
import { contactSeesOwner, staffBellRoles, type VisibleScope } from '../bell/bell.rules.ts';

/** Someone an e-mail goes to: who (for the preference and the unsubscribe link) and where. */
export interface EmailRecipient {
  recipient: NotificationRecipient;
  address: string;
  name: string | null;
}

/** Enabled staff admins and managers with an address (identity caches the list for about a minute). */
export async function staffEmailRecipients(broker: moleculer.ServiceBroker): Promise<EmailRecipient[]> {
  const staff = await call(broker, 'identity.listStaffRecipients', { roles: [...staffBellRoles] });
  return staff.flatMap((user) =>
    user.email
      ? [{ recipient: { kind: 'staff' as const, id: user.userId }, address: user.email, name: user.name }]
      : [],
  );
}

const contactNotFound = (error: unknown) =>
  error instanceof DomainError && error.type === ('CONTACT_NOT_FOUND' satisfies DirectoryErrorCode);

/** A contact with an address and enabled access, or null (no address, archived, unknown). */
export async function contactEmailRecipient(
  broker: moleculer.ServiceBroker,
  contactId: string,
): Promise<EmailRecipient | null> {
  try {
    const contact = await call(broker, 'directory.getContact', { contactId });
    if (!contact.email || contact.archivedAt || contact.access.status !== 'enabled') return null;
    return {
      recipient: { kind: 'contact', id: contact.id },
      address: contact.email,
      name: `${contact.firstName} ${contact.lastName}`.trim(),
    };
  } catch (error) {
    if (contactNotFound(error)) return null;
    throw error;
  }
}

async function scopeOf(broker: moleculer.ServiceBroker, contactId: string): Promise<VisibleScope | null> {
  try {
    return await call(broker, 'directory.resolveVisibleScope', { contactId });
  } catch (error) {
    if (contactNotFound(error)) return null;
    throw error;
  }
}

/** The requested contacts who see the request's owner (the one visibility rule), with an address. */
export async function requestedContactRecipients(
  broker: moleculer.ServiceBroker,
  contactIds: readonly string[],
  owner: DocumentOwner,
): Promise<EmailRecipient[]> {
  const unique = [...new Set(contactIds)];
  const scopes = await Promise.all(unique.map((contactId) => scopeOf(broker, contactId)));
  const seeing = unique.filter((_, index) => contactSeesOwner(scopes[index] ?? null, owner));
  const recipients = await Promise.all(seeing.map((contactId) => contactEmailRecipient(broker, contactId)));
  return recipients.filter((recipient) => recipient !== null);
}

/** The account's enabled contacts who see the project (its sent submittals show to exactly them). */
export async function projectContactRecipients(
  broker: moleculer.ServiceBroker,
  accountId: string,
  projectId: string,
): Promise<EmailRecipient[]> {
  const recipients: EmailRecipient[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(broker, 'directory.listContacts', {
      accountId,
      accessStatus: 'enabled',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const contact of page.items) {
      if (!contact.email || contact.archivedAt) continue;
      const scope = await scopeOf(broker, contact.id);
      if (!scope?.accessEnabled || !scope.projectIds.includes(projectId)) continue;
      recipients.push({
        recipient: { kind: 'contact', id: contact.id },
        address: contact.email,
        name: `${contact.firstName} ${contact.lastName}`.trim(),
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return recipients;
}
