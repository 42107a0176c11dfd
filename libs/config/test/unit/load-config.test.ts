import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig, postgresUrl, processEnvSchema } from '@portal/config';

const schema = processEnvSchema.extend({ DIRECTORY_DATABASE_URL: postgresUrl });

describe('loadConfig', () => {
  it('returns a frozen, typed object with defaults applied', () => {
    const config = loadConfig(schema, {
      NATS_URL: 'nats://127.0.0.1:4222',
      DIRECTORY_DATABASE_URL: 'postgres://directory:pw@db:5432/portal',
    });
    expect(config).toMatchObject({ NATS_URL: 'nats://127.0.0.1:4222', LOG_LEVEL: 'info', HEALTH_PORT: 9100 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad variable at once, saying which are missing', () => {
    const failure = (() => {
      try {
        loadConfig(schema, { NATS_URL: 'http://wrong', HEALTH_PORT: 'many', LOG_LEVEL: 'loud' });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(ConfigError);
    const problems = (failure as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/NATS_URL: must start with nats:\/\//);
    expect(problems.join('\n')).toMatch(/HEALTH_PORT: /);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL: /);
    expect(problems.join('\n')).toMatch(/DIRECTORY_DATABASE_URL: .*\(not set\)/);
  });

  it('accepts only the protocols a URL field names', () => {
    const only = z.object({ DIRECTORY_DATABASE_URL: postgresUrl });
    expect(() => loadConfig(only, { DIRECTORY_DATABASE_URL: 'mysql://x@y/z' })).toThrow(
      /must start with postgres:\/\//,
    );
  });
});
