import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRequestHeader } from '@portal/contracts';
import { stackEnv } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, signInAsStaff, startWebSystem } from './support/web-ui.ts';

// A staff admin looks after a customer in the admin UI, step by step, against the real gateway,
// identity and directory services (one all-in-one process); then a viewer opens the same account and finds nothing to change.
describe('staff manage accounts, sites, projects and classes in the admin UI', () => {
  const stack = stackEnv();
  let system: ServiceSystem;
  let browser: Browser;
  let page: Page;
  let gateway = '';

  const tag = randomUUID().slice(0, 6).toUpperCase();
  const customer = { number: `C-${tag}`, name: `Kestrel Build ${tag}`, renamed: `Kestrel Building Ltd ${tag}` };
  const group = { number: `G-${tag}`, name: `Kestrel Group ${tag}` };
  const site = { code: `S-${tag}`, name: 'North yard', city: 'Hamburg', country: 'de' };
  const hiddenProject = { code: `P1-${tag}`, name: 'Warehouse extension' };
  const completedProject = { code: `P2-${tag}`, name: 'Car park' };
  const className = `Key customers ${tag}`;
  let accountPath = '';

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({ stack, namespacePrefix: 'browser-admin-accounts' }),
      launchBrowser(),
    ]);
    gateway = system.gatewayUrl;
    ({ page } = await newPerson(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const saidSaved = (message: string) => page.getByText(message).first().waitFor();
  /** Picks an option of a Mantine select the way a person does: open it, type, click the option. */
  const choose = async (select: Locator, typed: string, option: string | RegExp) => {
    await select.click();
    await select.fill(typed);
    await page.getByRole('option', { name: option }).click();
  };

  it('creates an account from the accounts list, opens it and renames it', async () => {
    await signInAsStaff(page, gateway, 'staffAdmin', 'accounts');
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await reviewScreen(page, 'admin-accounts-list');

    await page.getByRole('button', { name: 'New account' }).click();
    const newAccount = dialog('New account');
    await newAccount.getByLabel('Account number').fill(customer.number);
    await newAccount.getByLabel('Name').fill(customer.name);
    await newAccount.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: customer.name, level: 1 }).waitFor();
    accountPath = new URL(page.url()).pathname;
    expect(accountPath).toMatch(/^\/admin\/accounts\/[0-9a-f-]{36}$/);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = dialog('Edit account');
    await edit.getByLabel('Name').fill(customer.renamed);
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: customer.renamed, level: 1 }).waitFor();
    await saidSaved(`Account ${customer.number} saved`);
    await reviewScreen(page, 'admin-account-details');
  });

  it('adds a site, and two projects of which one is hidden and one completed', async () => {
    await tab('Sites').click();
    await page.getByRole('button', { name: 'Add site' }).click();
    const newSite = dialog('New site');
    await newSite.getByLabel('Site code').fill(site.code);
    await newSite.getByLabel('Name').fill(site.name);
    await newSite.getByLabel('Address line 1').fill('Hafenstraße 1');
    await newSite.getByLabel('City').fill(site.city);
    await newSite.getByLabel('Country').fill(site.country);
    await newSite.getByRole('button', { name: 'Add site' }).click();
    await newSite.waitFor({ state: 'detached' });
    await saidSaved(`Site ${site.code} added`);
    await row(site.code).filter({ hasText: 'Hamburg, DE' }).waitFor();
    await reviewScreen(page, 'admin-account-sites');

    await tab('Projects').click();
    for (const project of [hiddenProject, completedProject]) {
      await page.getByRole('button', { name: 'Add project' }).click();
      const newProject = dialog('New project');
      await newProject.getByLabel('Project code').fill(project.code);
      await newProject.getByLabel('Name').fill(project.name);
      await choose(newProject.getByRole('combobox', { name: 'Site' }), site.code, `${site.code} · ${site.name}`);
      await newProject.getByRole('button', { name: 'Add project' }).click();
      await newProject.waitFor({ state: 'detached' });
      await saidSaved(`Project ${project.code} added`);
    }
    await page.getByRole('switch', { name: `Hidden: ${hiddenProject.code}` }).click();
    await saidSaved(`Project ${hiddenProject.code} hidden from the portal`);
    await page.getByRole('switch', { name: `Completed: ${completedProject.code}` }).click();
    await saidSaved(`Project ${completedProject.code} marked completed`);
    await expect.poll(() => page.getByRole('switch', { name: `Hidden: ${hiddenProject.code}` }).isChecked()).toBe(true);
    await expect
      .poll(() => page.getByRole('switch', { name: `Completed: ${completedProject.code}` }).isChecked())
      .toBe(true);
    expect(await page.getByRole('switch', { name: `Completed: ${hiddenProject.code}` }).isChecked()).toBe(false);
    expect(await row(hiddenProject.code).textContent()).toContain(`${site.code} · ${site.name}`);

    // The list filters by the flags, and the filter lives in the URL.
    const hiddenFilter = page.getByRole('radiogroup', { name: 'Hidden' });
    await hiddenFilter.getByText('Hidden', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('hidden')).toBe('true');
    await expect.poll(() => row(completedProject.code).count()).toBe(0);
    await row(hiddenProject.code).waitFor();
    await hiddenFilter.getByText('Any', { exact: true }).click();
    await row(completedProject.code).waitFor();
    await reviewScreen(page, 'admin-account-projects');
  });

  it('creates an account class and gives it to the account', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account classes' }).click();
    await page.getByRole('heading', { name: 'Account classes', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New account class' }).click();
    const newClass = dialog('New account class');
    await newClass.getByLabel('Name').fill(className);
    await newClass.getByLabel('Description').fill('Large customers with their own site managers.');
    await newClass.getByRole('switch', { name: 'Require MFA' }).check();
    await newClass.getByRole('button', { name: 'Create class' }).click();
    await saidSaved(`Account class ${className} created`);
    await page.getByRole('textbox', { name: 'Search' }).fill(className);
    await row(className).filter({ hasText: 'Require MFA' }).waitFor();
    await reviewScreen(page, 'admin-account-classes');

    await page.goto(`${gateway}${accountPath}`);
    await choose(page.getByRole('combobox', { name: 'Account class' }), className, className);
    await saidSaved('Account class set');
    await page.getByText('MFA required').first().waitFor();
  });

  it('creates a consolidated account and adds the account as its member', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.getByRole('button', { name: 'New account' }).click();
    const newAccount = dialog('New account');
    await newAccount.getByLabel('Account number').fill(group.number);
    await newAccount.getByLabel('Name').fill(group.name);
    await newAccount.getByText('Consolidated', { exact: true }).click();
    await newAccount.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: group.name, level: 1 }).waitFor();

    await tab('Members').click();
    await page.getByText('No member accounts yet').waitFor();
    await page.getByRole('button', { name: 'Add member account' }).click();
    const addMember = dialog(`Add a member account to ${group.name}`);
    await choose(
      addMember.getByRole('combobox', { name: 'Customer account' }),
      customer.number,
      `${customer.renamed} (${customer.number})`,
    );
    await addMember.getByRole('button', { name: 'Add to group' }).click();
    await saidSaved(`${customer.renamed} added to ${group.name}`);
    await row(customer.number).getByRole('link', { name: customer.renamed }).waitFor();
    await reviewScreen(page, 'admin-account-members');

    // The member's Details link back to its group.
    await row(customer.number).getByRole('link', { name: customer.renamed }).click();
    await page.getByRole('heading', { name: customer.renamed, level: 1 }).waitFor();
    await page.getByRole('link', { name: `${group.name} (${group.number})` }).waitFor();
  });

  it('shows the changes in the audit trail and archives the site', async () => {
    await tab('Audit trail').click();
    const trail = page.getByRole('table', { name: 'Audit trail' });
    await row('Account updated').filter({ hasText: customer.renamed }).first().waitFor();
    for (const change of ['Account created', 'Site created', 'Project created', 'Project updated']) {
      await row(change).first().waitFor();
    }
    // Ids in the trail read as what they name.
    await trail.getByText(`class: ${className}`).waitFor();
    await trail.getByText(`consolidated account: ${group.name} (${group.number})`).waitFor();
    await trail.getByText(`Hafenstraße 1, ${site.city}, DE`).waitFor();
    expect(await row('Account updated').first().textContent()).toContain('You');
    await reviewScreen(page, 'admin-account-audit');

    await tab('Sites').click();
    await page.getByRole('button', { name: `Archive site ${site.code}` }).click();
    const confirm = dialog(`Archive site ${site.code}?`);
    await confirm.getByText('no longer visible in the portal').waitFor();
    await confirm.getByRole('button', { name: 'Archive site' }).click();
    await saidSaved(`Site ${site.code} archived`);
    await expect.poll(() => row(site.code).count()).toBe(0);
    await page.getByRole('switch', { name: 'Show archived' }).check();
    await row(site.code).filter({ hasText: 'Archived' }).waitFor();
    expect(await page.getByRole('button', { name: `Archive site ${site.code}` }).count()).toBe(0);
  });

  it('saves the system options', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System options' }).click();
    await page.getByRole('heading', { name: 'System options', level: 1 }).waitFor();
    const option = page.getByRole('switch', { name: /Self-registration with an invoice/ });
    const before = await option.isChecked();
    await option.setChecked(!before);
    await page.getByRole('button', { name: 'Save' }).click();
    await saidSaved('System options saved');
    await page.getByText(/^Last changed/).waitFor();
    await reviewScreen(page, 'admin-system-options');
    // Put it back as it was, for the suites after this one.
    await option.setChecked(before);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
  });

  it('shows a viewer the same account with no control to change it, and the API refuses a write', async () => {
    const viewer = await newPerson(browser);
    const seen = viewer.page;
    try {
      await signInAsStaff(seen, gateway, 'staffViewer', accountPath.replace(/^\/admin\//, ''));
      await seen.getByRole('heading', { name: customer.renamed, level: 1 }).waitFor();
      const controls = (name: string | RegExp) => seen.getByRole('button', { name }).count();
      await seen.getByText(className).first().waitFor();
      expect(await controls('Edit')).toBe(0);
      expect(await controls(/Archive/)).toBe(0);
      expect(await seen.getByRole('combobox', { name: 'Account class' }).count()).toBe(0);

      await seen.getByRole('tab', { name: 'Sites', exact: true }).click();
      await seen.getByRole('switch', { name: 'Show archived' }).check();
      await seen.getByRole('row').filter({ hasText: site.code }).waitFor();
      expect(await controls('Add site')).toBe(0);
      expect(await controls(/Edit|Archive/)).toBe(0);

      await seen.getByRole('tab', { name: 'Projects', exact: true }).click();
      await seen.getByRole('row').filter({ hasText: hiddenProject.code }).waitFor();
      expect(await controls('Add project')).toBe(0);
      expect(await controls(/Edit|Archive/)).toBe(0);
      expect(await seen.getByRole('switch', { name: /^(Hidden|Completed):/ }).count()).toBe(0);

      await seen.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts', exact: true }).click();
      // The suites share a database: find this run's two accounts the way a person would, by search.
      await seen.getByRole('textbox', { name: 'Search' }).fill(tag);
      await seen.getByRole('row').filter({ hasText: customer.number }).waitFor();
      expect(await controls('New account')).toBe(0);
      await seen.getByRole('row').filter({ hasText: group.number }).click();
      await seen.getByRole('tab', { name: 'Members', exact: true }).click();
      await seen.getByRole('row').filter({ hasText: customer.number }).waitFor();
      expect(await controls('Add member account')).toBe(0);
      expect(await controls(/Remove/)).toBe(0);

      await seen.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account classes' }).click();
      await seen.getByRole('textbox', { name: 'Search' }).fill(className);
      await seen.getByRole('row').filter({ hasText: className }).waitFor();
      expect(await controls('New account class')).toBe(0);
      expect(await controls(/Edit|Delete/)).toBe(0);

      await seen.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System options' }).click();
      await seen.getByText('Self-registration with an invoice').waitFor();
      expect(await seen.getByRole('switch').count()).toBe(0);
      expect(await controls('Save')).toBe(0);

      const status = await seen.evaluate(
        async ({ header, body }) => {
          const response = await fetch('/api/v1/admin/accounts', {
            method: 'POST',
            headers: { 'content-type': 'application/json', [header.name]: header.value },
            body: JSON.stringify(body),
          });
          return response.status;
        },
        { header: webRequestHeader, body: { number: `V-${tag}`, name: 'Written by a viewer' } },
      );
      expect(status).toBe(403);
    } finally {
      await viewer.context.close();
    }
  });
});
