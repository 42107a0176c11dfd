import type moleculer from 'moleculer';
import { call, DomainError } from '@portal/kit';
import { submittalsError } from '../errors.ts';

/**
 * The directory owns accounts, projects and contacts (DESIGN rule 1): the submittals service asks
 * it, by action call, which account a project belongs to and whether an account exists.
 */

const isNotFound = (error: unknown) => error instanceof DomainError && error.kind === 'not_found';

export async function accountOfProject(ctx: moleculer.Context, projectId: string): Promise<string> {
  try {
    return (await call(ctx, 'directory.getProject', { projectId })).accountId;
  } catch (error) {
    if (isNotFound(error)) throw submittalsError('SUBMITTAL_PROJECT_NOT_FOUND');
    throw error;
  }
}

export async function requireAccount(ctx: moleculer.Context, accountId: string): Promise<void> {
  try {
    await call(ctx, 'directory.getAccount', { accountId });
  } catch (error) {
    if (isNotFound(error)) throw submittalsError('SUBMITTAL_ACCOUNT_NOT_FOUND');
    throw error;
  }
}
