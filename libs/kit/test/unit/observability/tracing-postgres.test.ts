import { createRequire } from 'node:module';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Tracing } from '../../../src/observability/tracing.ts';
import { portalTracer } from '../../../src/observability/tracing-context.ts';
import { instrumentPostgres, sqlOperationOf, sqlWithoutValues } from '../../../src/observability/tracing-postgres.ts';
import { startTracingInto } from './in-memory-tracing.ts';

describe('sqlWithoutValues', () => {
  it.each([
    ['select * from account where id = $1', 'select * from account where id = $1'],
    [
      "select * from contact where email = 'dana@example.com' and age > 41",
      'select * from contact where email = ? and age > ?',
    ],
    ["insert into t (a) values ('it''s'), (E'x\\'y'), (-3.5e2)", 'insert into t (a) values (?), (?), (?)'],
    ['select $tag$secret body$tag$, $$other$$ from t1', 'select ?, ? from t1'],
    [
      'select "column2", t0.c1 from "schema1"."table9" as t0 limit 25',
      'select "column2", t0.c1 from "schema1"."table9" as t0 limit ?',
    ],
    [
      `insert into outbox (id) select e.id from jsonb_to_recordset('[{"id":"9b1c","password":"Pa55word!"}]'::jsonb) as e(id uuid)`,
      'insert into outbox (id) select e.id from jsonb_to_recordset(?::jsonb) as e(id uuid)',
    ],
  ])('%s', (statement, expected) => {
    expect(sqlWithoutValues(statement)).toBe(expected);
  });

  it('names the operation by the first keyword', () => {
    expect(sqlOperationOf('  select 1')).toBe('SELECT');
    expect(sqlOperationOf('with x as (select 1) select * from x')).toBe('WITH');
    expect(sqlOperationOf('(select 1)')).toBe('SQL');
  });
});

/**
 * A stand-in for `pg.Client`: the same three ways of answering (promise, callback argument,
 * callback in the config), failing when the text says so.
 */
class FakeClient {
  query(config: string | { text: string; callback?: (error: unknown, result: unknown) => void }, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : config.text;
    const error = text.includes('fail') ? Object.assign(new Error('relation does not exist'), { code: '42P01' }) : null;
    const callback =
      (rest.find((arg) => typeof arg === 'function') as ((e: unknown, r: unknown) => void) | undefined) ??
      (typeof config === 'object' ? config.callback : undefined);
    if (callback) {
      setImmediate(() => callback(error, { rows: [] }));
      return undefined;
    }
    return error ? Promise.reject(error) : Promise.resolve({ rows: [] });
  }
}

describe('instrumentPostgres', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  const client = new FakeClient();

  beforeAll(() => {
    tracing = startTracingInto(exporter);
    instrumentPostgres(FakeClient);
    instrumentPostgres(FakeClient); // a second call must not wrap twice
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());

  const inSpan = <T>(work: () => Promise<T>) => {
    const parent = portalTracer().startSpan('directory.listAccounts');
    return context
      .with(trace.setSpan(context.active(), parent), work)
      .finally(() => parent.end())
      .then(() => parent);
  };

  it('gives each statement inside a traced operation a child span with the text but not the values', async () => {
    const parent = await inSpan(async () => {
      await client.query("select id from account where number = 'A-100' and id = $1", ['9b1c']);
      await new Promise((resolve) => client.query({ text: 'update account set name = $1', callback: resolve }));
      await new Promise((resolve) => client.query('delete from account where id = $1', ['x'], resolve));
    });
    await tracing.flush();
    const spans = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(spans.map((span) => span.name)).toEqual(['SELECT', 'UPDATE', 'DELETE']);
    for (const span of spans) {
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      expect(span.attributes).toMatchObject({ 'db.system': 'postgresql', 'db.system.name': 'postgresql' });
    }
    expect(spans[0]?.attributes['db.query.text']).toBe('select id from account where number = ? and id = $1');
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('9b1c');
  });

  it('marks a failed statement and still answers the caller', async () => {
    await inSpan(() => expect(client.query('select * from fail')).rejects.toMatchObject({ code: '42P01' }));
    await tracing.flush();
    const failed = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CLIENT);
    expect(failed?.status).toEqual({ code: SpanStatusCode.ERROR, message: '42P01' });
  });

  it('wraps the kit’s pg and the copy MikroORM loads (it pins its own version, so npm may install two)', () => {
    const mikroOrmPostgres = createRequire(import.meta.url).resolve('@mikro-orm/postgresql/package.json');
    const mikroOrmPg = createRequire(mikroOrmPostgres)('pg') as typeof pg;
    expect(mikroOrmPg.Client.prototype.query.name).toBe('tracedQuery');
    expect(pg.Client.prototype.query.name).toBe('tracedQuery');
  });

  it('starts no trace of its own for statements outside a traced operation', async () => {
    await client.query('listen durable_outbox_directory');
    await tracing.flush();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
