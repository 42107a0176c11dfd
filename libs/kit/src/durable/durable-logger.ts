/**
 * The slice of a logger the durable layer needs: pino's `(details, message)` call shape, which a
 * Moleculer logger (`(...args) => void`) also accepts.
 */
export interface DurableLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
  debug(details: object, message: string): void;
}

/** Error text worth storing or logging, whatever was thrown. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
