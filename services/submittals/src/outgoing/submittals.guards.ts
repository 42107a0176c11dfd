import type { EntityManager } from '@mikro-orm/postgresql';
import type { Submittal } from '@portal/contracts';
import { allows, type SubmittalOperation } from '../domain/submittal-status.rules.ts';
import { submittalsError } from '../errors.ts';
import { findSubmittal } from './submittals.repository.ts';

export const submittalNotFound = () => submittalsError('SUBMITTAL_NOT_FOUND');

/** The submittal, locked for the transaction, when its status allows the operation. */
export async function lockedFor(tx: EntityManager, id: string, operation: SubmittalOperation): Promise<Submittal> {
  const submittal = await findSubmittal(tx, id, { forUpdate: true });
  if (!submittal) throw submittalNotFound();
  if (!allows(operation, submittal.status)) {
    throw submittalsError('SUBMITTAL_WRONG_STATUS', { details: { status: submittal.status, operation } });
  }
  return submittal;
}

/** The facts every outgoing event carries. */
export function outgoingFacts(submittal: Submittal) {
  return {
    submittalId: submittal.id,
    accountId: submittal.accountId,
    projectId: submittal.projectId,
    number: submittal.number,
    revision: submittal.revision,
    title: submittal.title,
  };
}
