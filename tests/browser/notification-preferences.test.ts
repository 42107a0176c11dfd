import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmailLogEntry, EmailPreference } from '@portal/contracts';
import { call, createBroker, natsSettingsOf } from '@portal/kit';
import { requireStackVar, stackEnv } from '@portal/testing';
import { launchBrowser, linksIn, mailboxOf, type CapturedMessage } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, signInAsContact, signInAsStaff, startWebSystem } from './support/web-ui.ts';
import { staffCaller } from './support/staff-calls.ts';

interface Created {
  id: string;
}

/** One kind of e-mail's three choices on the settings screen, a radio group named by the kind. */
const choicesOf = (page: Page, kind: string) => page.getByRole('radiogroup', { name: kind });
const choose = (page: Page, kind: string, choice: string) =>
  choicesOf(page, kind).getByText(choice, { exact: true }).click();
const chosen = (page: Page, kind: string, choice: string) =>
  choicesOf(page, kind).getByRole('radio', { name: choice, exact: true }).isChecked();

// E-mail preferences as the two people set them, and the digest and unsubscribe link that follow:
// the real gateway (serving the build), identity, directory, documents and notifications services (one all-in-one process)
// with the stack's SMTP capture. Staff ask for documents through the staff API; the digest sweep is
// the internal `notifications.sendDigests`, called on the bus as the service's own timer does.
describe('e-mail notification settings, the digest and the unsubscribe page', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6).toLowerCase();
  const namespace = `browser-prefs-${run}`;
  const titles = {
    first: `Insurance certificate ${run}`,
    second: `Method statement ${run}`,
    third: `Risk assessment ${run}`,
  };
  let system: ServiceSystem;
  let browser: Browser;
  let bus: moleculer.ServiceBroker;
  let projectId = '';
  let fileTypeId = '';
  let contact: { id: string; email: string; password: string; name: string };
  let contactPage: Page;
  let digest: CapturedMessage;

  const staffCall = staffCaller(() => system.gatewayUrl, keycloakUrl);
  const requestDocument = (title: string) =>
    staffCall<Created>('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: projectId },
      title,
      fileTypeId,
      requestedFromContactIds: [contact.id],
    });
  const mailbox = () => mailboxOf(requireStackVar('MAIL_CATCHER_URL'), contact.email);
  const mailsAbout = async (text: string) =>
    (await mailbox().messages()).filter((mail) => mail.subject.includes(text) || mail.text.includes(text));
  /** The e-mail log's rows for the contact's address with a status (the staff API; never a body). */
  const contactLog = async (status: EmailLogEntry['status']) =>
    (
      await staffCall<{ items: EmailLogEntry[] }>(
        'GET',
        `/admin/email-log?limit=100&status=${status}&recipient=${encodeURIComponent(contact.email)}`,
      )
    ).items;
  const managerPreferences = async () =>
    (await staffCall<{ items: EmailPreference[] }>('GET', '/admin/notification-preferences', undefined, 'staffManager'))
      .items;
  const resetManagersOverdueEmails = () =>
    staffCall(
      'PUT',
      '/admin/notification-preferences',
      { preferences: [{ eventType: 'submittal.overdue', delivery: 'immediately' }] },
      'staffManager',
    );

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-prefs',
        // The bus below joins this namespace to call the digest sweep; a bucket of the run's own.
        env: { MOLECULER_NAMESPACE: namespace, S3_BUCKET: `browser-prefs-${run}` },
      }),
      launchBrowser(),
    ]);
    bus = createBroker({
      nodeID: `browser-prefs-bus-${run}`,
      ...natsSettingsOf(stack),
      namespace,
      logLevel: 'warn',
    });
    await bus.start();
    await bus.waitForServices(['notifications'], 10_000);

    const accountId = (
      await staffCall<Created>('POST', '/admin/accounts', { number: `PREFS-${run}`, name: `Prefs ${run}` })
    ).id;
    projectId = (
      await staffCall<Created>('POST', `/admin/accounts/${accountId}/projects`, {
        code: `DEPOT-${run}`,
        name: `Depot ${run}`,
      })
    ).id;
    fileTypeId = (
      await staffCall<Created>('POST', '/admin/file-types', {
        code: `prefs-${run}`,
        name: `Certificates ${run}`,
        customerVisible: true,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 1024 * 1024,
      })
    ).id;
    const email = `dana-${run}@customer.test`;
    const name = { firstName: 'Dana', lastName: `Digest ${run}` };
    const created = await staffCall<Created>('POST', `/admin/accounts/${accountId}/contacts`, { ...name, email });
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${created.id}/access/enable`,
      {},
    );
    contact = { id: created.id, email, password: enabled.credentials.password, name: `Dana Digest ${run}` };
    // The manager's choice starts at the default, whatever an earlier run left.
    await resetManagersOverdueEmails();
  });

  afterAll(async () => {
    // Other suites expect the seeded manager to get staff e-mails at once.
    if (system) await resetManagersOverdueEmails().catch(() => undefined);
    await bus?.stop();
    await browser?.close();
    await system?.stop();
  });

  it('lets the contact put new document requests in the daily digest from the bell’s “E-mail settings”', async () => {
    ({ page: contactPage } = await newPerson(browser));
    const page = contactPage;
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, 'requests');
    await page
      .getByRole('banner')
      .getByRole('button', { name: /^Notifications, \d+ unread$/ })
      .click();
    await page.getByRole('dialog', { name: 'Notifications' }).getByRole('link', { name: 'E-mail settings' }).click();
    await page.waitForURL(`${system.gatewayUrl}/portal/notifications/settings`);
    await page.getByRole('heading', { name: 'E-mail notifications', level: 1 }).waitFor();

    // Only the contact's own kinds of e-mail, each at its default.
    await choicesOf(page, 'New document requests').waitFor();
    expect(await chosen(page, 'New document requests', 'Immediately')).toBe(true);
    expect(await chosen(page, 'Submittals sent to you', 'Immediately')).toBe(true);
    expect(await page.getByRole('radiogroup').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await reviewScreen(page, 'portal-email-settings');

    await choose(page, 'New document requests', 'Daily digest');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('E-mail settings saved').waitFor();
    expect(await chosen(page, 'New document requests', 'Daily digest')).toBe(true);
    expect(await chosen(page, 'Submittals sent to you', 'Immediately')).toBe(true);
  });

  it('holds both requests’ e-mails and sends one digest, greeting the contact by name, when the sweep runs', async () => {
    await requestDocument(titles.first);
    await requestDocument(titles.second);
    await expect
      .poll(async () => (await contactLog('held')).map((entry) => entry.subject).sort(), { timeout: 20_000 })
      .toEqual([`Document requested: ${titles.first}`, `Document requested: ${titles.second}`].sort());
    expect(await mailsAbout(titles.first)).toEqual([]);
    expect(await mailsAbout(titles.second)).toEqual([]);

    await call(bus, 'notifications.sendDigests', {});
    digest = await mailbox().waitForMessage({ subject: /digest/, timeoutMs: 20_000 });
    expect(digest.subject).toMatch(/digest: 2 update\(s\)$/);
    expect(digest.text).toContain(`Hello ${contact.name},`);
    expect(digest.text).toContain(`Document requested: ${titles.first}`);
    expect(digest.text).toContain(`Document requested: ${titles.second}`);
    expect((await mailbox().messages()).filter((mail) => /digest/.test(mail.subject))).toHaveLength(1);
    expect(await contactLog('held')).toEqual([]);
  });

  it('unsubscribes from the digest’s link on the public landing page, after which the settings say Off', async () => {
    // The body's link is the portal's page; the header keeps the API's one-click URL, same token.
    const link = /Unsubscribe from these e-mails: (\S+)/.exec(digest.text)?.[1] ?? '';
    const token = link.split('/').at(-1) ?? '';
    expect(link).toBe(`${system.gatewayUrl}/portal/unsubscribe/${token}`);
    expect(linksIn(digest)).toContain(link);
    expect(digest.headers?.['list-unsubscribe']).toBe(`<${system.gatewayUrl}/api/v1/public/unsubscribe/${token}>`);

    // Opened from a mail app: a browser without a session.
    const { context: mailApp, page } = await newPerson(browser);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Unsubscribe from e-mails', level: 1 }).waitFor();
    await page.getByText('Confirm to no longer receive e-mails about new document requests.').waitFor();
    await page
      .getByRole('list', { name: 'This stops the e-mails about:' })
      .getByText('New document requests')
      .waitFor();
    await reviewScreen(page, 'unsubscribe-page');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page
      .getByRole('status', { name: 'Answer' })
      .getByText('You will no longer receive e-mails about new document requests.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Unsubscribe' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Open your e-mail settings' }).waitFor();
    await reviewScreen(page, 'unsubscribe-done');

    // A tampered token: a readable page naming the error's code.
    await page.goto(`${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`);
    await page.getByRole('heading', { name: 'This unsubscribe link does not work', level: 1 }).waitFor();
    await page
      .getByRole('alert')
      .getByText(/UNSUBSCRIBE_TOKEN_INVALID · request id \S+/)
      .waitFor();
    await reviewScreen(page, 'unsubscribe-invalid');
    await mailApp.close();

    // The contact's settings, reached from My profile this time.
    const contactView = contactPage;
    await contactView.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile' }).click();
    await contactView
      .getByRole('region', { name: 'E-mail notifications' })
      .getByRole('link', { name: 'E-mail settings' })
      .click();
    await contactView.getByRole('heading', { name: 'E-mail notifications', level: 1 }).waitFor();
    await expect.poll(() => chosen(contactView, 'New document requests', 'Off')).toBe(true);
    expect(await chosen(contactView, 'Submittals sent to you', 'Immediately')).toBe(true);

    await requestDocument(titles.third);
    await expect
      .poll(async () => (await contactLog('suppressed')).map((entry) => entry.subject), { timeout: 20_000 })
      .toContain(`Document requested: ${titles.third}`);
    expect(await mailsAbout(titles.third)).toEqual([]);
  });

  it('lets a staff manager turn one kind of e-mail off from the user menu; it stays off after a reload', async () => {
    const { page } = await newPerson(browser);
    await signInAsStaff(page, system.gatewayUrl, 'staffManager', 'accounts');
    await page.getByRole('button', { name: /^Account menu of / }).click();
    await page.getByRole('menuitem', { name: 'E-mail notifications' }).click();
    await page.waitForURL(`${system.gatewayUrl}/admin/notifications/settings`);
    await page.getByRole('heading', { name: 'E-mail notifications', level: 1 }).waitFor();

    // Staff's kinds of e-mail only: none of the contacts'.
    for (const kind of [
      'Returned submittals',
      'Submittals from customers',
      'Overdue submittals',
      'Answered document requests',
      'Access requests',
    ]) {
      await choicesOf(page, kind).waitFor();
    }
    expect(await page.getByRole('radiogroup').count()).toBe(5);
    expect(await chosen(page, 'Overdue submittals', 'Immediately')).toBe(true);
    await reviewScreen(page, 'admin-email-settings');

    await choose(page, 'Overdue submittals', 'Off');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('E-mail settings saved').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'E-mail notifications', level: 1 }).waitFor();
    await choicesOf(page, 'Overdue submittals').waitFor();
    expect(await chosen(page, 'Overdue submittals', 'Off')).toBe(true);
    expect(await managerPreferences()).toContainEqual({ eventType: 'submittal.overdue', delivery: 'off' });
  });
});
