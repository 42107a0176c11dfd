import { createServer, type Server } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRequestHeader } from '@portal/contracts';
import { keycloakAdminToken } from '@portal/deploy/local/components';
import { devAccessToken, devLogins, type DevLoginKey } from '@portal/deploy/local/dev-logins';
import { apiClient, freePort, stackEnv } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';

interface Answer {
  status: number;
  body: { error?: { code?: string } } & Record<string, unknown>;
}

const jwtShaped = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;

// The gateway as the web UIs' backend-for-frontend: a person signs in on Keycloak's real page through
// /auth/{app}/login, the browser holds only an HttpOnly cookie, and the page's own fetch calls reach
// the API with it. Real gateway, identity and directory services (one all-in-one process), real Keycloak and PostgreSQL.
describe('web sign-in through the gateway (BFF)', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  let system: ServiceSystem;
  let browser: Browser;
  let db: pg.Pool;
  let gateway = '';
  const contexts: BrowserContext[] = [];
  /** Every body the gateway answered to the browser: none may hold a token. */
  const gatewayBodies: string[] = [];

  beforeAll(async () => {
    const gatewayPort = await freePort();
    gateway = `http://127.0.0.1:${gatewayPort}`;
    [system, browser] = await Promise.all([
      startServiceSystem({
        stack,
        namespacePrefix: 'browser-bff',
        // Every service in one process, as startWebSystem does (the screens do not depend on the spread).
        entries: ['all-in-one'],
        gatewayPort,
        // Identity reconciles portal-gateway's redirect and back-channel logout URLs to this gateway.
        env: { PORTAL_PUBLIC_URL: gateway, GATEWAY_ALLOWED_CLIENTS: 'portal-gateway,portal-cli' },
      }),
      launchBrowser(),
    ]);
    db = new pg.Pool({ connectionString: stack['GATEWAY_DATABASE_URL'], max: 2 });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await db?.end();
  });

  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('response', (response) => {
      if (!response.url().startsWith(gateway) || response.status() === 302) return;
      response.text().then(
        (text) => gatewayBodies.push(text),
        () => undefined,
      );
    });
    return { context, page };
  };

  /** Opens the app's sign-in, types the login on Keycloak's page and waits to land back on `returnTo`. */
  const signIn = async (page: Page, app: 'admin' | 'portal', email: string, password: string, returnTo: string) => {
    await page.goto(`${gateway}/auth/${app}/login?returnTo=${encodeURIComponent(returnTo)}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.waitForURL(`${gateway}${returnTo}`);
    // The app's own first calls (session, its list) are done: a session ended afterwards meets the
    // test's requests first, not a late call of the app that would send the page to sign in.
    await page.waitForLoadState('networkidle');
  };
  const signInAs = (page: Page, login: DevLoginKey, returnTo = '/admin/accounts') =>
    signIn(page, 'admin', devLogins[login].username, devLogins[login].password, returnTo);

  /** A request made by the page's own JavaScript (same origin, the cookie sent by the browser). */
  const pageFetch = (
    page: Page,
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) =>
    page.evaluate(
      async ({ path, init }) => {
        const response = await fetch(path, init);
        const text = await response.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = { text };
        }
        return { status: response.status, body } as Answer;
      },
      { path, init },
    );
  const webWrite = (page: Page, method: string, path: string, body?: unknown) =>
    pageFetch(page, path, {
      method,
      headers: { 'content-type': 'application/json', [webRequestHeader.name]: webRequestHeader.value },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const sessionCookieOf = async (context: BrowserContext, name: string) =>
    (await context.cookies(gateway)).find((cookie) => cookie.name === name);
  /** The row of this browser's session: stored under the SHA-256 of the cookie, never the cookie itself. */
  const rowOfCookie = async (context: BrowserContext, name: string) => {
    const cookie = await sessionCookieOf(context, name);
    const idHash = createHash('sha256')
      .update(cookie?.value ?? '')
      .digest('base64url');
    const { rows } = await db.query<{ id_hash: string; version: number }>(
      'select id_hash, version from gateway.web_session where id_hash = $1',
      [idHash],
    );
    return rows[0];
  };
  const sessionRows = async (subject?: string) =>
    (
      await db.query<{ id_hash: string; version: number; subject: string }>(
        `select id_hash, version, subject from gateway.web_session ${subject ? 'where subject = $1' : ''}`,
        subject ? [subject] : [],
      )
    ).rows;

  it('signs staff in with the code flow, keeps tokens server-side and answers the page with an HttpOnly cookie', async () => {
    const { context, page } = await newPage();
    await signInAs(page, 'staffAdmin', '/admin/accounts?search=north');

    const cookie = await sessionCookieOf(context, 'portal-admin-session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain('portal-admin-session');

    const session = await pageFetch(page, '/auth/admin/session');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      user: { username: devLogins.staffAdmin.username, email: devLogins.staffAdmin.email, name: 'Ada Admin' },
      roles: ['portal-admin'],
    });
    expect(session.body['permissions']).toEqual(expect.arrayContaining(['directory:read', 'settings:write']));

    const accounts = await pageFetch(page, '/api/v1/admin/accounts?limit=5');
    expect(accounts.status).toBe(200);
    expect(accounts.body).toHaveProperty('items');
    // The portal app's cookie is another one: this session opens no portal route.
    expect((await pageFetch(page, '/auth/portal/session')).status).toBe(401);

    // A write from the page with the header is same-origin: allowed.
    const number = `BFF-${randomUUID().slice(0, 8)}`;
    const created = await webWrite(page, 'POST', '/api/v1/admin/accounts', { number, name: `Web ${number}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const storage = await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(storage).not.toMatch(jwtShaped);
    expect(gatewayBodies.length).toBeGreaterThan(3);
    for (const body of gatewayBodies) expect(body).not.toMatch(jwtShaped);
    // At rest the tokens are sealed: nothing in the row reads as a JWT, and the cookie is not in it.
    const row = await rowOfCookie(context, 'portal-admin-session');
    const stored = (await db.query('select * from gateway.web_session where id_hash = $1', [row?.id_hash])).rows;
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toMatch(jwtShaped);
    expect(JSON.stringify(stored)).not.toContain(cookie?.value);
  });

  it('refuses cookie writes without the header, from a foreign origin, and from a cross-site form', async () => {
    const { context, page } = await newPage();
    await signInAs(page, 'staffAdmin');
    const cookie = await sessionCookieOf(context, 'portal-admin-session');
    const number = `CSRF-${randomUUID().slice(0, 8)}`;

    const withoutHeader = await pageFetch(page, '/api/v1/admin/accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number, name: 'No header' }),
    });
    expect(withoutHeader.status).toBe(403);
    expect(withoutHeader.body.error?.code).toBe('CSRF_REFUSED');

    // A browser never lets a page forge Origin; a script outside one can, and is refused all the same.
    const foreign = await fetch(`${gateway}/api/v1/admin/accounts`, {
      method: 'POST',
      headers: {
        cookie: `${cookie?.name}=${cookie?.value}`,
        origin: 'http://localhost:1',
        'content-type': 'application/json',
        [webRequestHeader.name]: webRequestHeader.value,
      },
      body: JSON.stringify({ number, name: 'Foreign origin' }),
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as Answer['body']).error?.code).toBe('CSRF_REFUSED');
    const noOrigin = await fetch(`${gateway}/auth/admin/logout`, {
      method: 'POST',
      headers: { cookie: `${cookie?.name}=${cookie?.value}`, [webRequestHeader.name]: webRequestHeader.value },
    });
    expect(noOrigin.status).toBe(403);

    // Another site (localhost is not 127.0.0.1) posts a form into the API with the person's browser.
    const evilPort = await freePort();
    const evil: Server = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(
        `<form method="post" action="${gateway}/api/v1/admin/accounts" enctype="text/plain">` +
          `<input name='{"number":"${number}","name":"x","y":"' value='"}'></form><script>document.forms[0].submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    try {
      const posted = page.waitForResponse((response) => response.url() === `${gateway}/api/v1/admin/accounts`);
      await page.goto(`http://localhost:${evilPort}/`);
      expect([401, 403]).toContain((await posted).status());
    } finally {
      evil.close();
    }
    const token = await devAccessToken(keycloakUrl, 'staffAdmin');
    const staff = apiClient(gateway, () => token);
    const found = await staff.request<{ items: unknown[] }>('GET', `/admin/accounts?search=${number}`);
    expect(found.body.items).toEqual([]);
  });

  it('refreshes an expiring session once for concurrent requests, and keeps working', async () => {
    const { context, page } = await newPage();
    await signInAs(page, 'staffViewer');
    const before = await rowOfCookie(context, 'portal-admin-session');
    expect(before).toBeDefined();
    // As if the access token were about to expire (the realm's tokens live 5 minutes).
    await db.query(`update gateway.web_session set access_expires_at = now() where id_hash = $1`, [before?.id_hash]);

    const answers = await page.evaluate(() =>
      Promise.all(Array.from({ length: 6 }, () => fetch('/api/v1/admin/accounts?limit=1').then((r) => r.status))),
    );
    expect(answers).toEqual([200, 200, 200, 200, 200, 200]);
    const after = await rowOfCookie(context, 'portal-admin-session');
    // One refresh (Keycloak rotates refresh tokens: a second one with the old token would have ended the session).
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect((await pageFetch(page, '/auth/admin/session')).status).toBe(200);
  });

  it('logs out: the session is gone, and so is Keycloak’s (the next sign-in asks for the password)', async () => {
    const { context, page } = await newPage();
    await signInAs(page, 'staffManager');
    const own = await rowOfCookie(context, 'portal-admin-session');
    expect(own).toBeDefined();

    const refused = await pageFetch(page, '/auth/admin/logout', { method: 'POST' });
    expect(refused.status).toBe(403);
    const logout = await webWrite(page, 'POST', '/auth/admin/logout');
    expect(logout.status).toBe(200);
    const logoutUrl = new URL(String(logout.body['logoutUrl']));
    expect(logoutUrl.href.startsWith(`${keycloakUrl}/realms/staff/protocol/openid-connect/logout`)).toBe(true);
    expect(logoutUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${gateway}/admin/`);
    expect(logoutUrl.searchParams.get('client_id')).toBe('portal-gateway');
    expect(logoutUrl.searchParams.get('id_token_hint')).toBeTruthy();
    expect(await sessionCookieOf(context, 'portal-admin-session')).toBeUndefined();
    // This browser's session row is gone (other suites may have left the same login's sessions).
    expect((await sessionRows()).map((row) => row.id_hash)).not.toContain(own?.id_hash);

    // Keycloak ends its session and sends the browser to /admin/, whose app finds no session and
    // goes to sign in: Keycloak asks for the password again (its SSO session is gone too). A new tab
    // of the same browser opens the logout URL: the old tab's app reacts to its ended session by
    // navigating on its own, which would abort a navigation started in that tab.
    await page.close();
    const tab = await context.newPage();
    await tab.goto(logoutUrl.href, { waitUntil: 'commit' });
    await tab.getByLabel('Password', { exact: true }).waitFor();
    expect(tab.url().startsWith(`${keycloakUrl}/realms/staff/`)).toBe(true);
    expect(new URL(tab.url()).searchParams.get('redirect_uri')).toBe(`${gateway}/auth/admin/callback`);
  });

  it('ends the session when Keycloak ends the SSO session (back-channel logout)', async () => {
    const { context, page } = await newPage();
    await signInAs(page, 'staffManager');
    const subject = ((await pageFetch(page, '/auth/admin/session')).body['user'] as { id: string }).id;
    const own = await rowOfCookie(context, 'portal-admin-session');
    expect(own).toBeDefined();
    // The browser's cookie, sent from outside the page, is a live session before Keycloak ends it.
    expect((await context.request.get(`${gateway}/auth/admin/session`)).status()).toBe(200);
    const adminToken = await keycloakAdminToken(
      keycloakUrl,
      stack['KEYCLOAK_ADMIN_USERNAME'] ?? 'admin',
      stack['KEYCLOAK_ADMIN_PASSWORD'] ?? '',
      10_000,
    );
    const ended = await fetch(`${keycloakUrl}/admin/realms/staff/users/${subject}/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(ended.status).toBe(204);
    // This browser's session row is gone (other suites may have left the same login's sessions).
    await expect
      .poll(async () => (await sessionRows(subject)).some((row) => row.id_hash === own?.id_hash), {
        timeout: 5_000,
        interval: 200,
      })
      .toBe(false);
    // Asked with the browser's cookie from outside the page: the app in the page reacts to the
    // ended session by navigating to sign in, which would destroy a page.evaluate under way.
    expect((await context.request.get(`${gateway}/auth/admin/session`)).status()).toBe(401);
    expect((await context.request.get(`${gateway}/api/v1/admin/accounts`)).status()).toBe(401);
  });

  it('a revoked contact’s portal session answers 401 within 2 s', async () => {
    const token = await devAccessToken(keycloakUrl, 'staffAdmin');
    const staff = apiClient(gateway, () => token);
    const suffix = randomUUID().slice(0, 8);
    const account = await staff.request<{ id: string }>('POST', '/admin/accounts', {
      body: { number: `WEB-${suffix}`, name: `Web portal ${suffix}` },
    });
    const contact = await staff.request<{ id: string; email: string }>(
      'POST',
      `/admin/accounts/${account.body.id}/contacts`,
      {
        body: { firstName: 'Wanda', lastName: 'Web', email: `web-${suffix}@customer.test` },
      },
    );
    expect(contact.status, contact.text).toBe(201);
    const enabled = await staff.request<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${contact.body.id}/access/enable`,
      { body: {} },
    );
    expect(enabled.status, enabled.text).toBe(200);

    const { context, page } = await newPage();
    // Lands on a portal page whose policy lets its script call the API (`connect-src 'self'`), as the UI's will.
    await signIn(page, 'portal', contact.body.email, enabled.body.credentials.password, '/portal/request-access');
    expect(await sessionCookieOf(context, 'portal-session')).toMatchObject({ httpOnly: true });
    const session = await pageFetch(page, '/auth/portal/session');
    expect(session.body).toMatchObject({ user: { email: contact.body.email } });
    const me = await pageFetch(page, '/api/v1/portal/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ contact: { id: contact.body.id } });

    const revoked = await staff.request('POST', `/admin/contacts/${contact.body.id}/access/revoke`, { body: {} });
    expect(revoked.status, revoked.text).toBe(200);
    await expect
      .poll(async () => (await pageFetch(page, '/api/v1/portal/me')).status, { timeout: 2_000, interval: 100 })
      .toBe(401);
    expect((await pageFetch(page, '/auth/portal/session')).status).toBe(401);
  });

  it('answers a readable 400 page for a stale or refused callback, and keeps returnTo inside the app', async () => {
    const { page } = await newPage();
    const stale = await page.goto(`${gateway}/auth/admin/callback?state=nope&code=x`);
    expect(stale?.status()).toBe(400);
    await page.getByRole('link', { name: 'Sign in again' }).waitFor();
    expect(await page.content()).not.toMatch(/at \w+ \(|Error:/);

    const login = await fetch(`${gateway}/auth/admin/login?returnTo=${encodeURIComponent('https://evil.test/')}`, {
      redirect: 'manual',
    });
    expect(login.status).toBe(302);
    const state = new URL(login.headers.get('location') ?? '').searchParams.get('state') ?? '';
    // Keycloak sends the person back with an error: the pending login is used up and the page says so.
    const denied = await page.goto(`${gateway}/auth/admin/callback?error=access_denied&state=${state}`);
    expect(denied?.status()).toBe(400);
    await page.getByText('The sign-in was cancelled or refused.').waitFor();
    const again = await page.goto(`${gateway}/auth/admin/callback?error=access_denied&state=${state}`);
    expect(again?.status()).toBe(400);
    await page.getByText('This sign-in link has expired or was already used.').waitFor();
  });
});
