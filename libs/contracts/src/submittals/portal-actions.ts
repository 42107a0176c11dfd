import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { downloadLinkSchema } from '../documents/models.ts';
import { idSchema, pageOf, pageParamsSchema } from '../http.ts';
import { text } from '../text.ts';
import {
  incomingStatusSchema,
  incomingSubmittalCreateSchema,
  returnCodeSchema,
  submittalFileSchema,
  submittalPurposeSchema,
  submittalResponseSchema,
} from './models.ts';

const portal = { audience: 'portal', tag: 'Portal submittals' } as const;
const timestamp = z.iso.datetime({ offset: true });

/** The statuses a contact sees: never drafts, never voided ones. */
export const portalSubmittalStatuses = ['sent', 'returned', 'closed'] as const;
export const portalSubmittalStatusSchema = z.enum(portalSubmittalStatuses);

/** An outgoing submittal as a contact sees it: no staff state, and the codes it may answer with while it is `sent`. */
export const portalSubmittalSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  projectId: z.uuid(),
  number: z.string(),
  revision: z.int().min(0),
  purpose: submittalPurposeSchema,
  title: z.string(),
  message: z.string().nullable(),
  files: z.array(submittalFileSchema),
  dueDate: z.iso.date().nullable(),
  expectedReturnDate: z.iso.date().nullable(),
  status: portalSubmittalStatusSchema,
  overdue: z.boolean(),
  response: submittalResponseSchema.nullable(),
  sentAt: timestamp,
});
export type PortalSubmittal = z.infer<typeof portalSubmittalSchema>;

export const listPortalSubmittals = defineAction({
  description:
    'Submittals sent to the signed-in contact: those of the projects it sees, newest first. `projectId` narrows to one visible project; any other answers 404.',
  errors: ['SUBMITTAL_PROJECT_NOT_FOUND'],
  params: pageParamsSchema.extend({
    projectId: idSchema.optional(),
    status: portalSubmittalStatusSchema.optional(),
  }),
  result: pageOf(portalSubmittalSchema),
  http: { ...portal, method: 'GET', path: '/portal/submittals', summary: 'Submittals sent to me' },
});
export const getPortalSubmittal = defineAction({
  description:
    'One submittal of a visible project, with the return codes of its account (to answer with while it is `sent`); anything else answers 404.',
  errors: ['SUBMITTAL_NOT_FOUND'],
  params: z.object({ submittalId: idSchema }),
  result: portalSubmittalSchema.extend({ returnCodes: z.array(returnCodeSchema) }),
  http: { ...portal, method: 'GET', path: '/portal/submittals/:submittalId', summary: 'A submittal' },
});
export const createPortalSubmittalDownloadLink = defineAction({
  description:
    'A short-lived presigned GET of a file of a visible submittal, answered as an attachment; logged in the download log with the contact.',
  errors: ['SUBMITTAL_NOT_FOUND', 'SUBMITTAL_FILE_NOT_FOUND'],
  params: z.object({ submittalId: idSchema, versionId: idSchema }),
  result: downloadLinkSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/submittals/:submittalId/files/:versionId/download',
    summary: 'Download a file of a submittal',
  },
});
export const respondToSubmittal = defineAction({
  description:
    "Answers a sent submittal with a return code of the account's list, comments and optional marked-up files (versions the contact uploaded to the project). The submittal becomes `returned`.",
  errors: ['SUBMITTAL_NOT_FOUND', 'SUBMITTAL_WRONG_STATUS', 'RETURN_CODE_UNKNOWN', 'VERSIONS_NOT_USABLE'],
  params: z.object({
    submittalId: idSchema,
    code: z.string().trim().min(1).max(10),
    comments: text({ max: 4000, min: 0, multiline: true }).nullable().optional(),
    markupVersionIds: z.array(idSchema).max(20).default([]),
  }),
  result: portalSubmittalSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/submittals/:submittalId/response',
    summary: 'Answer a submittal',
  },
});

/** A submittal the contact sent, as it sees it. */
export const portalIncomingSubmittalSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  projectId: z.uuid(),
  transmittalNumber: z.string(),
  note: z.string().nullable(),
  files: z.array(submittalFileSchema.extend({ isLetter: z.boolean() })),
  status: incomingStatusSchema,
  receivedAt: timestamp,
  processedAt: timestamp.nullable(),
});
export type PortalIncomingSubmittal = z.infer<typeof portalIncomingSubmittalSchema>;

export const createIncomingSubmittal = defineAction({
  description:
    'Sends a submittal of the contact\'s own into a project it sees: its transmittal number, a note and the files it uploaded to the project (one of them the transmittal letter). It lands unprocessed in the project\'s "Files from customer".',
  errors: ['SUBMITTAL_PROJECT_NOT_FOUND', 'VERSIONS_NOT_USABLE'],
  params: incomingSubmittalCreateSchema,
  result: portalIncomingSubmittalSchema,
  http: {
    ...portal,
    method: 'POST',
    path: '/portal/projects/:projectId/incoming-submittals',
    successStatus: 201,
    summary: 'Send a submittal',
  },
});
export const listPortalIncomingSubmittals = defineAction({
  description: 'The submittals the signed-in contact sent, newest first (only of projects it still sees).',
  errors: [],
  params: pageParamsSchema,
  result: pageOf(portalIncomingSubmittalSchema),
  http: { ...portal, method: 'GET', path: '/portal/incoming-submittals', summary: 'Submittals I sent' },
});
export const getPortalIncomingSubmittal = defineAction({
  description: 'One submittal the signed-in contact sent; anything else answers 404.',
  errors: ['INCOMING_SUBMITTAL_NOT_FOUND'],
  params: z.object({ incomingSubmittalId: idSchema }),
  result: portalIncomingSubmittalSchema,
  http: {
    ...portal,
    method: 'GET',
    path: '/portal/incoming-submittals/:incomingSubmittalId',
    summary: 'A submittal I sent',
  },
});

export const submittalsPortalActions = {
  'submittals.listPortalSubmittals': listPortalSubmittals,
  'submittals.getPortalSubmittal': getPortalSubmittal,
  'submittals.createPortalSubmittalDownloadLink': createPortalSubmittalDownloadLink,
  'submittals.respondToSubmittal': respondToSubmittal,
  'submittals.createIncomingSubmittal': createIncomingSubmittal,
  'submittals.listPortalIncomingSubmittals': listPortalIncomingSubmittals,
  'submittals.getPortalIncomingSubmittal': getPortalIncomingSubmittal,
} as const;
