import { z } from 'zod';
import { defineEvent } from '../contract.ts';
import { documentOwnerSchema, documentSharingSchema } from './models.ts';

// Thin payloads: ids plus the facts a consumer acts on (notifications decide whom to tell by them).
const documentFacts = {
  documentId: z.uuid(),
  accountId: z.uuid(),
  owner: documentOwnerSchema,
};

/** What changed, field by field, as the audit trail records it. */
const changes = z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }));

export const documentsEvents = {
  'documents.document.created': defineEvent({
    version: 1,
    description: 'Staff created a document (no file yet); its sharing decides who may see it once a version is clean.',
    data: z.object({
      ...documentFacts,
      title: z.string(),
      fileTypeId: z.uuid(),
      sharing: documentSharingSchema,
      sharedWithContactIds: z.array(z.uuid()),
    }),
  }),
  'documents.document.sharing-changed': defineEvent({
    version: 1,
    description:
      "Who may see a document changed: its sharing, the contacts it names, or its file type (whose customer-visible flag applies). `changes` holds each changed field's before and after.",
    data: z.object({ ...documentFacts, title: z.string(), changes }),
  }),
  'documents.document.archived': defineEvent({
    version: 1,
    description: 'A document was archived; it left the portal.',
    data: z.object({ ...documentFacts, title: z.string() }),
  }),
  'documents.file-type.changed': defineEvent({
    version: 1,
    description:
      'A file type was created or changed; a change of `customerVisible` shows or hides its documents shared "by file type" in the portal.',
    data: z.object({ fileTypeId: z.uuid(), code: z.string(), changes }),
  }),
  'documents.document.published': defineEvent({
    version: 1,
    description:
      "A document's first version passed the malware scan: the document now shows wherever its sharing allows.",
    data: z.object({ ...documentFacts, versionId: z.uuid(), title: z.string() }),
  }),
  'documents.version.added': defineEvent({
    version: 1,
    description: 'A new version of a document passed the malware scan and became its current version.',
    data: z.object({ ...documentFacts, versionId: z.uuid(), number: z.int().min(1) }),
  }),
  'documents.version.quarantined': defineEvent({
    version: 1,
    description: 'The malware scan found something in an uploaded version; it is never downloadable.',
    data: z.object({ ...documentFacts, versionId: z.uuid(), signature: z.string() }),
  }),
  'documents.request.created': defineEvent({
    version: 1,
    description: 'Staff asked contacts for a document.',
    data: z.object({
      requestId: z.uuid(),
      accountId: z.uuid(),
      owner: documentOwnerSchema,
      title: z.string(),
      requestedFromContactIds: z.array(z.uuid()),
      dueDate: z.iso.date().nullable(),
    }),
  }),
  'documents.request.fulfilled': defineEvent({
    version: 1,
    description: "A contact's upload answered a document request (after it passed the malware scan).",
    data: z.object({
      requestId: z.uuid(),
      accountId: z.uuid(),
      owner: documentOwnerSchema,
      documentId: z.uuid(),
      versionId: z.uuid(),
      contactId: z.uuid(),
    }),
  }),
  'documents.request.cancelled': defineEvent({
    version: 1,
    description: 'Staff cancelled an open document request.',
    data: z.object({ requestId: z.uuid(), accountId: z.uuid() }),
  }),
} as const;
