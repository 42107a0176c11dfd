import { commonError } from '../errors/domain-error.ts';

/**
 * Keyset pagination cursors: the sort key of the last row returned, opaque to clients
 * (base64url JSON). Rows inserted meanwhile never shift a page, unlike OFFSET.
 */
export function encodeCursor(key: readonly (string | number | boolean | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number | boolean | null)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length) return key as (string | number | boolean | null)[];
  } catch {
    // fall through to the error below
  }
  throw commonError('INVALID_CURSOR');
}

/** Fetch one row more than asked: its presence says whether a next page exists. */
export function pageFromRows<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => (string | number | boolean | null)[],
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const visible = hasMore ? rows.slice(0, limit) : rows;
  const last = visible.at(-1);
  return { items: visible.map(toItem), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}
