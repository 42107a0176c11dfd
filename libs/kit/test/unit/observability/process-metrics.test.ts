import moleculer from 'moleculer';
import { afterEach, describe, expect, it } from 'vitest';
import { directoryErrors } from '@portal/contracts';
import {
  createProcessMetrics,
  errorFactoryOf,
  errorLabelsOf,
  portalMetrics,
  type DurableFigures,
  type ProcessMetrics,
  startHealthServer,
} from '@portal/kit';

/** The samples of one series in the registry, as prom-client reports them. */
async function samplesOf(metrics: ProcessMetrics, name: string) {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  return (await metric.get()).values as {
    value: number;
    labels: Record<string, string | number>;
    metricName?: string;
  }[];
}

const directoryError = errorFactoryOf(directoryErrors);

describe('the action middleware', () => {
  let broker: moleculer.ServiceBroker | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  async function brokerWith(metrics: ProcessMetrics) {
    broker = new moleculer.ServiceBroker({ logger: false, middlewares: [metrics.actionMiddleware] });
    broker.createService({
      name: 'directory',
      actions: {
        'accounts.get': () => ({ id: 'a1' }),
        'accounts.missing': () => {
          throw directoryError('ACCOUNT_NOT_FOUND');
        },
        'accounts.broken': () => {
          throw new Error('connection reset by peer 10.0.0.7');
        },
      },
    });
    await broker.start();
    return broker;
  }

  it('counts calls and times them per service and action, on the side that handles them', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    const local = await brokerWith(metrics);
    await local.call('directory.accounts.get');
    await local.call('directory.accounts.get');

    expect(await samplesOf(metrics, portalMetrics.actionCalls.name)).toEqual([
      { value: 2, labels: { service: 'directory', action: 'directory.accounts.get' } },
    ]);
    const count = (await samplesOf(metrics, portalMetrics.actionDuration.name)).find(
      (sample) => sample.metricName === `${portalMetrics.actionDuration.name}_count`,
    );
    expect(count).toMatchObject({ value: 2, labels: { service: 'directory', action: 'directory.accounts.get' } });
    // Moleculer's own `$node.*` actions are not the portal's traffic.
    await local.call('$node.health');
    expect((await samplesOf(metrics, portalMetrics.actionCalls.name)).map((sample) => sample.labels.action)).toEqual([
      'directory.accounts.get',
    ]);
  });

  it('writes the duration histogram as Prometheus expects: cumulative buckets up to +Inf, sum and count', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    broker = new moleculer.ServiceBroker({ logger: false, middlewares: [metrics.actionMiddleware] });
    broker.createService({
      name: 'documents',
      actions: {
        'versions.scan': () => new Promise((resolve) => setTimeout(resolve, 30)),
        'versions.other': () => 1,
      },
    });
    await broker.start();
    await broker.call('documents.versions.scan');
    const { body } = await metrics.exposition();
    const series = 'service="documents",action="documents.versions.scan"';

    expect(body).toContain(`portal_action_duration_seconds_bucket{${series},le="0.025"} 0`);
    expect(body).toContain(`portal_action_duration_seconds_bucket{${series},le="1"} 1`);
    expect(body).toContain(`portal_action_duration_seconds_bucket{${series},le="30"} 1`);
    expect(body).toContain(`portal_action_duration_seconds_bucket{${series},le="+Inf"} 1`);
    expect(body).toContain(`portal_action_duration_seconds_count{${series}} 1`);
    expect(body).toContain('# TYPE portal_action_duration_seconds histogram');
    expect(body).toContain(`portal_action_calls_total{${series}} 1`);
    const sum = Number(/portal_action_duration_seconds_sum\{[^}]*\} (\S+)/.exec(body)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0.025);
    expect(sum).toBeLessThan(1);
    // An action never called is not in the scrape.
    expect(body).not.toContain('documents.versions.other');
  });

  it('labels a DomainError with its code and kind, and any other error as INTERNAL without its message', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    const local = await brokerWith(metrics);
    await expect(local.call('directory.accounts.missing')).rejects.toMatchObject({ type: 'ACCOUNT_NOT_FOUND' });
    await expect(local.call('directory.accounts.broken')).rejects.toThrow('connection reset');

    expect(await samplesOf(metrics, portalMetrics.actionErrors.name)).toEqual([
      {
        value: 1,
        labels: {
          service: 'directory',
          action: 'directory.accounts.missing',
          code: 'ACCOUNT_NOT_FOUND',
          kind: 'not_found',
        },
      },
      {
        value: 1,
        labels: { service: 'directory', action: 'directory.accounts.broken', code: 'INTERNAL', kind: 'internal' },
      },
    ]);
    // A failed call is still a call, and still timed.
    expect(await samplesOf(metrics, portalMetrics.actionCalls.name)).toHaveLength(2);
  });
});

describe('errorLabelsOf', () => {
  it('names a Moleculer error by its constant type and never turns free text into a label', () => {
    expect(
      errorLabelsOf(new moleculer.Errors.RequestTimeoutError({ action: 'directory.accounts.get', nodeID: 'node-1' })),
    ).toEqual({
      code: 'REQUEST_TIMEOUT',
      kind: 'moleculer',
    });
    expect(
      errorLabelsOf(Object.assign(new Error('x'), { type: 'duplicate key value violates "accounts_pkey"' })),
    ).toEqual({ code: 'INTERNAL', kind: 'internal' });
    expect(errorLabelsOf('a thrown string')).toEqual({ code: 'INTERNAL', kind: 'internal' });
  });
});

describe('durable figures at scrape time', () => {
  const figures = (unpublished: number): DurableFigures => ({
    outbox: { unpublished, quarantined: 1 },
    consumers: [{ name: 'directory-audit', stream: 'identity', pending: 7, ackPending: 2, deadLettered: 3 }],
  });

  it('reports the outbox backlog, consumer lag and dead letters per service and consumer', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    metrics.reportDurableStatus('directory', async () => figures(4));
    const { body, contentType } = await metrics.exposition();

    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain('portal_outbox_unpublished_events{service="directory"} 4');
    expect(body).toContain('portal_outbox_quarantined_events{service="directory"} 1');
    expect(body).toContain('portal_consumer_pending_messages{service="directory",consumer="directory-audit"} 7');
    expect(body).toContain('portal_consumer_ack_pending_messages{service="directory",consumer="directory-audit"} 2');
    expect(body).toContain('portal_consumer_dead_letters{service="directory",consumer="directory-audit"} 3');
  });

  it('reads each source once per scrape and reuses it within the cache time', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false, durableCacheMs: 60_000 });
    let reads = 0;
    metrics.reportDurableStatus('directory', async () => figures(++reads));
    await metrics.exposition();
    const { body } = await metrics.exposition();
    expect(reads).toBe(1);
    expect(body).toContain('portal_outbox_unpublished_events{service="directory"} 1');
  });

  it('without a cache, still reads once for all the gauges of one scrape', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false, durableCacheMs: 0 });
    let reads = 0;
    metrics.reportDurableStatus('directory', async () => figures(++reads));
    await metrics.exposition();
    expect(reads).toBe(1);
    await metrics.exposition();
    expect(reads).toBe(2);
  });

  it('leaves out a service that does not answer in time, counts the failure, and never waits for it', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false, durableTimeoutMs: 50 });
    metrics.reportDurableStatus('directory', async () => figures(4));
    metrics.reportDurableStatus('documents', () => new Promise<DurableFigures>(() => undefined));
    const startedAt = Date.now();
    const { body } = await metrics.exposition();

    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(body).toContain('portal_outbox_unpublished_events{service="directory"} 4');
    expect(body).not.toContain('portal_outbox_unpublished_events{service="documents"}');
    expect(body).toContain('portal_durable_status_failures_total{service="documents"} 1');
  });

  it('stops reporting a service whose store stopped', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false, durableCacheMs: 0 });
    const stop = metrics.reportDurableStatus('directory', async () => figures(4));
    stop();
    expect((await metrics.exposition()).body).not.toContain('service="directory"');
  });
});

describe('gateway series', () => {
  it('counts requests by route, method and status, and times all but event streams', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    metrics.observeRequest('/api/v1/admin/accounts/:accountId', 'GET', 200, 0.02);
    metrics.observeRequest('/api/v1/portal/bell/stream', 'GET', 200, undefined);
    const { body } = await metrics.exposition();

    expect(body).toContain(
      'portal_http_requests_total{route="/api/v1/admin/accounts/:accountId",method="GET",status="200"} 1',
    );
    expect(body).toContain(
      'portal_http_requests_total{route="/api/v1/portal/bell/stream",method="GET",status="200"} 1',
    );
    expect(body).toContain(
      'portal_http_request_duration_seconds_count{route="/api/v1/admin/accounts/:accountId",method="GET"} 1',
    );
    expect(body).not.toContain('portal_http_request_duration_seconds_count{route="/api/v1/portal/bell/stream"');
  });

  it('sums the open event streams of every source', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    let open = 2;
    metrics.reportSseConnections(() => open);
    expect((await metrics.exposition()).body).toContain('portal_sse_connections 2');
    open = 0;
    expect((await metrics.exposition()).body).toContain('portal_sse_connections 0');
  });
});

describe('default process metrics', () => {
  it("are prom-client's, in the same registry", async () => {
    const { body } = await createProcessMetrics().exposition();
    expect(body).toContain('process_cpu_seconds_total');
    expect(body).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('GET /metrics on the health server', () => {
  it('serves the text exposition beside the probes', async () => {
    const metrics = createProcessMetrics({ defaultMetrics: false });
    metrics.observeRequest('/api/v1/status', 'GET', 200, 0.001);
    const health = await startHealthServer({ host: '127.0.0.1', port: 0, checks: {}, metrics: metrics.exposition });
    try {
      const response = await fetch(`${health.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await response.text()).toContain(
        'portal_http_requests_total{route="/api/v1/status",method="GET",status="200"} 1',
      );
      expect((await fetch(`${health.url}/healthz`)).status).toBe(200);
    } finally {
      await health.close();
    }
  });
});
