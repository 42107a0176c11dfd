import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { devLogins } from '@portal/deploy/local/dev-logins';
import { freePort } from '@portal/testing';
import { accessibilityViolations } from '@portal/testing/browser';
import { webBuildMissing, webDistDir } from '@portal/web/assets';
import { startServiceSystem, type ServiceSystem } from '../../support/service-system.ts';

/** Where every browser test writes its screenshots; the README points reviewers here. */
export const screenshotsDir = join(process.cwd(), '.local', 'screenshots');

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * The system behind the web UIs: every service in one real all-in-one process (the gateway serving
 * the build and signing people in), reached at the public URL the realms and cookies know. One
 * process starts in well under half the time of six (14 s against 35 s on 2 cores) and the
 * screens do not depend on how the services are spread; the e2e suites run them as separate
 * processes.
 */
export async function startWebSystem(options: {
  stack: Record<string, string>;
  namespacePrefix: string;
  env?: Record<string, string>;
}): Promise<ServiceSystem> {
  const missing = webBuildMissing(webDistDir);
  if (missing) throw new Error(`the browser suites need the web build: ${missing}`);
  const gatewayPort = await freePort();
  return startServiceSystem({
    stack: options.stack,
    entries: ['all-in-one'],
    namespacePrefix: options.namespacePrefix,
    gatewayPort,
    env: { PORTAL_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`, ...options.env },
  });
}

/** A fresh browser context (its own cookies) with one page, at desktop width. */
export async function newPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: viewports.desktop });
  return { context, page: await context.newPage() };
}

/** Fills Keycloak's themed sign-in form, as a person would. */
export async function signInOnKeycloak(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('textbox', { name: /email/i }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/** Opens `/admin/<path>` and signs in on Keycloak's page with a dev staff login; waits for the app. */
export async function signInAsStaff(
  page: Page,
  gatewayUrl: string,
  login: 'staffAdmin' | 'staffManager' | 'staffViewer',
  path = 'accounts',
): Promise<void> {
  await page.goto(`${gatewayUrl}/admin/${path}`);
  await signInOnKeycloak(page, devLogins[login].username, devLogins[login].password);
  await page.waitForURL(`${gatewayUrl}/admin/**`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Opens `/portal/<path>` and signs in as a contact; waits for the app. */
export async function signInAsContact(
  page: Page,
  gatewayUrl: string,
  email: string,
  password: string,
  path = 'projects',
): Promise<void> {
  await page.goto(`${gatewayUrl}/portal/${path}`);
  await signInOnKeycloak(page, email, password);
  await page.waitForURL(`${gatewayUrl}/portal/**`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Waits until no finite CSS transition or animation runs (spinners loop for ever and are left out).
 * An evaluated expression, as `waitForFunction`'s string is an eval the gateway's CSP refuses.
 */
async function transitionsSettled(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate<boolean>(
          'document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity)',
        ),
      { timeout: 5000 },
    )
    .toBe(true);
}

/**
 * A main screen's checks: no serious or critical axe violation, then screenshots at desktop and
 * phone width (`<name>.desktop.png`, `<name>.phone.png`), and back to desktop width.
 */
export async function reviewScreen(page: Page, name: string): Promise<void> {
  await page
    .getByRole('status')
    .filter({ hasText: 'Loading' })
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  // A dialog fading in or a button changing colour has no final colours yet: axe would measure the blend.
  await transitionsSettled(page);
  const violations = (await accessibilityViolations(page)).filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  mkdirSync(screenshotsDir, { recursive: true });
  for (const [width, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    // The frame's navigation slides away at phone width (Mantine's AppShell transition, 200 ms):
    // a picture taken at once catches it half-way.
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(screenshotsDir, `${name}.${width}.png`), fullPage: true });
  }
  await page.setViewportSize(viewports.desktop);
}

/** Everything a page's JavaScript can read (storage and cookies), to show no token is there. */
export async function scriptReadableState(page: Page): Promise<string> {
  // A string, not a function: this package is typed for Node, without the DOM's globals.
  return page.evaluate<string>(`JSON.stringify({
    cookie: document.cookie,
    local: Object.entries(localStorage),
    session: Object.entries(sessionStorage),
  })`);
}
