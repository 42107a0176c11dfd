import { z } from 'zod';
import { defineAction } from '../contract.ts';
import { idSchema, pageOf, pageParamsSchema, queryBoolean } from '../http.ts';
import {
  incomingQueueEntrySchema,
  incomingStatusSchema,
  incomingSubmittalSchema,
  returnCodeListInputSchema,
  returnCodeListSchema,
  submittalCreateSchema,
  submittalSchema,
  submittalStatusSchema,
  submittalUpdateSchema,
} from './models.ts';

const staff = { audience: 'staff' } as const;
const codesTag = { ...staff, tag: 'Return codes' } as const;
const outgoingTag = { ...staff, tag: 'Submittals' } as const;
const incomingTag = { ...staff, tag: 'Files from customers' } as const;
const bySubmittal = z.object({ submittalId: idSchema });

// ---- return codes ----------------------------------------------------------------------------

export const getReturnCodes = defineAction({
  description: "The return codes an account's contacts answer submittals with: its own list, or the default.",
  errors: ['SUBMITTAL_ACCOUNT_NOT_FOUND'],
  params: z.object({ accountId: idSchema }),
  result: returnCodeListSchema,
  http: {
    ...codesTag,
    method: 'GET',
    path: '/admin/accounts/:accountId/return-codes',
    permission: 'submittals:read',
    summary: "Get an account's return codes",
  },
});
export const replaceReturnCodes = defineAction({
  description:
    "Replaces an account's return codes (audited: `submittals.return-codes.changed` with the lists before and after). Answers already given keep the code, label and flag they were given with.",
  errors: ['SUBMITTAL_ACCOUNT_NOT_FOUND'],
  params: z.object({ accountId: idSchema, codes: returnCodeListInputSchema }),
  result: returnCodeListSchema,
  http: {
    ...codesTag,
    method: 'PUT',
    path: '/admin/accounts/:accountId/return-codes',
    permission: 'settings:write',
    summary: "Replace an account's return codes",
  },
});
export const resetReturnCodes = defineAction({
  description:
    "Puts an account back on the installation's default return codes (audited: `submittals.return-codes.changed`).",
  errors: ['SUBMITTAL_ACCOUNT_NOT_FOUND'],
  params: z.object({ accountId: idSchema }),
  result: returnCodeListSchema,
  http: {
    ...codesTag,
    method: 'POST',
    path: '/admin/accounts/:accountId/return-codes/reset',
    permission: 'settings:write',
    summary: "Reset an account's return codes to the default",
  },
});

// ---- outgoing submittals ---------------------------------------------------------------------

export const listSubmittals = defineAction({
  description:
    'Outgoing submittals, newest first: of a project, of an account, or all; `status` and `overdue` narrow them.',
  errors: [],
  params: pageParamsSchema.extend({
    projectId: idSchema.optional(),
    accountId: idSchema.optional(),
    status: submittalStatusSchema.optional(),
    overdue: queryBoolean.optional(),
  }),
  result: pageOf(submittalSchema),
  http: {
    ...outgoingTag,
    method: 'GET',
    path: '/admin/submittals',
    permission: 'submittals:read',
    summary: 'List submittals',
  },
});
export const createSubmittal = defineAction({
  description:
    "Creates a draft submittal on a project with the next transmittal number of the project (revision 0). Its files are clean document versions of the project's account.",
  errors: ['SUBMITTAL_PROJECT_NOT_FOUND', 'VERSIONS_NOT_USABLE'],
  params: submittalCreateSchema,
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'POST',
    path: '/admin/submittals',
    permission: 'submittals:write',
    successStatus: 201,
    summary: 'Create a draft submittal',
  },
});
export const getSubmittal = defineAction({
  description: 'One submittal with its files and the customer’s answer.',
  errors: ['SUBMITTAL_NOT_FOUND'],
  params: bySubmittal,
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'GET',
    path: '/admin/submittals/:submittalId',
    permission: 'submittals:read',
    summary: 'Get a submittal',
  },
});
export const updateSubmittal = defineAction({
  description: 'Changes a draft; `versionIds` replaces its files.',
  errors: ['SUBMITTAL_NOT_FOUND', 'SUBMITTAL_WRONG_STATUS', 'VERSIONS_NOT_USABLE'],
  params: submittalUpdateSchema.extend({ submittalId: idSchema }),
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'PATCH',
    path: '/admin/submittals/:submittalId',
    permission: 'submittals:write',
    summary: 'Update a draft submittal',
  },
});
export const sendSubmittal = defineAction({
  description:
    'Sends a draft: it shows in the portal to the contacts who see the project (`submittals.submittal.sent`; e-mail when `notifyByEmail`).',
  errors: ['SUBMITTAL_NOT_FOUND', 'SUBMITTAL_WRONG_STATUS', 'SUBMITTAL_HAS_NO_FILES'],
  params: bySubmittal,
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'POST',
    path: '/admin/submittals/:submittalId/send',
    permission: 'submittals:write',
    summary: 'Send a submittal',
  },
});
export const voidSubmittal = defineAction({
  description: 'Voids a draft, sent or returned submittal; a sent one leaves the portal.',
  errors: ['SUBMITTAL_NOT_FOUND', 'SUBMITTAL_WRONG_STATUS'],
  params: bySubmittal,
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'POST',
    path: '/admin/submittals/:submittalId/void',
    permission: 'submittals:write',
    summary: 'Void a submittal',
  },
});
export const closeSubmittal = defineAction({
  description: 'Closes a sent or returned submittal: nothing more is expected of it.',
  errors: ['SUBMITTAL_NOT_FOUND', 'SUBMITTAL_WRONG_STATUS'],
  params: bySubmittal,
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'POST',
    path: '/admin/submittals/:submittalId/close',
    permission: 'submittals:write',
    summary: 'Close a submittal',
  },
});
export const createNextRevision = defineAction({
  description:
    'Creates the next revision of a returned submittal whose return code is not stage-complete: a draft with the same number, revision + 1, linked to it, with its purpose, title, message, dates and files to edit. The returned one is closed.',
  errors: ['SUBMITTAL_NOT_FOUND', 'REVISION_NOT_ALLOWED'],
  params: bySubmittal,
  result: submittalSchema,
  http: {
    ...outgoingTag,
    method: 'POST',
    path: '/admin/submittals/:submittalId/revisions',
    permission: 'submittals:write',
    successStatus: 201,
    summary: 'Create the next revision',
  },
});

// ---- incoming submittals ("Files from customer") ---------------------------------------------

export const listIncomingSubmittals = defineAction({
  description: 'A project\'s "Files from customer": the submittals its contacts sent, newest first.',
  errors: [],
  params: pageParamsSchema.extend({ projectId: idSchema, status: incomingStatusSchema.optional() }),
  result: pageOf(incomingSubmittalSchema),
  http: {
    ...incomingTag,
    method: 'GET',
    path: '/admin/projects/:projectId/incoming-submittals',
    permission: 'submittals:read',
    summary: 'List files from the customer',
  },
});
export const getIncomingSubmittal = defineAction({
  description: "One submittal a customer sent, with its files (download them from the document's versions).",
  errors: ['INCOMING_SUBMITTAL_NOT_FOUND'],
  params: z.object({ incomingSubmittalId: idSchema }),
  result: incomingSubmittalSchema,
  http: {
    ...incomingTag,
    method: 'GET',
    path: '/admin/incoming-submittals/:incomingSubmittalId',
    permission: 'submittals:read',
    summary: 'Get a submittal from the customer',
  },
});
export const markIncomingProcessed = defineAction({
  description: "Marks a customer's submittal processed (by whom, when); marking it again changes nothing.",
  errors: ['INCOMING_SUBMITTAL_NOT_FOUND'],
  params: z.object({ incomingSubmittalId: idSchema }),
  result: incomingSubmittalSchema,
  http: {
    ...incomingTag,
    method: 'POST',
    path: '/admin/incoming-submittals/:incomingSubmittalId/process',
    permission: 'submittals:write',
    summary: 'Mark a submittal from the customer processed',
  },
});
export const listIncomingQueue = defineAction({
  description:
    'The staff queue: projects with unprocessed submittals from customers and how many, the longest-waiting first.',
  errors: [],
  params: pageParamsSchema.extend({ accountId: idSchema.optional() }),
  result: pageOf(incomingQueueEntrySchema),
  http: {
    ...incomingTag,
    method: 'GET',
    path: '/admin/incoming-submittal-queue',
    permission: 'submittals:read',
    summary: 'Projects with unprocessed files from customers',
  },
});

/** Internal: runs the overdue sweep now (the service also runs it on a timer). */
export const sweepOverdueSubmittals = defineAction({
  description: 'Emits `submittals.submittal.overdue` for each sent submittal past its expected-return date, once.',
  errors: [],
  params: z.object({}),
  result: z.object({ overdue: z.int().min(0) }),
});

export const submittalsActions = {
  'submittals.getReturnCodes': getReturnCodes,
  'submittals.replaceReturnCodes': replaceReturnCodes,
  'submittals.resetReturnCodes': resetReturnCodes,
  'submittals.listSubmittals': listSubmittals,
  'submittals.createSubmittal': createSubmittal,
  'submittals.getSubmittal': getSubmittal,
  'submittals.updateSubmittal': updateSubmittal,
  'submittals.sendSubmittal': sendSubmittal,
  'submittals.voidSubmittal': voidSubmittal,
  'submittals.closeSubmittal': closeSubmittal,
  'submittals.createNextRevision': createNextRevision,
  'submittals.listIncomingSubmittals': listIncomingSubmittals,
  'submittals.getIncomingSubmittal': getIncomingSubmittal,
  'submittals.markIncomingProcessed': markIncomingProcessed,
  'submittals.listIncomingQueue': listIncomingQueue,
  'submittals.sweepOverdueSubmittals': sweepOverdueSubmittals,
} as const;
