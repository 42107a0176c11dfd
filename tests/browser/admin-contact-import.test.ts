import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contactCsvChunks,
  expectedMessageOf,
  generateContactRows,
  type ContactCsvPlan,
  type SeededAccount,
} from '@portal/directory/test-fixtures';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, signInAsStaff, startWebSystem } from './support/web-ui.ts';

/** A file as a person picks it in the browser's file chooser. */
const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

/** Clicks the file field labelled `label` and picks `file` in the chooser that opens. */
async function chooseFile(page: Page, label: string, file: ReturnType<typeof csvFile>): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: label }).click();
  await (await chooser).setFiles(file);
}

/** Every value the import's progress bar takes, recorded in the page as it changes. */
const recordProgressValues = `(() => {
  window.__progressSeen = [];
  const note = () => {
    for (const bar of document.querySelectorAll('[role="progressbar"]')) {
      const value = bar.getAttribute('aria-valuenow');
      const last = window.__progressSeen[window.__progressSeen.length - 1];
      if (last === undefined || last.value !== value) window.__progressSeen.push({ value, text: bar.getAttribute('aria-valuetext') });
    }
  };
  new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
})()`;

// Staff import contacts and invoice references in the admin UI, against the real gateway (serving
// the build, signing in through Keycloak), identity and directory services (one all-in-one process).
describe('imports in the admin UI', () => {
  const stack = stackEnv();
  const run = randomUUID().slice(0, 6).toUpperCase();
  let system: ServiceSystem;
  let browser: Browser;
  let staff: ApiClient;
  let token = '';
  const accounts: SeededAccount[] = [];

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({ stack, namespacePrefix: 'browser-imports' }),
      launchBrowser(),
    ]);
    token = await devAccessToken(stack['KEYCLOAK_URL'] ?? '', 'staffAdmin');
    staff = apiClient(system.gatewayUrl, () => token);
    for (let index = 0; index < 2; index += 1) {
      const number = `UI-${run}-${index}`;
      const account = await staff.request<{ id: string }>('POST', '/admin/accounts', {
        body: { number, name: `Import ${run} ${index}` },
      });
      expect(account.status, account.text).toBe(201);
      const site = await staff.request<{ id: string }>('POST', `/admin/accounts/${account.body.id}/sites`, {
        body: { code: 'S1', name: 'Main site' },
      });
      expect(site.status, site.text).toBe(201);
      accounts.push({ id: account.body.id, number, sites: [{ id: site.body.id, code: 'S1' }] });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('imports 1,000 contacts with a progress bar, then lists exactly the 10 bad rows by line', async () => {
    // Ten bad rows, one of each kind, on lines 101, 201, … 1001 (the header is line 1).
    const plan: ContactCsvPlan = { rows: 1000, accounts, badEvery: 100 };
    const csv = [...contactCsvChunks(plan)].join('');
    const bad = [...generateContactRows(plan)].filter((row) => row.bad);
    expect(new Set(bad.map((row) => row.bad)).size).toBe(10);

    const { context, page } = await newPerson(browser);
    await signInAsStaff(page, system.gatewayUrl, 'staffAdmin', 'contact-imports');
    await page.getByRole('heading', { name: 'Contact import', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Columns of the contacts CSV' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Download contacts (CSV)' }).isVisible()).toBe(true);
    await reviewScreen(page, 'admin-contact-import');

    // A file with the wrong header: the API's message and request id, and nothing started.
    await chooseFile(page, 'CSV file', csvFile('wrong.csv', 'name,mail\nAda,ada@example.test\n'));
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The file was not imported' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/The CSV header is not valid.*CSV_INVALID · request id \S+/);
    expect(page.url()).not.toContain('importId=');

    await page.evaluate(recordProgressValues);
    await chooseFile(page, 'CSV file', csvFile('contacts.csv', csv));
    await page.getByRole('button', { name: 'Upload and import' }).click();
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await bar.waitFor();
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
    expect(await bar.getAttribute('aria-valuetext')).toBe('1,000 of 1,000 rows');
    // The bar shows the job the upload answered (running, nothing done yet) before its end. The
    // directory reports progress per batch of 1,000 rows, so this file has no step in between.
    const seen = await page.evaluate<{ value: string | null; text: string }[]>('window.__progressSeen');
    expect(seen[0]).toEqual({ value: '0', text: '0 of 1,000 rows' });
    expect(seen.at(-1)).toEqual({ value: '100', text: '1,000 of 1,000 rows' });
    const values = seen.map((step) => Number(step.value));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new URL(page.url()).searchParams.get('importId')).toMatch(/^[0-9a-f-]{36}$/);

    const summary = page.getByRole('group', { name: 'Import summary' });
    await expect.poll(() => summary.textContent()).toMatch(/Created990.*Rejected10/);
    const errorLines = async () => {
      const table = page.getByRole('table', { name: 'Rows not imported' });
      await table.waitFor();
      const rows = table.locator('tbody tr');
      const found = new Map<number, string>();
      for (let index = 0; index < (await rows.count()); index += 1) {
        const cells = rows.nth(index).locator('td');
        found.set(Number(await cells.nth(0).textContent()), (await cells.nth(1).textContent()) ?? '');
      }
      return found;
    };
    const shown = await errorLines();
    expect([...shown.keys()].sort((a, b) => a - b)).toEqual(bad.map((row) => row.line));
    for (const row of bad) expect(shown.get(row.line), `line ${row.line}`).toContain(expectedMessageOf[row.bad!]);
    await reviewScreen(page, 'admin-contact-import-result');

    // The job is in the URL: a reload shows the same outcome.
    await page.reload();
    expect(await page.getByRole('progressbar', { name: 'Import progress' }).getAttribute('aria-valuenow')).toBe('100');
    expect([...(await errorLines()).keys()].sort((a, b) => a - b)).toEqual(bad.map((row) => row.line));
    await context.close();
  });

  it('imports invoice references from CSV and finds them in the list by number', async () => {
    const { context, page } = await newPerson(browser);
    await signInAsStaff(page, system.gatewayUrl, 'staffAdmin', 'invoice-references');
    await page.getByRole('heading', { name: 'Invoice references', level: 1 }).waitFor();

    // A bad file is refused in the browser, naming its lines; nothing reaches the API.
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import invoice references' });
    await chooseFile(
      page,
      'CSV file',
      csvFile(
        'bad.csv',
        `number,account_number,amount,currency,issued_at\nINV-${run}-X,${accounts[0]!.number},12,5,EUR,2026-01-01\nINV-${run}-Y,${accounts[0]!.number},1.5,euro,2026-01-02\n`,
      ),
    );
    await dialog.getByRole('button', { name: 'Upload and import' }).click();
    const problems = dialog.getByRole('list', { name: 'Problems in the file' });
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/Line 2: expected 5 fields, found 6.*Line 3: currency:/);

    const invoices = [
      `INV-${run}-001,${accounts[0]!.number},1250.00,EUR,2026-03-01,QP-4711`,
      `INV-${run}-002,${accounts[1]!.number},99.90,EUR,2026-03-04,`,
      `"INV-${run}-003",${accounts[0]!.number},-10.5,USD,2026-03-05,`,
    ];
    await chooseFile(
      page,
      'CSV file',
      csvFile(
        'invoices.csv',
        `number,account_number,amount,currency,issued_at,quick_pay_code\n${invoices.join('\n')}\n`,
      ),
    );
    await dialog.getByRole('button', { name: 'Upload and import' }).click();
    await dialog.waitFor({ state: 'detached' });
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    await expect.poll(() => page.getByRole('group', { name: 'Import summary' }).textContent()).toMatch(/Created3/);

    const table = page.getByRole('table', { name: 'Invoice references' });
    const numbersShown = async () => (await table.locator('tbody tr td:first-child').allTextContents()).sort();
    const search = async (text: string) => {
      await page.getByRole('textbox', { name: 'Search' }).fill(text);
      await page.waitForURL((url) => url.searchParams.get('search') === text);
    };
    await search(`INV-${run}`);
    await expect.poll(numbersShown).toEqual([`INV-${run}-001`, `INV-${run}-002`, `INV-${run}-003`]);
    const first = table.locator('tbody tr').filter({ hasText: `INV-${run}-001` });
    await expect.poll(() => first.textContent()).toContain(accounts[0]!.number);
    expect(await first.textContent()).toMatch(/1,250\.00/);
    expect(await first.textContent()).toContain('Set');

    await search(`INV-${run}-002`);
    await expect.poll(numbersShown).toEqual([`INV-${run}-002`]);
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toContain(accounts[1]!.number);
    await reviewScreen(page, 'admin-invoice-references');

    await page.getByRole('button', { name: 'Hide the import' }).click();
    await page.waitForURL((url) => !url.searchParams.has('importId'));
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await context.close();
  });

  it('hides the import and download controls from a viewer', async () => {
    const { context, page } = await newPerson(browser);
    await signInAsStaff(page, system.gatewayUrl, 'staffViewer', 'contact-imports');
    await page.getByRole('heading', { name: 'Contact import', level: 1 }).waitFor();
    await page.getByText('Importing contacts needs write access').waitFor();
    expect(await page.getByRole('button', { name: 'Upload and import' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Download contacts (CSV)' }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoice references' }).click();
    await page.getByRole('heading', { name: 'Invoice references', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Invoice references' }).waitFor();
    expect(await page.getByRole('button', { name: 'Import CSV' }).count()).toBe(0);
    await context.close();
  });
});
