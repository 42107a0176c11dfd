import { z } from 'zod';
import { actorSchema, eventContracts, eventEnvelopeSchema, type EventContract } from '@portal/contracts';
import { DUPLICATE_WINDOW_MS, streamNameOf, streamSubjectOf, subjectOf } from '@portal/kit';
import { hoistDefs, toJsonSchema, type JsonSchema } from '../json-schema.ts';

type AsyncApiDocument = Record<string, unknown> & {
  asyncapi: '3.0.0';
  channels: Record<string, Record<string, unknown>>;
  operations: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; messages: Record<string, Record<string, unknown>> };
};

export interface AsyncApiOptions {
  version: string;
  contracts?: Readonly<Record<string, EventContract>>;
}

/** Channel, operation and message keys: `directory.contact.created` → `directory_contact_created`. */
function keyOf(eventType: string): string {
  return eventType.replaceAll('.', '_');
}

/** `directory.contact.created` → `directory`: the service whose stream carries the event. */
function serviceOf(eventType: string): string {
  return eventType.slice(0, eventType.indexOf('.'));
}

function deliveryDescription(services: string[]): string {
  const streams = services.map((service) => `\`${streamNameOf(service)}\` (\`${streamSubjectOf(service)}\`)`);
  return [
    'Durable events of the customer portal. Each service writes its events to an outbox in the same transaction as the change and a relay publishes them to NATS JetStream afterwards.',
    '',
    `- **Streams.** One JetStream stream per service: ${streams.join(', ')}. The subject of an event is its \`type\`, e.g. \`directory.contact.created\`. Read them with your own durable consumer on the stream (filter by subject as needed) and acknowledge a message once you have applied it.`,
    `- **At least once.** A message can arrive more than once (relay retries, redelivery after a missed ack). De-duplicate by the envelope \`id\`, which equals the \`Nats-Msg-Id\` header; JetStream drops re-publishes only within ${DUPLICATE_WINDOW_MS / 60_000} minutes.`,
    '- **Thin payloads.** `data` carries ids and the facts that changed; read the current state from the REST API (`/api/v1/openapi.json`).',
    '- **Versions.** `version` is the version of the `data` schema; a breaking change is published as a new version beside the old one.',
  ].join('\n');
}

/**
 * The AsyncAPI 3.0 document of the durable events, built from the same zod contracts the emitters
 * and consumers use: per event a channel (address = subject = type), a `receive` operation and a
 * message whose payload is the envelope with `type` and `version` fixed and `data` replaced by
 * the event's schema (output form: what the services publish). The actor is a shared component.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions): AsyncApiDocument {
  const contracts = options.contracts ?? eventContracts;
  const shared = z.registry<{ id: string }>();
  shared.add(actorSchema, { id: 'Actor' });

  const headers = z.looseObject({
    'Nats-Msg-Id': eventEnvelopeSchema.shape.id.describe(
      'Equals the envelope `id`: JetStream de-duplicates re-publishes by it, consumers de-duplicate deliveries by it.',
    ),
  });
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: 'Customer Portal events',
      version: options.version,
      description: deliveryDescription([...new Set(Object.keys(contracts).map(serviceOf))].sort()),
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: '{host}',
        protocol: 'nats',
        description: 'The NATS server (with JetStream) of the installation; ops provide its address and credentials.',
        variables: {
          host: { default: 'localhost:4222', description: 'host:port of the NATS server.' },
        },
      },
    },
    channels: {},
    operations: {},
    components: {
      schemas: { NatsHeaders: toJsonSchema(headers, 'output') },
      messages: {},
    },
  };

  for (const [type, contract] of Object.entries(contracts)) {
    const key = keyOf(type);
    const messageKey = `${key}_v${contract.version}`;
    const envelope = eventEnvelopeSchema.extend({
      type: z.literal(type),
      version: z.literal(contract.version),
      data: contract.data,
    });
    document.components.messages[messageKey] = {
      name: type,
      title: `${type} v${contract.version}`,
      summary: contract.description,
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/NatsHeaders' },
      correlationId: {
        description: 'The trace of the request or job that caused the event.',
        location: '$message.payload#/traceId',
      },
      payload: hoistDefs(toJsonSchema(envelope, 'output', shared), document.components.schemas, (name) => name),
    };
    document.channels[key] = {
      address: subjectOf({ type }),
      title: type,
      description: contract.description,
      messages: { [messageKey]: { $ref: `#/components/messages/${messageKey}` } },
      'x-jetstream-stream': streamNameOf(serviceOf(type)),
    };
    document.operations[`receive_${key}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      summary: contract.description,
      messages: [{ $ref: `#/channels/${key}/messages/${messageKey}` }],
    };
  }
  return document;
}
