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

/**
 * The contacts who see the project by the directory's one visibility rule (the same list the bell
 * rings, so a consolidated account's contacts are told about its members' projects), with an address.
 */
export async function projectContactRecipients(
  broker: moleculer.ServiceBroker,
  projectId: string,
): Promise<EmailRecipient[]> {
  const { contactIds } = await call(broker, 'directory.listContactsSeeingProject', { projectId });
  const recipients: EmailRecipient[] = [];
  // One at a time: a project's contacts are few, and the directory is not flooded by a burst of events.
  for (const contactId of contactIds) {
    const recipient = await contactEmailRecipient(broker, contactId);
    if (recipient) recipients.push(recipient);
  }
  return recipients;
}
