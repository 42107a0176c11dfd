import { createRequire } from 'node:module';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_TEXT, ATTR_DB_SYSTEM_NAME } from '@opentelemetry/semantic-conventions';
import pg from 'pg';
import { portalTracer } from './tracing-context.ts';

/**
 * Spans around SQL statements, by wrapping `pg.Client.prototype.query` (every pool connection is a
 * `pg.Client`, MikroORM's included, whichever copy of `pg` it loaded). OpenTelemetry's instrumentation-pg patches `pg` through
 * require hooks, which do not see the ESM imports our processes run on under Node 24's type
 * stripping; patching the one prototype works whichever way `pg` was loaded, since the ESM entry
 * re-exports the CommonJS classes.
 *
 * A statement gets a span only inside a traced operation (a request, an action, an event being
 * handled): the outbox relay's LISTEN and polling would otherwise start a trace of their own every
 * few seconds.
 */

/** The legacy attribute name many backends (Jaeger among them) still show. */
const ATTR_DB_SYSTEM = 'db.system';
const maxStatementLength = 4_000;

/**
 * The statement's text without the values in it. Values bound as parameters (`$1`) never appear;
 * MikroORM's `execute` inlines its `?` values as literals, so quoted strings (standard, escaped
 * and dollar-quoted) and numbers become `?`. Identifiers in double quotes and `$n` placeholders stay.
 */
export function sqlWithoutValues(statement: string): string {
  const sanitized = statement
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\1\$/g, '?')
    .replace(/(?:\b[eE])?'(?:[^'\\]|''|\\.)*'/g, '?')
    .replace(/(?<![\w$."])-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b/g, '?');
  return sanitized.length > maxStatementLength ? `${sanitized.slice(0, maxStatementLength)}…` : sanitized;
}

/** `select`, `insert`, … or `with` (a CTE hides the real operation; its text says the rest). */
export function sqlOperationOf(statement: string): string {
  return /^\s*([A-Za-z]+)/.exec(statement)?.[1]?.toUpperCase() ?? 'SQL';
}

type QueryConfig = { text?: unknown; callback?: unknown };
type Query = (this: pg.Client, ...args: unknown[]) => unknown;

const patched = Symbol.for('portal.tracing.pg');

function endSpan(span: Span, error?: unknown): void {
  if (error) {
    const failure = error as { code?: unknown; name?: unknown };
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(failure.code ?? failure.name ?? 'Error') });
  }
  span.end();
}

/**
 * Every `pg.Client` class the process's SQL goes through: the kit's `pg`, and the one MikroORM
 * resolves, which is a second copy whenever npm cannot dedupe them (MikroORM pins an exact `pg`
 * version). Requiring it from MikroORM's folder gives the very module its ESM import uses.
 */
function pgClientClasses(): { prototype: unknown }[] {
  const classes = new Set<{ prototype: unknown }>([pg.Client]);
  try {
    const mikroOrmPostgres = createRequire(import.meta.url).resolve('@mikro-orm/postgresql/package.json');
    classes.add((createRequire(mikroOrmPostgres)('pg') as typeof pg).Client);
  } catch {
    // No MikroORM beside the kit: the kit's own `pg` is all there is.
  }
  return [...classes];
}

/** Wraps `query` of every `pg.Client` class in use (or of `client`), once per class. */
export function instrumentPostgres(client?: { prototype: unknown }): void {
  for (const clientClass of client ? [client] : pgClientClasses()) wrapQuery(clientClass);
}

function wrapQuery(client: { prototype: unknown }): void {
  const prototype = client.prototype as { query: Query; [patched]?: true };
  if (prototype[patched]) return;
  const original = prototype.query;
  prototype.query = function tracedQuery(this: pg.Client, ...args: unknown[]) {
    const active = context.active();
    const first = args[0] as string | QueryConfig | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (!trace.getSpan(active) || typeof text !== 'string') return original.apply(this, args);

    const span = portalTracer().startSpan(
      sqlOperationOf(text),
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_DB_SYSTEM]: 'postgresql',
          [ATTR_DB_SYSTEM_NAME]: 'postgresql',
          [ATTR_DB_OPERATION_NAME]: sqlOperationOf(text),
          [ATTR_DB_QUERY_TEXT]: sqlWithoutValues(text),
        },
      },
      active,
    );
    // The three ways pg answers: a callback argument, a callback in the config, or a promise.
    const callbackIndex = args.findIndex((arg, index) => index > 0 && typeof arg === 'function');
    if (callbackIndex > 0) {
      const callback = args[callbackIndex] as (error: unknown, result: unknown) => void;
      args[callbackIndex] = (error: unknown, result: unknown) => {
        endSpan(span, error);
        callback(error, result);
      };
    } else if (typeof first === 'object' && typeof first.callback === 'function') {
      const callback = first.callback as (error: unknown, result: unknown) => void;
      first.callback = (error: unknown, result: unknown) => {
        endSpan(span, error);
        callback(error, result);
      };
    }
    let answer: unknown;
    try {
      answer = original.apply(this, args);
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (answer instanceof Promise) {
      answer.then(
        () => endSpan(span),
        (error: unknown) => endSpan(span, error),
      );
    } else if (callbackIndex < 0 && !(typeof first === 'object' && typeof first.callback === 'function')) {
      // A submittable (cursor, stream) reports through events of its own.
      const emitter = answer as { once?: (event: string, listener: (error?: unknown) => void) => void };
      if (typeof emitter?.once === 'function') {
        emitter.once('end', () => endSpan(span));
        emitter.once('error', (error) => endSpan(span, error));
      } else {
        endSpan(span);
      }
    }
    return answer;
  };
  prototype[patched] = true;
}
