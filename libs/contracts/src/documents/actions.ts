import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema, queryBoolean } from '../http.ts';
import { actorSchema } from '../envelope.ts';
import { searchText } from '../text.ts';
import {
  documentContentTypeSchema,
  documentOwnerSchema,
  documentCreateSchema,
  documentOwnerKindSchema,
  documentRequestCreateSchema,
  documentRequestSchema,
  documentRequestStatusSchema,
  documentSchema,
  documentUpdateSchema,
  documentVersionSchema,
  downloadLinkSchema,
  downloadLogEntrySchema,
  fileTypeInputSchema,
  fileTypeSchema,
  fileTypeUpdateSchema,
  finalizeUploadSchema,
  scanStateSchema,
  uploadRequestSchema,
  uploadTicketSchema,
} from './models.ts';

const staff = { audience: 'staff' } as const;
const search = searchText.optional();

// ---- file types ------------------------------------------------------------------------------

export const listFileTypes = defineAction({
  description: 'File types, by name.',
  errors: [],
  params: pageParamsSchema.extend({ search }),
  result: pageOf(fileTypeSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/file-types',
    permission: 'documents:read',
    tag: 'File types',
    summary: 'List file types',
  },
});
export const createFileType = defineAction({
  description: 'Creates a file type: whether customers may see its documents, which files it accepts and how large.',
  errors: ['FILE_TYPE_CODE_TAKEN'],
  params: fileTypeInputSchema,
  result: fileTypeSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/file-types',
    permission: 'settings:write',
    successStatus: 201,
    tag: 'File types',
    summary: 'Create a file type',
  },
});
export const updateFileType = defineAction({
  description:
    'Changes a file type. Turning `customerVisible` off hides its documents shared "by file type" from the portal at once.',
  errors: ['FILE_TYPE_NOT_FOUND', 'FILE_TYPE_CODE_TAKEN'],
  params: fileTypeUpdateSchema.extend({ fileTypeId: idSchema }),
  result: fileTypeSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/file-types/:fileTypeId',
    permission: 'settings:write',
    tag: 'File types',
    summary: 'Update a file type',
  },
});

// ---- documents -------------------------------------------------------------------------------

export const listDocuments = defineAction({
  description:
    'Documents of an account (and everything in it), or of one owner, by title. Documents without a clean version are listed too, with their scan state.',
  errors: ['OWNER_NOT_FOUND'],
  params: pageParamsSchema.extend({
    accountId: idSchema.optional().describe('Every document of the account, its sites and projects.'),
    ownerKind: documentOwnerKindSchema.optional(),
    ownerId: idSchema.optional().describe('With `ownerKind`: the documents of exactly this owner.'),
    search,
    includeArchived: queryBoolean.default(false),
  }),
  result: pageOf(documentSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/documents',
    permission: 'documents:read',
    tag: 'Documents',
    summary: 'List documents',
  },
});
export const createDocument = defineAction({
  description:
    'Creates a document on an account, a site or a project. It has no file yet: start an upload, PUT the file, finalize.',
  errors: ['OWNER_NOT_FOUND', 'FILE_TYPE_NOT_FOUND', 'CONTACT_NOT_IN_ACCOUNT'],
  params: documentCreateSchema,
  result: documentSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/documents',
    permission: 'documents:write',
    successStatus: 201,
    tag: 'Documents',
    summary: 'Create a document',
  },
});
export const getDocument = defineAction({
  description: 'One document with its current and latest version.',
  errors: ['DOCUMENT_NOT_FOUND'],
  params: z.object({ documentId: idSchema }),
  result: documentSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/documents/:documentId',
    permission: 'documents:read',
    tag: 'Documents',
    summary: 'Get a document',
  },
});
export const updateDocument = defineAction({
  description: "Changes a document's title, description, file type or sharing.",
  errors: ['DOCUMENT_NOT_FOUND', 'FILE_TYPE_NOT_FOUND', 'CONTACT_NOT_IN_ACCOUNT', 'DOCUMENT_ARCHIVED'],
  params: documentUpdateSchema.extend({ documentId: idSchema }),
  result: documentSchema,
  http: {
    ...staff,
    method: 'PATCH',
    path: '/admin/documents/:documentId',
    permission: 'documents:write',
    tag: 'Documents',
    summary: 'Update a document',
  },
});
export const archiveDocument = defineAction({
  description: 'Archives a document: it leaves the portal and the default lists; its versions and log stay.',
  errors: ['DOCUMENT_NOT_FOUND'],
  params: z.object({ documentId: idSchema }),
  result: documentSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/documents/:documentId/archive',
    permission: 'documents:write',
    tag: 'Documents',
    summary: 'Archive a document',
  },
});
export const listDocumentVersions = defineAction({
  description: 'Every version of a document, newest first, with its scan state.',
  errors: ['DOCUMENT_NOT_FOUND'],
  params: pageParamsSchema.extend({ documentId: idSchema }),
  result: pageOf(documentVersionSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/documents/:documentId/versions',
    permission: 'documents:read',
    tag: 'Documents',
    summary: 'List the versions of a document',
  },
});
export const startDocumentUpload = defineAction({
  description:
    "Issues a presigned PUT for a new version, bound to the declared size and content type (the file type's limits apply). Finalize it once the PUT succeeded; an upload never finalized is deleted after a while.",
  errors: [
    'DOCUMENT_NOT_FOUND',
    'DOCUMENT_ARCHIVED',
    'FILE_TOO_LARGE',
    'CONTENT_TYPE_NOT_ALLOWED',
    'FILE_NAME_INVALID',
  ],
  params: uploadRequestSchema.extend({ documentId: idSchema }),
  result: uploadTicketSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/documents/:documentId/uploads',
    permission: 'documents:write',
    successStatus: 201,
    tag: 'Documents',
    summary: 'Start uploading a version',
  },
});
export const finalizeDocumentUpload = defineAction({
  description:
    'Checks the stored file (size, SHA-256, what its bytes are against the declared and allowed types) and adds it as a version, quarantined until the malware scan passes. A mismatch deletes the file.',
  errors: [
    'DOCUMENT_NOT_FOUND',
    'UPLOAD_NOT_FOUND',
    'UPLOAD_EXPIRED',
    'UPLOAD_MISSING',
    'UPLOAD_SIZE_MISMATCH',
    'UPLOAD_CHECKSUM_MISMATCH',
    'CONTENT_MISMATCH',
    'DOCUMENT_ARCHIVED',
  ],
  params: finalizeUploadSchema.extend({ documentId: idSchema, uploadId: idSchema }),
  result: documentVersionSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/documents/:documentId/uploads/:uploadId/finalize',
    permission: 'documents:write',
    tag: 'Documents',
    summary: 'Finalize an upload',
  },
});
export const createStaffDownloadLink = defineAction({
  description: 'A short-lived presigned GET of a clean version, answered as an attachment. Every download is logged.',
  errors: ['DOCUMENT_NOT_FOUND', 'VERSION_NOT_FOUND', 'VERSION_QUARANTINED'],
  params: z.object({ documentId: idSchema, versionId: idSchema }),
  result: downloadLinkSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/documents/:documentId/versions/:versionId/download',
    permission: 'documents:read',
    tag: 'Documents',
    summary: 'Download a version',
  },
});

// ---- download log ----------------------------------------------------------------------------

const downloadLogFilter = z.object({
  documentId: idSchema.optional(),
  contactId: idSchema.optional().describe("A contact's downloads across every document."),
});

export const listDownloads = defineAction({
  description: 'The download log, newest first: of one document, of one contact, or all.',
  errors: [],
  params: pageParamsSchema.extend(downloadLogFilter.shape),
  result: pageOf(downloadLogEntrySchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/downloads',
    permission: 'documents:read',
    tag: 'Downloads',
    summary: 'List downloads',
  },
});
export const exportDownloads = defineAction({
  description: 'The download log as CSV (same filters as the list), newest first. Streamed.',
  errors: [],
  params: downloadLogFilter,
  result: z.unknown(),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/downloads/export',
    permission: 'documents:read',
    response: 'csv',
    tag: 'Downloads',
    summary: 'Export downloads as CSV',
  },
});

// ---- document requests -----------------------------------------------------------------------

export const listDocumentRequests = defineAction({
  description: 'Document requests of an account (and everything in it) or of all, newest first.',
  errors: [],
  params: pageParamsSchema.extend({
    accountId: idSchema.optional(),
    status: documentRequestStatusSchema.optional(),
  }),
  result: pageOf(documentRequestSchema),
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/document-requests',
    permission: 'documents:read',
    tag: 'Document requests',
    summary: 'List document requests',
  },
});
export const createDocumentRequest = defineAction({
  description: "Asks contacts of the owner's account for a document; they see it in the portal and answer by upload.",
  errors: ['OWNER_NOT_FOUND', 'FILE_TYPE_NOT_FOUND', 'CONTACT_NOT_IN_ACCOUNT'],
  params: documentRequestCreateSchema,
  result: documentRequestSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/document-requests',
    permission: 'documents:write',
    successStatus: 201,
    tag: 'Document requests',
    summary: 'Request a document',
  },
});
export const getDocumentRequest = defineAction({
  description: 'One document request, with the version that fulfilled it.',
  errors: ['DOCUMENT_REQUEST_NOT_FOUND'],
  params: z.object({ requestId: idSchema }),
  result: documentRequestSchema,
  http: {
    ...staff,
    method: 'GET',
    path: '/admin/document-requests/:requestId',
    permission: 'documents:read',
    tag: 'Document requests',
    summary: 'Get a document request',
  },
});
export const cancelDocumentRequest = defineAction({
  description: 'Cancels an open document request; it leaves the portal.',
  errors: ['DOCUMENT_REQUEST_NOT_FOUND', 'DOCUMENT_REQUEST_CLOSED'],
  params: z.object({ requestId: idSchema }),
  result: documentRequestSchema,
  http: {
    ...staff,
    method: 'POST',
    path: '/admin/document-requests/:requestId/cancel',
    permission: 'documents:write',
    tag: 'Document requests',
    summary: 'Cancel a document request',
  },
});

// ---- internal: for the submittals service ---------------------------------------------------

/** A version as another service needs it to attach it (submittals): whose it is and whether it is clean. */
export const describedVersionSchema = z.object({
  versionId: z.uuid(),
  documentId: z.uuid(),
  accountId: z.uuid(),
  owner: documentOwnerSchema,
  fileName: z.string(),
  sizeBytes: z.int().min(0),
  contentType: documentContentTypeSchema,
  scanState: scanStateSchema,
  uploadedBy: actorSchema,
  documentArchived: z.boolean(),
});
export type DescribedVersion = z.infer<typeof describedVersionSchema>;

/** Internal (no HTTP binding): the submittals service checks the versions it is asked to attach. */
export const describeVersions = defineAction({
  description:
    'Versions by id with their document, account, owner, file facts and scan state; unknown ids are left out.',
  errors: [],
  params: z.object({ versionIds: z.array(idSchema).max(100) }),
  result: z.array(describedVersionSchema),
});

/**
 * Internal: a download the caller has already authorised (the submittals service, for a file of a
 * submittal the contact sees). Logged like any download, with the caller's actor and address.
 */
export const issueVersionDownloadLink = defineAction({
  description: 'A short-lived presigned GET of a clean version, logged for the calling actor.',
  errors: ['VERSION_NOT_FOUND', 'VERSION_QUARANTINED'],
  params: z.object({ versionId: idSchema }),
  result: downloadLinkSchema,
});

export const documentsActions = {
  'documents.listFileTypes': listFileTypes,
  'documents.createFileType': createFileType,
  'documents.updateFileType': updateFileType,
  'documents.listDocuments': listDocuments,
  'documents.createDocument': createDocument,
  'documents.getDocument': getDocument,
  'documents.updateDocument': updateDocument,
  'documents.archiveDocument': archiveDocument,
  'documents.listDocumentVersions': listDocumentVersions,
  'documents.startDocumentUpload': startDocumentUpload,
  'documents.finalizeDocumentUpload': finalizeDocumentUpload,
  'documents.createStaffDownloadLink': createStaffDownloadLink,
  'documents.listDownloads': listDownloads,
  'documents.exportDownloads': exportDownloads,
  'documents.listDocumentRequests': listDocumentRequests,
  'documents.createDocumentRequest': createDocumentRequest,
  'documents.getDocumentRequest': getDocumentRequest,
  'documents.cancelDocumentRequest': cancelDocumentRequest,
  'documents.describeVersions': describeVersions,
  'documents.issueVersionDownloadLink': issueVersionDownloadLink,
} as const;
