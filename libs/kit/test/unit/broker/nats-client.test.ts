import { describe, expect, it } from 'vitest';
import { natsConnectionOptions, natsConnectionOptionsOf, natsSettingsOf } from '@portal/kit';

describe('NATS client settings', () => {
  it('hand the credentials to the client through an authenticator, and the servers as host:port', () => {
    const options = natsConnectionOptionsOf({
      NATS_URL: 'nats://nats-0:4222,nats://nats-1:4222',
      NATS_USER: 'directory',
      NATS_PASSWORD: 'bus-secret',
    });
    expect(options.servers).toEqual(['nats-0:4222', 'nats-1:4222']);
    const authenticate = options.authenticator as (nonce?: string) => unknown;
    expect(authenticate()).toEqual({ user: 'directory', pass: 'bus-secret' });
  });

  it("keep the password out of the options' serialised form (Moleculer's $node.options, a logged object)", () => {
    const options = natsConnectionOptionsOf({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_USER: 'directory',
      NATS_PASSWORD: 'bus-secret',
    });
    expect(JSON.stringify(options)).not.toContain('bus-secret');
    expect(options).not.toHaveProperty('pass');
  });

  it('connect without credentials when none are given, and ignore half of a pair', () => {
    expect(natsConnectionOptionsOf({ NATS_URL: 'nats://127.0.0.1:4222' })).toEqual({ servers: ['127.0.0.1:4222'] });
    expect(natsSettingsOf({ NATS_URL: 'nats://127.0.0.1:4222', NATS_USER: 'directory' })).toEqual({
      natsUrl: 'nats://127.0.0.1:4222',
    });
  });

  it('insist on TLS for a tls:// URL, with the CA file when one is given', () => {
    expect(natsConnectionOptions({ natsUrl: 'tls://nats.portal:4222' })).toEqual({
      servers: ['nats.portal:4222'],
      tls: {},
    });
    expect(
      natsConnectionOptionsOf({ NATS_URL: 'tls://nats.portal:4222', NATS_CA_FILE: '/etc/portal/nats-ca/ca.crt' }),
    ).toMatchObject({ tls: { caFile: '/etc/portal/nats-ca/ca.crt' } });
    expect(natsConnectionOptionsOf({ NATS_URL: 'nats://nats.portal:4222' })).not.toHaveProperty('tls');
  });

  it('need a URL', () => {
    expect(() => natsSettingsOf({})).toThrow('NATS_URL is not set');
  });
});
