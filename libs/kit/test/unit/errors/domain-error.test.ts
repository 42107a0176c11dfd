import moleculer from 'moleculer';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { directoryErrors } from '@portal/contracts';
import {
  dataExceptionAsBadRequest,
  DomainError,
  DomainErrorRegenerator,
  errorFactoryOf,
  validationFailed,
} from '@portal/kit';

const conflict = (code: 'CONTACT_EMAIL_TAKEN' | 'ACCOUNT_NUMBER_TAKEN', message: string, details?: unknown) =>
  errorFactoryOf(directoryErrors)(code, { message, details });

function overTheWire(error: Error): Error {
  const broker = new moleculer.ServiceBroker({ logger: false });
  const regenerator = new DomainErrorRegenerator();
  regenerator.init(broker);
  const plain = JSON.parse(JSON.stringify(regenerator.extractPlainError(error as never)));
  return regenerator.restore(plain, { sender: 'remote-node' });
}

describe('DomainError', () => {
  it('carries the HTTP status as code and the stable code as type', () => {
    const error = conflict('CONTACT_EMAIL_TAKEN', 'This e-mail already has portal access.', { email: 'a@b.test' });
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 409,
      type: 'CONTACT_EMAIL_TAKEN',
      details: { email: 'a@b.test' },
    });
  });

  it('survives serialisation between nodes as a DomainError', () => {
    const restored = overTheWire(conflict('ACCOUNT_NUMBER_TAKEN', 'Taken.'));
    expect(restored).toBeInstanceOf(DomainError);
    expect(restored).toMatchObject({ kind: 'conflict', code: 409, type: 'ACCOUNT_NUMBER_TAKEN', message: 'Taken.' });
  });

  it('leaves other errors to Moleculer', () => {
    const restored = overTheWire(new moleculer.Errors.ServiceNotFoundError({ action: 'x.y' }));
    expect(restored).not.toBeInstanceOf(DomainError);
    expect(restored).toBeInstanceOf(moleculer.Errors.ServiceNotFoundError);
  });

  it('turns zod issues into per-field details', () => {
    const parsed = z.object({ email: z.email(), name: z.string().min(1) }).safeParse({ email: 'nope', name: '' });
    if (parsed.success) throw new Error('expected a failure');
    const error = validationFailed(parsed.error.issues);
    expect(error).toMatchObject({ code: 400, type: 'VALIDATION_FAILED' });
    expect((error.details as { path: string }[]).map((issue) => issue.path).sort()).toEqual(['email', 'name']);
  });
});

describe('errorFactoryOf', () => {
  const directoryError = errorFactoryOf(directoryErrors);

  it('takes the kind and default message from the table, so a code has one status', () => {
    expect(directoryError('ACCOUNT_NOT_FOUND')).toMatchObject({
      kind: 'not_found',
      code: 404,
      type: 'ACCOUNT_NOT_FOUND',
      message: directoryErrors.ACCOUNT_NOT_FOUND.message,
    });
    expect(directoryError('ACCESS_TRANSITION_NOT_ALLOWED', { message: 'From none to disabled.' })).toMatchObject({
      code: 422,
      message: 'From none to disabled.',
    });
  });

  it('refuses a code its table does not declare', () => {
    expect(() => directoryError('NO_SUCH_CODE' as never)).toThrow(/not in this error table/);
  });
});

describe('dataExceptionAsBadRequest', () => {
  it('turns a PostgreSQL data exception (class 22) into 400 INVALID_VALUE without the SQL text', () => {
    const pgError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const mapped = dataExceptionAsBadRequest(pgError);
    expect(mapped).toMatchObject({ code: 400, type: 'INVALID_VALUE', details: { sqlState: '22021' } });
    expect(JSON.stringify(mapped?.details)).not.toContain('UTF8');
  });

  it('leaves constraint violations, connection failures and plain errors alone', () => {
    for (const code of ['23505', '08006', '57P01', 'ECONNREFUSED', undefined]) {
      expect(dataExceptionAsBadRequest(Object.assign(new Error('x'), { code }))).toBeUndefined();
    }
  });
});
