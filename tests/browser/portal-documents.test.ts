import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { UploadTicket } from '@portal/contracts';
import { pdfBytes, putToTicket } from '../support/document-files.ts';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, signInAsContact, startWebSystem } from './support/web-ui.ts';

interface Created {
  id: string;
}
interface Version {
  id: string;
  fileName: string;
  sizeBytes: number;
}
interface StaffDocument {
  id: string;
  currentVersion: Version | null;
}
interface StaffRequest {
  id: string;
  status: string;
  fulfilledVersion: Version | null;
  fulfilledByContactId: string | null;
}
interface DownloadEntry {
  versionId: string;
  actorKind: string;
  contactId: string | null;
  sourceAddress: string | null;
}

/** Every value an upload's progress bar takes, recorded in the page as it changes. */
const recordProgressValues = `(() => {
  window.__progressSeen = [];
  const note = () => {
    for (const bar of document.querySelectorAll('[role="progressbar"]')) {
      const value = bar.getAttribute('aria-valuenow');
      const seen = window.__progressSeen;
      if (seen[seen.length - 1] !== value) seen.push(value);
    }
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
})()`;

// Contacts find the documents shared with them and answer document requests in the portal, against
// the real gateway (serving the build), identity, directory and documents services (one all-in-one process), the S3 server
// and the malware scanner. Staff arrange accounts, documents, files and requests through the staff API.
describe('portal documents and requests, as a contact uses them', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6);
  let system: ServiceSystem;
  let staff: ApiClient;
  let browser: Browser;

  const staffCall = async <Body>(method: string, path: string, body?: unknown, status = 201) => {
    const answer = await staff.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
    return answer.body;
  };

  /** Staff's upload of a document's file: start, a plain PUT to the ticket's address with its headers, finalize. */
  const uploadAsStaff = async (documentId: string, fileName: string, bytes: Buffer) => {
    const ticket = await staffCall<UploadTicket>('POST', `/admin/documents/${documentId}/uploads`, {
      fileName,
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    const put = await putToTicket(ticket, bytes);
    expect(put.status, `PUT ${ticket.url}: ${await put.clone().text()}`).toBe(200);
    return staffCall<Version>('POST', `/admin/documents/${documentId}/uploads/${ticket.uploadId}/finalize`, {}, 200);
  };

  // What staff arrange (beforeAll), named for the test's reading.
  const names = {
    towerPlan: `Tower plan ${run}`,
    siteRules: `Site A safety rules ${run}`,
    request: `Concrete test certificate ${run}`,
  };
  let contact: { id: string; email: string; password: string };
  let projectTower: Created;
  let projectHidden: Created;
  let towerPlan: { id: string; version: Version; bytes: Buffer };
  let hiddenDocument: Created;
  let documentRequest: Created;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-portal-documents',
      }),
      launchBrowser(),
    ]);
    const token = await devAccessToken(keycloakUrl, 'staffAdmin');
    staff = apiClient(system.gatewayUrl, () => token);

    const account = await staffCall<Created>('POST', '/admin/accounts', {
      number: `PD-${run}`,
      name: `Documents ${run}`,
    });
    const site = (code: string) =>
      staffCall<Created>('POST', `/admin/accounts/${account.id}/sites`, {
        code: `${code}-${run}`,
        name: `Site ${code}`,
      });
    const siteA = await site('A');
    const siteB = await site('B');
    const project = (name: string, more: Record<string, unknown>) =>
      staffCall<Created>('POST', `/admin/accounts/${account.id}/projects`, {
        code: `${name}-${run}`,
        name: `${name} ${run}`,
        ...more,
      });
    projectTower = await project('Tower', { siteId: siteA.id });
    projectHidden = await project('Hidden', { siteId: siteA.id, hidden: true });
    const projectBridge = await project('Bridge', { siteId: siteB.id });

    const created = await staffCall<Created>('POST', `/admin/accounts/${account.id}/contacts`, {
      firstName: 'Dora',
      lastName: 'Documents',
      email: `dora-${run}@customer.test`,
    });
    await staffCall(
      'PUT',
      `/admin/contacts/${created.id}/access-scope`,
      { scope: { kind: 'selected', siteIds: [siteA.id], projectIds: [] } },
      200,
    );
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${created.id}/access/enable`,
      {},
      200,
    );
    contact = { id: created.id, email: `dora-${run}@customer.test`, password: enabled.credentials.password };

    const fileType = (code: string, customerVisible: boolean) =>
      staffCall<Created>('POST', '/admin/file-types', {
        code: `${code}-${run}`,
        name: `${customerVisible ? 'Drawing' : 'Cost sheet'} ${run}`,
        customerVisible,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 5 * 1024 * 1024,
      });
    const visibleType = await fileType('drawing', true);
    const internalType = await fileType('costs', false);

    const documentOf = async (
      title: string,
      owner: { kind: 'account' | 'site' | 'project'; id: string },
      more: Record<string, unknown> = {},
    ) => {
      const document = await staffCall<Created>('POST', '/admin/documents', {
        owner,
        title,
        description: `About ${title}.`,
        fileTypeId: visibleType.id,
        ...more,
      });
      const bytes = pdfBytes(title);
      // A path and a character Windows refuses in the declared name: the service keeps a sanitised copy.
      const version = await uploadAsStaff(document.id, `scans\\2026/${title}: rev A.pdf`, bytes);
      return { id: document.id, version, bytes };
    };
    towerPlan = await documentOf(names.towerPlan, { kind: 'project', id: projectTower.id });
    hiddenDocument = await documentOf(`Hidden project plan ${run}`, { kind: 'project', id: projectHidden.id });
    const others = [
      hiddenDocument,
      await documentOf(`Bridge plan ${run}`, { kind: 'project', id: projectBridge.id }),
      await documentOf(`Account terms ${run}`, { kind: 'account', id: account.id }),
      await documentOf(names.siteRules, { kind: 'site', id: siteA.id }),
      await documentOf(`Tower internal note ${run}`, { kind: 'project', id: projectTower.id }, { sharing: 'internal' }),
      await documentOf(`Tower costs ${run}`, { kind: 'project', id: projectTower.id }, { fileTypeId: internalType.id }),
    ];
    // The portal lists a document once a version is clean: the scan normally passes during finalize.
    for (const document of [towerPlan, ...others]) {
      const deadline = Date.now() + 30_000;
      // (expect.poll belongs in tests, not hooks: a plain loop.)
      while (
        !(await staffCall<StaffDocument>('GET', `/admin/documents/${document.id}`, undefined, 200)).currentVersion
      ) {
        if (Date.now() > deadline) throw new Error(`document ${document.id} has no clean version after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }

    documentRequest = await staffCall<Created>('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: projectTower.id },
      title: names.request,
      instructions: 'The 28-day cube test of the ground-floor slab, signed by the lab.',
      fileTypeId: visibleType.id,
      requestedFromContactIds: [contact.id],
      // Yesterday: the request shows as overdue.
      dueDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const settles = { timeout: 10_000, interval: 100 };
  /** The titles the documents table shows, read in one go (rows come and go while it refetches). */
  const documentTitles = async (page: Page) => {
    const table = page.getByRole('table', { name: 'Documents' });
    await table.waitFor();
    const titles = await table
      .locator('tbody')
      .getByRole('row')
      .evaluateAll((rows) =>
        rows.flatMap((row) => {
          const cells = (row as unknown as { cells: { length: number; 0?: { textContent: string | null } } }).cells;
          return cells.length > 1 ? [(cells[0]?.textContent ?? '').trim()] : [];
        }),
      );
    return titles.sort();
  };

  it('lists exactly the documents a contact may see, narrows them by title and project, and downloads a version that staff then find in the log', async () => {
    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password);

    // From a project's row to its documents.
    await page.getByRole('link', { name: `Documents of Tower ${run}` }).click();
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await expect.poll(() => documentTitles(page), settles).toEqual([names.towerPlan]);
    let url = new URL(page.url());
    expect(url.searchParams.get('ownerKind')).toBe('project');
    expect(url.searchParams.get('ownerId')).toBe(projectTower.id);

    // All documents: the project's visible one and site A's, nothing else.
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'All documents' });
    await expect.poll(() => documentTitles(page), settles).toEqual([names.siteRules, names.towerPlan]);
    expect(new URL(page.url()).searchParams.has('ownerId')).toBe(false);
    const table = page.getByRole('table', { name: 'Documents' });
    await table
      .getByRole('row', { name: new RegExp(`${names.towerPlan}.*Tower ${run} \\(Tower-${run}\\).*Drawing ${run}`) })
      .waitFor();
    await table.getByRole('row', { name: new RegExp(`${names.siteRules}.*Site.*Drawing ${run}`) }).waitFor();
    await reviewScreen(page, 'portal-documents');

    await page.getByLabel('Search documents').fill('safety');
    await page.waitForURL(/search=safety/);
    await expect.poll(() => documentTitles(page), settles).toEqual([names.siteRules]);
    await page.getByLabel('Project', { exact: true }).selectOption({ label: `Tower ${run} (Tower-${run})` });
    await page.getByRole('heading', { name: 'No document matches' }).waitFor();
    url = new URL(page.url());
    expect([url.searchParams.get('search'), url.searchParams.get('ownerId')]).toEqual(['safety', projectTower.id]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => documentTitles(page), settles).toHaveLength(2);

    // The document page and its download.
    await table.getByRole('link', { name: names.towerPlan }).click();
    await page.getByRole('heading', { name: names.towerPlan, level: 1 }).waitFor();
    await page.getByText(`About ${names.towerPlan}.`).waitFor();
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row', { name: new RegExp(`^1 ${escapeRegExp(towerPlan.version.fileName)}`) }).waitFor();
    await reviewScreen(page, 'portal-document');
    const downloading = page.waitForEvent('download');
    await versions.getByRole('button', { name: `Download version 1, ${towerPlan.version.fileName}` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(towerPlan.version.fileName);
    expect(download.suggestedFilename()).toBe(`${names.towerPlan}_ rev A.pdf`);
    expect(Buffer.compare(await readFile(await download.path()), towerPlan.bytes)).toBe(0);
    // Still on the document's page.
    expect(new URL(page.url()).pathname).toBe(`/portal/documents/${towerPlan.id}`);

    const log = await staffCall<{ items: DownloadEntry[] }>(
      'GET',
      `/admin/downloads?documentId=${towerPlan.id}`,
      undefined,
      200,
    );
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      versionId: towerPlan.version.id,
      actorKind: 'contact',
      contactId: contact.id,
    });
    expect(log.items[0]?.sourceAddress).toBeTruthy();

    // A document out of reach (its project is hidden) is "not available", never a crash.
    await page.goto(`${system.gatewayUrl}/portal/documents/${hiddenDocument.id}`);
    await page.getByRole('heading', { name: 'This document is not available' }).waitFor();
    await page.getByText(/Request id: \S+/).waitFor();
    // A link narrowing the list to that project: said so, with the way back to all documents.
    await page.goto(`${system.gatewayUrl}/portal/documents?ownerKind=project&ownerId=${projectHidden.id}`);
    await page.getByRole('heading', { name: 'This project is not among yours' }).waitFor();
    await page.getByRole('button', { name: 'Show all documents' }).click();
    await expect.poll(() => documentTitles(page), settles).toEqual([names.siteRules, names.towerPlan]);
    await context.close();
  });

  it('shows an open request with the count in the navigation, refuses a wrong file before and after sending, and fulfils it with an upload', async () => {
    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, 'requests');
    const navigation = page.getByRole('navigation', { name: 'Main' });
    await navigation.getByRole('link', { name: /^Requests\s*1\s*open$/ }).waitFor();

    const card = page.getByRole('article', { name: names.request });
    await card.getByText('The 28-day cube test of the ground-floor slab, signed by the lab.').waitFor();
    await card.getByText('Overdue').waitFor();
    await card.getByRole('cell', { name: `Tower ${run} (Tower-${run})` }).waitFor();
    await card.getByRole('cell', { name: 'PDF', exact: true }).waitFor();
    await card.getByRole('cell', { name: 'Up to 5 MB' }).waitFor();
    await reviewScreen(page, 'portal-requests-open');

    const choose = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      const chooser = page.waitForEvent('filechooser');
      await card.getByRole('button', { name: `Upload file for ${names.request}` }).click();
      await (await chooser).setFiles(file);
    };
    // Not a kind of file the request accepts: said at once, nothing sent.
    await choose({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a certificate') });
    await card
      .getByRole('alert')
      .filter({ hasText: 'This file cannot be sent' })
      .getByText(/It accepts: PDF/)
      .waitFor();
    // Called a PDF, but its bytes are not: the service refuses it after the PUT, with its code and request id.
    await choose({ name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('plain text, not a PDF') });
    const refused = card.getByRole('alert').filter({ hasText: 'The file was not sent' });
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toMatch(/CONTENT_MISMATCH · request id \S+/);

    await page.evaluate(recordProgressValues);
    const certificate = pdfBytes('cube test 42 MPa');
    await choose({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: certificate });
    await card.waitFor({ state: 'detached', timeout: 60_000 });
    const seen = await page.evaluate<(string | null)[]>('window.__progressSeen');
    expect(seen[0]).toBe('0');
    expect(seen.at(-1)).toBe('100');
    const values = seen.map(Number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    await page.getByRole('heading', { name: 'No open requests' }).waitFor();
    await navigation.getByRole('link', { name: 'Requests', exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Fulfilled' }).click();
    await page.waitForURL(/status=fulfilled/);
    const fulfilled = page.getByRole('article', { name: names.request });
    await fulfilled.getByRole('cell', { name: /^certificate\.pdf \(/ }).waitFor();
    expect(await fulfilled.getByText('Overdue').count()).toBe(0);
    await reviewScreen(page, 'portal-requests-fulfilled');

    const answered = await staffCall<StaffRequest>(
      'GET',
      `/admin/document-requests/${documentRequest.id}`,
      undefined,
      200,
    );
    expect(answered).toMatchObject({ status: 'fulfilled', fulfilledByContactId: contact.id });
    expect(answered.fulfilledVersion).toMatchObject({ fileName: 'certificate.pdf', sizeBytes: certificate.length });
    await context.close();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
