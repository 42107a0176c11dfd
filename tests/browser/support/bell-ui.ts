import type { Page } from 'playwright-core';
import { devAccessToken } from '@portal/deploy/local/dev-logins';

/** How soon a live notification must show on the bell, without a reload. */
export const live = { timeout: 5_000 };

/** The bell in the header, by the name that says its count ("Notifications, 1 unread"). */
export const bellOf = (page: Page, unread: number) =>
  page.getByRole('banner').getByRole('button', { name: `Notifications, ${unread} unread`, exact: true });
export const bellPanel = (page: Page) => page.getByRole('dialog', { name: 'Notifications' });

/** Marks the page, so a later check can tell it was never reloaded. */
export const markPage = (page: Page) => page.evaluate('window.__sameDocument = true');
export const stillSamePage = (page: Page) => page.evaluate<boolean>('window.__sameDocument === true');

/**
 * Waits until every notifications consumer shows no pending and no unacknowledged message (the
 * gateway's `/api/v1/status`), so every event published so far has been decided: the consumers
 * start on whatever earlier suites left in the streams, and "nobody told" leaves nothing to wait for.
 * A plain loop: this also runs in beforeAll, where expect.poll is not allowed.
 */
export async function notificationsCaughtUp(gatewayUrl: string, keycloakUrl: string): Promise<void> {
  const token = await devAccessToken(keycloakUrl, 'staffAdmin');
  type Status = { services?: { notifications?: { consumers?: { pending: number; ackPending: number }[] } } };
  const caughtUp = async () => {
    const status = (await (
      await fetch(`${gatewayUrl}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Status;
    const consumers = status.services?.notifications?.consumers ?? [];
    return consumers.length > 0 && consumers.every((consumer) => consumer.pending + consumer.ackPending === 0);
  };
  const deadline = Date.now() + 90_000;
  while (!(await caughtUp())) {
    if (Date.now() > deadline) throw new Error('the notifications consumers did not catch up within 90 s');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
