import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import { pdfBytes } from '../support/document-files.ts';
import type { ServiceSystem } from '../support/service-system.ts';
import { bellOf, bellPanel, live, markPage, notificationsCaughtUp, stillSamePage } from './support/bell-ui.ts';
import { newPerson, reviewScreen, signInAsContact, signInAsStaff, startWebSystem } from './support/web-ui.ts';
import { staffCaller } from './support/staff-calls.ts';

interface Created {
  id: string;
}

// The bell, live, as the two people meet it: the real gateway (serving the build, holding the SSE
// streams), identity, directory, documents and notifications services (one all-in-one process) with the stack's object
// store, clamd and SMTP relay. Staff arrange the customer and ask for documents through the staff
// API; a contact and a staff manager watch their bells in browser contexts of their own.
describe('the bell in both apps', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6).toLowerCase();
  const titles = { first: `Pressure test report ${run}`, second: `Handover checklist ${run}` };
  let system: ServiceSystem;
  let browser: Browser;
  let accountId = '';
  let projectId = '';
  let fileTypeId = '';
  let contact: { id: string; email: string; password: string };
  let contactPage: Page;
  let managerPage: Page;

  const staffCall = staffCaller(() => system.gatewayUrl, keycloakUrl);
  const requestDocument = (title: string) =>
    staffCall<Created>('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: projectId },
      title,
      instructions: 'Signed by the site engineer.',
      fileTypeId,
      requestedFromContactIds: [contact.id],
    });

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-bell',
        // A bucket of its own: the documents service sets its CORS rule to this gateway's origin.
        env: { S3_BUCKET: `browser-bell-${run}` },
      }),
      launchBrowser(),
    ]);
    accountId = (await staffCall<Created>('POST', '/admin/accounts', { number: `BELL-${run}`, name: `Bell ${run}` }))
      .id;
    projectId = (
      await staffCall<Created>('POST', `/admin/accounts/${accountId}/projects`, {
        code: `PUMP-${run}`,
        name: `Pump station ${run}`,
      })
    ).id;
    fileTypeId = (
      await staffCall<Created>('POST', '/admin/file-types', {
        code: `bell-${run}`,
        name: `Reports ${run}`,
        customerVisible: true,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 1024 * 1024,
      })
    ).id;
    const email = `bella-${run}@customer.test`;
    const created = await staffCall<Created>('POST', `/admin/accounts/${accountId}/contacts`, {
      firstName: 'Bella',
      lastName: `Bell ${run}`,
      email,
    });
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${created.id}/access/enable`,
      {},
    );
    contact = { id: created.id, email, password: enabled.credentials.password };
    await settleManagersBell();
  });

  /**
   * Every staff manager hears of every answered request and returned or received submittal, and the
   * notifications consumers start on whatever earlier suites left in the streams: wait until they
   * have caught up (the status shows no pending message), then read everything, so the manager's
   * bell starts at 0 and counts only this test's answers.
   */
  async function settleManagersBell(): Promise<void> {
    await notificationsCaughtUp(system.gatewayUrl, keycloakUrl);
    await staffCall('POST', '/admin/notifications/read-all', {}, 'staffManager');
  }
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('rings the contact’s bell live when staff ask for a document, and leads to the request', async () => {
    ({ page: contactPage } = await newPerson(browser));
    const page = contactPage;
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, 'documents');
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await bellOf(page, 0).waitFor();
    await bellOf(page, 0).click();
    await bellPanel(page).getByText('You’re all caught up').waitFor();
    await page.keyboard.press('Escape');
    await markPage(page);

    await requestDocument(titles.first);
    await bellOf(page, 1).waitFor(live);
    expect(await stillSamePage(page)).toBe(true);
    // Said to a screen reader too, politely.
    await page
      .getByRole('status')
      .filter({ hasText: `New notification: New request: ${titles.first}` })
      .waitFor();

    await bellOf(page, 1).click();
    const panel = bellPanel(page);
    const notice = panel.getByRole('link', { name: new RegExp(`^New request: ${titles.first} \\(unread\\)`) });
    await notice.waitFor();
    await panel.getByRole('button', { name: 'Mark all as read' }).waitFor();
    await reviewScreen(page, 'portal-bell');

    await notice.click();
    await page.waitForURL(`${system.gatewayUrl}/portal/requests`);
    await page.getByRole('heading', { name: 'Requests', level: 1 }).waitFor();
    await page.getByRole('article', { name: titles.first }).waitFor();
    await bellOf(page, 0).waitFor();
    expect(await stillSamePage(page)).toBe(true);
  });

  it('rings the staff manager’s bell when the contact answers, leads to the account’s requests, and reads all', async () => {
    await settleManagersBell();
    ({ page: managerPage } = await newPerson(browser));
    const manager = managerPage;
    await signInAsStaff(manager, system.gatewayUrl, 'staffManager', 'accounts');
    await bellOf(manager, 0).waitFor();
    await markPage(manager);

    // A second request while the contact is on the Requests screen: its bell and the list follow live.
    const contactView = contactPage;
    await requestDocument(titles.second);
    await bellOf(contactView, 1).waitFor(live);
    await contactView.getByRole('article', { name: titles.second }).waitFor(live);

    const answer = async (title: string, fileName: string) => {
      const card = contactView.getByRole('article', { name: title });
      const chooser = contactView.waitForEvent('filechooser');
      await card.getByRole('button', { name: `Upload file for ${title}` }).click();
      await (await chooser).setFiles({ name: fileName, mimeType: 'application/pdf', buffer: pdfBytes(title) });
      await card.waitFor({ state: 'detached', timeout: 60_000 });
    };
    await answer(titles.first, 'pressure-test.pdf');
    await bellOf(manager, 1).waitFor(live);
    await answer(titles.second, 'handover.pdf');
    await bellOf(manager, 2).waitFor(live);
    expect(await stillSamePage(manager)).toBe(true);

    await bellOf(manager, 2).click();
    const panel = bellPanel(manager);
    const notices = panel.getByRole('link', { name: /^A customer answered a document request \(unread\)/ });
    await expect.poll(() => notices.count(), live).toBe(2);
    await reviewScreen(manager, 'admin-bell');

    await notices.first().click();
    await manager.waitForURL(`${system.gatewayUrl}/admin/accounts/${accountId}/document-requests`);
    await bellOf(manager, 1).waitFor();
    for (const [title, fileName] of [
      [titles.first, 'pressure-test.pdf'],
      [titles.second, 'handover.pdf'],
    ] as const) {
      const row = manager.getByRole('row').filter({ hasText: title });
      await row.getByText('Fulfilled').waitFor();
      await row.getByRole('link', { name: fileName }).waitFor();
    }

    await bellOf(manager, 1).click();
    await panel.getByRole('button', { name: 'Mark all as read' }).click();
    await bellOf(manager, 0).waitFor();
    await panel.getByText('You’re all caught up').waitFor();
    await expect.poll(() => panel.getByRole('link', { name: /\(unread\)/ }).count()).toBe(0);
    expect(await stillSamePage(manager)).toBe(true);

    await manager.reload();
    await manager.getByRole('navigation', { name: 'Main' }).waitFor();
    await bellOf(manager, 0).waitFor();
  });

  it('lists every notification on the full page, in the URL, and marks one read there', async () => {
    const notificationsTable = (page: Page) => page.getByRole('table', { name: 'Notifications' });
    const openFullList = async (page: Page, unread: number, app: 'admin' | 'portal') => {
      await bellOf(page, unread).click();
      await bellPanel(page).getByRole('link', { name: 'See all notifications' }).click();
      await page.waitForURL(`${system.gatewayUrl}/${app}/notifications`);
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    };

    // The contact read the first request's notice by following it; the second is still unread.
    const contactView = contactPage;
    await openFullList(contactView, 1, 'portal');
    const table = notificationsTable(contactView);
    await table.getByRole('row').filter({ hasText: titles.first }).getByText('Read', { exact: true }).waitFor();
    const second = table.getByRole('row').filter({ hasText: titles.second });
    await second.getByText('Unread', { exact: true }).waitFor();
    await reviewScreen(contactView, 'portal-notifications');
    await second.getByRole('button', { name: `Mark read: New request: ${titles.second}` }).click();
    await second.getByText('Read', { exact: true }).waitFor();
    await bellOf(contactView, 0).waitFor();

    // Staff read all of theirs: "Unread" (in the URL) has nothing, "All" has both answers.
    const manager = managerPage;
    await openFullList(manager, 0, 'admin');
    await expect
      .poll(() =>
        notificationsTable(manager)
          .getByRole('row', { name: /A customer answered a document request/ })
          .count(),
      )
      .toBeGreaterThanOrEqual(2);
    await reviewScreen(manager, 'admin-notifications');
    await manager.getByRole('radiogroup', { name: 'Show' }).getByText('Unread', { exact: true }).click();
    await manager.waitForURL(/unread=true/);
    await manager.getByRole('heading', { name: 'You’re all caught up' }).waitFor();
  });
});
