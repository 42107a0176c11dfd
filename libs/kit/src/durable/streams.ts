import {
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from 'nats';

/**
 * How long JetStream remembers a `Nats-Msg-Id`. A relay that dies between publish and commit
 * re-publishes within seconds, well inside this window; anything older is absorbed by the
 * consumers' inbox. Longer windows cost server memory per message id.
 */
export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

const serviceNamePattern = /^[a-z][a-z0-9-]*$/;

/** The JetStream stream of a service: `directory` → `DIRECTORY` (one stream per service). */
export function streamNameOf(service: string): string {
  if (!serviceNamePattern.test(service)) {
    throw new Error(`Service name "${service}" must be lower-case letters, digits and dashes.`);
  }
  return service.toUpperCase().replaceAll('-', '_');
}

/** Every event of a service is published under `<service>.>`. */
export function streamSubjectOf(service: string): string {
  streamNameOf(service);
  return `${service}.>`;
}

export interface ServiceStreamOptions {
  /**
   * How long the stream keeps a message (`EVENT_STREAM_MAX_AGE_DAYS` in a service process); 0 keeps
   * them without limit. Consumers' inbox rows must outlive it (see `inboxRetentionMs`).
   */
  maxAgeMs?: number;
}

/** Creates the service's stream, or brings an existing one to this configuration (idempotent). */
export async function ensureServiceStream(
  jsm: JetStreamManager,
  service: string,
  options: ServiceStreamOptions = {},
): Promise<StreamInfo> {
  const name = streamNameOf(service);
  const config = {
    subjects: [streamSubjectOf(service)],
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(options.maxAgeMs ?? 0),
  };
  return ensureStream(jsm, name, config);
}

/**
 * Where consumers put what they gave up on, beside their `dead_letter` table: one stream for the
 * installation, subject `dead-letter.<durable name>`, the original message body as is, and headers
 * naming the consumer, stream, original subject, event id, deliveries and reason.
 */
export const DEAD_LETTER_STREAM = 'DEAD_LETTER';

export const deadLetterHeaders = {
  consumer: 'Portal-Dead-Letter-Consumer',
  stream: 'Portal-Dead-Letter-Stream',
  subject: 'Portal-Dead-Letter-Subject',
  eventId: 'Portal-Dead-Letter-Event-Id',
  deliveries: 'Portal-Dead-Letter-Deliveries',
  reason: 'Portal-Dead-Letter-Reason',
} as const;

export function deadLetterSubjectOf(durableName: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(durableName)) {
    throw new Error(`Durable name "${durableName}" must be letters, digits, dashes and underscores.`);
  }
  return `dead-letter.${durableName}`;
}

/** Creates the dead-letter stream, or brings it to this configuration (idempotent, shared by all services). */
export async function ensureDeadLetterStream(
  jsm: JetStreamManager,
  options: ServiceStreamOptions = {},
): Promise<StreamInfo> {
  const config = {
    subjects: ['dead-letter.>'],
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(options.maxAgeMs ?? 0),
  };
  return ensureStream(jsm, DEAD_LETTER_STREAM, config);
}

type ChangeableStreamConfig = Pick<StreamConfig, 'subjects' | 'retention' | 'discard' | 'duplicate_window' | 'max_age'>;

async function ensureStream(jsm: JetStreamManager, name: string, config: ChangeableStreamConfig): Promise<StreamInfo> {
  const existing = await jsm.streams.info(name).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (existing) return jsm.streams.update(name, config);
  try {
    return await jsm.streams.add({ name, storage: StorageType.File, ...config });
  } catch (error) {
    // 10058: another process created it meanwhile (the dead-letter stream is shared): update it instead.
    if ((error as { api_error?: { err_code?: number } }).api_error?.err_code === 10058) {
      return jsm.streams.update(name, config);
    }
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const apiError = (error as { api_error?: { err_code?: number } }).api_error;
  // 10059: stream not found.
  return apiError?.err_code === 10059 || (error instanceof Error && /stream not found/i.test(error.message));
}
