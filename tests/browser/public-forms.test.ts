import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { ServiceSystem } from '../support/service-system.ts';
import { newPerson, reviewScreen, startWebSystem } from './support/web-ui.ts';

// A visitor without a login on the portal app's two public pages the login page links to
// (`/portal/request-access`, `/portal/register`), against the real gateway, identity and directory
// services (one all-in-one process). The pages are the React app's, rendered without the session gate: no sign-in happens.
describe('the public pages of the portal app', () => {
  const stack = stackEnv();
  let system: ServiceSystem;
  let staff: ApiClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-forms',
        env: {
          // Two registrations per invoice number, so the third shows the 429 and its wait in words;
          // the per-address limit (counted in PostgreSQL for a whole window) out of the way of reruns.
          IDENTITY_SELF_REGISTRATION_ATTEMPTS_PER_INVOICE: '2',
          IDENTITY_SELF_SERVICE_ATTEMPTS_PER_ADDRESS: '10000',
        },
      }),
      launchBrowser(),
    ]);
    const token = await devAccessToken(stack['KEYCLOAK_URL'] ?? '', 'staffAdmin');
    staff = apiClient(system.gatewayUrl, () => token);
    ({ page } = await newPerson(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const setOptions = async (options: { requestLoginButton?: boolean; selfRegistration?: boolean }) => {
    const answer = await staff.request('PUT', '/admin/system-options', { body: options });
    expect(answer.status, answer.text).toBe(200);
  };
  const answer = () => page.getByRole('status', { name: 'Answer' });
  const failure = () => page.getByRole('alert');

  it('checks the fields before sending, says when requests are off, and puts a request into the staff queue when on', async () => {
    const email = `asks-${randomUUID().slice(0, 8)}@customer.test`;
    await setOptions({ requestLoginButton: false });
    await page.goto(`${system.gatewayUrl}/portal/request-access`);
    await page.getByRole('heading', { name: 'Request access' }).waitFor();
    // Nobody was sent to sign in: the page is the app's, at its own address.
    expect(page.url()).toBe(`${system.gatewayUrl}/portal/request-access`);
    await reviewScreen(page, 'portal-request-access');

    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Enter your name.').waitFor();
    await page.getByText('Enter a valid e-mail address.').waitFor();
    expect(await failure().count()).toBe(0);

    const fillAndSend = async () => {
      await page.getByLabel('Your name').fill('Rita Requester');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Company').fill('Rita Builders Ltd');
      await page.getByLabel('Message (optional)').fill('We order from you every month.');
      await page.getByRole('button', { name: 'Send request' }).click();
    };
    await fillAndSend();
    await failure().waitFor();
    expect(await failure().textContent()).toMatch(/not sent/);
    expect(await failure().textContent()).toMatch(/ACCESS_REQUESTS_DISABLED · request id \S+/);

    await setOptions({ requestLoginButton: true });
    await fillAndSend();
    await expect.poll(() => answer().textContent()).not.toBe('');
    expect(await failure().count()).toBe(0);
    // Sent: the form is empty again for the next person.
    expect(await page.getByLabel('E-mail').inputValue()).toBe('');
    const queue = await staff.request<{ items: { email: string; company: string }[] }>(
      'GET',
      '/admin/access-requests?limit=100',
    );
    expect(queue.body.items).toContainEqual(expect.objectContaining({ email, company: 'Rita Builders Ltd' }));
  });

  it('answers a registration the same way whatever the invoice, asks for one of code or account number, and says when to try again after too many tries', async () => {
    await setOptions({ selfRegistration: true });
    await page.goto(`${system.gatewayUrl}/portal/register`);
    await page.getByRole('heading', { name: 'Register with an invoice' }).waitFor();
    await reviewScreen(page, 'portal-register');

    await page.getByLabel('E-mail').fill(`registers-${randomUUID().slice(0, 8)}@customer.test`);
    await page.getByLabel('Invoice number').fill('INV-1');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Give the quick-pay code or the account number, one of the two.').waitFor();

    const register = async (invoiceNumber: string) => {
      await page.getByLabel('E-mail').fill(`registers-${randomUUID().slice(0, 8)}@customer.test`);
      await page.getByLabel('Invoice number').fill(invoiceNumber);
      await page.getByLabel('Quick-pay code').fill('NOT-A-CODE');
      // Sending clears the last answer; once the API has answered, the page shows the new one.
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/v1/public/self-registrations')),
        page.getByRole('button', { name: 'Register' }).click(),
      ]);
      await expect.poll(async () => (await answer().textContent()) || (await failure().count())).toBeTruthy();
      return answer().textContent();
    };
    const invoice = `INV-${randomUUID().slice(0, 6)}`;
    const first = await register(invoice);
    const second = await register(`INV-${randomUUID().slice(0, 6)}`);
    expect(await failure().count()).toBe(0);
    expect(first).toBeTruthy();
    expect(second).toBe(first);

    // The per-invoice limit is 2 in this system: a third try of the same invoice is refused with the wait in words.
    await register(invoice);
    await register(invoice);
    await failure().waitFor();
    expect(await failure().textContent()).toMatch(/You can try again in \d+ (seconds?|minutes?)\./);
    expect(await failure().textContent()).toMatch(/REGISTRATION_RATE_LIMITED · request id \S+/);
    expect(await answer().textContent()).toBe('');
  });
});
