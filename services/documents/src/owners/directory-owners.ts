import type moleculer from 'moleculer';
import type { DocumentOwner } from '@portal/contracts';
import { call, DomainError } from '@portal/kit';
import { documentsError } from '../errors.ts';

/**
 * The directory owns accounts, sites, projects and contacts (DESIGN rule 1): the documents
 * service asks it, by action call, whom an owner belongs to and whether contacts may be named.
 */

const isNotFound = (error: unknown) => error instanceof DomainError && error.kind === 'not_found';

/** The account an owner belongs to; OWNER_NOT_FOUND when the directory does not know it. */
export async function accountOfOwner(ctx: moleculer.Context, owner: DocumentOwner): Promise<string> {
  try {
    switch (owner.kind) {
      case 'account':
        return (await call(ctx, 'directory.getAccount', { accountId: owner.id })).id;
      case 'site':
        return (await call(ctx, 'directory.getSite', { siteId: owner.id })).accountId;
      case 'project':
        return (await call(ctx, 'directory.getProject', { projectId: owner.id })).accountId;
    }
  } catch (error) {
    if (isNotFound(error)) throw documentsError('OWNER_NOT_FOUND');
    throw error;
  }
}

/**
 * Refuses contacts that could never see the owner's items: a contact must belong to the owner's
 * account or to the consolidated account above it.
 */
export async function requireContactsOfAccount(
  ctx: moleculer.Context,
  accountId: string,
  contactIds: readonly string[],
): Promise<void> {
  if (contactIds.length === 0) return;
  const account = await call(ctx, 'directory.getAccount', { accountId });
  const allowed = new Set([accountId, ...(account.consolidatedAccountId ? [account.consolidatedAccountId] : [])]);
  const outside: string[] = [];
  for (const contactId of new Set(contactIds)) {
    try {
      const contact = await call(ctx, 'directory.getContact', { contactId });
      if (!allowed.has(contact.accountId)) outside.push(contactId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      outside.push(contactId);
    }
  }
  if (outside.length > 0) throw documentsError('CONTACT_NOT_IN_ACCOUNT', { details: { contactIds: outside } });
}
