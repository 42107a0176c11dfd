import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { NatsConnection } from 'nats';
import { z } from 'zod';
import { eventContracts, type EventContract, type EventEnvelope } from '@portal/contracts';
import {
  PoisonMessageError,
  startDurableConsumer,
  type DurableConsumer,
  type DurableConsumerOptions,
  type DurableEventHandler,
} from './durable-consumer.ts';
import type { DurableLogger } from './durable-logger.ts';
import { deadLetterSubjectOf, streamNameOf } from './streams.ts';

/** One of the events `E` of the contract map `M`, its payload parsed by the event's schema. */
export type TypedEventOf<M extends Record<string, EventContract>, E extends keyof M & string> = {
  [K in E]: EventEnvelope<z.output<M[K]['data']>> & { type: K };
}[E];

/** Per-consumer tuning; see `DurableConsumerOptions` for each default. */
export type ConsumerTuning = Pick<
  DurableConsumerOptions,
  'maxDeliver' | 'backoffMs' | 'ackWaitMs' | 'batchSize' | 'handlerTimeoutMs' | 'concurrency'
>;

export interface ConsumerSpec<
  M extends Record<string, EventContract>,
  E extends keyof M & string,
> extends ConsumerTuning {
  /** The JetStream durable and inbox key: stable across deploys, e.g. `identity-on-contact-created`. */
  durableName: string;
  /** The event types it applies; all from one producing service (one stream per consumer). */
  events: readonly [E, ...E[]];
  /**
   * Runs in the transaction that records the event in the inbox; `signal` aborts at the handler
   * timeout; `afterCommit` work runs only once that transaction has committed.
   */
  handle(
    event: TypedEventOf<M, E>,
    em: EntityManager,
    signal: AbortSignal,
    afterCommit: (work: () => void | Promise<void>) => void,
  ): Promise<void>;
}

/** What a service module lists and `openServiceStore` runs: stream and filters derived from the event types. */
export interface ConsumerDefinition extends ConsumerTuning {
  durableName: string;
  stream: string;
  filterSubjects: readonly string[];
  handle: DurableEventHandler;
}

/** The producing service of an event type: `directory.contact.created` → `directory`. */
export function producerOf(type: string): string {
  return type.slice(0, type.indexOf('.'));
}

/**
 * `defineConsumer` over any contract map; the kit's own is bound to the contracts' `EventMap`.
 * Tests use it with contracts of a scratch service.
 */
export function defineConsumerFor<M extends Record<string, EventContract>>(contracts: M) {
  return function defineConsumer<const E extends keyof M & string>(spec: ConsumerSpec<M, E>): ConsumerDefinition {
    const { durableName, events, handle, ...tuning } = spec;
    deadLetterSubjectOf(durableName);
    const producers = [...new Set(events.map(producerOf))];
    if (producers.length !== 1 || !producers[0]) {
      throw new Error(
        `Consumer ${durableName} reads events of ${producers.join(', ')}: one producing service per consumer.`,
      );
    }
    for (const type of events) {
      if (!contracts[type]) throw new Error(`Consumer ${durableName}: no contract for event ${type}.`);
    }
    const declared = new Set<string>(events);
    return {
      ...tuning,
      durableName,
      stream: streamNameOf(producers[0]),
      filterSubjects: [...declared],
      async handle(envelope, em, signal, afterCommit) {
        const contract = declared.has(envelope.type) ? contracts[envelope.type] : undefined;
        if (!contract) throw new PoisonMessageError(`${envelope.type} is not an event ${durableName} reads`);
        if (envelope.version !== contract.version) {
          throw new PoisonMessageError(
            `${envelope.type} version ${envelope.version}; ${durableName} reads version ${contract.version}`,
          );
        }
        const data = contract.data.safeParse(envelope.data);
        if (!data.success) {
          throw new PoisonMessageError(
            `payload does not match ${envelope.type} v${contract.version}: ${z.prettifyError(data.error)}`,
          );
        }
        await handle({ ...envelope, data: data.data } as TypedEventOf<M, E>, em, signal, afterCommit);
      },
    };
  };
}

/**
 * Declares a durable consumer of contract events: the handler gets the payload parsed by the
 * event's schema (a payload that fails it is dead-lettered at once), the stream is the producing
 * service's, the filter subjects are the event types.
 */
export const defineConsumer = defineConsumerFor(eventContracts);

export interface ConsumerRuntime {
  orm: MikroORM;
  nats: NatsConnection;
  logger: DurableLogger;
  inboxRetentionMs?: number;
  deadLetterMaxAgeMs?: number;
}

/** Starts a defined consumer. */
export function startConsumer(definition: ConsumerDefinition, runtime: ConsumerRuntime): Promise<DurableConsumer> {
  return startDurableConsumer({ ...definition, ...runtime });
}
