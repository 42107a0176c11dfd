import { describe, expect, it } from 'vitest';
import { errorKinds, errorSpecOf, errorTables, httpStatusOfErrorKind, type ErrorSpec } from '@portal/contracts';

const rows = Object.entries(errorTables).flatMap(([owner, table]) =>
  Object.entries(table as Record<string, ErrorSpec>).map(([code, spec]) => ({ owner, code, spec })),
);

describe('error tables', () => {
  it('declare every code exactly once across all services', () => {
    const owners = new Map<string, string[]>();
    for (const { owner, code } of rows) owners.set(code, [...(owners.get(code) ?? []), owner]);
    const repeated = [...owners].filter(([, where]) => where.length > 1);
    expect(repeated).toEqual([]);
  });

  it.each(rows)('$owner $code: a stable code, a known kind, a sentence for a message', ({ code, spec }) => {
    expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(errorKinds).toContain(spec.kind);
    expect(spec.message).toMatch(/^[A-Z].*\.$/);
    expect(spec.message).not.toMatch(/\$\{|undefined/);
    expect(errorSpecOf(code)).toBe(spec);
  });

  it('give every kind one HTTP status, a 4xx unless the fault is ours or a dependency’s', () => {
    const statuses = errorKinds.map((kind) => [kind, httpStatusOfErrorKind(kind)] as const);
    expect(new Set(statuses.map(([, status]) => status)).size).toBe(errorKinds.length);
    for (const [kind, status] of statuses) {
      const serverSide = kind === 'internal' || kind === 'unavailable';
      expect(status >= 500, kind).toBe(serverSide);
    }
  });

  it('answer undefined for a code nobody declared', () => {
    expect(errorSpecOf('NO_SUCH_CODE')).toBeUndefined();
  });
});
