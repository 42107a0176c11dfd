import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, processEnvRules, processEnvSchema } from '@portal/config';

const schema = processEnvSchema.superRefine(processEnvRules);
const base = { NATS_URL: 'nats://127.0.0.1:4222' };

describe('durable-event retention settings', () => {
  it('default to a 14-day stream and a 30-day inbox', () => {
    expect(loadConfig(schema, base)).toMatchObject({ EVENT_STREAM_MAX_AGE_DAYS: 14, EVENT_INBOX_RETENTION_DAYS: 30 });
  });

  it('refuse an inbox retention that is not longer than the stream max age', () => {
    for (const retention of ['14', '7']) {
      const failure = (() => {
        try {
          loadConfig(schema, { ...base, EVENT_STREAM_MAX_AGE_DAYS: '14', EVENT_INBOX_RETENTION_DAYS: retention });
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).problems).toEqual([
        expect.stringMatching(/^EVENT_INBOX_RETENTION_DAYS: must be greater than EVENT_STREAM_MAX_AGE_DAYS \(14\)/),
      ]);
    }
    expect(
      loadConfig(schema, { ...base, EVENT_STREAM_MAX_AGE_DAYS: '60', EVENT_INBOX_RETENTION_DAYS: '61' }),
    ).toMatchObject({ EVENT_STREAM_MAX_AGE_DAYS: 60, EVENT_INBOX_RETENTION_DAYS: 61 });
  });

  it('refuse zero, negative and fractional days', () => {
    for (const value of ['0', '-1', '1.5', 'forever']) {
      expect(() => loadConfig(schema, { ...base, EVENT_STREAM_MAX_AGE_DAYS: value })).toThrow(ConfigError);
    }
  });
});

describe('trace export settings', () => {
  it('leave tracing off by default, keeping every new trace and a 5 s batch delay', () => {
    const env = loadConfig(schema, base);
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBeUndefined();
    expect(env).toMatchObject({ OTEL_TRACES_SAMPLER_ARG: 1, OTEL_BSP_SCHEDULE_DELAY: 5_000 });
    // docker compose hands an unset variable over as empty.
    expect(
      loadConfig(schema, { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: '' }).OTEL_EXPORTER_OTLP_ENDPOINT,
    ).toBeUndefined();
  });

  it('take a collector URL over HTTP(S), a ratio between 0 and 1 and a delay in milliseconds', () => {
    expect(
      loadConfig(schema, {
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }),
    ).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_TRACES_SAMPLER_ARG: 0.25,
      OTEL_BSP_SCHEDULE_DELAY: 200,
    });
  });

  it('refuse a gRPC-style or schemeless endpoint, a ratio above 1 and a zero delay, all at once', () => {
    const failure = (() => {
      try {
        loadConfig(schema, {
          ...base,
          OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4317',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://otel-collector:4317',
          OTEL_TRACES_SAMPLER_ARG: '1.5',
          OTEL_BSP_SCHEDULE_DELAY: '0',
        });
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(failure).toBeInstanceOf(ConfigError);
    expect(failure?.problems.map((problem) => problem.split(':')[0])).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
      'OTEL_TRACES_SAMPLER_ARG',
      'OTEL_BSP_SCHEDULE_DELAY',
    ]);
  });
});

describe('NATS connection settings', () => {
  const problemsOf = (env: Record<string, string>): readonly string[] => {
    try {
      loadConfig(schema, env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('accept nats:// and tls:// URLs with a user and password pair', () => {
    expect(loadConfig(schema, { ...base, NATS_USER: 'directory', NATS_PASSWORD: 'secret' })).toMatchObject({
      NATS_USER: 'directory',
      NATS_PASSWORD: 'secret',
    });
    expect(
      loadConfig(schema, { NATS_URL: 'tls://nats.portal.svc:4222', NATS_CA_FILE: '/etc/portal/nats-ca/ca.crt' }),
    ).toMatchObject({ NATS_URL: 'tls://nats.portal.svc:4222', NATS_CA_FILE: '/etc/portal/nats-ca/ca.crt' });
  });

  it('name the missing half of the credentials', () => {
    expect(problemsOf({ ...base, NATS_USER: 'directory' })).toEqual([
      expect.stringMatching(/^NATS_PASSWORD: must be set together with NATS_USER/),
    ]);
    expect(problemsOf({ ...base, NATS_PASSWORD: 'secret' })).toEqual([
      expect.stringMatching(/^NATS_USER: must be set together with NATS_PASSWORD/),
    ]);
  });

  it('refuse credentials inside the URL, which is logged', () => {
    expect(problemsOf({ NATS_URL: 'nats://directory:secret@127.0.0.1:4222' })).toEqual([
      expect.stringMatching(/^NATS_URL: must not contain credentials: set NATS_USER and NATS_PASSWORD instead/),
    ]);
  });

  it('refuse other schemes, and a CA file without TLS', () => {
    expect(problemsOf({ NATS_URL: 'http://127.0.0.1:4222' })).toEqual([
      expect.stringMatching(/^NATS_URL: must start with nats:\/\/ or tls:\/\//),
    ]);
    expect(problemsOf({ ...base, NATS_CA_FILE: '/ca.crt' })).toEqual([
      expect.stringMatching(/^NATS_CA_FILE: is only used with a tls:\/\/ NATS_URL/),
    ]);
  });
});
