import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type moleculer from 'moleculer';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinoOptions } from '../../../src/broker/logger.ts';
import { createEnvelope } from '../../../src/durable/outbox.ts';
import { startTracing, type Tracing } from '../../../src/observability/tracing.ts';
import {
  activeTraceIds,
  contextFromCarrier,
  portalTracer,
  traceCarrierOf,
} from '../../../src/observability/tracing-context.ts';
import { traceEventHandling } from '../../../src/observability/tracing-events.ts';
import { traceHttpRequest } from '../../../src/observability/tracing-http.ts';
import { startTracingInto } from './in-memory-tracing.ts';
import { tracingMiddleware } from '../../../src/observability/tracing-moleculer.ts';

// Small: tracing turned on with an in-memory exporter in place of the collector; fake contexts,
// requests and handlers. The e2e suite (tests/e2e/tracing.test.ts) follows one real request.
let exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(() => {
  tracing = startTracingInto(exporter);
});
afterAll(() => tracing.shutdown());
beforeEach(() => exporter.reset());

async function finishedSpans(): Promise<ReadableSpan[]> {
  await tracing.flush();
  return exporter.getFinishedSpans();
}

const spanNamed = (spans: readonly ReadableSpan[], name: string, kind: SpanKind) => {
  const span = spans.find((candidate) => candidate.name === name && candidate.kind === kind);
  if (!span) throw new Error(`no ${SpanKind[kind]} span "${name}" among ${spans.map((s) => s.name).join(', ')}`);
  return span;
};

describe('startTracing', () => {
  it('says where spans go, without the credentials of the collector URL', async () => {
    await tracing.shutdown();
    const off = startTracing('unit', 'unit-1', { OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 1 });
    expect(off.enabled).toBe(false);
    expect(off.description).toMatch(/tracing off/);
    await off.shutdown();
    const on = startTracing(
      'unit',
      'unit-1',
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://user:s3cret@collector.example:4318/v1/traces',
        OTEL_TRACES_SAMPLER_ARG: 0.5,
        OTEL_BSP_SCHEDULE_DELAY: 1,
      },
      () => new InMemorySpanExporter(),
    );
    expect(on.description).toBe(
      'tracing on: spans of unit go to https://collector.example:4318/v1/traces (sampling 0.5)',
    );
    await on.shutdown();
    exporter = new InMemorySpanExporter();
    tracing = startTracingInto(exporter);
  });
});

describe('trace carriers', () => {
  it('carry the current span as a W3C traceparent and continue it on the other side', () => {
    const span = portalTracer().startSpan('caller');
    const carrier = traceCarrierOf(trace.setSpan(context.active(), span));
    const { traceId, spanId } = span.spanContext();
    expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });

    const continued = trace.getSpanContext(contextFromCarrier(carrier));
    expect(continued).toMatchObject({ traceId, spanId, isRemote: true });
    span.end();
  });

  it('are empty without a current span, and a broken one continues nothing', () => {
    expect(traceCarrierOf()).toEqual({});
    const base = context.active();
    expect(contextFromCarrier({ traceparent: 'not-a-traceparent' }, base)).toBe(base);
    expect(contextFromCarrier(undefined, base)).toBe(base);
    expect(trace.getSpanContext(contextFromCarrier({ traceparent: 42 }))).toBeUndefined();
  });
});

/** A Moleculer context as the middleware sees it: on `nodeID` for the calling node, `broker.nodeID` for this one. */
function fakeContext(meta: Record<string, unknown>, from: string, on: string): moleculer.Context {
  return { meta, nodeID: from, broker: { nodeID: on } } as unknown as moleculer.Context;
}

describe('the broker middleware', () => {
  const middleware = tracingMiddleware() as Required<Pick<moleculer.Middleware, 'remoteAction' | 'localAction'>> & {
    remoteAction: (next: unknown, action: unknown) => (ctx: moleculer.Context) => Promise<unknown>;
    localAction: (next: unknown, action: unknown) => (ctx: moleculer.Context) => Promise<unknown>;
  };
  const action = { name: 'directory.listAccounts' };

  it('sends the client span in ctx.meta and the handler on the other node runs in its child span', async () => {
    let sentMeta: Record<string, unknown> = {};
    let idsInHandler: ReturnType<typeof activeTraceIds>;
    // The handler side: a node receiving the call over NATS.
    const handler = middleware.localAction(async () => {
      idsInHandler = activeTraceIds();
      return { ok: true };
    }, action);
    // The caller side: the transport is "deliver the meta to the other node's handler".
    const callRemote = middleware.remoteAction(async (ctx: moleculer.Context) => {
      sentMeta = ctx.meta as Record<string, unknown>;
      return handler(fakeContext({ ...sentMeta }, 'gateway-1', 'directory-1'));
    }, action);

    const callersMeta = { requestId: 'req-1' };
    await expect(callRemote(fakeContext(callersMeta, 'directory-1', 'gateway-1'))).resolves.toEqual({ ok: true });

    const spans = await finishedSpans();
    const client = spanNamed(spans, 'directory.listAccounts', SpanKind.CLIENT);
    const server = spanNamed(spans, 'directory.listAccounts', SpanKind.SERVER);
    expect(sentMeta).toEqual({
      requestId: 'req-1',
      traceparent: `00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`,
    });
    expect(callersMeta).toEqual({ requestId: 'req-1' }); // the caller's own object is left alone
    expect(server.spanContext().traceId).toBe(client.spanContext().traceId);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
    expect(idsInHandler).toEqual({ trace_id: server.spanContext().traceId, span_id: server.spanContext().spanId });
    expect(client.attributes).toMatchObject({ 'rpc.system': 'moleculer', 'rpc.method': 'directory.listAccounts' });
  });

  it('parents a call within the process on the current span, not on a traceparent left in meta', async () => {
    const handler = middleware.localAction(async () => 'done', action);
    const stale = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` };
    const outer = portalTracer().startSpan('outer');
    await context.with(trace.setSpan(context.active(), outer), () =>
      handler(fakeContext(stale, 'all-in-one-1', 'all-in-one-1')),
    );
    outer.end();
    const server = spanNamed(await finishedSpans(), 'directory.listAccounts', SpanKind.SERVER);
    expect(server.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('marks server faults as errors and keeps a 4xx answer an answer', async () => {
    const failing = (error: Error) => middleware.localAction(() => Promise.reject(error), action);
    const notFound = Object.assign(new Error('no such account'), { code: 404, type: 'ACCOUNT_NOT_FOUND' });
    const broken = new Error('connection reset');
    await expect(failing(notFound)(fakeContext({}, 'gateway-1', 'directory-1'))).rejects.toBe(notFound);
    await expect(failing(broken)(fakeContext({}, 'gateway-1', 'directory-1'))).rejects.toBe(broken);
    const [answer, fault] = (await finishedSpans()).filter((span) => span.kind === SpanKind.SERVER);
    expect(answer?.status.code).toBe(SpanStatusCode.UNSET);
    expect(answer?.attributes['error.type']).toBe('ACCOUNT_NOT_FOUND');
    expect(fault?.status.code).toBe(SpanStatusCode.ERROR);
    // The message (which may hold data) stays out of the span; the error's kind is enough.
    expect(JSON.stringify(fault?.status)).not.toContain('connection reset');
  });

  it('leaves Moleculer’s own $node actions and private ones (moleculer-web’s rest) untraced', () => {
    const next = async () => 'nodes';
    expect(middleware.localAction(next, { name: '$node.list' })).toBe(next);
    expect(middleware.remoteAction(next, { name: '$node.list' })).toBe(next);
    expect(middleware.localAction(next, { name: 'gateway.rest', visibility: 'private' })).toBe(next);
  });
});

describe('durable events', () => {
  const actor = { kind: 'staff', userId: 'u-1' } as const;
  const newEvent = { type: 'directory.account.created', version: 1, data: {}, actor, traceId: 'req-9' };

  it('written inside a span carry its trace id and traceparent; outside one, the given trace id', () => {
    expect(createEnvelope(newEvent)).toMatchObject({ traceId: 'req-9' });
    expect(createEnvelope(newEvent)).not.toHaveProperty('traceparent');
    const writer = portalTracer().startSpan('directory.createAccount');
    const envelope = context.with(trace.setSpan(context.active(), writer), () => createEnvelope(newEvent));
    const { traceId, spanId } = writer.spanContext();
    expect(envelope).toMatchObject({ traceId, traceparent: `00-${traceId}-${spanId}-01` });
    writer.end();
  });

  it('are handled in a consumer span that continues the writer’s trace', async () => {
    const writer = portalTracer().startSpan('directory.createAccount');
    const envelope = context.with(trace.setSpan(context.active(), writer), () => createEnvelope(newEvent));
    writer.end();
    let idsInHandler: ReturnType<typeof activeTraceIds>;
    await traceEventHandling('identity-directory', envelope, async () => {
      idsInHandler = activeTraceIds();
    });
    const consumer = spanNamed(await finishedSpans(), 'process directory.account.created', SpanKind.CONSUMER);
    expect(consumer.parentSpanContext?.spanId).toBe(writer.spanContext().spanId);
    expect(consumer.spanContext().traceId).toBe(writer.spanContext().traceId);
    expect(consumer.attributes).toMatchObject({
      'messaging.message.id': envelope.id,
      'messaging.consumer.group.name': 'identity-directory',
    });
    expect(idsInHandler?.span_id).toBe(consumer.spanContext().spanId);
  });
});

describe('the HTTP server span', () => {
  it('is named after the route template, records the status and is current while the request is handled', async () => {
    const request = { method: 'GET', headers: {} } as IncomingMessage;
    const response = Object.assign(new EventEmitter(), { statusCode: 200 }) as unknown as ServerResponse;
    let idsInHandler: ReturnType<typeof activeTraceIds>;
    traceHttpRequest(
      request,
      response,
      () => '/api/v1/admin/accounts/:accountId',
      () => {
        idsInHandler = activeTraceIds();
      },
    );
    response.statusCode = 404;
    response.emit('finish');
    response.emit('close');
    const spans = await finishedSpans();
    expect(spans).toHaveLength(1);
    const [server] = spans;
    expect(server).toMatchObject({ name: 'GET /api/v1/admin/accounts/:accountId', kind: SpanKind.SERVER });
    expect(server?.attributes).toMatchObject({
      'http.route': '/api/v1/admin/accounts/:accountId',
      'http.response.status_code': 404,
    });
    expect(server?.parentSpanContext).toBeUndefined();
    expect(idsInHandler?.span_id).toBe(server?.spanContext().spanId);
  });

  it('starts a trace of its own even when the client sends a traceparent', async () => {
    const clientTrace = 'c'.repeat(32);
    const request = {
      method: 'POST',
      headers: { traceparent: `00-${clientTrace}-${'d'.repeat(16)}-01` },
    } as unknown as IncomingMessage;
    const response = Object.assign(new EventEmitter(), { statusCode: 201 }) as unknown as ServerResponse;
    traceHttpRequest(
      request,
      response,
      () => undefined,
      () => undefined,
    );
    response.emit('finish');
    const [server] = await finishedSpans();
    expect(server?.name).toBe('POST');
    expect(server?.spanContext().traceId).not.toBe(clientTrace);
  });
});

describe('log lines', () => {
  it('carry trace_id and span_id inside a span and neither outside', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino(pinoOptions('info'), sink);
    logger.info('outside');
    const span = portalTracer().startSpan('request');
    context.with(trace.setSpan(context.active(), span), () => logger.child({ svc: 'gateway' }).info('inside'));
    span.end();
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({
      msg: 'inside',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
  });
});
