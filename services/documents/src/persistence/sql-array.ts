/**
 * A PostgreSQL array literal (`{"a","b"}`) for a `?::uuid[]` or `?::text[]` placeholder.
 * MikroORM's `execute` inlines parameters into the statement and writes a JavaScript array as a
 * comma list (`'a', 'b'`), which is no array at all: `any('a', 'b'::uuid[])` is a syntax error,
 * one element a malformed literal, none `any(::uuid[])`. Passed as this text it becomes
 * `'{"a","b"}'::uuid[]`, and `'{}'` when empty.
 */
export function sqlArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
