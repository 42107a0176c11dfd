import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { devLoginToken, devLogins } from '@portal/deploy/local/dev-logins';
import { stackEnv } from '@portal/testing';
import {
  accessibilityViolations,
  launchBrowser,
  linksIn,
  mailboxOf,
  startCodeFlowLogin,
  type CodeFlowLogin,
} from '@portal/testing/browser';
import { portalLogins, type PortalLogin } from './support/portal-logins.ts';

// A contact at Keycloak's real login page of the portal realm, in headless Chromium, signing in
// with the code flow (PKCE) as the dev client portal-cli would.
describe('the portal login page', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const logins = portalLogins(stack);
  const made: PortalLogin[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let flow: CodeFlowLogin;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const login of made) await logins.remove(login);
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    flow = await startCodeFlowLogin({ keycloakUrl, realm: 'portal' });
  });
  afterEach(async () => {
    await flow.close();
    await context.close();
  });

  const newLogin = async (prefix: string) => {
    const login = await logins.create(prefix);
    made.push(login);
    return login;
  };
  const signIn = async (email: string, password: string) => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign In' }).click();
  };
  const alertText = async () =>
    (
      await page
        .getByText(/invalid|locked|disabled/i)
        .first()
        .textContent()
    )?.trim();

  it('shows the product name, passes an accessibility check, and signs the contact in with the code flow', async () => {
    const contact = devLogins.customerContact;
    await page.goto(flow.authorizationUrl);
    await expect.poll(() => page.title()).toBe('Sign in to Customer portal');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Customer portal', { exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    const screenshots = join(process.cwd(), '.local', 'screenshots');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'portal-login.png'), fullPage: true });

    await signIn(contact.email, contact.password);
    const tokens = await flow.tokens();
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
      iss: string;
      azp: string;
      email: string;
    };
    expect(claims).toMatchObject({ iss: `${keycloakUrl}/realms/portal`, azp: 'portal-cli', email: contact.email });
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();
  });

  it('locks a contact out after repeated wrong passwords, saying no more than for one wrong password', async () => {
    const contact = await newLogin('brute-force');
    await page.goto(flow.authorizationUrl);
    await signIn(contact.email, 'Wrong-Password-1!');
    const wrongPassword = await alertText();
    expect(wrongPassword).toBe('Invalid username or password.');
    for (let attempt = 2; attempt <= 10; attempt += 1) await signIn(contact.email, `Wrong-Password-${attempt}!`);

    await signIn(contact.email, contact.password);
    expect(await alertText()).toBe(wrongPassword);
    expect(page.url()).not.toContain(flow.redirectUri);
    expect(await logins.lockout(contact)).toMatchObject({ disabled: true });
    expect((await devLoginToken(keycloakUrl, 'customerContact')).status).toBe(200);
  });

  it('answers the same on the forgot-password page for a known and an unknown e-mail', async () => {
    const contact = await newLogin('forgot-known');
    const answerFor = async (email: string) => {
      await page.goto(flow.authorizationUrl);
      await page.getByRole('link', { name: 'Forgot Password?' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Submit' }).click();
      return { url: new URL(page.url()).pathname, text: await page.locator('main').innerText() };
    };
    const known = await answerFor(contact.email);
    const unknown = await answerFor(`nobody-${Date.now()}@customer.test`);
    expect(known.text).toContain('You should receive an email shortly with further instructions.');
    expect(unknown).toEqual(known);
  });

  it('lets a contact choose a new password through the link of the reset e-mail', async () => {
    const contact = await newLogin('reset-mail');
    const mailbox = mailboxOf(stack['MAIL_CATCHER_URL'] ?? '', contact.email);
    const since = new Date();
    await page.goto(flow.authorizationUrl);
    await page.getByRole('link', { name: 'Forgot Password?' }).click();
    await page.getByLabel('Email').fill(contact.email);
    await page.getByRole('button', { name: 'Submit' }).click();

    const mail = await mailbox.waitForMessage({ since, subject: /Customer portal/ });
    expect(mail.subject).toBe('Reset your Customer portal password');
    expect(mail.text).toContain('Customer portal');
    const link = linksIn(mail).find((href) => href.includes('/login-actions/action-token'));
    expect(link).toBeDefined();

    await page.goto(link ?? '');
    const newPassword = 'Chosen-By-Me-42!';
    await page.getByLabel('New Password').fill(newPassword);
    await page.getByLabel('Confirm password').fill(newPassword);
    await page.getByRole('button', { name: 'Submit' }).click();
    await flow.tokens();

    const again = await startCodeFlowLogin({ keycloakUrl, realm: 'portal' });
    try {
      const fresh = await browser.newContext();
      const other = await fresh.newPage();
      await other.goto(again.authorizationUrl);
      await other.getByLabel('Email').fill(contact.email);
      await other.getByLabel('Password', { exact: true }).fill(contact.password);
      await other.getByRole('button', { name: 'Sign In' }).click();
      await other.getByText('Invalid username or password.').waitFor();
      await other.getByLabel('Password', { exact: true }).fill(newPassword);
      await other.getByRole('button', { name: 'Sign In' }).click();
      await again.tokens();
      await fresh.close();
    } finally {
      await again.close();
    }
  });
});
