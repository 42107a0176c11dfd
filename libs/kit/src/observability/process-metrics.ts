import type moleculer from 'moleculer';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConsumerStatus, OutboxStatus } from '@portal/contracts';
import { DomainError } from '../errors/domain-error.ts';
import { registerActionSeries } from './action-series.ts';
import { durationBuckets, portalMetrics, type MetricSpec } from './metric-catalog.ts';

/** What a service's store reports at scrape time (the same figures as its status action). */
export interface DurableFigures {
  outbox: OutboxStatus;
  consumers: ConsumerStatus[];
}

/** Where a service's store reports its outbox backlog, consumer lag and dead letters. */
export interface DurableMetricsSink {
  /** Reads `read` at each scrape (cached briefly, bounded by a timeout); returns the unregister function. */
  reportDurableStatus(service: string, read: () => Promise<DurableFigures>): () => void;
}

/** The gateway's side: one observation per HTTP response, and its open event streams. */
export interface HttpMetricsSink {
  /** `seconds` undefined: counted but not timed (an event stream). */
  observeRequest(route: string, method: string, status: number, seconds: number | undefined): void;
  reportSseConnections(read: () => number): () => void;
}

export interface ProcessMetrics extends DurableMetricsSink, HttpMetricsSink {
  registry: Registry;
  /** Counts and times every local action of the broker (the side that handles the call). */
  actionMiddleware: moleculer.Middleware;
  /** The text exposition for `GET /metrics`. */
  exposition(): Promise<{ contentType: string; body: string }>;
}

export interface ProcessMetricsOptions {
  /** A scrape reuses durable figures read less than this long ago (several scrapers, one query). */
  durableCacheMs?: number;
  /** A service's durable figures that take longer are left out of this scrape, never waited for. */
  durableTimeoutMs?: number;
  /** prom-client's process and Node.js metrics (CPU, memory, event loop lag, GC). */
  defaultMetrics?: boolean;
}

const defaultDurableCacheMs = 5_000;
const defaultDurableTimeoutMs = 1_500;

const optionsOf = (spec: MetricSpec, registry: Registry) => ({
  name: spec.name,
  help: spec.help,
  labelNames: [...spec.labels],
  registers: [registry],
});

/** Bounded error labels: a DomainError's code and kind come from the error tables; anything else is named by type. */
export function errorLabelsOf(error: unknown): { code: string; kind: string } {
  if (error instanceof DomainError) return { code: String(error.type), kind: error.kind };
  const type = (error as { type?: unknown } | null)?.type;
  // Moleculer's own errors (REQUEST_TIMEOUT, SERVICE_NOT_FOUND…) carry a constant type; free text never becomes a label.
  if (typeof type === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(type)) return { code: type, kind: 'moleculer' };
  return { code: 'INTERNAL', kind: 'internal' };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * One registry per process: in the all-in-one process every service's series share it, told
 * apart by their `service` label. Durable figures are read only when Prometheus scrapes, shared
 * by every gauge of that scrape, so an idle process costs nothing between scrapes.
 */
export function createProcessMetrics(options: ProcessMetricsOptions = {}): ProcessMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const durableCacheMs = options.durableCacheMs ?? defaultDurableCacheMs;
  const durableTimeoutMs = options.durableTimeoutMs ?? defaultDurableTimeoutMs;

  const actionFiguresOf = registerActionSeries(
    registry,
    { calls: portalMetrics.actionCalls, duration: portalMetrics.actionDuration },
    durationBuckets,
  );
  // Errors are rare: prom-client's own counter, labelled per call.
  const actionErrors = new Counter(optionsOf(portalMetrics.actionErrors, registry));
  const httpRequests = new Counter(optionsOf(portalMetrics.httpRequests, registry));
  const httpDuration = new Histogram({ ...optionsOf(portalMetrics.httpDuration, registry), buckets: durationBuckets });
  const durableStatusFailures = new Counter({
    ...optionsOf(portalMetrics.durableStatusFailures, registry),
    // Serialized after this scrape's reads, so a failure shows in the scrape that met it.
    async collect() {
      await readDurableFigures();
    },
  });

  const durableSources = new Map<string, () => Promise<DurableFigures>>();
  // One read serves every gauge of a scrape (they collect concurrently), and later scrapes within the cache time.
  let durableSnapshot: { settledAt?: number; figures: Promise<Map<string, DurableFigures>> } | undefined;
  const readDurableFigures = (): Promise<Map<string, DurableFigures>> => {
    const settledAt = durableSnapshot?.settledAt;
    if (durableSnapshot && (settledAt === undefined || Date.now() - settledAt < durableCacheMs)) {
      return durableSnapshot.figures;
    }
    const snapshot: NonNullable<typeof durableSnapshot> = {
      figures: Promise.all(
        [...durableSources].map(async ([service, read]) => {
          try {
            return [service, await withTimeout(read(), durableTimeoutMs)] as const;
          } catch {
            durableStatusFailures.inc({ service });
            return undefined;
          }
        }),
      ).then((entries) => {
        snapshot.settledAt = Date.now();
        return new Map(entries.filter((entry) => entry !== undefined));
      }),
    };
    durableSnapshot = snapshot;
    return snapshot.figures;
  };
  /** A gauge whose values are set from the durable figures when scraped. */
  const durableGauge = (spec: MetricSpec, fill: (gauge: Gauge, service: string, figures: DurableFigures) => void) =>
    new Gauge({
      ...optionsOf(spec, registry),
      async collect() {
        const figures = await readDurableFigures();
        // Series of a service whose figures could not be read are dropped, not left at stale values.
        this.reset();
        for (const [service, serviceFigures] of figures) fill(this, service, serviceFigures);
      },
    });
  durableGauge(portalMetrics.outboxUnpublished, (gauge, service, figures) =>
    gauge.set({ service }, figures.outbox.unpublished),
  );
  durableGauge(portalMetrics.outboxQuarantined, (gauge, service, figures) =>
    gauge.set({ service }, figures.outbox.quarantined),
  );
  durableGauge(portalMetrics.consumerPending, (gauge, service, figures) => {
    for (const consumer of figures.consumers) gauge.set({ service, consumer: consumer.name }, consumer.pending);
  });
  durableGauge(portalMetrics.consumerAckPending, (gauge, service, figures) => {
    for (const consumer of figures.consumers) gauge.set({ service, consumer: consumer.name }, consumer.ackPending);
  });
  durableGauge(portalMetrics.consumerDeadLetters, (gauge, service, figures) => {
    for (const consumer of figures.consumers) gauge.set({ service, consumer: consumer.name }, consumer.deadLettered);
  });

  const sseSources = new Set<() => number>();
  new Gauge({
    ...optionsOf(portalMetrics.sseConnections, registry),
    collect() {
      let open = 0;
      for (const read of sseSources) open += read();
      this.set(open);
    },
  });

  const actionMiddleware: moleculer.Middleware = {
    name: 'PortalMetrics',
    localAction(next, action) {
      // `$node.*` is Moleculer's own; private actions (moleculer-web's `rest`) are the HTTP series' business.
      if (action.name?.startsWith('$') || action.visibility === 'private') return next;
      const actionName = action.name ?? 'unknown';
      const service = (action.service as { name?: string } | undefined)?.name ?? actionName.split('.')[0] ?? 'unknown';
      // Bound once per action: a call then costs a few additions (see ActionFigures).
      const figures = actionFiguresOf({ service, action: actionName });
      return async function countedAction(this: moleculer.Service, ctx: moleculer.Context) {
        const startedAt = performance.now();
        figures.calls += 1;
        try {
          return await next.call(this, ctx);
        } catch (error) {
          const { code, kind } = errorLabelsOf(error);
          actionErrors.inc({ service, action: actionName, code, kind });
          throw error;
        } finally {
          figures.observe((performance.now() - startedAt) / 1000);
        }
      };
    },
  };

  return {
    registry,
    actionMiddleware,
    reportDurableStatus(service, read) {
      durableSources.set(service, read);
      durableSnapshot = undefined;
      return () => {
        if (durableSources.get(service) === read) durableSources.delete(service);
        durableSnapshot = undefined;
      };
    },
    observeRequest(route, method, status, seconds) {
      httpRequests.inc({ route, method, status: String(status) });
      if (seconds !== undefined) httpDuration.observe({ route, method }, seconds);
    },
    reportSseConnections(read) {
      sseSources.add(read);
      return () => sseSources.delete(read);
    },
    async exposition() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
