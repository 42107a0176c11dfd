import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, signInAsContact, signInAsStaff, startWebSystem } from './support/web-ui.ts';

// The whole first journey, on screens only: a staff member sets up a customer from nothing and gives
// one contact a login; the contact signs in with the password staff copied and sees exactly the
// projects the visibility rule allows. Real gateway (serving the build, signing both in), identity
// and directory services (one all-in-one process), Keycloak's real pages; staff and contact in browser contexts of their own.
describe('the first customer, from an empty account to a contact who sees its projects', () => {
  const stack = stackEnv();
  const contexts: BrowserContext[] = [];
  let system: ServiceSystem;
  let browser: Browser;
  let gateway = '';

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({ stack, namespacePrefix: 'browser-first-customer' }),
      launchBrowser(),
    ]);
    gateway = system.gatewayUrl;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await system?.stop();
  });

  const person = async () => {
    const opened = await newPerson(browser);
    contexts.push(opened.context);
    return opened;
  };

  /** Picks `option` in a searchable select after typing `typed`. */
  const choose = async (page: Page, select: Locator, typed: string, option: string) => {
    await select.fill(typed);
    await page.getByRole('option', { name: option }).click();
  };

  it('staff create account, sites, projects and a contact, enable it, and the contact sees exactly its projects', async () => {
    const suffix = randomUUID().slice(0, 6).toUpperCase();
    const account = { number: `FC-${suffix}`, name: `First Customer ${suffix}` };
    const north = { code: `N-${suffix}`, name: 'North works' };
    const south = { code: `S-${suffix}`, name: 'South works' };
    const projects = {
      visible: { code: `P1-${suffix}`, name: 'Boiler house', site: north },
      alsoVisible: { code: `P2-${suffix}`, name: 'Cooling tower', site: north },
      hidden: { code: `P3-${suffix}`, name: 'Secret annex', site: north },
      otherSite: { code: `P4-${suffix}`, name: 'South pier', site: south },
    };
    const email = `first-${suffix.toLowerCase()}@customer.test`;

    const { context: staffContext, page: staff } = await person();
    await staffContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway });
    await signInAsStaff(staff, gateway, 'staffManager');
    const dialog = (name: string | RegExp) => staff.getByRole('dialog', { name });

    // The account.
    await staff.getByRole('button', { name: 'New account' }).click();
    await dialog('New account').getByLabel('Account number').fill(account.number);
    await dialog('New account').getByLabel('Name').fill(account.name);
    await dialog('New account').getByRole('button', { name: 'Create account' }).click();
    await staff.getByRole('heading', { level: 1, name: account.name }).waitFor();

    // Two sites.
    await staff.getByRole('tab', { name: 'Sites', exact: true }).click();
    for (const site of [north, south]) {
      await staff.getByRole('button', { name: 'Add site' }).click();
      const newSite = dialog(/site/i);
      await newSite.getByLabel('Site code').fill(site.code);
      await newSite.getByLabel('Name').fill(site.name);
      await newSite.getByRole('button', { name: 'Add site' }).click();
      await staff.getByRole('row').filter({ hasText: site.code }).waitFor();
    }

    // Four projects; one is hidden from the portal.
    await staff.getByRole('tab', { name: 'Projects', exact: true }).click();
    for (const project of Object.values(projects)) {
      await staff.getByRole('button', { name: 'Add project' }).click();
      const newProject = dialog(/project/i);
      await newProject.getByLabel('Project code').fill(project.code);
      await newProject.getByLabel('Name').fill(project.name);
      await choose(
        staff,
        newProject.getByRole('combobox', { name: 'Site' }),
        project.site.code,
        `${project.site.code} · ${project.site.name}`,
      );
      await newProject.getByRole('button', { name: 'Add project' }).click();
      await staff.getByRole('row').filter({ hasText: project.code }).waitFor();
    }
    const hiddenSwitch = staff.getByRole('switch', { name: `Hidden: ${projects.hidden.code}` });
    await hiddenSwitch.click();
    await expect.poll(() => hiddenSwitch.isChecked()).toBe(true);

    // The contact, who may see the north site only.
    await staff.getByRole('tab', { name: 'Contacts', exact: true }).click();
    await staff.getByRole('button', { name: 'New contact' }).click();
    await dialog('New contact').getByLabel('First name').fill('Fiona');
    await dialog('New contact').getByLabel('Last name').fill('First');
    await dialog('New contact').getByLabel('E-mail').fill(email);
    await dialog('New contact').getByRole('button', { name: 'Create contact' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Fiona First' }).waitFor();
    await staff.getByRole('tab', { name: 'Customer Portal Access' }).click();
    await staff.getByRole('radio', { name: 'Chosen sites and projects' }).check();
    await staff.getByRole('checkbox', { name: `${north.code} · ${north.name}` }).check();
    await staff.getByRole('button', { name: 'Save scope' }).click();
    await staff.getByRole('alert').filter({ hasText: /scope/i }).first().waitFor();

    // Portal access, from the account's Portal tab; the password is shown once and copied.
    await staff.getByRole('link', { name: account.name }).click();
    await staff.getByRole('tab', { name: 'Portal', exact: true }).click();
    await staff.getByRole('button', { name: 'Enable for Fiona First' }).click();
    await dialog('Enable portal access').getByRole('button', { name: 'Enable access' }).click();
    const shownOnce = dialog('Password for Fiona First');
    await shownOnce.getByRole('button', { name: 'Copy password' }).click();
    const password = await staff.evaluate<string>('navigator.clipboard.readText()');
    expect(password.length).toBeGreaterThanOrEqual(12);
    await shownOnce.getByRole('button', { name: 'Done' }).click();

    // The contact signs in with it and sees exactly the visible projects of its scope.
    const { page: contact } = await person();
    await signInAsContact(contact, gateway, email, password);
    const table = contact.getByRole('table', { name: 'Projects' });
    await table.getByRole('row').filter({ hasText: projects.visible.code }).waitFor();
    const rows = await table.getByRole('row').allTextContents();
    const listed = Object.values(projects).filter((project) => rows.some((row) => row.includes(project.code)));
    expect(listed.map((project) => project.code).sort()).toEqual(
      [projects.visible.code, projects.alsoVisible.code].sort(),
    );
  });
});
