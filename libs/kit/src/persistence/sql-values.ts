import { commonError } from '../errors/domain-error.ts';
import { decodeCursor } from '../http/keyset-cursor.ts';

/** Values as PostgreSQL returns them through `em.execute` (pg parses timestamptz into Date). */
export type SqlTimestamp = Date | string;

/** A timestamptz as the ISO string the contracts publish. */
export function isoOf(value: SqlTimestamp): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function isoOrNull(value: SqlTimestamp | null): string | null {
  return value === null ? null : isoOf(value);
}

/** A user's search text as an `ilike` pattern matching anywhere; `%`, `_` and `\` match literally. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Conditions of a list query, joined by `and`, with their `?` parameters in order. Keeps the
 * dynamic filters of list actions readable without string concatenation at every call site.
 */
export class SqlConditions {
  readonly #parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.#parts.push(sql);
    this.params.push(...params);
    return this;
  }

  when(condition: boolean, sql: string, ...params: unknown[]): this {
    return condition ? this.add(sql, ...params) : this;
  }

  get sql(): string {
    return this.#parts.length === 0 ? 'true' : this.#parts.map((part) => `(${part})`).join(' and ');
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The sort key a cursor carries: `length` strings, the last one a row id. A tampered cursor is a
 * 400 INVALID_CURSOR here rather than a cast failure in SQL.
 */
export function keysetAfter(cursor: string, length: number, lastKey: 'uuid' | 'serial' = 'uuid'): string[] {
  const key = decodeCursor(cursor, length);
  const last = key.at(-1);
  const lastValid = typeof last === 'string' && (lastKey === 'uuid' ? uuidPattern.test(last) : /^\d{1,18}$/.test(last));
  if (!lastValid || !key.every((part) => typeof part === 'string')) {
    throw commonError('INVALID_CURSOR');
  }
  return key as string[];
}

/**
 * A JavaScript array as one PostgreSQL array literal (`{"a","b"}`), bound as a single `?` and cast
 * in SQL (`?::uuid[]`). The ORM's `execute` expands a bound array into a comma list, which neither
 * `= any(?)` nor an array column accepts.
 */
export function sqlArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
