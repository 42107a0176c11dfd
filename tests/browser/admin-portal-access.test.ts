import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { launchBrowser, linksIn, mailboxOf } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import {
  newPerson,
  reviewScreen,
  signInAsContact,
  signInAsStaff,
  signInOnKeycloak,
  viewports,
  startWebSystem,
} from './support/web-ui.ts';

interface Account {
  id: string;
  number: string;
  name: string;
}
interface Contact {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  access: { status: string };
}

// Staff give and take portal access on the admin screens of the real gateway (serving the build,
// signing people in), identity and directory services (one all-in-one process); contacts meet the result on Keycloak's
// pages and in the portal app, each person in a browser context of their own. Accounts and some
// contacts are arranged through the staff API; what is under test goes through the screens.
describe('portal access on the staff screens', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const contexts: BrowserContext[] = [];
  let system: ServiceSystem;
  let browser: Browser;
  let gateway = '';
  let staffToken = '';
  let staffApi: ApiClient;
  let staff: Page;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-admin-access',
        // Accepted invitations turn into enabled access within a second.
        env: { IDENTITY_INVITATION_SWEEP_SECONDS: '1' },
      }),
      launchBrowser(),
    ]);
    gateway = system.gatewayUrl;
    staffToken = await devAccessToken(keycloakUrl, 'staffAdmin');
    staffApi = apiClient(gateway, () => staffToken);
    const person = await newPerson(browser);
    contexts.push(person.context);
    // "Copy password" writes to the clipboard; the test reads it back as the person would paste it.
    await person.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gateway });
    staff = person.page;
    await signInAsStaff(staff, gateway, 'staffAdmin');
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await system?.stop();
  });

  // ---- arrangement through the staff API ----------------------------------------------------------

  const staffCall = async <Body>(method: string, path: string, body?: unknown, status = 200) => {
    staffToken = await devAccessToken(keycloakUrl, 'staffAdmin');
    const answer = await staffApi.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
    return answer.body;
  };
  const newAccount = (what: string) => {
    const suffix = randomUUID().slice(0, 8);
    return staffCall<Account>('POST', '/admin/accounts', { number: `UI-${suffix}`, name: `${what} ${suffix}` }, 201);
  };
  const uniqueEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@customer.test`;
  const newContact = (account: Account, firstName: string, lastName: string, email: string | null) =>
    staffCall<Contact>('POST', `/admin/accounts/${account.id}/contacts`, { firstName, lastName, email }, 201);
  const accessOf = async (contactId: string) =>
    (await staffCall<Contact>('GET', `/admin/contacts/${contactId}`)).access.status;

  // ---- what a person sees -------------------------------------------------------------------------

  const newContactBrowser = async () => {
    const person = await newPerson(browser);
    contexts.push(person.context);
    return person.page;
  };
  const portalTable = () => staff.getByRole('table', { name: 'Portal access' });
  /** The names the Portal tab lists now (each name is a link to the contact). */
  const namesListed = async () => (await portalTable().getByRole('link').allTextContents()).sort();
  const rowOf = (name: string): Locator => staff.getByRole('row').filter({ hasText: name });
  const notification = (text: string | RegExp) => staff.getByRole('alert').filter({ hasText: text });
  /** A screen settles after a debounced search, a navigation and a fetch: more than the poll's default second. */
  const settles = (message?: string) => ({ timeout: 10_000, ...(message ? { message } : {}) });
  const openPortalTab = async (account: Account) => {
    await staff.goto(`${gateway}/admin/accounts/${account.id}/portal`);
    await portalTable().waitFor();
  };

  it('a contact created on the screen gets access with "Enable"; the one-time password, copied, signs the contact in to the portal', async () => {
    const account = await newAccount('Enable');
    const email = uniqueEmail('enabled');

    await staff.goto(`${gateway}/admin/accounts/${account.id}/contacts`);
    await staff.getByRole('heading', { name: 'No contacts yet' }).waitFor();
    await staff.getByRole('button', { name: 'New contact' }).click();
    const dialog = staff.getByRole('dialog', { name: 'New contact' });
    await dialog.getByLabel('First name').fill('Cora');
    await dialog.getByLabel('Last name').fill('Enabled');
    await dialog.getByLabel('E-mail').fill(email);
    await dialog.getByRole('button', { name: 'Create contact' }).click();

    // The new contact's page opens; its account is one click away.
    await staff.getByRole('heading', { level: 1, name: 'Cora Enabled' }).waitFor();
    await reviewScreen(staff, 'admin-contact-details');
    await staff.getByRole('link', { name: account.name }).click();
    await staff.getByRole('table', { name: 'Contacts' }).getByRole('link', { name: 'Cora Enabled' }).waitFor();
    await reviewScreen(staff, 'admin-account-contacts');

    await staff.getByRole('tab', { name: 'Portal' }).click();
    await rowOf('Cora Enabled').getByText('No access').waitFor();
    await rowOf('Cora Enabled').getByRole('button', { name: 'Enable for Cora Enabled' }).click();
    await staff
      .getByRole('dialog', { name: 'Enable portal access' })
      .getByRole('button', { name: 'Enable access' })
      .click();

    const shownOnce = staff.getByRole('dialog', { name: 'Password for Cora Enabled' });
    await shownOnce.getByText('Shown only once').waitFor();
    expect(await shownOnce.getByRole('textbox', { name: 'Login (e-mail)' }).inputValue()).toBe(email);
    const shownPassword = await shownOnce.getByRole('textbox', { name: 'Password' }).inputValue();
    await shownOnce.getByRole('button', { name: 'Copy password' }).click();
    const password = await staff.evaluate<string>('navigator.clipboard.readText()');
    expect(password).toBe(shownPassword);
    expect(password.length).toBeGreaterThanOrEqual(10);
    // "Copied" (a green button and its tooltip) turns back after two seconds: reviewed during that
    // change, axe would measure colours half-way (CI). The screen is reviewed once it has turned back.
    await staff.mouse.move(0, 0);
    await expect
      .poll(() => shownOnce.getByRole('button', { name: 'Copy password' }).getAttribute('data-variant'), {
        timeout: 5000,
      })
      .toBe('subtle');
    await reviewScreen(staff, 'admin-one-time-password');
    await shownOnce.getByRole('button', { name: 'Done' }).click();
    await shownOnce.waitFor({ state: 'detached' });
    // Gone from the page once the dialog is closed: nothing shows it again.
    expect(await staff.content()).not.toContain(password);
    await rowOf('Cora Enabled').getByText('Enabled', { exact: true }).waitFor();
    await reviewScreen(staff, 'admin-account-portal');

    const contact = await newContactBrowser();
    await signInAsContact(contact, gateway, email, password);
    await contact.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();
    expect(contact.url()).toBe(`${gateway}/portal/projects`);
  });

  it('"Send portal invite" waits for a saved e-mail; the invitation e-mail lets the contact choose a password and sign in', async () => {
    const account = await newAccount('Invite');
    const created = await newContact(account, 'Ivo', 'Invited', null);
    const email = uniqueEmail('invited');

    await staff.goto(`${gateway}/admin/contacts/${created.id}`);
    const invite = staff.getByRole('button', { name: 'Send portal invite' });
    await invite.waitFor();
    expect(await invite.isDisabled(), 'no e-mail yet').toBe(true);
    await staff.getByRole('textbox', { name: 'E-mail' }).fill(email);
    expect(await invite.isDisabled(), 'the e-mail is typed but not saved').toBe(true);
    await staff.getByRole('button', { name: 'Save', exact: true }).click();
    await notification('Changes to Ivo Invited saved.').waitFor();
    await expect.poll(() => invite.isEnabled(), settles()).toBe(true);

    const since = new Date();
    await invite.click();
    const invitation = staff.getByRole('region', { name: 'Portal invitation' });
    await invitation.getByText(`Invitation sent to ${email}`).waitFor();
    await invitation.getByRole('button', { name: 'Resend invite' }).waitFor();
    await invitation.getByRole('button', { name: 'Cancel invite' }).waitFor();
    await reviewScreen(staff, 'admin-contact-invited');

    await staff.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pending invitations' }).click();
    const invitations = staff.getByRole('table', { name: 'Invitations' });
    await invitations.getByRole('row').filter({ hasText: email }).getByRole('link', { name: 'Ivo Invited' }).waitFor();
    await reviewScreen(staff, 'admin-invitations');

    // The contact opens the e-mail's link in a browser of their own and chooses a password.
    const mail = await mailboxOf(stack['MAIL_CATCHER_URL'] ?? '', email).waitForMessage({ since });
    const link = linksIn(mail).find((href) => href.includes('/login-actions/action-token'));
    expect(link, mail.html ?? mail.text).toBeDefined();
    const contact = await newContactBrowser();
    await contact.goto(link ?? '');
    const proceed = contact.getByRole('link', { name: /Click here to proceed/ });
    const newPassword = contact.getByLabel('New Password');
    await proceed.or(newPassword).first().waitFor();
    if (await proceed.isVisible()) await proceed.click();
    const chosen = `Chosen-${randomUUID().slice(0, 6)}-Pass7!`;
    await newPassword.fill(chosen);
    await contact.getByLabel('Confirm password').fill(chosen);
    await contact.getByRole('button', { name: 'Submit' }).click();
    // Identity's sweeper sees the used invitation and enables the access.
    await expect.poll(() => accessOf(created.id), { timeout: 10_000 }).toBe('enabled');

    const signingIn = await newContactBrowser();
    await signInAsContact(signingIn, gateway, email, chosen);
    await signingIn.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();

    // The contact's access tab now shows the enabled login and the actions that fit it.
    await staff.goto(`${gateway}/admin/contacts/${created.id}/access`);
    await staff.getByRole('region', { name: 'Status' }).getByText('The contact can sign in to the portal.').waitFor();
    await staff.getByRole('button', { name: 'Revoke' }).waitFor();
    await reviewScreen(staff, 'admin-contact-access');
  });

  it('"Revoke" on the Portal tab signs the contact out on its next request within 2 s, and the login no longer works', async () => {
    const account = await newAccount('Revoke');
    const email = uniqueEmail('revoked');
    const created = await newContact(account, 'Rita', 'Revoked', email);
    const { credentials } = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${created.id}/access/enable`,
      {},
    );
    const contact = await newContactBrowser();
    await signInAsContact(contact, gateway, email, credentials.password, 'projects');
    await contact.getByRole('heading', { level: 1, name: 'Projects' }).waitFor();

    await openPortalTab(account);
    await rowOf('Rita Revoked').getByRole('button', { name: 'Revoke for Rita Revoked' }).click();
    const confirm = staff.getByRole('dialog', { name: 'Revoke portal access' });
    await confirm.getByText('signed out of the portal within seconds').waitFor();
    const revoked = staff.waitForResponse((response) =>
      response.url().endsWith(`/contacts/${created.id}/access/revoke`),
    );
    await confirm.getByRole('button', { name: 'Revoke access' }).click();
    expect((await revoked).status()).toBe(200);
    const revokedAt = Date.now();

    // The open portal page's next request (the projects list it shows) is refused within 2 s. Asked
    // with the page's own cookies but outside the page: the page itself may already be on its way to
    // the sign-in page (its bell's live stream ends on revocation and its next call gets the 401).
    await expect
      .poll(async () => (await contact.context().request.get(`${gateway}/api/v1/portal/projects`)).status(), {
        timeout: 2_000,
        interval: 100,
      })
      .toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(2_000);
    await notification('signed out within seconds').waitFor();
    await rowOf('Rita Revoked').getByText('Revoked', { exact: true }).waitFor();

    // The person reloads: the portal sends them to sign in, and signing in again is refused. The
    // page's bell may already be taking it there (its stream ends on revocation): a reload that
    // this navigation overtakes is aborted, and either way the page must end on Keycloak's sign-in.
    await contact.reload().catch((error: Error) => {
      if (!/ERR_ABORTED|frame was detached/.test(error.message)) throw error;
    });
    await contact.waitForURL((url) => url.href.startsWith(keycloakUrl));
    await signInOnKeycloak(contact, email, credentials.password);
    await contact.getByText('Account is disabled, contact your administrator.').waitFor();
    expect(contact.url().startsWith(gateway)).toBe(false);
  });

  it('the Portal tab lists exactly the contacts of the chosen status and search, and a link reproduces the view', async () => {
    const account = await newAccount('Filters');
    const none = await newContact(account, 'Nina', 'Noaccess', uniqueEmail('nina'));
    const invited = await newContact(account, 'Ivy', 'Invitee', uniqueEmail('ivy'));
    const enabled = await newContact(account, 'Ella', 'Enabled', uniqueEmail('ella'));
    const disabled = await newContact(account, 'Dora', 'Disabled', uniqueEmail('dora'));
    await newContact(account, 'Noel', 'Nomail', null);
    await staffCall('POST', `/admin/contacts/${invited.id}/access/invitation`, { lifespanHours: 1 }, 201);
    await staffCall('POST', `/admin/contacts/${enabled.id}/access/enable`, {});
    await staffCall('POST', `/admin/contacts/${disabled.id}/access/enable`, {});
    await staffCall('POST', `/admin/contacts/${disabled.id}/access/revoke`, {});
    expect(await accessOf(none.id)).toBe('none');

    await openPortalTab(account);
    const all = ['Dora Disabled', 'Ella Enabled', 'Ivy Invitee', 'Nina Noaccess', 'Noel Nomail'];
    await expect.poll(namesListed, settles()).toEqual(all);

    const statusFilter = staff.getByRole('radiogroup', { name: 'Status' });
    const expected: [label: string, status: string, names: string[]][] = [
      ['No access', 'none', ['Nina Noaccess', 'Noel Nomail']],
      ['Invited', 'invited', ['Ivy Invitee']],
      ['Enabled', 'enabled', ['Ella Enabled']],
      ['Revoked', 'disabled', ['Dora Disabled']],
      ['All', '', all],
    ];
    for (const [label, status, names] of expected) {
      await statusFilter.getByText(label, { exact: true }).click();
      await expect.poll(() => new URL(staff.url()).searchParams.get('status') ?? '', settles()).toBe(status);
      await expect.poll(namesListed, settles(`status ${label}`)).toEqual(names);
    }

    // Search matches name or e-mail; with a status it narrows further, down to nothing.
    const search = staff.getByRole('textbox', { name: 'Search' });
    await search.fill('no');
    await expect.poll(namesListed, settles('search "no"')).toEqual(['Nina Noaccess', 'Noel Nomail']);
    await search.fill('ella');
    await expect.poll(namesListed, settles('search "ella"')).toEqual(['Ella Enabled']);
    await statusFilter.getByText('Revoked', { exact: true }).click();
    await staff.getByRole('heading', { name: 'No contact matches' }).waitFor();
    expect(await namesListed()).toEqual([]);

    // The view is the URL: opening it again shows the same set.
    await statusFilter.getByText('Enabled', { exact: true }).click();
    await expect.poll(() => staff.url(), settles()).toContain('status=enabled');
    await expect.poll(namesListed, settles('search "ella", status enabled')).toEqual(['Ella Enabled']);
    const link = staff.url();
    expect(new URL(link).searchParams.get('search')).toBe('ella');
    await staff.goto(`${gateway}/admin/accounts`);
    await staff.goto(link);
    await expect.poll(namesListed, settles('the same link again')).toEqual(['Ella Enabled']);
    await staff.setViewportSize(viewports.desktop);
  });

  it('an access request from the sign-in page is approved on the queue screen: the requester gets an invitation', async () => {
    const account = await newAccount('Requests');
    await staff.goto(`${gateway}/admin/access-requests`);
    await staff.getByRole('heading', { level: 1, name: 'Access requests' }).waitFor();

    const options = await staffCall<{ requestLoginButton: boolean; selfRegistration: boolean }>(
      'GET',
      '/admin/system-options',
    );
    await staffCall('PUT', '/admin/system-options', { requestLoginButton: true });
    try {
      const email = uniqueEmail('requester');
      const asked = await apiClient(gateway).request('POST', '/public/access-requests', {
        body: { name: 'Rhea Requester', email, company: account.name, message: 'I order for the site crew.' },
      });
      expect(asked.status, asked.text).toBe(202);

      await staff.reload();
      const row = staff.getByRole('row').filter({ hasText: email });
      await row.waitFor();
      await reviewScreen(staff, 'admin-access-requests');

      const since = new Date();
      await row.getByRole('button', { name: 'Approve the request of Rhea Requester' }).click();
      const approve = staff.getByRole('dialog', { name: 'Approve access request' });
      await approve.getByRole('combobox', { name: /^Account/ }).fill(account.number);
      await staff.getByRole('option', { name: `${account.name} (${account.number})` }).click();
      await approve.getByRole('button', { name: 'Approve and invite' }).click();
      await notification(`an invitation was sent to ${email}`).waitFor();
      await row.waitFor({ state: 'detached' });
      await mailboxOf(stack['MAIL_CATCHER_URL'] ?? '', email).waitForMessage({ since });

      await openPortalTab(account);
      await expect.poll(namesListed, settles()).toEqual(['Rhea Requester']);
      await rowOf('Rhea Requester').getByText('Invited', { exact: true }).waitFor();
    } finally {
      await staffCall('PUT', '/admin/system-options', {
        requestLoginButton: options.requestLoginButton,
        selfRegistration: options.selfRegistration,
      });
    }
  });

  it('a viewer sees contacts and their portal access, but no control that would change them', async () => {
    const account = await newAccount('Viewer');
    const contact = await newContact(account, 'Vic', 'Viewed', uniqueEmail('viewed'));
    const viewer = await newContactBrowser();
    await signInAsStaff(viewer, gateway, 'staffViewer', `accounts/${account.id}/portal`);
    const portal = viewer.getByRole('table', { name: 'Portal access' });
    await portal.getByRole('link', { name: 'Vic Viewed' }).waitFor();
    expect(await portal.getByRole('button').count()).toBe(0);

    await viewer.getByRole('tab', { name: 'Contacts' }).click();
    await viewer.getByRole('table', { name: 'Contacts' }).getByRole('link', { name: 'Vic Viewed' }).click();
    await viewer.getByRole('heading', { level: 1, name: 'Vic Viewed' }).waitFor();
    expect(await viewer.getByRole('textbox', { name: 'First name' }).getAttribute('readonly')).not.toBeNull();
    for (const name of ['Save', 'Archive contact', 'Send portal invite', 'New contact']) {
      expect(await viewer.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }

    await viewer.goto(`${gateway}/admin/contacts/${contact.id}/access`);
    await viewer.getByRole('region', { name: 'What this contact sees' }).waitFor();
    expect(await viewer.getByRole('radio', { name: 'Chosen sites and projects' }).isDisabled()).toBe(true);
    expect(await viewer.getByRole('switch', { name: 'MFA required' }).isDisabled()).toBe(true);
    for (const name of ['Enable', 'Save scope']) {
      expect(await viewer.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
  });
});
