import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, freePort, stackEnv, type ApiClient } from '@portal/testing';
import {
  accessibilityViolations,
  launchBrowser,
  linksIn,
  mailboxOf,
  startCodeFlowLogin,
  totpCode,
  type CodeFlowLogin,
} from '@portal/testing/browser';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';
import { portalLogins } from './support/portal-logins.ts';

interface Contact {
  id: string;
  email: string;
  access: { status: string };
}

// Staff give, change and take away a contact's portal login through the staff API of the real
// gateway, identity and directory services (one all-in-one process); the contact meets the result on Keycloak's real pages
// in headless Chromium, signing in with the code flow (PKCE) of the dev client portal-cli.
describe('portal access given by staff, as the contact meets it', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const flows: CodeFlowLogin[] = [];
  let system: ServiceSystem;
  let staffToken = '';
  let staff: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // The gateway's port is chosen here, so identity knows the portal's public URL the login links lead to.
    const gatewayPort = await freePort();
    [system, browser] = await Promise.all([
      startServiceSystem({
        stack,
        namespacePrefix: 'browser-access',
        // Every service in one process, as startWebSystem does (the screens do not depend on the spread).
        entries: ['all-in-one'],
        gatewayPort,
        env: {
          PORTAL_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
          GATEWAY_ALLOWED_CLIENTS: 'portal-gateway,portal-cli',
          IDENTITY_INVITATION_SWEEP_SECONDS: '1',
        },
      }),
      launchBrowser(),
    ]);
    staff = apiClient(system.gatewayUrl, () => staffToken);
    context = await browser.newContext();
    page = await context.newPage();
  });
  beforeEach(async () => {
    staffToken = await devAccessToken(keycloakUrl, 'staffAdmin');
  });
  afterAll(async () => {
    for (const flow of flows) await flow.close();
    await browser?.close();
    await system?.stop();
  });

  const staffCall = async <Body>(method: string, path: string, body?: unknown, status = 200) => {
    const answer = await staff.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
    return answer.body;
  };
  const newContact = async (who: string) => {
    const suffix = randomUUID().slice(0, 8);
    const account = await staffCall<{ id: string; number: string }>(
      'POST',
      '/admin/accounts',
      { number: `BR-${suffix}`, name: `Browser ${who} ${suffix}` },
      201,
    );
    const contact = await staffCall<Contact>(
      'POST',
      `/admin/accounts/${account.id}/contacts`,
      { firstName: 'Cora', lastName: who, email: `${who}-${suffix}@customer.test` },
      201,
    );
    return { account, contact };
  };
  const accessOf = async (contactId: string) =>
    (await staffCall<Contact>('GET', `/admin/contacts/${contactId}`)).access.status;
  const portalMe = (accessToken: string) =>
    apiClient(system.gatewayUrl, () => accessToken).request('GET', '/portal/me');

  /** A person opening the portal's login in a browser without a Keycloak session, typing e-mail and password. */
  const signIn = async (email: string, password: string) => {
    await context.clearCookies();
    const flow = await startCodeFlowLogin({ keycloakUrl, realm: 'portal', clientId: 'portal-cli' });
    flows.push(flow);
    await page.goto(flow.authorizationUrl);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign In' }).click();
    return flow;
  };
  const signedIn = async (flow: CodeFlowLogin) => {
    const tokens = await flow.tokens();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
    return tokens;
  };
  /** What Keycloak says both on its login page and on an action link once the login is disabled. */
  const accountDisabled = () => page.getByText('Account is disabled, contact your administrator.');

  it('enabled by staff, the contact signs in and the portal API knows it; revoked, the login and the issued token stop working; re-enabled, it signs in again', async () => {
    const { account, contact } = await newContact('enabled');
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${contact.id}/access/enable`,
      {},
    );
    const { password } = enabled.credentials;

    const { accessToken } = await signedIn(await signIn(contact.email, password));
    const me = await portalMe(accessToken);
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({
      contact: { id: contact.id, email: contact.email },
      accounts: [{ id: account.id, number: account.number }],
    });

    await staffCall('POST', `/admin/contacts/${contact.id}/access/revoke`, {});
    await expect.poll(async () => (await portalMe(accessToken)).status, { timeout: 2_000, interval: 100 }).toBe(401);
    const refused = await signIn(contact.email, password);
    await accountDisabled().waitFor();
    expect(page.url()).not.toContain(refused.redirectUri);

    await staffCall('POST', `/admin/contacts/${contact.id}/access/reenable`, {});
    const again = await signedIn(await signIn(contact.email, password));
    expect((await portalMe(again.accessToken)).status).toBe(200);
  });

  it('with MFA required, the first login sets up an authenticator from the code the page shows; after staff reset MFA, the next login asks again', async () => {
    const { contact } = await newContact('mfa');
    await staffCall('PUT', `/admin/contacts/${contact.id}/mfa-required`, {});
    const { credentials } = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${contact.id}/access/enable`,
      {},
    );

    const setUpAuthenticator = async () => {
      await page.getByRole('heading', { name: 'Mobile Authenticator Setup' }).waitFor();
      await page.getByRole('link', { name: 'Unable to scan?' }).click();
      const secret = (await page.locator('#kc-totp-secret-key').textContent()) ?? '';
      // Keycloak 26.7's page ties both labels to a missing id (`for="form-vertical-name"`), so
      // getByLabel finds nothing: the box is found inside the field that says "One-time code".
      const codeBox = page.locator('.pf-v5-c-form__group').filter({ hasText: 'One-time code' }).getByRole('textbox');
      await codeBox.fill(await totpCode(secret));
      await page.getByRole('button', { name: 'Submit' }).click();
    };
    const first = await signIn(contact.email, credentials.password);
    await setUpAuthenticator();
    const { accessToken } = await signedIn(first);
    const me = await portalMe(accessToken);
    expect(me.body).toMatchObject({ mfa: { required: true, configured: true } });

    await staffCall('POST', `/admin/contacts/${contact.id}/access/mfa-reset`, {});
    const second = await signIn(contact.email, credentials.password);
    await setUpAuthenticator();
    await signedIn(second);
  });

  it('an invitation e-mail leads to a password the contact then signs in with; resend sends a new e-mail; cancel and expiry leave links that no longer work', async () => {
    const inviteOf = async (contactId: string) => {
      const since = new Date();
      await staffCall('POST', `/admin/contacts/${contactId}/access/invitation`, { lifespanHours: 1 }, 201);
      return since;
    };
    const linkIn = async (email: string, since: Date) => {
      const mail = await mailboxOf(stack['MAIL_CATCHER_URL'] ?? '', email).waitForMessage({
        since,
        subject: /Your Customer portal login/,
      });
      const link = linksIn(mail).find((href) => href.includes('/login-actions/action-token'));
      expect(link, mail.html ?? mail.text).toBeDefined();
      return link ?? '';
    };
    /** The invitation link as the contact opens it: Keycloak may first ask to confirm the steps. */
    const openInvitation = async (link: string) => {
      await context.clearCookies();
      await page.goto(link);
      const proceed = page.getByRole('link', { name: /Click here to proceed/ });
      const newPassword = page.getByLabel('New Password');
      await proceed.or(newPassword).first().waitFor();
      if (await proceed.isVisible()) await proceed.click();
    };

    /** Keycloak answers with its error page: no form to choose a password on. */
    const expectDeadLink = async (link: string) => {
      await context.clearCookies();
      await page.goto(link);
      await accountDisabled().waitFor();
      expect(await page.getByLabel('New Password').count()).toBe(0);
    };

    const { contact } = await newContact('invited');
    await openInvitation(await linkIn(contact.email, await inviteOf(contact.id)));
    expect(await accessOf(contact.id)).toBe('invited');
    const chosen = 'Invited-And-Chose-7!';
    await page.getByLabel('New Password').fill(chosen);
    await page.getByLabel('Confirm password').fill(chosen);
    await page.getByRole('button', { name: 'Submit' }).click();
    await signedIn(await signIn(contact.email, chosen));
    await expect.poll(() => accessOf(contact.id), { timeout: 10_000 }).toBe('enabled');

    // Resend: a second e-mail with a fresh link; cancel: that link leads nowhere, and the contact is `none`.
    const { contact: cancelled } = await newContact('cancelled');
    await linkIn(cancelled.email, await inviteOf(cancelled.id));
    const resentSince = new Date();
    await staffCall('POST', `/admin/contacts/${cancelled.id}/access/invitation/resend`, { lifespanHours: 1 });
    const resentLink = await linkIn(cancelled.email, resentSince);
    expect(await mailboxOf(stack['MAIL_CATCHER_URL'] ?? '', cancelled.email).messages()).toHaveLength(2);
    await staffCall('DELETE', `/admin/contacts/${cancelled.id}/access/invitation`);
    expect(await accessOf(cancelled.id)).toBe('none');
    await expectDeadLink(resentLink);

    // Expiry: Keycloak's action token carries its own expiry (at least the contract's one hour), so
    // the stored expiry is moved into the past; identity's sweeper then disables the login, which
    // is what makes the still-signed link unusable, and returns the contact to `none`.
    const { contact: expired } = await newContact('expired');
    const expiredLink = await linkIn(expired.email, await inviteOf(expired.id));
    const db = new pg.Client({ connectionString: stack['IDENTITY_DATABASE_URL'] });
    await db.connect();
    try {
      await db.query(
        "update identity.invitation set expires_at = now() - interval '1 second' where contact_id = $1 and status = 'pending'",
        [expired.id],
      );
    } finally {
      await db.end();
    }
    await expect.poll(() => accessOf(expired.id), { timeout: 10_000 }).toBe('none');
    await expectDeadLink(expiredLink);
  });

  it('shows "Request access" and "Register with an invoice" on the login page as staff turn the options on and off', async () => {
    const keycloak = portalLogins(stack);
    // An attribute someone else keeps on the realm survives identity's writes.
    await keycloak.setRealmAttributes({ ...(await keycloak.realmAttributes()), operatorNote: 'kept' });
    const setOptions = (options: { requestLoginButton: boolean; selfRegistration: boolean }) =>
      staffCall('PUT', '/admin/system-options', options);
    const loginLinks = async () => {
      await context.clearCookies();
      const flow = await startCodeFlowLogin({ keycloakUrl, realm: 'portal' });
      flows.push(flow);
      await page.goto(flow.authorizationUrl);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      const shown = async (name: string) => (await page.getByRole('link', { name }).count()) > 0;
      return { requestAccess: await shown('Request access'), register: await shown('Register with an invoice') };
    };
    const eventually = (expected: { requestAccess: boolean; register: boolean }) =>
      expect.poll(loginLinks, { timeout: 15_000, interval: 500 }).toEqual(expected);

    try {
      await setOptions({ requestLoginButton: false, selfRegistration: false });
      await eventually({ requestAccess: false, register: false });
      await setOptions({ requestLoginButton: true, selfRegistration: false });
      await eventually({ requestAccess: true, register: false });
      await setOptions({ requestLoginButton: true, selfRegistration: true });
      await eventually({ requestAccess: true, register: true });
      expect(await accessibilityViolations(page)).toEqual([]);
      expect((await keycloak.realmAttributes())['operatorNote']).toBe('kept');

      await page.getByRole('link', { name: 'Register with an invoice' }).click();
      await page.getByRole('heading', { name: 'Register with an invoice' }).waitFor();
      expect(page.url()).toBe(`${system.gatewayUrl}/portal/register`);
    } finally {
      await setOptions({ requestLoginButton: false, selfRegistration: false });
      const { operatorNote: _kept, ...others } = await keycloak.realmAttributes();
      await keycloak.setRealmAttributes(others);
    }
  });
});
