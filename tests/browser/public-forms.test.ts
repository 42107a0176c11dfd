import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient, stackEnv, type ApiClient } from '@portal/testing';
import { accessibilityViolations, launchBrowser } from '@portal/testing/browser';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';

// A visitor without a login on the two form pages the login page links to, against the real
// gateway, identity and directory processes.
describe('the public form pages', () => {
  const stack = stackEnv();
  let system: ServiceSystem;
  let staff: ApiClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startServiceSystem({ stack, entries: ['gateway', 'identity', 'directory'], namespacePrefix: 'browser-forms' }),
      launchBrowser(),
    ]);
    const token = await devAccessToken(stack['KEYCLOAK_URL'] ?? '', 'staffAdmin');
    staff = apiClient(system.gatewayUrl, () => token);
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const setOptions = async (options: { requestLoginButton?: boolean; selfRegistration?: boolean }) => {
    const answer = await staff.request('PUT', '/admin/system-options', { body: options });
    expect(answer.status, answer.text).toBe(200);
  };
  const answerOnPage = () => page.getByRole('status');

  it('sends a request for access into the staff queue when the option is on, and says so when it is off', async () => {
    const email = `asks-${randomUUID().slice(0, 8)}@customer.test`;
    await setOptions({ requestLoginButton: false });
    await page.goto(`${system.gatewayUrl}/portal/request-access`);
    await page.getByRole('heading', { name: 'Request access' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const fillAndSend = async () => {
      await page.getByLabel('Your name').fill('Rita Requester');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Company').fill('Rita Builders Ltd');
      await page.getByLabel('Message (optional)').fill('We order from you every month.');
      await page.getByRole('button', { name: 'Send request' }).click();
    };
    await fillAndSend();
    await expect.poll(() => answerOnPage().textContent()).toMatch(/not|off|disabled/i);
    expect(await page.locator('.error').count()).toBe(1);

    await setOptions({ requestLoginButton: true });
    await fillAndSend();
    await expect.poll(() => page.locator('.error').count()).toBe(0);
    await expect.poll(() => answerOnPage().textContent()).not.toMatch(/Sending/);
    const queue = await staff.request<{ items: { email: string; company: string }[] }>(
      'GET',
      '/admin/access-requests?limit=100',
    );
    expect(queue.body.items).toContainEqual(expect.objectContaining({ email, company: 'Rita Builders Ltd' }));
  });

  it('answers a registration with an invoice the same way whatever the invoice', async () => {
    await setOptions({ selfRegistration: true });
    await page.goto(`${system.gatewayUrl}/portal/register`);
    await page.getByRole('heading', { name: 'Register with an invoice' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const register = async (invoiceNumber: string) => {
      await page.getByLabel('E-mail').fill(`registers-${randomUUID().slice(0, 8)}@customer.test`);
      await page.getByLabel('Invoice number').fill(invoiceNumber);
      await page.getByLabel('Quick-pay code').fill('NOT-A-CODE');
      await page.getByRole('button', { name: 'Register' }).click();
      await expect.poll(() => answerOnPage().textContent()).not.toMatch(/^$|Sending/);
      return answerOnPage().textContent();
    };
    const first = await register(`INV-${randomUUID().slice(0, 6)}`);
    const second = await register(`INV-${randomUUID().slice(0, 6)}`);
    expect(await page.locator('.error').count()).toBe(0);
    expect(first).toBeTruthy();
    expect(second).toBe(first);
  });
});
