import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { restoreDefaultRealmBranding } from './support/realm-branding.ts';
import { newPerson, reviewScreen, signInAsContact, signInOnKeycloak, startWebSystem } from './support/web-ui.ts';

interface Created {
  id: string;
}

/** The installation's branding in this suite: not the defaults, so the test sees it travel. */
const branding = { productName: 'Acme Site Connect', primaryColor: '#7a2e8c' } as const;

// Contacts in the portal web app, against the real gateway (serving the build, signing people in
// as the backend-for-frontend), identity and directory services (one all-in-one process) and Keycloak's themed login page.
// Staff arrange accounts, sites, projects, scopes and access through the staff API.
describe('the portal web app, as a contact uses it', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6);
  let system: ServiceSystem;
  let staff: ApiClient;
  let browser: Browser;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-portal',
        env: { PORTAL_PRODUCT_NAME: branding.productName, PORTAL_PRIMARY_COLOR: branding.primaryColor },
      }),
      launchBrowser(),
    ]);
    const token = await devAccessToken(keycloakUrl, 'staffAdmin');
    staff = apiClient(system.gatewayUrl, () => token);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await restoreDefaultRealmBranding(stack);
  });

  const staffCall = async <Body>(method: string, path: string, body: unknown, status = 201) => {
    const answer = await staff.request<Body>(method, path, { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
    return answer.body;
  };
  const newAccount = (name: string, more: Record<string, unknown> = {}) =>
    staffCall<Created>('POST', '/admin/accounts', { number: `PA-${name}-${run}`, name: `${name} ${run}`, ...more });
  const newSite = (accountId: string, code: string) =>
    staffCall<Created>('POST', `/admin/accounts/${accountId}/sites`, { code: `${code}-${run}`, name: `Site ${code}` });
  const newProject = (accountId: string, name: string, more: Record<string, unknown> = {}) =>
    staffCall<Created>('POST', `/admin/accounts/${accountId}/projects`, {
      code: `${name.replace(/\W+/g, '-')}-${run}`,
      name: `${name} ${run}`,
      ...more,
    });
  /** A contact of the account with portal access enabled; answers its e-mail and the generated password. */
  const contactWithAccess = async (accountId: string, lastName: string, scope?: unknown) => {
    const email = `${lastName.toLowerCase()}-${run}@customer.test`;
    const contact = await staffCall<Created>('POST', `/admin/accounts/${accountId}/contacts`, {
      firstName: 'Cora',
      lastName,
      email,
    });
    if (scope) await staffCall('PUT', `/admin/contacts/${contact.id}/access-scope`, { scope }, 200);
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${contact.id}/access/enable`,
      {},
      200,
    );
    return { email, password: enabled.credentials.password };
  };

  /** How long a list may take to show a new answer (a fetch, then a render). */
  const settles = { timeout: 10_000, interval: 100 };
  /** The project names the table shows, read in one go (rows come and go while it refetches). */
  const projectNames = async (page: Page) => {
    const table = page.getByRole('table', { name: 'Projects' });
    await table.waitFor();
    const names = await table
      .locator('tbody')
      .getByRole('row')
      .evaluateAll((rows) =>
        rows.flatMap((row) => {
          const cells = (row as unknown as { cells: { length: number; 1?: { textContent: string | null } } }).cells;
          return cells.length > 1 ? [(cells[1]?.textContent ?? '').trim()] : [];
        }),
      );
    return names.sort();
  };

  it('shows a contact exactly the projects its scope lets it see, search narrows them, the profile tells who it is, and sign-out ends the session', async () => {
    const account = await newAccount('Scoped');
    const siteA = await newSite(account.id, 'A');
    const siteB = await newSite(account.id, 'B');
    await newProject(account.id, 'Alpha Tower', { siteId: siteA.id });
    await newProject(account.id, 'Alpha Bridge', { siteId: siteA.id });
    await newProject(account.id, 'Alpha Hidden', { siteId: siteA.id, hidden: true });
    await newProject(account.id, 'Alpha Done', { siteId: siteA.id, completed: true });
    await newProject(account.id, 'Beta Outside', { siteId: siteB.id });
    const inside = await newProject(account.id, 'Beta Inside', { siteId: siteB.id });
    const cora = await contactWithAccess(account.id, 'Scoped', {
      kind: 'selected',
      siteIds: [siteA.id],
      projectIds: [inside.id],
    });

    const { context, page } = await newPerson(browser);
    // Keycloak's themed login page: the product name from identity's realm reconciliation, the
    // brand colour from Keycloak's own environment through the theme's properties.
    await page.goto(`${system.gatewayUrl}/portal/`);
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(page.url().startsWith(`${keycloakUrl}/realms/portal/`)).toBe(true);
    expect(await page.title()).toBe(`Sign in to ${branding.productName}`);
    await page.getByText(branding.productName, { exact: true }).waitFor();
    // The colour is Keycloak's own setting (its process's PORTAL_PRIMARY_COLOR, default #1f4e79):
    // the theme writes it as --cp-brand, and the sign-in button wears it.
    const loginColours = await page.evaluate<{ brand: string; button: string; brandAsRgb: string }>(`(() => {
      const brand = getComputedStyle(document.documentElement).getPropertyValue('--cp-brand').trim();
      const probe = document.createElement('span');
      probe.style.color = brand;
      document.body.append(probe);
      const brandAsRgb = getComputedStyle(probe).color;
      probe.remove();
      return { brand, brandAsRgb, button: getComputedStyle(document.getElementById('kc-login')).backgroundColor };
    })()`);
    expect(loginColours.brand).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(loginColours.button).toBe(loginColours.brandAsRgb);

    await signInOnKeycloak(page, cora.email, cora.password);
    await page.waitForURL(`${system.gatewayUrl}/portal/projects**`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // The web app with the same configuration: name in the header, colour in the theme.
    await page.getByRole('banner').getByText(branding.productName, { exact: true }).waitFor();
    const appBrand = await page.evaluate<string>(
      `getComputedStyle(document.documentElement).getPropertyValue('--mantine-color-brand-6').trim()`,
    );
    expect(appBrand).toBe(branding.primaryColor);
    // One account: no switcher.
    expect(await page.getByLabel('Account', { exact: true }).count()).toBe(0);

    await expect
      .poll(() => projectNames(page), settles)
      .toEqual([`Alpha Bridge ${run}`, `Alpha Tower ${run}`, `Beta Inside ${run}`]);
    await reviewScreen(page, 'portal-projects');

    await page.getByLabel('Search').fill('Tower');
    await page.waitForURL(/search=Tower/);
    await expect.poll(() => projectNames(page), settles).toEqual([`Alpha Tower ${run}`]);
    await page.getByLabel('Search').fill(`Nothing like this ${run}`);
    await page.waitForURL(/search=Nothing/);
    await page.getByRole('heading', { name: 'No project matches' }).waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(() => projectNames(page), settles).toHaveLength(3);
    expect(page.url()).not.toContain('search=');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile' }).click();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    const profile = page.getByRole('main');
    await profile.getByRole('cell', { name: 'Cora Scoped' }).waitFor();
    await profile.getByRole('cell', { name: cora.email }).waitFor();
    await profile.getByRole('list', { name: 'Accounts you reach' }).getByText(`Scoped ${run}`).waitFor();
    await profile.getByText(`1 chosen site and 1 chosen project of Scoped ${run}`).waitFor();
    await profile.getByRole('cell', { name: 'Not set up (optional)' }).waitFor();
    await reviewScreen(page, 'portal-profile');

    // The account console: Keycloak's own page for password and authenticator, signed in already.
    await profile.getByRole('link', { name: 'Change password' }).click();
    await page.waitForURL(`${keycloakUrl}/realms/portal/account/account-security/signing-in`);
    await page.getByRole('heading', { name: 'Signing in' }).waitFor();
    await page
      .getByText(/Two-factor authentication/)
      .first()
      .waitFor();
    await page.goto(`${system.gatewayUrl}/portal/profile`);
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    expect(await profile.getByRole('link', { name: 'Set up two-factor authentication' }).getAttribute('href')).toBe(
      `${keycloakUrl}/realms/portal/account/account-security/signing-in`,
    );

    await page.getByRole('button', { name: /^Account menu of / }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL((url) => !url.href.startsWith(`${system.gatewayUrl}/portal/profile`));
    await page.goto(`${system.gatewayUrl}/portal/`);
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(page.url().startsWith(`${keycloakUrl}/realms/portal/`)).toBe(true);
    await context.close();
  });

  it('gives a contact of a consolidated account an account switcher that narrows the projects to one account, kept in the URL', async () => {
    const group = await newAccount('Group', { kind: 'consolidated' });
    const north = await newAccount('North', { consolidatedAccountId: group.id });
    const south = await newAccount('South', { consolidatedAccountId: group.id });
    const northSite = await newSite(north.id, 'N');
    const southSite = await newSite(south.id, 'S');
    await newProject(north.id, 'North Depot', { siteId: northSite.id });
    await newProject(north.id, 'North Yard', { siteId: northSite.id });
    await newProject(south.id, 'South Quay', { siteId: southSite.id });
    const greta = await contactWithAccess(group.id, 'Group');

    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, greta.email, greta.password);
    await expect
      .poll(() => projectNames(page), settles)
      .toEqual([`North Depot ${run}`, `North Yard ${run}`, `South Quay ${run}`]);
    // Several accounts in view: each project says whose it is.
    const table = page.getByRole('table', { name: 'Projects' });
    await table.getByRole('columnheader', { name: 'Account' }).waitFor();
    await table.getByRole('row', { name: new RegExp(`South Quay ${run}.*South ${run}`) }).waitFor();

    await reviewScreen(page, 'portal-projects-accounts');
    const switcher = page.getByLabel('Account', { exact: true });
    expect(await switcher.locator('option').allInnerTexts()).toEqual([
      'All accounts',
      `Group ${run} (PA-Group-${run})`,
      `North ${run} (PA-North-${run})`,
      `South ${run} (PA-South-${run})`,
    ]);
    await switcher.selectOption({ label: `North ${run} (PA-North-${run})` });
    await expect.poll(() => projectNames(page), settles).toEqual([`North Depot ${run}`, `North Yard ${run}`]);
    expect(new URL(page.url()).searchParams.get('account')).toBe(north.id);
    expect(await table.getByRole('columnheader', { name: 'Account' }).count()).toBe(0);

    // The choice stays with the person across screens and in a link.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My profile' }).click();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    expect(new URL(page.url()).searchParams.get('account')).toBe(north.id);
    await page.getByText(`All sites and projects of Group ${run} and its 2 member accounts`).waitFor();
    await page.goto(`${system.gatewayUrl}/portal/projects?account=${south.id}`);
    await expect.poll(() => projectNames(page), settles).toEqual([`South Quay ${run}`]);
    expect(await switcher.inputValue()).toBe(south.id);

    await switcher.selectOption({ label: 'All accounts' });
    await expect.poll(() => projectNames(page), settles).toHaveLength(3);
    expect(new URL(page.url()).searchParams.has('account')).toBe(false);
    await context.close();
  });

  it('serves the public pages to a visitor who is not signed in', async () => {
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    for (const [path, heading] of [
      ['request-access', 'Request access'],
      ['register', 'Register with an invoice'],
    ] as const) {
      await page.goto(`${system.gatewayUrl}/portal/${path}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      expect(page.url()).toBe(`${system.gatewayUrl}/portal/${path}`);
      await page.getByText(branding.productName, { exact: true }).waitFor();
    }
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(page.url().startsWith(`${keycloakUrl}/realms/portal/`)).toBe(true);
    await context.close();
  });
});
