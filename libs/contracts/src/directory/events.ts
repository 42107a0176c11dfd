import { z } from 'zod';
import { defineEvent } from '../contract.ts';
import { accessScopeSchema, accessStatusSchema, accountKindSchema } from './models.ts';

// Thin payloads: ids plus the facts that changed. Consumers that need more ask the directory.
const changedFields = z.array(z.string()).min(1).describe('Names of the fields that changed.');

export const directoryEvents = {
  'directory.account-class.created': defineEvent({
    version: 1,
    description: 'An account class was created.',
    data: z.object({ accountClassId: z.uuid() }),
  }),
  'directory.account-class.updated': defineEvent({
    version: 1,
    description: 'An account class changed (its accounts follow the new settings).',
    data: z.object({ accountClassId: z.uuid(), changed: changedFields }),
  }),
  'directory.account-class.deleted': defineEvent({
    version: 1,
    description: 'An unused account class was deleted.',
    data: z.object({ accountClassId: z.uuid() }),
  }),
  'directory.account.created': defineEvent({
    version: 1,
    description: 'An account was created.',
    data: z.object({ accountId: z.uuid(), number: z.string(), kind: accountKindSchema }),
  }),
  'directory.account.updated': defineEvent({
    version: 1,
    description: 'An account changed.',
    data: z.object({ accountId: z.uuid(), changed: changedFields }),
  }),
  'directory.account.archived': defineEvent({
    version: 1,
    description: 'An account was archived; nothing of it is visible in the portal any more.',
    data: z.object({ accountId: z.uuid() }),
  }),
  'directory.site.created': defineEvent({
    version: 1,
    description: 'A site was created.',
    data: z.object({ siteId: z.uuid(), accountId: z.uuid() }),
  }),
  'directory.site.updated': defineEvent({
    version: 1,
    description: 'A site changed.',
    data: z.object({ siteId: z.uuid(), accountId: z.uuid(), changed: changedFields }),
  }),
  'directory.site.archived': defineEvent({
    version: 1,
    description: 'A site was archived.',
    data: z.object({ siteId: z.uuid(), accountId: z.uuid() }),
  }),
  'directory.project.created': defineEvent({
    version: 1,
    description: 'A project was created.',
    data: z.object({
      projectId: z.uuid(),
      accountId: z.uuid(),
      siteId: z.uuid().nullable(),
      hidden: z.boolean(),
      completed: z.boolean(),
    }),
  }),
  'directory.project.updated': defineEvent({
    version: 1,
    description: 'A project changed; hidden, completed and siteId are repeated because they decide visibility.',
    data: z.object({
      projectId: z.uuid(),
      accountId: z.uuid(),
      siteId: z.uuid().nullable(),
      hidden: z.boolean(),
      completed: z.boolean(),
      changed: changedFields,
    }),
  }),
  'directory.project.archived': defineEvent({
    version: 1,
    description: 'A project was archived.',
    data: z.object({ projectId: z.uuid(), accountId: z.uuid() }),
  }),
  'directory.contact.created': defineEvent({
    version: 1,
    description: 'A contact was created (the identity service may auto-send an invite, per account class).',
    data: z.object({
      contactId: z.uuid(),
      accountId: z.uuid(),
      siteId: z.uuid().nullable(),
      email: z.string().nullable(),
      autoSendInvite: z.boolean(),
    }),
  }),
  'directory.contact.updated': defineEvent({
    version: 1,
    description: 'A contact changed.',
    data: z.object({ contactId: z.uuid(), accountId: z.uuid(), changed: changedFields }),
  }),
  'directory.contact.archived': defineEvent({
    version: 1,
    description: 'A contact was archived.',
    data: z.object({ contactId: z.uuid(), accountId: z.uuid() }),
  }),
  'directory.access-scope.changed': defineEvent({
    version: 1,
    description: "A contact's access scope changed.",
    data: z.object({ contactId: z.uuid(), accountId: z.uuid(), scope: accessScopeSchema }),
  }),
  'directory.access.changed': defineEvent({
    version: 1,
    description: "A contact's portal access moved along its lifecycle, or its MFA requirement changed.",
    data: z.object({
      contactId: z.uuid(),
      accountId: z.uuid(),
      from: accessStatusSchema,
      to: accessStatusSchema,
      mfaRequired: z.boolean(),
    }),
  }),
  'directory.invoice-references.imported': defineEvent({
    version: 1,
    description:
      'A batch of an invoice reference import committed: the references it created or changed (never a quick-pay code).',
    data: z.object({
      importId: z.uuid(),
      created: z.number().int().min(0),
      updated: z.number().int().min(0),
      invoiceReferenceIds: z.array(z.uuid()).min(1),
    }),
  }),
  'directory.system-options.changed': defineEvent({
    version: 1,
    description: 'Installation-wide portal options changed.',
    data: z.object({ requestLoginButton: z.boolean(), selfRegistration: z.boolean() }),
  }),
} as const;
