/**
 * Every series the portal exports besides prom-client's default process metrics: the one list the
 * code registers from, the kit README documents and the chart's Grafana dashboard is checked
 * against. Labels are bounded on purpose: action names and route templates come from the
 * contracts, error codes from the error tables, never from request data.
 */
export interface MetricSpec {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  labels: readonly string[];
}

/** Seconds; from a cached read (1 ms) to a slow CSV import, wide enough for p99 on both. */
export const durationBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const portalMetrics = {
  actionCalls: {
    name: 'portal_action_calls_total',
    type: 'counter',
    help: 'Moleculer action calls handled by this process, counted where the action runs.',
    labels: ['service', 'action'],
  },
  actionErrors: {
    name: 'portal_action_errors_total',
    type: 'counter',
    help: 'Action calls that ended in an error: code is the DomainError code (or the Moleculer error type, else INTERNAL), kind its error kind.',
    labels: ['service', 'action', 'code', 'kind'],
  },
  actionDuration: {
    name: 'portal_action_duration_seconds',
    type: 'histogram',
    help: 'How long an action handler took, errors included.',
    labels: ['service', 'action'],
  },
  httpRequests: {
    name: 'portal_http_requests_total',
    type: 'counter',
    help: "Gateway HTTP requests by route template (the contract's path, or the route's prefix with /* for a path that names no alias), method and status code.",
    labels: ['route', 'method', 'status'],
  },
  httpDuration: {
    name: 'portal_http_request_duration_seconds',
    type: 'histogram',
    help: 'Gateway HTTP response time by route template; event streams (SSE) are left out, they last as long as the page.',
    labels: ['route', 'method'],
  },
  outboxUnpublished: {
    name: 'portal_outbox_unpublished_events',
    type: 'gauge',
    help: "Outbox rows not yet relayed to JetStream (the service's backlog), read at scrape time.",
    labels: ['service'],
  },
  outboxQuarantined: {
    name: 'portal_outbox_quarantined_events',
    type: 'gauge',
    help: 'Outbox rows the relay gave up on (quarantined), read at scrape time.',
    labels: ['service'],
  },
  consumerPending: {
    name: 'portal_consumer_pending_messages',
    type: 'gauge',
    help: "A durable consumer's lag: stream messages not yet delivered to it (JetStream num_pending).",
    labels: ['service', 'consumer'],
  },
  consumerAckPending: {
    name: 'portal_consumer_ack_pending_messages',
    type: 'gauge',
    help: 'Messages delivered to a durable consumer and not yet acknowledged (JetStream num_ack_pending).',
    labels: ['service', 'consumer'],
  },
  consumerDeadLetters: {
    name: 'portal_consumer_dead_letters',
    type: 'gauge',
    help: 'Messages a durable consumer gave up on and dead-lettered (rows of its dead_letter table).',
    labels: ['service', 'consumer'],
  },
  durableStatusFailures: {
    name: 'portal_durable_status_failures_total',
    type: 'counter',
    help: "Scrapes at which a service's outbox and consumer figures could not be read in time (their series are then absent).",
    labels: ['service'],
  },
  sseConnections: {
    name: 'portal_sse_connections',
    type: 'gauge',
    help: 'Server-Sent Event streams (the bell) open on this gateway replica.',
    labels: [],
  },
} as const satisfies Record<string, MetricSpec>;

/** The names of every series a scrape shows, histograms with their `_bucket`, `_sum` and `_count`. */
export function exportedSeriesNames(): string[] {
  return Object.values(portalMetrics).flatMap((spec: MetricSpec) =>
    spec.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((suffix) => spec.name + suffix) : [spec.name],
  );
}
