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
