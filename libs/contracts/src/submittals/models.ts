import { z } from 'zod';
import { documentContentTypeSchema } from '../documents/models.ts';
import { boundedDate, text } from '../text.ts';

const timestamp = z.iso.datetime({ offset: true });

// ---- return codes ----------------------------------------------------------------------------

/**
 * One return (review) code a customer answers a submittal with. `stageComplete`: the answer closes
 * this stage of the submittal; a code that is not stage-complete lets staff issue the next
 * revision.
 */
export const returnCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(10)
    .regex(/^[A-Z0-9][A-Z0-9._-]*$/, 'upper-case letters, digits, ".", "_" and "-" only'),
  label: text({ max: 100 }),
  stageComplete: z.boolean(),
});
export type ReturnCode = z.infer<typeof returnCodeSchema>;

/**
 * The installation's default list. "Rejected" is not stage-complete: the customer refuses what was
 * sent, so the supplier must send it again (a next revision), like "Revise and resubmit".
 * "For information" completes the stage: there is nothing to approve.
 */
export const defaultReturnCodes: readonly ReturnCode[] = [
  { code: 'A', label: 'Approved', stageComplete: true },
  { code: 'B', label: 'Approved as noted', stageComplete: true },
  { code: 'C', label: 'Revise and resubmit', stageComplete: false },
  { code: 'D', label: 'Rejected', stageComplete: false },
  { code: 'E', label: 'For information', stageComplete: true },
];

/** A repeated code is reported at the row that repeats it, so a form can show it there. */
export const returnCodeListInputSchema = z
  .array(returnCodeSchema)
  .min(1)
  .max(30)
  .superRefine((codes, ctx) => {
    const seen = new Set<string>();
    codes.forEach(({ code }, index) => {
      if (seen.has(code)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'code'],
          message: `${code} is already in the list: each code appears once`,
        });
      }
      seen.add(code);
    });
  });

export const returnCodeListSchema = z.object({
  accountId: z.uuid(),
  codes: z.array(returnCodeSchema),
  isDefault: z.boolean().describe("True while the account uses the installation's default list."),
  updatedAt: timestamp.nullable().describe('When the account last replaced its list; null for the default.'),
});
export type ReturnCodeList = z.infer<typeof returnCodeListSchema>;

// ---- files -----------------------------------------------------------------------------------

/** A document version attached to a submittal, as the documents service described it when attached. */
export const submittalFileSchema = z.object({
  versionId: z.uuid(),
  documentId: z.uuid(),
  fileName: z.string(),
  sizeBytes: z.int().min(0),
  contentType: documentContentTypeSchema,
});
export type SubmittalFile = z.infer<typeof submittalFileSchema>;

const versionIds = z.array(z.uuid()).max(50);

// ---- outgoing submittals ---------------------------------------------------------------------

export const submittalPurposes = ['for-approval', 'for-review', 'for-information', 'as-requested'] as const;
export const submittalPurposeSchema = z.enum(submittalPurposes);
export type SubmittalPurpose = z.infer<typeof submittalPurposeSchema>;

/** `draft` → `sent` → `returned` → `closed`; `void` from draft, sent or returned. */
export const submittalStatuses = ['draft', 'sent', 'returned', 'closed', 'void'] as const;
export const submittalStatusSchema = z.enum(submittalStatuses);
export type SubmittalStatus = z.infer<typeof submittalStatusSchema>;

export const submittalResponseSchema = z.object({
  code: z.string(),
  label: z.string(),
  stageComplete: z.boolean(),
  comments: z.string().nullable(),
  markupFiles: z.array(submittalFileSchema).describe('Marked-up files the contact uploaded with its answer.'),
  contactId: z.uuid(),
  respondedAt: timestamp,
});
export type SubmittalResponse = z.infer<typeof submittalResponseSchema>;

export const submittalSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  projectId: z.uuid(),
  number: z.string().describe('The transmittal number, per project with the installation prefix: `T-0001`.'),
  revision: z.int().min(0),
  previousRevisionId: z.uuid().nullable().describe('The revision this one follows; null for revision 0.'),
  nextRevisionId: z.uuid().nullable().describe('The revision that follows this one, once staff created it.'),
  purpose: submittalPurposeSchema,
  title: z.string(),
  message: z.string().nullable(),
  files: z.array(submittalFileSchema),
  dueDate: z.iso.date().nullable(),
  expectedReturnDate: z.iso.date().nullable(),
  notifyByEmail: z.boolean(),
  status: submittalStatusSchema,
  overdue: z.boolean().describe('Sent, and its expected-return date has passed (UTC dates).'),
  response: submittalResponseSchema.nullable(),
  sentAt: timestamp.nullable(),
  returnedAt: timestamp.nullable(),
  closedAt: timestamp.nullable(),
  voidedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Submittal = z.infer<typeof submittalSchema>;

const submittalFields = {
  purpose: submittalPurposeSchema,
  title: text({ max: 200 }),
  message: text({ max: 4000, min: 0, multiline: true }).nullable(),
  versionIds: versionIds.describe(
    "Clean document versions of the project's account (documents service); the order is kept.",
  ),
  dueDate: boundedDate.nullable(),
  expectedReturnDate: boundedDate.nullable(),
  notifyByEmail: z.boolean(),
};

export const submittalCreateSchema = z.object({
  projectId: z.uuid(),
  purpose: submittalFields.purpose,
  title: submittalFields.title,
  message: submittalFields.message.optional(),
  versionIds: submittalFields.versionIds.default([]),
  dueDate: submittalFields.dueDate.optional(),
  expectedReturnDate: submittalFields.expectedReturnDate.optional(),
  notifyByEmail: z.boolean().default(false),
});
export const submittalUpdateSchema = z.object(submittalFields).partial();

// ---- incoming submittals ---------------------------------------------------------------------

export const incomingStatuses = ['unprocessed', 'processed'] as const;
export const incomingStatusSchema = z.enum(incomingStatuses);

export const incomingFileSchema = submittalFileSchema.extend({
  isLetter: z.boolean().describe('The transmittal letter among the files.'),
});

export const incomingSubmittalSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  projectId: z.uuid(),
  contactId: z.uuid().describe('The contact who sent it.'),
  transmittalNumber: z.string().describe("The customer's own number."),
  note: z.string().nullable(),
  files: z.array(incomingFileSchema),
  status: incomingStatusSchema,
  receivedAt: timestamp,
  processedAt: timestamp.nullable(),
  processedBy: z.string().nullable().describe('The staff user who marked it processed.'),
});
export type IncomingSubmittal = z.infer<typeof incomingSubmittalSchema>;

export const incomingSubmittalCreateSchema = z.object({
  projectId: z.uuid(),
  transmittalNumber: text({ max: 60 }),
  note: text({ max: 4000, min: 0, multiline: true }).nullable().optional(),
  files: z
    .array(
      z.object({
        versionId: z.uuid(),
        isLetter: z.boolean().default(false).describe('This file is the transmittal letter (one at most).'),
      }),
    )
    .min(1)
    .max(50)
    .refine((files) => new Set(files.map((f) => f.versionId)).size === files.length, 'each file appears once')
    .refine((files) => files.filter((f) => f.isLetter).length <= 1, 'one transmittal letter at most')
    .describe('Versions the contact uploaded to this project (`POST /portal/projects/:projectId/uploads`).'),
});

/** A line of the staff queue: a project with unprocessed incoming submittals. */
export const incomingQueueEntrySchema = z.object({
  projectId: z.uuid(),
  accountId: z.uuid(),
  unprocessedCount: z.int().min(1),
  oldestReceivedAt: timestamp,
  latestReceivedAt: timestamp,
});
export type IncomingQueueEntry = z.infer<typeof incomingQueueEntrySchema>;
