import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccessToken, devCliClientId } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import { eicarBytes, elfBytes, pdfBytes } from '../support/document-files.ts';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, signInAsStaff, startWebSystem } from './support/web-ui.ts';

interface Created {
  id: string;
}

/** Every value the upload's progress bar takes, recorded in the page as it changes. */
const recordProgress = `(() => {
  window.__progressSeen = [];
  const note = () => {
    for (const bar of document.querySelectorAll('[role="progressbar"]')) {
      const value = bar.getAttribute('aria-valuenow');
      const last = window.__progressSeen[window.__progressSeen.length - 1];
      if (last !== value) window.__progressSeen.push(value);
    }
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
})()`;

// A staff admin files documents for a customer on the admin screens, against the real gateway,
// identity, directory and documents services (one all-in-one process) (the object store and clamd of the local stack):
// a file type, an upload with its progress and malware scan, a second version, its download and the
// download log, a file that is not what its name says, a document request; then a viewer looks.
describe('staff manage documents in the admin UI', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const tag = randomUUID().slice(0, 6).toLowerCase();
  const files = mkdtempSync(join(tmpdir(), 'admin-documents-'));
  const fileType = { code: `drawings-${tag}`, name: `Drawings ${tag}` };
  const site = { code: `S-${tag.toUpperCase()}`, name: 'North yard' };
  const project = { code: `P-${tag.toUpperCase()}`, name: 'Warehouse extension' };
  const contact = { firstName: 'Dora', lastName: `Drafter ${tag}`, email: `dora-${tag}@customer.test` };
  let system: ServiceSystem;
  let browser: Browser;
  let page: Page;
  let gateway = '';
  let staffToken = '';
  let staffApi: ApiClient;
  let accountId = '';
  let documentPath = '';
  let contactId = '';
  let contactPassword = '';

  const writeFile = (name: string, bytes: Buffer) => {
    const path = join(files, name);
    writeFileSync(path, bytes);
    return path;
  };
  const planV1 = pdfBytes(`site plan, first issue ${tag}`);
  const planV2 = pdfBytes(`site plan, second issue ${tag}, with the new gate`);

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-admin-documents',
        env: {
          // A bucket of its own: the service sets the bucket's CORS rule to this gateway's origin,
          // and another suite running at the same time would set it to its own.
          S3_BUCKET: `admin-documents-${tag}`,
          DOCUMENTS_SWEEP_INTERVAL_MS: '1000',
        },
      }),
      launchBrowser(),
    ]);
    gateway = system.gatewayUrl;
    staffToken = await devAccessToken(keycloakUrl, 'staffAdmin');
    staffApi = apiClient(gateway, () => staffToken);
    // The customer, a site, a project and a contact come through the staff API; documents go through the screens.
    const account = await staffCall<Created>('POST', '/admin/accounts', {
      number: `D-${tag.toUpperCase()}`,
      name: `Osprey Works ${tag}`,
    });
    accountId = account.id;
    const createdSite = await staffCall<Created>('POST', `/admin/accounts/${accountId}/sites`, site);
    await staffCall('POST', `/admin/accounts/${accountId}/projects`, { ...project, siteId: createdSite.id });
    contactId = (await staffCall<Created>('POST', `/admin/accounts/${accountId}/contacts`, contact)).id;
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${contactId}/access/enable`,
      {},
    );
    contactPassword = enabled.credentials.password;
    ({ page } = await newPerson(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(files, { recursive: true, force: true });
  });

  const staffCall = async <Body = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    staffToken = await devAccessToken(keycloakUrl, 'staffAdmin');
    const answer = await staffApi.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };
  const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const saidSaved = (message: string) => page.getByText(message).first().waitFor();
  const choose = async (select: Locator, typed: string, option: string | RegExp) => {
    await select.click();
    await select.fill(typed);
    await page.getByRole('option', { name: option }).click();
  };
  /** Clicks the file field labelled `label` (in `within`) and picks the file at `path` in the chooser. */
  const chooseFile = async (within: Locator, label: string, path: string) => {
    const chooser = page.waitForEvent('filechooser');
    await within.getByRole('button', { name: label }).click();
    await (await chooser).setFiles(path);
  };

  it('creates a file type on the File types screen', async () => {
    await signInAsStaff(page, gateway, 'staffAdmin', 'file-types');
    await page.getByRole('heading', { name: 'File types', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New file type' }).click();
    const newType = dialog('New file type');
    await newType.getByRole('textbox', { name: 'Code' }).fill(fileType.code);
    await newType.getByRole('textbox', { name: 'Name' }).fill(fileType.name);
    await newType.getByRole('switch', { name: 'Customer-visible' }).check();
    // PDF is chosen already; PNG images and text files too.
    await newType.getByRole('combobox', { name: 'Accepted file types' }).click();
    await page.getByRole('option', { name: 'PNG image' }).click();
    await page.getByRole('option', { name: 'Text file (.txt)' }).click();
    await newType.getByRole('textbox', { name: 'Size limit (MB)' }).fill('5');
    await newType.getByRole('button', { name: 'Create file type' }).click();
    await saidSaved(`File type ${fileType.name} created`);
    await page.getByRole('textbox', { name: 'Search' }).fill(fileType.code);
    const created = row(fileType.code);
    await created.filter({ hasText: 'Customer-visible' }).waitFor();
    expect(await created.textContent()).toMatch(/PDF.*PNG image.*Text file \(\.txt\).*5 MB/);
    await reviewScreen(page, 'admin-file-types');
  });

  it('uploads a PDF on the account’s Documents tab, with a progress bar, and the row gets its clean version', async () => {
    await page.goto(`${gateway}/admin/accounts/${accountId}/documents`);
    await page.getByText('No documents yet').waitFor();
    await page.evaluate(recordProgress);
    await page.getByRole('button', { name: 'Upload document' }).click();
    const upload = dialog('Upload document');
    await choose(upload.getByRole('combobox', { name: 'File type' }), fileType.code.slice(0, 8), fileType.name);
    await chooseFile(upload, 'File', writeFile('site-plan.pdf', planV1));
    // The title follows the file's name.
    expect(await upload.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('site-plan');
    await upload.getByRole('textbox', { name: 'Title' }).fill(`Site plan ${tag}`);
    await upload.getByRole('textbox', { name: 'Description' }).fill('The yard with its gates.');
    await choose(upload.getByRole('combobox', { name: 'Belongs to' }), project.code, new RegExp(project.code));
    await upload.getByRole('button', { name: 'Upload document' }).click();
    await saidSaved(`Document Site plan ${tag} uploaded`);
    await upload.waitFor({ state: 'detached' });
    const seen = await page.evaluate<(string | null)[]>('window.__progressSeen');
    expect(seen.at(-1)).toBe('100');
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));

    const document = row(`Site plan ${tag}`);
    await document.waitFor();
    expect(await document.textContent()).toContain(project.code);
    expect(await document.textContent()).toContain(fileType.name);
    // "Scanning" first, then the clean version (the list polls while a scan is pending).
    await expect
      .poll(() => document.textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`v1 · site-plan\\.pdf · ${planV1.length} bytes`));
    await reviewScreen(page, 'admin-account-documents');
  });

  it('uploads a second version on the document page and downloads it', async () => {
    await page.getByRole('link', { name: `Site plan ${tag}` }).click();
    await page.getByRole('heading', { name: `Site plan ${tag}`, level: 1 }).waitFor();
    documentPath = new URL(page.url()).pathname;
    expect(documentPath).toMatch(/^\/admin\/documents\/[0-9a-f-]{36}$/);
    await page.getByText('By file type').first().waitFor();

    await page.evaluate(recordProgress);
    await page.getByRole('button', { name: 'Upload new version' }).click();
    const newVersion = dialog(`Upload new version of Site plan ${tag}`);
    await chooseFile(newVersion, 'File', writeFile('site-plan-v2.pdf', planV2));
    await newVersion.getByRole('button', { name: 'Upload version' }).click();
    await saidSaved(`Version 2 of Site plan ${tag} uploaded`);
    expect((await page.evaluate<(string | null)[]>('window.__progressSeen')).at(-1)).toBe('100');

    const versions = page.getByRole('table', { name: 'Versions' });
    const v2 = versions.getByRole('row').filter({ hasText: 'site-plan-v2.pdf' });
    await v2.waitFor();
    expect(await v2.textContent()).toMatch(/v2.*PDF.*You/);
    await page.getByRole('button', { name: 'Download version 2' }).waitFor({ timeout: 60_000 });
    expect(await v2.textContent()).toContain('Clean');
    await reviewScreen(page, 'admin-document');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download version 2' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('site-plan-v2.pdf');
    expect(readFileSync(await saved.path())).toEqual(planV2);
    // The page stayed where it was.
    expect(new URL(page.url()).pathname).toBe(documentPath);
  });

  it('lists that download with "You" on the Downloads tab, and exports it as CSV', async () => {
    await tab('Downloads').click();
    const log = page.getByRole('table', { name: 'Downloads' });
    const entry = log.getByRole('row').filter({ hasText: 'You' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('v2');
    await reviewScreen(page, 'admin-document-downloads');

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length).toBe(2);
    expect(lines[1]).toContain(`Site plan ${tag}`);
  });

  it('names a contact who downloaded the document, and lists it on the contact’s Downloads tab', async () => {
    // The contact downloads v2 through the portal API (the portal's screens are another suite's).
    const token = await fetch(`${keycloakUrl}/realms/portal/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: devCliClientId,
        username: contact.email,
        password: contactPassword,
      }),
    });
    expect(token.status).toBe(200);
    const contactToken = ((await token.json()) as { access_token: string }).access_token;
    const documentId = documentPath.split('/').at(-1) ?? '';
    const versions = await staffCall<{ items: { id: string; number: number }[] }>(
      'GET',
      `/admin/documents/${documentId}/versions`,
    );
    const v2 = versions.items.find((version) => version.number === 2);
    const link = await apiClient(gateway, () => contactToken).request<{ url: string }>(
      'POST',
      `/portal/documents/${documentId}/versions/${v2?.id}/download`,
      { body: {} },
    );
    expect(link.status, link.text).toBe(200);

    await page.reload();
    const log = page.getByRole('table', { name: 'Downloads' });
    await log
      .getByRole('row')
      .filter({ hasText: `Dora ${contact.lastName}` })
      .waitFor();
    await log.getByRole('link', { name: `Dora ${contact.lastName}` }).click();
    await page.getByRole('heading', { name: `Dora ${contact.lastName}`, level: 1 }).waitFor();
    await tab('Downloads').click();
    const theirs = page
      .getByRole('table', { name: 'Downloads' })
      .getByRole('row')
      .filter({ hasText: `Site plan ${tag}` });
    await theirs.waitFor();
    expect(await theirs.textContent()).toContain('v2');
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(
      `/api/v1/admin/downloads/export?contactId=${contactId}`,
    );
    await reviewScreen(page, 'admin-contact-downloads');
  });

  it('shares the document with named contacts only, in the Edit dialog', async () => {
    await page.goto(`${gateway}${documentPath}`);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = dialog(`Edit document Site plan ${tag}`);
    await edit.getByRole('radio', { name: 'Only these contacts' }).check();
    await choose(edit.getByRole('combobox', { name: 'Contacts' }), 'Dora', new RegExp(contact.lastName));
    // The picker stays open for more; a click beside it closes it.
    await edit.getByText('Sharing', { exact: true }).click();
    await edit.getByRole('button', { name: 'Save' }).click();
    await saidSaved(`Document Site plan ${tag} saved`);
    await page.getByText(`Only these contacts: Dora ${contact.lastName}`).waitFor();
  });

  it('refuses a "PDF" that is an executable, with the API’s message and request id', async () => {
    await page.goto(`${gateway}/admin/accounts/${accountId}/documents`);
    await page.getByRole('button', { name: 'Upload document' }).click();
    const upload = dialog('Upload document');
    await choose(upload.getByRole('combobox', { name: 'File type' }), fileType.code.slice(0, 8), fileType.name);
    await chooseFile(upload, 'File', writeFile('report.pdf', elfBytes()));
    await upload.getByRole('button', { name: 'Upload document' }).click();
    const refusal = upload.getByRole('alert');
    await refusal.getByText('The file is not what it was declared to be; it was deleted.').waitFor();
    expect(await refusal.textContent()).toMatch(/CONTENT_MISMATCH · request id \S+/);
    await upload.getByRole('button', { name: 'Leave without a file' }).click();
    // The document stays, without a file.
    await row('report').filter({ hasText: 'No file yet' }).waitFor();
  });

  it('quarantines a file the malware scan flags: no version to download', async () => {
    await page.getByRole('button', { name: 'Upload document' }).click();
    const upload = dialog('Upload document');
    await choose(upload.getByRole('combobox', { name: 'File type' }), fileType.code.slice(0, 8), fileType.name);
    await chooseFile(upload, 'File', writeFile('meeting-notes.txt', eicarBytes()));
    await upload.getByRole('button', { name: 'Upload document' }).click();
    await saidSaved('Document meeting-notes uploaded');
    await expect.poll(() => row('meeting-notes').textContent(), { timeout: 60_000 }).toContain('Quarantined');
    await page.getByRole('link', { name: 'meeting-notes' }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row').filter({ hasText: 'Quarantined' }).waitFor();
    expect(await page.getByRole('button', { name: /^Download/ }).count()).toBe(0);
    await page.goto(`${gateway}/admin/accounts/${accountId}/documents`);
  });

  it('requests a document from a contact and cancels the request', async () => {
    await tab('Document requests').click();
    await page.getByText('No document requests yet').waitFor();
    await page.getByRole('button', { name: 'Request a document' }).click();
    const request = dialog('Request a document');
    await request.getByRole('textbox', { name: 'Title' }).fill(`As-built drawings ${tag}`);
    await request.getByRole('textbox', { name: 'Instructions' }).fill('The drawings of the finished yard, as PDF.');
    await choose(request.getByRole('combobox', { name: 'Belongs to' }), site.code, new RegExp(site.code));
    await choose(request.getByRole('combobox', { name: 'File type' }), fileType.code.slice(0, 8), fileType.name);
    await choose(request.getByRole('combobox', { name: 'Requested from' }), 'Dora', new RegExp(contact.lastName));
    await request.getByLabel('Due date').fill('2031-05-30');
    await request.getByRole('button', { name: 'Request document' }).click();
    await saidSaved(`Document requested: As-built drawings ${tag}`);
    const requested = row(`As-built drawings ${tag}`);
    await requested.filter({ hasText: 'Open' }).waitFor();
    expect(await requested.textContent()).toContain(`Dora ${contact.lastName}`);
    expect(await requested.textContent()).toContain(site.code);
    await reviewScreen(page, 'admin-account-document-requests');

    await page.getByRole('button', { name: `Cancel request As-built drawings ${tag}` }).click();
    await dialog(`Cancel request As-built drawings ${tag}?`).getByRole('button', { name: 'Cancel request' }).click();
    await saidSaved(`Request As-built drawings ${tag} cancelled`);
    await requested.filter({ hasText: 'Cancelled' }).waitFor();
    expect(await page.getByRole('button', { name: /^Cancel request/ }).count()).toBe(0);
  });

  it('shows a viewer the documents with no control to change them', async () => {
    const viewer = await newPerson(browser);
    const seen = viewer.page;
    try {
      await signInAsStaff(seen, gateway, 'staffViewer', `accounts/${accountId}/documents`);
      await seen
        .getByRole('row')
        .filter({ hasText: `Site plan ${tag}` })
        .waitFor();
      const controls = (name: string | RegExp) => seen.getByRole('button', { name }).count();
      expect(await controls('Upload document')).toBe(0);

      await seen.getByRole('link', { name: `Site plan ${tag}` }).click();
      await seen.getByRole('button', { name: 'Download version 2' }).waitFor();
      expect(await controls(/Upload new version|Archive|Edit/)).toBe(0);

      await seen.goto(`${gateway}/admin/accounts/${accountId}/document-requests`);
      await seen
        .getByRole('row')
        .filter({ hasText: `As-built drawings ${tag}` })
        .waitFor();
      expect(await controls(/Request a document|Cancel request/)).toBe(0);

      // Searched for: the list shows a page of 25, and a long-lived test database holds more.
      await seen.goto(`${gateway}/admin/file-types?search=${encodeURIComponent(fileType.code)}`);
      await seen.getByRole('row').filter({ hasText: fileType.code }).waitFor();
      expect(await controls(/New file type|Edit/)).toBe(0);
    } finally {
      await viewer.context.close();
    }
  });

  it('archives the document after asking', async () => {
    await page.goto(`${gateway}${documentPath}`);
    await page.getByRole('button', { name: 'Archive' }).click();
    await dialog(`Archive document Site plan ${tag}?`).getByRole('button', { name: 'Archive document' }).click();
    await saidSaved(`Document Site plan ${tag} archived`);
    await page
      .getByText('No document matches')
      .or(page.getByRole('row').filter({ hasText: 'report' }))
      .first()
      .waitFor();
    expect(await row(`Site plan ${tag}`).count()).toBe(0);
    await page.getByRole('switch', { name: 'Show archived' }).check();
    await row(`Site plan ${tag}`).filter({ hasText: 'Archived' }).waitFor();
  });
});
