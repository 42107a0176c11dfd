import moleculer from 'moleculer';
import { errorKinds, type ErrorKind } from '@portal/contracts';
import { DomainError } from './domain-error.ts';

const isErrorKind = (value: unknown): value is ErrorKind =>
  typeof value === 'string' && (errorKinds as readonly string[]).includes(value);

/**
 * Moleculer sends errors as plain objects; this restores `DomainError` on the receiving node so
 * `instanceof DomainError` and its `kind` hold across processes.
 */
export class DomainErrorRegenerator extends moleculer.Errors.Regenerator {
  override extractPlainError(err: Record<string, unknown>, payload?: Record<string, unknown>) {
    const plain = super.extractPlainError(err, payload) as ReturnType<
      moleculer.Errors.Regenerator['extractPlainError']
    > & { kind?: ErrorKind };
    if (err instanceof DomainError) plain.kind = err.kind;
    return plain;
  }

  override restoreCustomError(plainError: moleculer.Errors.PlainMoleculerError & { kind?: unknown }) {
    if (plainError.name === 'DomainError' && isErrorKind(plainError.kind)) {
      return new DomainError(plainError.kind, plainError.type, plainError.message, plainError.data);
    }
    return undefined as unknown as Error;
  }
}
