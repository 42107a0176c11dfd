export * from './durable-logger.ts';
export * from './backoff.ts';
export * from './durable-events.migration.ts';
export * from './outbox.ts';
export * from './streams.ts';
export * from './outbox-relay.ts';
export * from './durable-consumer.ts';
export * from './typed-event.ts';
