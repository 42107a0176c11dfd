import moleculer from 'moleculer';
import { DomainErrorRegenerator } from '../errors/regenerator.ts';
import { pinoOptions } from './logger.ts';
import { brokerTracingMiddlewares } from '../observability/tracing-moleculer.ts';
import { natsConnectionOptions, type NatsSettings } from './nats-client.ts';

export interface BrokerSettings extends NatsSettings {
  nodeID: string;
  logLevel: string;
  /** Separates installations sharing one NATS; tests use a random one to stay isolated. */
  namespace?: string;
  requestTimeoutMs?: number;
  /** Broker middlewares of the process (its metrics, say), outermost first. */
  middlewares?: moleculer.Middleware[];
}

/**
 * The broker every process uses: NATS transporter, JSON serializer, pino logs with redaction and
 * an error regenerator so `DomainError` keeps its kind across the wire. Process signals are
 * handled by the caller (`runServiceProcess`) so shutdown order stays under our control.
 */
export function createBroker(settings: BrokerSettings): moleculer.ServiceBroker {
  return new moleculer.ServiceBroker({
    namespace: settings.namespace ?? 'portal',
    nodeID: settings.nodeID,
    transporter: { type: 'NATS', options: natsConnectionOptions(settings) },
    serializer: 'JSON',
    logger: { type: 'Pino', options: { level: settings.logLevel, pino: { options: pinoOptions(settings.logLevel) } } },
    errorRegenerator: new DomainErrorRegenerator(),
    requestTimeout: settings.requestTimeoutMs ?? 10_000,
    retryPolicy: { enabled: false },
    tracking: { enabled: true, shutdownTimeout: 10_000 },
    skipProcessEventRegistration: true,
    metrics: { enabled: false },
    tracing: { enabled: false },
    middlewares: [...(settings.middlewares ?? []), ...brokerTracingMiddlewares()],
  });
}
