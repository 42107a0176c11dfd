import type { IncomingSubmittal } from '@portal/contracts';
import { submittalsError } from '../errors.ts';

export const incomingNotFound = () => submittalsError('INCOMING_SUBMITTAL_NOT_FOUND');

/** The facts every incoming event carries. */
export function incomingFacts(incoming: IncomingSubmittal) {
  return {
    incomingSubmittalId: incoming.id,
    accountId: incoming.accountId,
    projectId: incoming.projectId,
    contactId: incoming.contactId,
    transmittalNumber: incoming.transmittalNumber,
  };
}
