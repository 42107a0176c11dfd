import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@portal/contracts';
import { stackEnv } from '@portal/testing';
import { spanKind, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.ts';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The JSON log lines a process printed (pino), skipping anything else it wrote. */
function logLinesOf(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** The trace id and span id in an envelope's `traceparent` (sampled). */
function writerOf(envelope: EventEnvelope): { traceId?: string; spanId?: string } {
  const [, traceId, spanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(envelope.traceparent ?? '') ?? [];
  return { traceId, spanId };
}

const describeSpans = (spans: readonly ReceivedSpan[]) =>
  spans
    .map((span) => `${span.service} ${span.kind} ${span.name} ${span.spanId}←${span.parentSpanId ?? '-'}`)
    .join('\n');

/** The first span `receiver` got that matches, waited for (spans arrive in batches every 200 ms). */
const firstSpanWhere = (receiver: OtlpReceiver, matches: (span: ReceivedSpan) => boolean, what: () => string) =>
  eventually(() => receiver.spans().find(matches), 20_000, what);

/** Each process sends its spans to `receiver`, in batches every 200 ms. */
const exportingTo = (receiver: OtlpReceiver) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '200',
});

describe('one trace follows a staff request through the gateway, NATS, the directory and PostgreSQL', () => {
  let receiver: OtlpReceiver;
  let system: SystemUnderTest;
  let token: string;
  let directoryDb: pg.Client;
  const runId = randomUUID().slice(0, 8).toUpperCase();

  const spanWhere = (matches: (span: ReceivedSpan) => boolean, what: () => string) =>
    firstSpanWhere(receiver, matches, what);

  const api = (method: string, path: string, body: unknown) =>
    fetch(`${system.gatewayUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await startServices(['gateway', 'directory', 'identity'], {
      ...exportingTo(receiver),
      // The request's own log lines (moleculer-web's `=> POST …`) are at info.
      LOG_LEVEL: 'info',
    });
    token = await tokenFor('staffAdmin');
    directoryDb = new pg.Client({ connectionString: stackEnv().DIRECTORY_DATABASE_URL });
    await directoryDb.connect();
  });

  afterAll(async () => {
    await directoryDb?.end();
    await system?.stop();
    await receiver?.close();
  });

  it('says at start where each process sends its spans', () => {
    for (const process of system.processes) {
      expect(process.output(), process.name).toContain(
        `tracing on: spans of ${process.name} go to ${receiver.endpoint}/v1/traces`,
      );
    }
  });

  it('links the HTTP span, the action call on both sides, the SQL, the log line and the event', async () => {
    const number = `TR-${runId}`;
    const created = await api('POST', '/admin/accounts', { number, name: `Traced ${runId}` });
    expect(created.status, await created.clone().text()).toBe(201);
    const account = (await created.json()) as { id: string };

    // The gateway's server span for this request, then everything else in its trace.
    const request = await spanWhere(
      (span) =>
        span.service === 'gateway' &&
        span.kind === spanKind.server &&
        span.name === 'POST /api/v1/admin/accounts' &&
        span.attributes['http.response.status_code'] === 201,
      () => `the gateway's span of POST /api/v1/admin/accounts among\n${describeSpans(receiver.spans())}`,
    );
    expect(request.parentSpanId).toBeUndefined();
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/v1/admin/accounts' });
    const traceSpans = () => receiver.spans().filter((span) => span.traceId === request.traceId);
    const inTrace = (service: string, kind: number, name: string) =>
      spanWhere(
        (span) =>
          span.traceId === request.traceId && span.service === service && span.kind === kind && span.name === name,
        () => `${service}'s ${name} span in\n${describeSpans(traceSpans())}`,
      );

    const clientCall = await inTrace('gateway', spanKind.client, 'directory.createAccount');
    const handler = await inTrace('directory', spanKind.server, 'directory.createAccount');
    expect(clientCall.parentSpanId).toBe(request.spanId);
    expect(handler.parentSpanId).toBe(clientCall.spanId);
    expect(handler.attributes).toMatchObject({ 'rpc.system': 'moleculer', 'rpc.method': 'directory.createAccount' });

    // The INSERT of the account: SQL of the directory, a child of the handler's span.
    const insert = await spanWhere(
      (span) =>
        span.traceId === request.traceId &&
        span.service === 'directory' &&
        span.attributes['db.system'] === 'postgresql' &&
        /^insert into "?account"? /i.test(String(span.attributes['db.query.text'])),
      () => `the INSERT's span in\n${describeSpans(traceSpans())}`,
    );
    expect(insert).toMatchObject({ kind: spanKind.client, parentSpanId: handler.spanId });
    expect(insert.attributes['db.system.name']).toBe('postgresql');
    // Statement text without its values: neither the account number nor its name reach a span.
    const sqlText = traceSpans()
      .filter((span) => span.attributes['db.system'] === 'postgresql')
      .map((span) => String(span.attributes['db.query.text']))
      .join('\n');
    expect(sqlText).not.toContain(number);
    expect(sqlText).not.toContain(`Traced ${runId}`);

    // The gateway's log line of this request carries the same trace id.
    const gateway = system.processes.find((process) => process.name === 'gateway');
    const requestLine = logLinesOf(gateway?.output() ?? '').find(
      (line) => typeof line.msg === 'string' && line.msg.startsWith('=> POST /api/v1/admin/accounts'),
    );
    expect(requestLine, gateway?.output().slice(-3000)).toMatchObject({
      trace_id: request.traceId,
      span_id: request.spanId,
    });

    // The durable event the request wrote carries the trace: its id, and the handler's span as the writer.
    const { rows } = await directoryDb.query<{ envelope: EventEnvelope }>(
      `select envelope from outbox where type = 'directory.account.created' and envelope->'data'->>'accountId' = $1`,
      [account.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.envelope.traceId).toBe(request.traceId);
    expect(writerOf(rows[0]!.envelope)).toEqual({ traceId: request.traceId, spanId: handler.spanId });
  });

  it('continues the trace in the service that consumes the request’s event', async () => {
    const account = (await (
      await api('POST', '/admin/accounts', { number: `TC-${runId}`, name: 'Consumer trace' })
    ).json()) as {
      id: string;
    };
    const created = await api('POST', `/admin/accounts/${account.id}/contacts`, {
      firstName: 'Tracy',
      lastName: 'Trace',
      email: `tracy-${runId.toLowerCase()}@example.com`,
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const contact = (await created.json()) as { id: string };
    const { rows } = await directoryDb.query<{ envelope: EventEnvelope }>(
      `select envelope from outbox where type = 'directory.contact.created' and envelope->'data'->>'contactId' = $1`,
      [contact.id],
    );
    const envelope = rows[0]!.envelope;
    const { traceId, spanId: writerSpanId } = writerOf(envelope);

    const consumed = await spanWhere(
      (span) =>
        span.service === 'identity' &&
        span.kind === spanKind.consumer &&
        span.attributes['messaging.message.id'] === envelope.id,
      () =>
        `identity's span of ${envelope.id} among\n${describeSpans(receiver.spans().filter((s) => s.traceId === traceId))}`,
    );
    expect(consumed).toMatchObject({ traceId, parentSpanId: writerSpanId, name: 'process directory.contact.created' });
    const writer = receiver.spans().find((span) => span.spanId === writerSpanId);
    expect(writer).toMatchObject({ service: 'directory', traceId });
    // The inbox row the consumer wrote is SQL of that same trace, in identity.
    expect(
      receiver
        .spans()
        .some(
          (span) =>
            span.service === 'identity' &&
            span.traceId === traceId &&
            span.parentSpanId === consumed.spanId &&
            String(span.attributes['db.query.text']).startsWith('insert into inbox'),
        ),
    ).toBe(true);
  });
});

describe('in the all-in-one process a staff request is one trace without the NATS hop', () => {
  let receiver: OtlpReceiver;
  let system: ServiceSystem;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    system = await startServiceSystem({
      stack: stackEnv(),
      entries: ['all-in-one'],
      namespacePrefix: 'e2e',
      env: exportingTo(receiver),
    });
  });

  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  });

  it('parents the handler on the HTTP span and the SQL on the handler, all under service all-in-one', async () => {
    const listed = await fetch(`${system.gatewayUrl}/api/v1/admin/accounts?limit=5`, {
      headers: { authorization: `Bearer ${await tokenFor('staffViewer')}` },
    });
    expect(listed.status).toBe(200);
    const request = await firstSpanWhere(
      receiver,
      (span) => span.kind === spanKind.server && span.name === 'GET /api/v1/admin/accounts',
      () => `the span of GET /api/v1/admin/accounts among\n${describeSpans(receiver.spans())}`,
    );
    const traceSpans = () => receiver.spans().filter((span) => span.traceId === request.traceId);
    const handler = await firstSpanWhere(
      receiver,
      (span) => span.traceId === request.traceId && span.name === 'directory.listAccounts',
      () => `the handler's span in\n${describeSpans(traceSpans())}`,
    );
    // A call inside the process has no client span: the handler's parent is the request itself.
    expect(handler).toMatchObject({ kind: spanKind.server, parentSpanId: request.spanId });
    const select = await firstSpanWhere(
      receiver,
      (span) => span.traceId === request.traceId && span.attributes['db.system'] === 'postgresql',
      () => `SQL in\n${describeSpans(traceSpans())}`,
    );
    expect(select.parentSpanId).toBe(handler.spanId);
    expect(new Set(traceSpans().map((span) => span.service))).toEqual(new Set(['all-in-one']));
  });
});
