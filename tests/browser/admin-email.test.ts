import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';
import { launchBrowser, mailboxOf } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, signInAsStaff, startWebSystem } from './support/web-ui.ts';
import { staffCaller } from './support/staff-calls.ts';

interface Created {
  id: string;
}

/** The browser's `getComputedStyle`, named here since this package is typed for Node, without the DOM. */
interface StyleReader {
  getComputedStyle(element: unknown): { fontWeight: string; borderBottomStyle: string };
}

/** The subject line the preview shows (the `dd` after "Subject"). */
const subjectOf = (page: Page) => page.locator('dt', { hasText: 'Subject' }).locator('xpath=following-sibling::dd[1]');

// The e-mail screens of the admin UI as a staff admin uses them, against the real gateway (serving
// the build), identity, directory, documents and notifications services (one all-in-one process) with the stack's SMTP
// capture: the templates rendered by the service with sample values and with the admin's own, the
// HTML in a sandboxed frame under the app's own CSP; an e-mail caused here (a document request to a
// contact with portal access, through the staff API) in the E-mail log; a viewer sees neither screen.
describe('the e-mail templates and the e-mail log in the admin UI', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6).toLowerCase();
  const contactEmail = `emil-${run}@customer.test`;
  const requestTitle = `Fire safety certificate ${run}`;
  // The operator's template folder, replacing one part of one template.
  const templateDir = mkdtempSync(join(tmpdir(), 'admin-email-templates-'));
  writeFileSync(
    join(templateDir, 'document-request-fulfilled.subject.hbs'),
    `A customer sent the document you asked for ${run}`,
  );
  let system: ServiceSystem;
  let browser: Browser;
  let page: Page;
  let gateway = '';
  let projectId = '';
  let fileTypeId = '';
  let contactId = '';
  /** What the browser console said about the Content-Security-Policy (a refused style would show here). */
  const policyComplaints: string[] = [];

  const staffCall = staffCaller(() => gateway, keycloakUrl);

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-admin-email',
        // A bucket of its own: the documents service sets its CORS rule to this gateway's origin.
        env: { S3_BUCKET: `browser-email-${run}`, NOTIFICATIONS_TEMPLATE_DIR: templateDir },
      }),
      launchBrowser(),
    ]);
    gateway = system.gatewayUrl;
    const accountId = (
      await staffCall<Created>('POST', '/admin/accounts', { number: `MAIL-${run}`, name: `Mail ${run}` })
    ).id;
    projectId = (
      await staffCall<Created>('POST', `/admin/accounts/${accountId}/projects`, {
        code: `DEPOT-${run}`,
        name: `Depot ${run}`,
      })
    ).id;
    fileTypeId = (
      await staffCall<Created>('POST', '/admin/file-types', {
        code: `mail-${run}`,
        name: `Certificates ${run}`,
        customerVisible: true,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 1024 * 1024,
      })
    ).id;
    contactId = (
      await staffCall<Created>('POST', `/admin/accounts/${accountId}/contacts`, {
        firstName: 'Emil',
        lastName: `Mailer ${run}`,
        email: contactEmail,
      })
    ).id;
    await staffCall('POST', `/admin/contacts/${contactId}/access/enable`, {});
    ({ page } = await newPerson(browser));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) policyComplaints.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(templateDir, { recursive: true, force: true });
  });

  it('shows a template rendered with its sample values, then with values the admin edits', async () => {
    await signInAsStaff(page, gateway, 'staffAdmin', 'accounts');
    const navigation = page.getByRole('navigation', { name: 'Main' });
    await navigation.getByRole('link', { name: 'E-mail log' }).waitFor();
    await navigation.getByRole('link', { name: 'E-mail templates' }).click();
    await page.getByRole('heading', { name: 'E-mail templates', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Choose a template' }).waitFor();

    const templates = page.getByRole('navigation', { name: 'E-mail templates' });
    await templates.getByRole('link', { name: /^Daily digest/ }).waitFor();
    // Only the template the operator's folder replaces carries the badge; its subject is the operator's.
    expect(await templates.getByText('Overridden', { exact: true }).count()).toBe(1);
    const overridden = templates.getByRole('link', { name: /^Document request answered/ });
    expect(await overridden.textContent()).toContain('Overridden');
    await overridden.click();
    await page.waitForURL(/[?&]template=document-request-fulfilled\b/);
    await expect.poll(() => subjectOf(page).textContent()).toBe(`A customer sent the document you asked for ${run}`);
    await templates.getByRole('link', { name: /^Submittal sent/ }).click();
    await page.waitForURL(/[?&]template=submittal-sent\b/);
    await page.getByRole('heading', { name: 'Submittal sent', level: 2 }).waitFor();
    await expect
      .poll(() => subjectOf(page).textContent())
      .toBe('Submittal TR-0042 rev 1: Structural drawings, level 2');

    // The HTML in a frame that may run nothing, rendered from srcdoc under the page's own policy.
    const frameElement = page.getByTitle('HTML body of “Submittal sent”');
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = frameElement.contentFrame();
    await frame.getByText('Structural drawings, level 2').waitFor();
    await frame.getByRole('link', { name: 'Open the submittal' }).waitFor();
    // The layout's header is styled inline (bold, a rule below): applied, so the CSP let it through.
    const header = frame.getByText('Hello Grace Hopper,').locator('xpath=preceding-sibling::p[1]');
    const style = await header.evaluate((element) => {
      const { fontWeight, borderBottomStyle } = (globalThis as unknown as StyleReader).getComputedStyle(element);
      return { fontWeight, borderBottomStyle };
    });
    expect(style).toEqual({ fontWeight: '700', borderBottomStyle: 'solid' });
    await reviewScreen(page, 'admin-email-templates');

    // The admin's own values: only the title changes, in the subject and in both bodies.
    const editor = page.getByRole('textbox', { name: 'Sample data (JSON)' });
    const sample = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    expect(sample).toMatchObject({ number: 'TR-0042', title: 'Structural drawings, level 2' });
    const title = `Bridge deck reinforcement ${run}`;
    await editor.fill(JSON.stringify({ ...sample, title }, null, 2));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => subjectOf(page).textContent()).toBe(`Submittal TR-0042 rev 1: ${title}`);
    await frameElement.contentFrame().getByText(title).waitFor();
    await page.getByRole('tab', { name: 'Text body' }).click();
    await page.waitForURL(/[?&]body=text\b/);
    const textBody = page.getByRole('tabpanel', { name: 'Text body' });
    await textBody.getByText(`"${title}"`, { exact: false }).waitFor();
    expect(await textBody.textContent()).toContain('Unsubscribe from these e-mails:');

    // Broken JSON never leaves the browser: the message says so, the last rendering stays.
    await editor.fill(`${JSON.stringify({ ...sample, title: 'Never sent' }).slice(0, -1)},}`);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText(/^The sample data is not valid JSON/).waitFor();
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await subjectOf(page).textContent()).toBe(`Submittal TR-0042 rev 1: ${title}`);
    await editor.fill('["an array"]');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('The sample data must be a JSON object').waitFor();

    // Values the template cannot render with: the service's refusal, with its code and request id.
    await templates.getByRole('link', { name: /^Daily digest/ }).click();
    await page.waitForURL(/[?&]template=digest\b/);
    await page.getByRole('heading', { name: 'Daily digest', level: 2 }).waitFor();
    await page.getByRole('tab', { name: 'Text body', selected: true }).waitFor();
    await page.getByRole('textbox', { name: 'Sample data (JSON)' }).fill('{ "items": [{}] }');
    await page.getByRole('button', { name: 'Preview' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'could not be rendered with these values' });
    await refusal.getByText(/^EMAIL_TEMPLATE_DATA_INVALID · request id \S+/).waitFor();
    await page.getByRole('button', { name: 'Back to the sample' }).click();
    await refusal.waitFor({ state: 'detached' });
    await page.getByRole('tabpanel', { name: 'Text body' }).getByText('What happened since your last digest').waitFor();
    expect(policyComplaints).toEqual([]);
  });

  it('lists the e-mail a document request sent in the E-mail log, filtered by recipient and status', async () => {
    const since = new Date();
    await staffCall('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: projectId },
      title: requestTitle,
      fileTypeId,
      requestedFromContactIds: [contactId],
    });
    await mailboxOf(stack['MAIL_CATCHER_URL'] ?? '', contactEmail).waitForMessage({
      subject: new RegExp(requestTitle),
      since,
      timeoutMs: 30_000,
    });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'E-mail log' }).click();
    await page.getByRole('heading', { name: 'E-mail log', level: 1 }).waitFor();
    const rows = page.getByRole('table', { name: 'E-mail log' }).locator('tbody tr');
    await rows
      .filter({ hasText: contactEmail })
      .filter({ hasText: `Document requested: ${requestTitle}` })
      .waitFor();
    // Newest first: the e-mail caused just now heads the list.
    expect(await rows.first().textContent()).toContain(`Document requested: ${requestTitle}`);

    await page.getByRole('textbox', { name: 'Recipient' }).fill(contactEmail);
    await page.waitForURL((url) => url.searchParams.get('recipient') === contactEmail);
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.textContent()).toContain(`Document requested: ${requestTitle}`);
    await row.getByText('Sent', { exact: true }).waitFor();
    await page
      .getByRole('region', { name: 'What the statuses mean' })
      .getByText(/^Waits for the recipient’s daily digest/)
      .waitFor();
    await reviewScreen(page, 'admin-email-log');

    await page.getByRole('radiogroup', { name: 'Status' }).getByText('Held', { exact: true }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('status') === 'held' && url.searchParams.get('recipient') === contactEmail,
    );
    await page.getByRole('heading', { name: 'No e-mail matches' }).waitFor();
    await page.getByText(`No e-mail with status “Held” to ${contactEmail}.`, { exact: false }).waitFor();
    await reviewScreen(page, 'admin-email-log-empty');

    // The filters live in the URL: a reload shows the same view.
    await page.reload();
    await page.getByRole('heading', { name: 'No e-mail matches' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Recipient' }).inputValue()).toBe(contactEmail);
    expect(policyComplaints).toEqual([]);
  });

  it('shows a viewer neither screen: not in the navigation, and not available by address', async () => {
    const viewer = await newPerson(browser);
    const seen = viewer.page;
    try {
      await signInAsStaff(seen, gateway, 'staffViewer', 'system-options');
      const navigation = seen.getByRole('navigation', { name: 'Main' });
      await navigation.getByRole('link', { name: 'System options' }).waitFor();
      expect(await navigation.getByRole('link', { name: /^E-mail/ }).count()).toBe(0);
      for (const [path, screen] of [
        ['email-templates?template=submittal-sent', 'E-mail templates'],
        ['email-log', 'E-mail log'],
      ] as const) {
        await seen.goto(`${gateway}/admin/${path}`);
        await seen.getByRole('heading', { name: `${screen}: not available`, level: 1 }).waitFor();
        await seen.getByRole('heading', { name: 'This screen is not available to you' }).waitFor();
        expect(await seen.getByRole('table').count()).toBe(0);
        expect(await seen.locator('iframe').count()).toBe(0);
      }
    } finally {
      await viewer.context.close();
    }
  });
});
