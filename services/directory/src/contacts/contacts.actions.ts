import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { Contact } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { accountNotFound, archivedError, liveAccountForChange } from '../accounts/accounts.actions.ts';
import { findAccount } from '../accounts/accounts.repository.ts';
import { changesBetween } from '../audit/audit-trail.ts';
import { recordChange, recordScopeChange } from '../audit/record-change.ts';
import { canonicalScope, siteMoveChangesScope } from '../domain/access-scope.rules.ts';
import { definedFields } from '../domain/patch.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import { requireSiteOfAccount } from '../sites/sites.actions.ts';
import {
  archiveContactRow,
  autoSendInviteOf,
  contactAuditFields,
  findContact,
  insertContact,
  listContactPage,
  updateContactRow,
} from './contacts.repository.ts';
import { directoryError } from '../errors.ts';
import { announcePortalPrincipalChange } from '../portal/portal-principals.broadcast.ts';

export const contactNotFound = () => directoryError('CONTACT_NOT_FOUND');

/** The contact, locked for a change; 404 when unknown, 422 when archived. */
export async function liveContactForChange(tx: EntityManager, contactId: string): Promise<Contact> {
  const contact = await findContact(tx, contactId, { forUpdate: true });
  if (!contact) throw contactNotFound();
  if (contact.archivedAt) throw archivedError('contact');
  return contact;
}

/** Reads back a contact written in this transaction (with its access, as every answer carries it). */
export async function contactAfterChange(tx: EntityManager, contactId: string): Promise<Contact> {
  const contact = await findContact(tx, contactId);
  if (!contact) throw contactNotFound();
  return contact;
}

export function contactActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listContacts: contractAction('directory.listContacts', async (args) => {
      const em = store.read();
      if (!(await findAccount(em, args.accountId))) throw accountNotFound();
      return listContactPage(em, args);
    }),

    getContact: contractAction('directory.getContact', async ({ contactId }) => {
      const contact = await findContact(store.read(), contactId);
      if (!contact) throw contactNotFound();
      return contact;
    }),

    createContact: contractAction('directory.createContact', (args, ctx) =>
      store.change(async (tx) => {
        await liveAccountForChange(tx, args.accountId);
        const siteId = args.siteId ?? null;
        if (siteId) await requireSiteOfAccount(tx, args.accountId, siteId);
        const contactId = await insertContact(tx, {
          accountId: args.accountId,
          siteId,
          firstName: args.firstName,
          lastName: args.lastName,
          email: args.email ?? null,
          phone: args.phone ?? null,
          title: args.title ?? null,
        });
        const created = await contactAfterChange(tx, contactId);
        const autoSendInvite = created.email !== null && (await autoSendInviteOf(tx, args.accountId));
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'contact',
            entityId: contactId,
            action: 'created',
            accountId: args.accountId,
            contactId,
            changes: changesBetween(null, created, contactAuditFields),
          },
          {
            type: 'directory.contact.created',
            data: { contactId, accountId: args.accountId, siteId, email: created.email, autoSendInvite },
          },
        );
        return created;
      }),
    ),

    updateContact: contractAction('directory.updateContact', async ({ contactId, ...patch }, ctx) => {
      let portalFactsChanged = false;
      const contact = await store.change(async (tx) => {
        const before = await liveContactForChange(tx, contactId);
        const next: Contact = { ...before, ...definedFields(patch) };
        const changes = changesBetween(before, next, contactAuditFields);
        if (Object.keys(changes).length === 0) return before;
        if (next.siteId && next.siteId !== before.siteId) await requireSiteOfAccount(tx, before.accountId, next.siteId);
        if (next.email === null && before.access.status !== 'none') {
          throw directoryError('CONTACT_EMAIL_REQUIRED', {
            message: 'A contact with portal access keeps an e-mail address.',
            details: [{ path: 'email', message: 'required while the contact has portal access' }],
          });
        }
        await updateContactRow(tx, next);
        portalFactsChanged = 'email' in changes || 'siteId' in changes;
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'contact',
            entityId: contactId,
            action: 'updated',
            accountId: before.accountId,
            contactId,
            changes,
          },
          {
            type: 'directory.contact.updated',
            data: { contactId, accountId: before.accountId, changed: Object.keys(changes) },
          },
        );
        if (siteMoveChangesScope(before.access.status, before.siteId, next.siteId)) {
          await recordScopeChange(tx, callerOf(ctx), {
            contactId,
            accountId: before.accountId,
            changes: { siteId: { from: before.siteId, to: next.siteId } },
            scope: canonicalScope(before.access.scope),
          });
        }
        return contactAfterChange(tx, contactId);
      });
      if (portalFactsChanged) announcePortalPrincipalChange(ctx, { contactIds: [contactId] });
      return contact;
    }),

    archiveContact: contractAction('directory.archiveContact', async ({ contactId }, ctx) => {
      const contact = await store.change(async (tx) => {
        const before = await findContact(tx, contactId, { forUpdate: true });
        if (!before) throw contactNotFound();
        if (before.archivedAt) return before;
        if (before.access.status === 'invited' || before.access.status === 'enabled') {
          throw directoryError('CONTACT_HAS_ACTIVE_ACCESS', {
            message: 'Revoke the contact’s portal access before archiving it.',
          });
        }
        await archiveContactRow(tx, contactId);
        const archived = await contactAfterChange(tx, contactId);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'contact',
            entityId: contactId,
            action: 'archived',
            accountId: before.accountId,
            contactId,
            changes: changesBetween(before, archived, ['archivedAt']),
          },
          { type: 'directory.contact.archived', data: { contactId, accountId: before.accountId } },
        );
        return archived;
      });
      announcePortalPrincipalChange(ctx, { contactIds: [contactId] });
      return contact;
    }),
  };
}
