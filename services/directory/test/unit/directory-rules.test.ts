import { describe, expect, it } from 'vitest';
import { accessStatuses } from '@portal/contracts';
import { DomainError } from '@portal/kit';
import { canMoveAccess } from '../../src/domain/access-lifecycle.rules.ts';
import { canonicalScope, sameScope } from '../../src/domain/access-scope.rules.ts';
import { canonicalAmount } from '../../src/domain/decimal-amount.rules.ts';
import { translateConstraintError } from '../../src/persistence/constraint-errors.ts';
import { containsPattern, keysetAfter } from '../../src/persistence/sql-values.ts';

describe('access lifecycle', () => {
  it('allows exactly the documented moves', () => {
    const allowed = accessStatuses.flatMap((from) =>
      accessStatuses.filter((to) => canMoveAccess(from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'none>invited',
        'none>enabled',
        'invited>invited',
        'invited>enabled',
        'invited>disabled',
        'invited>none',
        'enabled>disabled',
        'disabled>enabled',
        'disabled>invited',
      ].sort(),
    );
  });
});

describe('access scope', () => {
  it('compares scopes regardless of order and repeats', () => {
    const a = { kind: 'selected' as const, siteIds: ['b', 'a', 'a'], projectIds: [] };
    expect(canonicalScope(a)).toEqual({ kind: 'selected', siteIds: ['a', 'b'], projectIds: [] });
    expect(sameScope(a, { kind: 'selected', siteIds: ['a', 'b'], projectIds: [] })).toBe(true);
    expect(sameScope(a, { kind: 'all' })).toBe(false);
  });
});

describe('amounts', () => {
  it('prints amounts the way PostgreSQL prints numeric(14, 2)', () => {
    expect(['1250', '0012.5', '-10.5', '-0', '0.05', '-0.00'].map(canonicalAmount)).toEqual([
      '1250.00',
      '12.50',
      '-10.50',
      '0.00',
      '0.05',
      '0.00',
    ]);
  });
});

describe('sql helpers', () => {
  it('escapes like wildcards in search text', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('accepts only cursors of strings ending in a row id', () => {
    const id = '3f1c2a4e-1111-4222-8333-444455556666';
    expect(keysetAfter(Buffer.from(JSON.stringify(['acme', id])).toString('base64url'), 2)).toEqual(['acme', id]);
    for (const key of [['acme', 'nope'], [1, id], ['acme']]) {
      const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
      expect(() => keysetAfter(cursor, 2)).toThrow(expect.objectContaining({ type: 'INVALID_CURSOR', code: 400 }));
    }
  });

  it('turns known constraint violations into stable codes and leaves others alone', () => {
    const taken = translateConstraintError({ constraint: 'contact_portal_login_key' });
    expect(taken).toBeInstanceOf(DomainError);
    expect(taken).toMatchObject({ code: 409, type: 'PORTAL_LOGIN_TAKEN' });
    const unknown = new Error('boom');
    expect(translateConstraintError(unknown)).toBe(unknown);
  });
});
