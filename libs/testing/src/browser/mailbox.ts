import type { CapturedMessage } from '@portal/deploy/local/mail-catcher';

export type { CapturedMessage };

export interface Mailbox {
  /** Every message captured for this address so far, oldest first. */
  messages(): Promise<CapturedMessage[]>;
  /**
   * The first message for this address received after `since` (an ISO time or a Date) whose
   * subject matches, waiting up to `timeoutMs` for it. Fails naming what did arrive.
   */
  waitForMessage(options?: { subject?: RegExp; since?: Date; timeoutMs?: number }): Promise<CapturedMessage>;
}

/** One recipient's view of the SMTP capture (`MAIL_CATCHER_URL`): what a person finds in their inbox. */
export function mailboxOf(mailCatcherUrl: string, address: string): Mailbox {
  const to = address.toLowerCase();
  const messages = async () => {
    const response = await fetch(`${mailCatcherUrl}/api/messages?to=${encodeURIComponent(to)}`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`mail capture at ${mailCatcherUrl} answered ${response.status}`);
    return (await response.json()) as CapturedMessage[];
  };
  return {
    messages,
    async waitForMessage({ subject, since, timeoutMs = 15_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const all = await messages();
        const found = all.find(
          (m) => (!since || Date.parse(m.receivedAt) >= since.getTime()) && (!subject || subject.test(m.subject)),
        );
        if (found) return found;
        if (Date.now() > deadline) {
          const seen = all.map((m) => `${m.receivedAt} "${m.subject}"`).join('; ') || 'none';
          throw new Error(
            `no e-mail to ${to}${subject ? ` with a subject like ${subject}` : ''} in ${timeoutMs} ms (seen: ${seen})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
}

/** The links of a message: the HTML body's `href`s when it has one, else the URLs in its text. */
export function linksIn(message: Pick<CapturedMessage, 'html' | 'text'>): string[] {
  const decode = (url: string) => url.replaceAll('&amp;', '&');
  if (message.html) return [...message.html.matchAll(/href="([^"]+)"/g)].map((m) => decode(m[1] ?? ''));
  return [...message.text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}
