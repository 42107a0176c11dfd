import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema } from '../http.ts';
import { searchText } from '../text.ts';
import {
  documentContentTypeSchema,
  documentOwnerKindSchema,
  documentOwnerSchema,
  documentRequestStatusSchema,
  downloadLinkSchema,
  finalizeUploadSchema,
  uploadRequestSchema,
  uploadTicketSchema,
} from './models.ts';

const portal = { audience: 'portal', tag: 'Portal documents' } as const;
const accountNarrowing = idSchema
  .optional()
  .describe('One of the accounts the contact reaches (the account switcher); any other answers 404 OWNER_NOT_FOUND.');
const timestamp = z.iso.datetime({ offset: true });

/** Where an item belongs, named: the account's number and name, or the site's or project's code and name. */
export const portalOwnerSchema = documentOwnerSchema.extend({ code: z.string(), name: z.string() });

/** A clean version as a contact sees it: no scan details, no uploader. */
export const portalVersionSchema = z.object({
  id: z.uuid(),
  number: z.int().min(1),
  fileName: z.string(),
  sizeBytes: z.int().min(0),
  contentType: documentContentTypeSchema,
  uploadedAt: timestamp,
});

/** A document as a contact sees it: no sharing settings, no staff state. */
export const portalDocumentSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  owner: portalOwnerSchema,
  title: z.string(),
  description: z.string().nullable(),
  fileType: z.object({ code: z.string(), name: z.string() }),
  currentVersion: portalVersionSchema,
  updatedAt: timestamp,
});
export type PortalDocument = z.infer<typeof portalDocumentSchema>;

export const portalDocumentRequestSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  owner: portalOwnerSchema,
  title: z.string(),
  instructions: z.string().nullable(),
  fileType: z.object({
    name: z.string(),
    allowedContentTypes: z.array(documentContentTypeSchema),
    maxSizeBytes: z.int(),
  }),
  dueDate: z.iso.date().nullable(),
  status: documentRequestStatusSchema,
  fulfilledAt: timestamp.nullable(),
  fulfilledDocumentId: z.uuid().nullable(),
  fulfilledVersion: portalVersionSchema.nullable(),
  createdAt: timestamp,
});
export type PortalDocumentRequest = z.infer<typeof portalDocumentRequestSchema>;

export const listPortalDocuments = defineAction({
  description:
    'The documents the signed-in contact may see, by the one visibility rule, by title. `ownerId` (with `ownerKind`) narrows to one owner; an owner whose items the contact does not see answers 404 like one that does not exist.',
  errors: ['OWNER_NOT_FOUND'],
  params: pageParamsSchema.extend({
    accountId: accountNarrowing,
    search: searchText.optional().describe('Part of the title.'),
    ownerKind: documentOwnerKindSchema.optional(),
    ownerId: idSchema.optional(),
  }),
  result: pageOf(portalDocumentSchema),
  http: { ...portal, method: 'GET', path: '/portal/documents', summary: 'My documents' },
});
export const getPortalDocument = defineAction({
  description: 'One visible document with its clean versions, newest first; anything else answers 404.',
  errors: ['DOCUMENT_NOT_FOUND'],
  params: z.object({ documentId: idSchema }),
  result: portalDocumentSchema.extend({ versions: z.array(portalVersionSchema) }),
  http: { ...portal, method: 'GET', path: '/portal/documents/:documentId', summary: 'A document' },
});
export const createPortalDownloadLink = defineAction({
  description:
    'A short-lived presigned GET of a clean version of a visible document, answered as an attachment. Logged with the contact and its address.',
  errors: ['DOCUMENT_NOT_FOUND', 'VERSION_NOT_FOUND'],
  params: z.object({ documentId: idSchema, versionId: idSchema }),
  result: downloadLinkSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/documents/:documentId/versions/:versionId/download',
    summary: 'Download a version',
  },
});
export const listPortalDocumentRequests = defineAction({
  description: 'Document requests addressed to the signed-in contact (whose owner it may see), newest first.',
  errors: ['OWNER_NOT_FOUND'],
  params: pageParamsSchema.extend({ status: documentRequestStatusSchema.default('open'), accountId: accountNarrowing }),
  result: pageOf(portalDocumentRequestSchema),
  http: { ...portal, method: 'GET', path: '/portal/document-requests', summary: 'Requests for documents' },
});
export const getPortalDocumentRequest = defineAction({
  description: 'One document request addressed to the signed-in contact; anything else answers 404.',
  errors: ['DOCUMENT_REQUEST_NOT_FOUND'],
  params: z.object({ requestId: idSchema }),
  result: portalDocumentRequestSchema,
  http: { ...portal, method: 'GET', path: '/portal/document-requests/:requestId', summary: 'A document request' },
});
export const startRequestUpload = defineAction({
  description:
    "Issues a presigned PUT for the file that answers an open request (its file type's limits apply); then PUT and finalize.",
  errors: [
    'DOCUMENT_REQUEST_NOT_FOUND',
    'DOCUMENT_REQUEST_CLOSED',
    'FILE_TOO_LARGE',
    'CONTENT_TYPE_NOT_ALLOWED',
    'FILE_NAME_INVALID',
  ],
  params: uploadRequestSchema.extend({ requestId: idSchema }),
  result: uploadTicketSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/document-requests/:requestId/uploads',
    successStatus: 201,
    summary: 'Start answering a request',
  },
});
export const finalizeRequestUpload = defineAction({
  description:
    'Checks the stored file like a staff upload and files it as a document of the request; the request is fulfilled once the malware scan passes (staff are told by the `documents.request.fulfilled` event).',
  errors: [
    'DOCUMENT_REQUEST_NOT_FOUND',
    'DOCUMENT_REQUEST_CLOSED',
    'UPLOAD_NOT_FOUND',
    'UPLOAD_EXPIRED',
    'UPLOAD_MISSING',
    'UPLOAD_SIZE_MISMATCH',
    'UPLOAD_CHECKSUM_MISMATCH',
    'CONTENT_MISMATCH',
  ],
  params: finalizeUploadSchema.extend({ requestId: idSchema, uploadId: idSchema }),
  result: portalDocumentRequestSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/document-requests/:requestId/uploads/:uploadId/finalize',
    summary: 'Finish answering a request',
  },
});

/** A file the contact uploaded to a project, to send with a submittal or an answer to one. */
export const portalProjectFileSchema = z.object({
  documentId: z.uuid(),
  versionId: z.uuid(),
  fileName: z.string(),
  sizeBytes: z.int().min(0),
  contentType: documentContentTypeSchema,
  scanState: z
    .enum(['pending', 'clean', 'infected'])
    .describe('Only a `clean` file can be sent; `pending` is rescanned shortly, `infected` never can.'),
});

export const startProjectUpload = defineAction({
  description:
    'Issues a presigned PUT for a file the contact sends to a project it sees (a submittal, marked-up drawings); the "customer-file" file type\'s limits apply. Then PUT and finalize.',
  errors: ['OWNER_NOT_FOUND', 'FILE_TYPE_NOT_FOUND', 'FILE_TOO_LARGE', 'CONTENT_TYPE_NOT_ALLOWED', 'FILE_NAME_INVALID'],
  params: uploadRequestSchema.extend({ projectId: idSchema }),
  result: uploadTicketSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/projects/:projectId/uploads',
    successStatus: 201,
    summary: 'Start uploading a file to a project',
  },
});
export const finalizeProjectUpload = defineAction({
  description:
    'Checks the stored file like any upload and files it as a document of the project (type "customer-file", shared with the uploader only), scanned at once.',
  errors: [
    'OWNER_NOT_FOUND',
    'FILE_TYPE_NOT_FOUND',
    'UPLOAD_NOT_FOUND',
    'UPLOAD_EXPIRED',
    'UPLOAD_MISSING',
    'UPLOAD_SIZE_MISMATCH',
    'UPLOAD_CHECKSUM_MISMATCH',
    'CONTENT_MISMATCH',
  ],
  params: finalizeUploadSchema.extend({ projectId: idSchema, uploadId: idSchema }),
  result: portalProjectFileSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/projects/:projectId/uploads/:uploadId/finalize',
    summary: 'Finish uploading a file to a project',
  },
});

export const documentsPortalActions = {
  'documents.listPortalDocuments': listPortalDocuments,
  'documents.getPortalDocument': getPortalDocument,
  'documents.createPortalDownloadLink': createPortalDownloadLink,
  'documents.listPortalDocumentRequests': listPortalDocumentRequests,
  'documents.getPortalDocumentRequest': getPortalDocumentRequest,
  'documents.startRequestUpload': startRequestUpload,
  'documents.finalizeRequestUpload': finalizeRequestUpload,
  'documents.startProjectUpload': startProjectUpload,
  'documents.finalizeProjectUpload': finalizeProjectUpload,
} as const;
