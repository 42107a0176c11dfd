import { z } from 'zod';
import { actorSchema } from '../envelope.ts';
import { boundedDate, text } from '../text.ts';

const timestamp = z.iso.datetime({ offset: true });

// ---- file types ------------------------------------------------------------------------------

/**
 * The content types the documents service can recognise from a file's first bytes (or, for the
 * text types, from its being valid UTF-8 text). A file type allows a subset of these; an upload is
 * accepted only when what the bytes are matches what was declared.
 */
export const documentContentTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/vnd.dwg',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/csv',
] as const;
export const documentContentTypeSchema = z.enum(documentContentTypes);
export type DocumentContentType = z.infer<typeof documentContentTypeSchema>;

/** The largest file any file type may allow: 1 GiB (a single presigned PUT). */
export const maxDocumentSizeBytes = 1024 ** 3;

const fileTypeCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only');

export const fileTypeSchema = z.object({
  id: z.uuid(),
  code: fileTypeCode,
  name: text({ max: 100 }),
  customerVisible: z.boolean().describe('Documents of this type shared "by file type" are visible in the portal.'),
  allowedContentTypes: z.array(documentContentTypeSchema).min(1),
  maxSizeBytes: z.int().min(1).max(maxDocumentSizeBytes),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type FileType = z.infer<typeof fileTypeSchema>;

export const fileTypeInputSchema = z.object({
  code: fileTypeCode,
  name: text({ max: 100 }),
  customerVisible: z.boolean().default(false),
  allowedContentTypes: z.array(documentContentTypeSchema).min(1).max(documentContentTypes.length),
  maxSizeBytes: z.int().min(1).max(maxDocumentSizeBytes),
});
export const fileTypeUpdateSchema = fileTypeInputSchema.partial();

// ---- documents and versions ------------------------------------------------------------------

/** Who a document (or a document request) belongs to: an account itself, one of its sites, or a project. */
export const documentOwnerKinds = ['account', 'site', 'project'] as const;
export const documentOwnerKindSchema = z.enum(documentOwnerKinds);
export type DocumentOwnerKind = z.infer<typeof documentOwnerKindSchema>;

export const documentOwnerSchema = z.object({
  kind: documentOwnerKindSchema,
  id: z.uuid().describe('The account, site or project id.'),
});
export type DocumentOwner = z.infer<typeof documentOwnerSchema>;

/**
 * Per-document sharing on top of the owner's visibility: `by-file-type` follows the file type's
 * customer-visible flag; `internal` is never shown to customers; `contacts` only to the named ones.
 */
export const documentSharings = ['by-file-type', 'internal', 'contacts'] as const;
export const documentSharingSchema = z.enum(documentSharings);
export type DocumentSharing = z.infer<typeof documentSharingSchema>;

/** `pending`: not scanned yet (quarantined); `clean`: downloadable; `infected`: quarantined for good. */
export const scanStates = ['pending', 'clean', 'infected'] as const;
export const scanStateSchema = z.enum(scanStates);
export type ScanState = z.infer<typeof scanStateSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lower-case hex digits');

export const documentVersionSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  number: z.int().min(1),
  fileName: z.string().describe('The original name, sanitised: no path parts, control or bidi characters.'),
  sizeBytes: z.int().min(0),
  sha256: sha256Hex,
  contentType: documentContentTypeSchema.describe('What the bytes are, as detected (it matched the declared type).'),
  scanState: scanStateSchema,
  scanSignature: z.string().nullable().describe('The malware signature found, for an infected version.'),
  uploadedBy: actorSchema.describe('Who uploaded it: a staff user or a contact.'),
  uploadedAt: timestamp,
});
export type DocumentVersion = z.infer<typeof documentVersionSchema>;

export const documentSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid().describe('The account the owner belongs to.'),
  owner: documentOwnerSchema,
  title: text({ max: 200 }),
  description: z.string().nullable(),
  fileTypeId: z.uuid(),
  sharing: documentSharingSchema,
  sharedWithContactIds: z.array(z.uuid()).describe('The contacts a `contacts` sharing names.'),
  currentVersion: documentVersionSchema
    .nullable()
    .describe('The newest clean version; null until one has passed the malware scan.'),
  latestVersion: documentVersionSchema.nullable().describe('The newest version in any scan state.'),
  archivedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Document = z.infer<typeof documentSchema>;

const sharedWithContactIds = z.array(z.uuid()).max(200);

export const documentCreateSchema = z.object({
  owner: documentOwnerSchema,
  title: text({ max: 200 }),
  description: text({ max: 2000, min: 0, multiline: true }).nullable().optional(),
  fileTypeId: z.uuid(),
  sharing: documentSharingSchema.default('by-file-type'),
  sharedWithContactIds: sharedWithContactIds.default([]),
});

export const documentUpdateSchema = z
  .object({
    title: text({ max: 200 }),
    description: text({ max: 2000, min: 0, multiline: true }).nullable(),
    fileTypeId: z.uuid(),
    sharing: documentSharingSchema,
    sharedWithContactIds,
  })
  .partial();

// ---- uploads and downloads -------------------------------------------------------------------

/**
 * A file name as the client declares it: text like any other field (no NUL, no control
 * characters); the service then keeps a sanitised copy (no path parts, no bidi or zero-width
 * characters, at most 200 characters; see `sanitizeFileName`).
 */
export const declaredFileNameSchema = text({ max: 1000 });

export const uploadRequestSchema = z.object({
  fileName: declaredFileNameSchema,
  contentType: documentContentTypeSchema,
  sizeBytes: z.int().min(1).max(maxDocumentSizeBytes),
});

/** A presigned PUT: send the file's bytes with exactly these headers before `expiresAt`, then finalize. */
export const uploadTicketSchema = z.object({
  uploadId: z.uuid(),
  method: z.literal('PUT'),
  url: z.url(),
  headers: z.record(z.string(), z.string()).describe('Headers the PUT must carry, exactly (they are signed).'),
  expiresAt: timestamp,
});
export type UploadTicket = z.infer<typeof uploadTicketSchema>;

export const finalizeUploadSchema = z.object({
  sha256: sha256Hex.optional().describe("The client's SHA-256 of the file; the stored object must match it."),
});

/** A short-lived presigned GET answering the file as an attachment under its sanitised name. */
export const downloadLinkSchema = z.object({
  url: z.url(),
  fileName: z.string(),
  expiresAt: timestamp,
});

export const downloadLogEntrySchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  documentTitle: z.string(),
  versionId: z.uuid(),
  versionNumber: z.int(),
  accountId: z.uuid(),
  actorKind: z.enum(['staff', 'contact']),
  staffUserId: z.string().nullable(),
  contactId: z.uuid().nullable(),
  sourceAddress: z.string().nullable(),
  downloadedAt: timestamp,
});
export type DownloadLogEntry = z.infer<typeof downloadLogEntrySchema>;

// ---- document requests -----------------------------------------------------------------------

export const documentRequestStatuses = ['open', 'fulfilled', 'cancelled'] as const;
export const documentRequestStatusSchema = z.enum(documentRequestStatuses);

export const documentRequestSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  owner: documentOwnerSchema,
  title: z.string(),
  instructions: z.string().nullable(),
  fileTypeId: z.uuid().describe('The kind of file asked for: its allowed types and size limit apply.'),
  requestedFromContactIds: z.array(z.uuid()),
  dueDate: z.iso.date().nullable(),
  status: documentRequestStatusSchema,
  fulfilledDocumentId: z.uuid().nullable(),
  fulfilledVersion: documentVersionSchema.nullable(),
  fulfilledByContactId: z.uuid().nullable(),
  fulfilledAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type DocumentRequest = z.infer<typeof documentRequestSchema>;

export const documentRequestCreateSchema = z.object({
  owner: documentOwnerSchema,
  title: text({ max: 200 }),
  instructions: text({ max: 2000, min: 0, multiline: true }).nullable().optional(),
  fileTypeId: z.uuid(),
  requestedFromContactIds: z.array(z.uuid()).min(1).max(50),
  dueDate: boundedDate.nullable().optional(),
});
