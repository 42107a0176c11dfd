import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { pinoOptions } from '@portal/kit';

/** A logger with the processes' options, writing its lines into `lines`. */
function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: pino(pinoOptions('info'), sink) };
}

describe('log redaction', () => {
  it('never writes passwords, tokens, cookies or mail bodies', () => {
    const { lines, logger } = capturedLogger();
    logger.info(
      {
        password: 'Secret-1!',
        contact: { email: 'cora@customer.test', temporaryPassword: 'Temp-1!' },
        request: { headers: { authorization: 'Bearer abc.def', cookie: '__Host-session=xyz' } },
        mail: { subject: 'Welcome', html: '<p>reset link</p>', text: 'reset link' },
        upload: { presignedUrl: 'https://s3/x?X-Amz-Signature=1' },
        response: { headers: { 'set-cookie': '__Host-portal-admin-session=sid-value' } },
        'set-cookie': 'portal-session=top-sid',
        login: { codeVerifier: 'pkce-verifier', logoutToken: 'logout.jwt' },
      },
      'contact invited',
    );
    const line = lines.join('');
    for (const secret of [
      'Secret-1!',
      'Temp-1!',
      'abc.def',
      'xyz',
      'reset link',
      'X-Amz-Signature',
      'sid-value',
      'top-sid',
      'pkce-verifier',
      'logout.jwt',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('cora@customer.test');
    expect(line).toContain('Welcome');
  });

  it('never writes the NATS password, whether as client options or as the environment', () => {
    const { lines, logger } = capturedLogger();
    logger.info(
      {
        transporter: { servers: ['nats.portal:4222'], user: 'directory', pass: 'bus-secret-1' },
        env: { NATS_URL: 'tls://nats.portal:4222', NATS_USER: 'directory', NATS_PASSWORD: 'bus-secret-2' },
      },
      'connecting',
    );
    const line = lines.join('');
    expect(line).not.toContain('bus-secret-1');
    expect(line).not.toContain('bus-secret-2');
    expect(line).toContain('tls://nats.portal:4222');
    expect(line).toContain('directory');
  });
});
