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

export async function checkMailRelay(transport: Transporter): Promise<void> {
  await transport.verify();
}
