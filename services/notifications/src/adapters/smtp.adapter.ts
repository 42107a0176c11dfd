import { createTransport, type Transporter } from 'nodemailer';

/** Outgoing mail over SMTP; `SMTP_URL` carries host, port, credentials and TLS (`smtps://`). */
export function createMailTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return createTransport({
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
}

export interface MailRelayCheckOptions {
  /** How long a successful check stands (default 60 s). */
  upForMs?: number;
  /** How long a failed one stands (default 15 s): long enough not to hammer a relay that refuses us. */
  downForMs?: number;
  now?: () => number;
}

/**
 * The relay's readiness check. nodemailer's `verify()` connects and logs in (AUTH) each time; the
 * status action and the readiness probe run often (every gateway's `/status`, every kubelet probe),
 * and a relay may count every login, or lock the account after failed ones. So one verification
 * answers for a period, and checks arriving while one runs share it.
 */
export function mailRelayCheck(transport: Transporter, options: MailRelayCheckOptions = {}): () => Promise<void> {
  const now = options.now ?? Date.now;
  const upForMs = options.upForMs ?? 60_000;
  const downForMs = options.downForMs ?? 15_000;
  let last: { at: number; error: Error | null } | null = null;
  let running: Promise<void> | null = null;
  return () => {
    if (last && now() - last.at < (last.error ? downForMs : upForMs)) {
      return last.error ? Promise.reject(last.error) : Promise.resolve();
    }
    running ??= transport
      .verify()
      .then(
        () => {
          last = { at: now(), error: null };
        },
        (error: unknown) => {
          last = { at: now(), error: error instanceof Error ? error : new Error(String(error)) };
          throw last.error;
        },
      )
      .finally(() => {
        running = null;
      });
    return running;
  };
}
