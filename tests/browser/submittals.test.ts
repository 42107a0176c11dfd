import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import { pdfBytes } from '../support/document-files.ts';
import type { ServiceSystem } from '../support/service-system.ts';
import { cleanProjectDocument, staffCaller } from './support/staff-calls.ts';
import { newPerson, reviewScreen, signInAsContact, signInAsStaff, startWebSystem } from './support/web-ui.ts';

interface Created {
  id: string;
}
interface StaffSubmittal {
  id: string;
  number: string;
  revision: number;
  status: string;
  response: { code: string; label: string } | null;
}
interface StaffIncoming {
  transmittalNumber: string;
  status: string;
  files: { fileName: string; isLetter: boolean }[];
}

// Submittals on both screens, against the real gateway (serving the build), identity, directory,
// documents and submittals services (one all-in-one process), the S3 server and the malware scanner. Staff arrange the
// account, project, contact and documents through the staff API; then staff send a submittal on
// the admin screens, the contact downloads and answers it in the portal, staff issue a next
// revision of one sent back, and the contact's own submittal goes through the staff queue.
describe('submittals, staff and contact on their screens', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6);
  let system: ServiceSystem;
  let browser: Browser;

  const staffCall = staffCaller(() => system.gatewayUrl, keycloakUrl);

  const names = {
    project: `Tower ${run}`,
    projectCode: `Tower-${run}`,
    drawings: `Shop drawings ${run}`,
    datasheet: `Pump data sheet ${run}`,
    firstTitle: `Facade shop drawings ${run}`,
    secondTitle: `Pump selection ${run}`,
  };
  let accountId: string;
  let projectId: string;
  let contact: { email: string; password: string };
  let drawings: { documentId: string; versionId: string; bytes: Buffer };
  let datasheet: { documentId: string; versionId: string; bytes: Buffer };
  let firstSubmittalId: string;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-submittals',
      }),
      launchBrowser(),
    ]);

    const account = await staffCall<Created>('POST', '/admin/accounts', {
      number: `SB-${run}`,
      name: `Submittals ${run}`,
    });
    accountId = account.id;
    const site = await staffCall<Created>('POST', `/admin/accounts/${account.id}/sites`, {
      code: `S-${run}`,
      name: `Site ${run}`,
    });
    const project = await staffCall<Created>('POST', `/admin/accounts/${account.id}/projects`, {
      code: names.projectCode,
      name: names.project,
      siteId: site.id,
    });
    projectId = project.id;
    const created = await staffCall<Created>('POST', `/admin/accounts/${account.id}/contacts`, {
      firstName: 'Sam',
      lastName: 'Submittals',
      email: `sam-${run}@customer.test`,
    });
    await staffCall('PUT', `/admin/contacts/${created.id}/access-scope`, {
      scope: { kind: 'selected', siteIds: [site.id], projectIds: [] },
    });
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${created.id}/access/enable`,
      {},
    );
    contact = { email: `sam-${run}@customer.test`, password: enabled.credentials.password };

    const fileType = await staffCall<Created>('POST', '/admin/file-types', {
      code: `drawing-${run}`,
      name: `Drawing ${run}`,
      customerVisible: true,
      allowedContentTypes: ['application/pdf'],
      maxSizeBytes: 5 * 1024 * 1024,
    });
    const documentOf = (title: string) =>
      cleanProjectDocument(staffCall, { projectId: project.id, fileTypeId: fileType.id, title });
    drawings = await documentOf(names.drawings);
    datasheet = await documentOf(names.datasheet);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const submittalIdOf = (page: Page) => new URL(page.url()).pathname.split('/').at(-1) ?? '';

  it('staff create and send a submittal; the contact downloads its file and answers "Approved as noted"; staff see it returned', async () => {
    const { context: staffContext, page: staffPage } = await newPerson(browser);
    await signInAsStaff(staffPage, system.gatewayUrl, 'staffAdmin', `accounts/${accountId}/submittals`);
    await staffPage.getByRole('heading', { name: 'No submittals yet' }).waitFor();
    await reviewScreen(staffPage, 'admin-account-submittals-empty');

    await staffPage.getByRole('button', { name: 'New submittal' }).click();
    const dialog = staffPage.getByRole('dialog', { name: 'New submittal' });
    await dialog.getByRole('combobox', { name: 'Project' }).click();
    await staffPage
      .getByRole('listbox', { name: 'Project' })
      .getByRole('option', { name: `${names.projectCode} · ${names.project}` })
      .click();
    await dialog.getByLabel('Title').fill(names.firstTitle);
    await dialog.getByLabel('Message').fill('The facade drawings for your approval.');
    await dialog.getByLabel('Expected return date').fill('2099-01-31');
    await dialog.getByRole('combobox', { name: 'Files' }).click();
    await staffPage
      .getByRole('listbox', { name: 'Files' })
      .getByRole('option', { name: new RegExp(`^${names.drawings} · `) })
      .click();
    await dialog.getByLabel('Message').click();
    await reviewScreen(staffPage, 'admin-new-submittal');
    await dialog.getByRole('button', { name: 'Create draft' }).click();

    await staffPage.waitForURL(/\/admin\/submittals\/[0-9a-f-]{36}$/);
    firstSubmittalId = submittalIdOf(staffPage);
    const heading = staffPage.getByRole('heading', { level: 1, name: new RegExp(`rev 0: ${names.firstTitle}$`) });
    await heading.waitFor();
    await staffPage.getByText('Draft', { exact: true }).waitFor();
    await staffPage.getByRole('table', { name: 'Files' }).getByText(`${names.drawings}.pdf`).waitFor();
    await staffPage.getByRole('button', { name: 'Send', exact: true }).click();
    await staffPage.getByRole('dialog').getByRole('button', { name: 'Send submittal' }).click();
    await staffPage.getByText('Sent', { exact: true }).first().waitFor();
    expect(await staffPage.getByRole('button', { name: 'Create next revision' }).count()).toBe(0);
    await reviewScreen(staffPage, 'admin-submittal-sent');

    // The contact: the list, the page, the file, the answer.
    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, 'submittals');
    const list = page.getByRole('table', { name: 'Submittals from your supplier' });
    await list.getByRole('row', { name: new RegExp(names.firstTitle) }).waitFor();
    await reviewScreen(page, 'portal-submittals');
    await list.getByRole('link', { name: /rev 0$/ }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`rev 0: ${names.firstTitle}$`) }).waitFor();
    await page.getByText('The facade drawings for your approval.').waitFor();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: `Download ${names.drawings}.pdf` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`${names.drawings}.pdf`);
    expect(Buffer.compare(await readFile(await download.path()), drawings.bytes)).toBe(0);
    await reviewScreen(page, 'portal-submittal');

    await page.getByLabel('Return code').selectOption({ label: 'B · Approved as noted' });
    await page.getByLabel('Comments').fill('Fix the anchor spacing on sheet 3.');
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByRole('heading', { name: 'Your answer' }).waitFor();
    await page.getByRole('cell', { name: 'B · Approved as noted' }).waitFor();
    await context.close();

    await staffPage.reload();
    await staffPage.getByText('Returned', { exact: true }).first().waitFor();
    await staffPage.getByText('B · Approved as noted').waitFor();
    await staffPage.getByText('Fix the anchor spacing on sheet 3.').waitFor();
    await staffPage.getByText('Sam Submittals').waitFor();
    // Approved as noted completes the stage: no next revision.
    expect(await staffPage.getByRole('button', { name: 'Create next revision' }).count()).toBe(0);
    await reviewScreen(staffPage, 'admin-submittal-returned');
    const answered = await staffCall<StaffSubmittal>('GET', `/admin/submittals/${firstSubmittalId}`, undefined);
    expect(answered).toMatchObject({ status: 'returned', response: { code: 'B', label: 'Approved as noted' } });

    // The account's tab lists it, with its answer.
    await staffPage.goto(`${system.gatewayUrl}/admin/accounts/${accountId}/submittals`);
    await staffPage
      .getByRole('table', { name: 'Submittals' })
      .getByRole('row', { name: new RegExp(`${names.firstTitle}.*Returned.*B · Approved as noted`) })
      .waitFor();
    await reviewScreen(staffPage, 'admin-account-submittals');
    await staffContext.close();
  });

  it('a submittal returned "Revise and resubmit" gets its next revision, linked both ways', async () => {
    const draft = await staffCall<StaffSubmittal>('POST', '/admin/submittals', {
      projectId,
      purpose: 'for-review',
      title: names.secondTitle,
      versionIds: [datasheet.versionId],
    });
    await staffCall('POST', `/admin/submittals/${draft.id}/send`, {});

    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, `submittals/${draft.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(names.secondTitle) }).waitFor();
    await page.getByLabel('Return code').selectOption({ label: 'C · Revise and resubmit' });
    await page.getByRole('button', { name: 'Send answer' }).click();
    await page.getByRole('cell', { name: 'C · Revise and resubmit' }).waitFor();
    await context.close();

    const { context: staffContext, page: staffPage } = await newPerson(browser);
    await signInAsStaff(staffPage, system.gatewayUrl, 'staffAdmin', `submittals/${draft.id}`);
    await staffPage.getByText('C · Revise and resubmit').waitFor();
    await staffPage.getByRole('button', { name: 'Create next revision' }).click();
    await staffPage.getByRole('heading', { level: 1, name: `${draft.number} rev 1: ${names.secondTitle}` }).waitFor();
    expect(submittalIdOf(staffPage)).not.toBe(draft.id);
    await staffPage.getByText('Draft', { exact: true }).waitFor();
    await staffPage.getByRole('link', { name: `Previous revision (${draft.number} rev 0)` }).click();
    await staffPage.getByRole('heading', { level: 1, name: `${draft.number} rev 0: ${names.secondTitle}` }).waitFor();
    await staffPage.getByText('Closed', { exact: true }).waitFor();
    await staffPage.getByRole('link', { name: `Next revision (${draft.number} rev 1)` }).waitFor();
    expect(await staffPage.getByRole('button', { name: 'Create next revision' }).count()).toBe(0);
    await staffContext.close();
  });

  it('the contact sends a submittal with two files, one the letter; staff find it in the queue and mark it processed', async () => {
    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, 'submittals');
    await page.getByRole('link', { name: 'Send a submittal' }).click();
    await page.getByRole('heading', { level: 1, name: 'Send a submittal' }).waitFor();
    await page.getByLabel('Project').selectOption({ label: `${names.project} (${names.projectCode})` });
    await page.getByLabel('Transmittal number').fill(`CUST-${run}`);
    await page.getByLabel('Note').fill('As-built drawings for the ground floor.');
    const upload = async (name: string) => {
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Upload a file' }).click();
      await (await chooser).setFiles({ name, mimeType: 'application/pdf', buffer: pdfBytes(name) });
      await page.getByRole('radio', { name: `${name} is the letter` }).waitFor({ timeout: 30_000 });
    };
    await upload('letter.pdf');
    await upload('as-built.pdf');
    await page.getByRole('radio', { name: 'letter.pdf is the letter' }).check();
    await reviewScreen(page, 'portal-send-submittal');
    await page.getByRole('button', { name: 'Send submittal' }).click();
    await page.waitForURL(/\/portal\/submittals\?.*tab=mine/);
    await page
      .getByRole('table', { name: 'My submittals' })
      .getByRole('row', { name: new RegExp(`CUST-${run}.*letter\\.pdf \\(letter\\).*Received`) })
      .waitFor();
    await reviewScreen(page, 'portal-my-submittals');
    await context.close();

    const { context: staffContext, page: staffPage } = await newPerson(browser);
    await signInAsStaff(staffPage, system.gatewayUrl, 'staffAdmin', 'incoming-submittals');
    await staffPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Customer submittals\s*\d+\s*unprocessed$/ })
      .waitFor();
    const queue = staffPage.getByRole('table', { name: 'Projects with unprocessed submittals' });
    const row = queue.getByRole('row', { name: new RegExp(`${names.projectCode} · ${names.project}`) });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('1');
    await reviewScreen(staffPage, 'admin-incoming-queue');
    await row.getByRole('link').click();

    await staffPage.getByRole('heading', { level: 1, name: 'Files from customer' }).waitFor();
    const incoming = staffPage.getByRole('table', { name: 'Files from customer' });
    const received = incoming.getByRole('row', { name: new RegExp(`CUST-${run}`) });
    await received.getByText('As-built drawings for the ground floor.').waitFor();
    await received.getByText('Sam Submittals').waitFor();
    await received.getByText('Letter', { exact: true }).waitFor();
    await received.getByRole('button', { name: 'Download as-built.pdf' }).waitFor();
    await reviewScreen(staffPage, 'admin-files-from-customer');
    await received.getByRole('button', { name: `Mark processed CUST-${run}` }).click();
    await staffPage.getByRole('heading', { name: 'Nothing waiting' }).waitFor();

    const [processed] = (
      await staffCall<{ items: StaffIncoming[] }>('GET', `/admin/projects/${projectId}/incoming-submittals`, undefined)
    ).items;
    expect(processed).toMatchObject({ transmittalNumber: `CUST-${run}`, status: 'processed' });
    expect(processed?.files.map((file) => [file.fileName, file.isLetter])).toEqual([
      ['letter.pdf', true],
      ['as-built.pdf', false],
    ]);

    await staffPage.getByRole('link', { name: 'Customer submittals' }).first().click();
    await staffPage.getByRole('heading', { level: 1, name: 'Customer submittals' }).waitFor();
    await expect
      .poll(() => queue.getByRole('row', { name: new RegExp(names.projectCode) }).count(), { timeout: 10_000 })
      .toBe(0);
    await staffContext.close();
  });
});
