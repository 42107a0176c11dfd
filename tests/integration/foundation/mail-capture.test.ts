import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireStackVar } from '@portal/testing';
import { requireComponent } from './component-probes.ts';

interface CapturedMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
}

async function waitForMessage(catcherUrl: string, subject: string, timeoutMs = 5_000): Promise<CapturedMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${catcherUrl}/api/messages`, { signal: AbortSignal.timeout(2_000) });
    const messages = (await response.json()) as CapturedMessage[];
    const found = messages.find((message) => message.subject === subject);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no captured message with subject "${subject}" within ${timeoutMs} ms`);
}

describe('SMTP: mail sent with nodemailer is captured and parsed', () => {
  beforeAll(async () => {
    await requireComponent('smtp');
  });

  it('captures subject, recipients and both bodies', async () => {
    const smtp = new URL(requireStackVar('SMTP_URL'));
    const transport = createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false });
    const subject = `You have been invited to the portal ${randomUUID()}`;
    await transport.sendMail({
      from: 'Portal <no-reply@supplier.test>',
      to: 'cora@customer.test, team@customer.test',
      subject,
      text: 'Open the link to set your password.',
      html: '<p>Open the <a href="https://portal.test/invite">link</a> to set your password.</p>',
    });
    transport.close();

    const message = await waitForMessage(requireStackVar('MAIL_CATCHER_URL'), subject);
    expect(message.to).toEqual(['cora@customer.test', 'team@customer.test']);
    expect(message.from).toContain('no-reply@supplier.test');
    expect(message.text.trim()).toBe('Open the link to set your password.');
    expect(message.html).toContain('href="https://portal.test/invite"');
  });
});
