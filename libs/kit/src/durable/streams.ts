import { DiscardPolicy, nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamInfo } from 'nats';

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
  /** 0 keeps events until ops set a limit; integrators replay from the stream. */
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
  const existing = await jsm.streams.info(name).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (existing) return jsm.streams.update(name, config);
  return jsm.streams.add({ name, storage: StorageType.File, ...config });
}

function isNotFound(error: unknown): boolean {
  const apiError = (error as { api_error?: { err_code?: number } }).api_error;
  // 10059: stream not found.
  return apiError?.err_code === 10059 || (error instanceof Error && /stream not found/i.test(error.message));
}
