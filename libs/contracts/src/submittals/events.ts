import { z } from 'zod';
import { defineEvent } from '../contract.ts';
import { returnCodeSchema, submittalPurposeSchema } from './models.ts';

// Thin payloads: ids plus the facts notifications decide by (whom to tell, whether to e-mail).
const outgoingFacts = {
  submittalId: z.uuid(),
  accountId: z.uuid(),
  projectId: z.uuid(),
  number: z.string(),
  revision: z.int().min(0),
  title: z.string(),
};
const incomingFacts = {
  incomingSubmittalId: z.uuid(),
  accountId: z.uuid(),
  projectId: z.uuid(),
  contactId: z.uuid(),
  transmittalNumber: z.string(),
};

/** An account's return codes as they stood: its own list, or the default's codes while `isDefault`. */
const returnCodesInForce = z.object({ isDefault: z.boolean(), codes: z.array(returnCodeSchema) });

export const submittalsEvents = {
  'submittals.return-codes.changed': defineEvent({
    version: 1,
    description:
      "Staff replaced an account's return codes (`replaced`) or put it back on the installation default (`reset`): the codes its contacts answer with, before and after. Written only when something changed; the directory records it in the account's audit trail.",
    data: z.object({
      accountId: z.uuid(),
      change: z.enum(['replaced', 'reset']),
      before: returnCodesInForce,
      after: returnCodesInForce,
    }),
  }),
  'submittals.submittal.sent': defineEvent({
    version: 1,
    description:
      'Staff sent a submittal: it shows in the portal to the contacts who see its project. `notifyByEmail` says whether they want an e-mail about it (the bell rings either way).',
    data: z.object({
      ...outgoingFacts,
      purpose: submittalPurposeSchema,
      notifyByEmail: z.boolean(),
      dueDate: z.iso.date().nullable(),
      expectedReturnDate: z.iso.date().nullable(),
    }),
  }),
  'submittals.submittal.returned': defineEvent({
    version: 1,
    description:
      'A contact answered a sent submittal with a return code; `stageComplete` false means staff are expected to send a next revision.',
    data: z.object({
      ...outgoingFacts,
      contactId: z.uuid(),
      code: z.string(),
      label: z.string(),
      stageComplete: z.boolean(),
    }),
  }),
  'submittals.submittal.overdue': defineEvent({
    version: 1,
    description:
      "A sent submittal's expected-return date has passed without an answer. Emitted once per submittal (by the service's sweep).",
    data: z.object({ ...outgoingFacts, expectedReturnDate: z.iso.date() }),
  }),
  'submittals.submittal.voided': defineEvent({
    version: 1,
    description: 'Staff voided a submittal; one that had been sent leaves the portal.',
    data: z.object({ ...outgoingFacts, wasSent: z.boolean() }),
  }),
  'submittals.submittal.received': defineEvent({
    version: 1,
    description:
      'A contact sent a submittal of its own into a project: it waits, unprocessed, in the project\'s "Files from customer".',
    data: z.object({ ...incomingFacts, fileCount: z.int().min(1) }),
  }),
  'submittals.submittal.processed': defineEvent({
    version: 1,
    description: "Staff marked a customer's submittal processed; it leaves the queue.",
    data: z.object({ ...incomingFacts, processedBy: z.string() }),
  }),
} as const;
