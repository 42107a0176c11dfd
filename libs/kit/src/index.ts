// The kit's public surface, listed on purpose: what services and tests may use. Anything not
// here (relay internals, SQL helpers, backoff maths) may change without notice.

// ---- errors
export {
  DomainError,
  commonError,
  errorFactoryOf,
  validationFailed,
  type DomainErrorOptions,
} from './errors/domain-error.ts';
export { DomainErrorRegenerator } from './errors/regenerator.ts';
export { dataExceptionAsBadRequest, sqlStateOf } from './errors/data-exception.ts';

// ---- broker and typed calls
export { createBroker, type BrokerSettings } from './broker/create-broker.ts';
export { pinoOptions, redactedPaths } from './broker/logger.ts';
export {
  natsConnectionOptions,
  natsConnectionOptionsOf,
  natsSettingsOf,
  type NatsCredentials,
  type NatsSettings,
} from './broker/nats-client.ts';
export { call, contractAction, type Caller } from './broker/typed-call.ts';

// ---- persistence
export {
  createServiceOrm,
  migrateToLatest,
  type MigrationClass,
  type ServiceEntityManager,
  type ServiceOrm,
  type ServiceOrmOptions,
} from './orm/service-orm.ts';

// ---- durable events
export { DurableEventsMigration } from './durable/durable-events.migration.ts';
export {
  DurableEventsQuarantineMigration,
  durableEventsMigrations,
} from './durable/durable-events-quarantine.migration.ts';
export { appendManyToOutbox, appendToOutbox, createEnvelope, subjectOf, type NewEnvelope } from './durable/outbox.ts';
export {
  createEventEnvelope,
  recordEvent,
  recordEvents,
  type EventOrigin,
  type NewEvent,
} from './durable/typed-event.ts';
export {
  DEAD_LETTER_STREAM,
  DUPLICATE_WINDOW_MS,
  deadLetterHeaders,
  deadLetterSubjectOf,
  ensureDeadLetterStream,
  ensureServiceStream,
  streamNameOf,
  streamSubjectOf,
  type ServiceStreamOptions,
} from './durable/streams.ts';
export {
  DEFAULT_MAX_PUBLISH_ATTEMPTS,
  outboxStatusOf,
  startOutboxRelay,
  type OutboxRelay,
  type OutboxRelayOptions,
} from './durable/outbox-relay.ts';
export {
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_INBOX_RETENTION_MS,
  HandlerTimeoutError,
  PoisonMessageError,
  startDurableConsumer,
  type DeliveryOutcome,
  type DurableConsumer,
  type DurableConsumerOptions,
  type DurableEventHandler,
} from './durable/durable-consumer.ts';
export {
  defineConsumer,
  defineConsumerFor,
  producerOf,
  startConsumer,
  type ConsumerDefinition,
  type ConsumerRuntime,
  type ConsumerSpec,
  type ConsumerTuning,
  type TypedEventOf,
} from './durable/typed-consumer.ts';
export { errorText, type DurableLogger } from './durable/durable-logger.ts';

// ---- HTTP helpers
export { callerOf, type CallerMeta } from './http/caller-meta.ts';
export { normalizeAddress, rateLimitKeyOf } from './http/client-address-key.ts';
export { decodeCursor, encodeCursor, pageFromRows } from './http/keyset-cursor.ts';
export {
  containsPattern,
  isoOf,
  isoOrNull,
  keysetAfter,
  SqlConditions,
  sqlArray,
  type SqlTimestamp,
} from './persistence/sql-values.ts';

export { transactionalStoreOf, type TransactionalStore } from './persistence/transactional-store.ts';

// ---- CSV
export { escapeCsvCell, unescapeCsvCell } from './csv/csv-cell.ts';

// ---- health and process runtime
export {
  evaluateReadiness,
  startHealthServer,
  type HealthServer,
  type ReadinessCheck,
} from './health/health-server.ts';
export {
  defineServiceModule,
  type DurableSettings,
  type ServiceInstance,
  type ServiceModule,
  type ServiceModuleContext,
} from './runtime/service-module.ts';
export {
  defaultDurableSettings,
  durableSettingsOf,
  openServiceStore,
  storeMigrations,
  type DurableStatus,
  type ServiceStore,
} from './runtime/service-store.ts';
export { runServiceProcess, type RunningProcess } from './runtime/run-service-process.ts';
export { statusActionOf } from './runtime/status-action.ts';

// ---- observability
export { isTracingEnabled, startTracing, type Tracing, type TracingEnv } from './observability/tracing.ts';
export {
  activeTraceIds,
  contextFromCarrier,
  portalTracer,
  traceCarrierOf,
  type TraceCarrier,
} from './observability/tracing-context.ts';
export { traceHttpRequest } from './observability/tracing-http.ts';
export { instrumentPostgres, sqlOperationOf, sqlWithoutValues } from './observability/tracing-postgres.ts';
export { brokerTracingMiddlewares, tracingMiddleware } from './observability/tracing-moleculer.ts';
export { envelopeTraceOf, traceEventHandling } from './observability/tracing-events.ts';

// ---- metrics
export {
  createProcessMetrics,
  errorLabelsOf,
  type DurableFigures,
  type DurableMetricsSink,
  type HttpMetricsSink,
  type ProcessMetrics,
  type ProcessMetricsOptions,
} from './observability/process-metrics.ts';
export {
  durationBuckets,
  exportedSeriesNames,
  portalMetrics,
  type MetricSpec,
} from './observability/metric-catalog.ts';

// ---- revocation
export {
  REVOCATION_BUCKET,
  openRevocationList,
  watchRevocations,
  type RevocationList,
  type RevocationListOptions,
  type RevocationRealm,
  type RevocationListener,
  type RevocationWatcher,
} from './revocation/revocation-list.ts';
