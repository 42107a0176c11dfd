import { pino } from 'pino';
import { natsConnectionOptionsOf } from '@portal/kit';

/** Settings the proof test hands each child process explicitly. */
export function proofEnv() {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  return {
    databaseUrl: read('DATABASE_URL'),
    schema: read('DB_SCHEMA'),
    service: read('SERVICE'),
    /** NATS_URL with the stack's NATS_USER/NATS_PASSWORD, as nats.js options. */
    nats: natsConnectionOptionsOf(process.env),
    eventCount: Number(read('EVENT_COUNT')),
    durableName: read('DURABLE_NAME'),
  };
}

/** Warnings and errors to stderr, where the test collects them for its failure messages. */
export const proofLogger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
