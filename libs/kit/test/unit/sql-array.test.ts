import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { sqlArray } from '../../src/persistence/sql-values.ts';

// MikroORM's `execute` inlines parameters with the platform's formatter: what PostgreSQL receives.
const inlined = (sql: string, params: unknown[]) => new PostgreSqlPlatform().formatQuery(sql, params);

describe('sqlArray', () => {
  it('gives a placeholder an array literal, empty or not', () => {
    expect(inlined('any(?::uuid[])', [sqlArray([])])).toBe("any('{}'::uuid[])");
    expect(inlined('any(?::uuid[])', [sqlArray(['a1', 'b2'])])).toBe(`any('{"a1","b2"}'::uuid[])`);
  });

  it('quotes elements with commas, quotes and backslashes', () => {
    expect(sqlArray(['application/pdf', 'a "q", b\\c', "it's"])).toBe(
      '{"application/pdf","a \\"q\\", b\\\\c","it\'s"}',
    );
  });
});
