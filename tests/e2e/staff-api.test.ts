import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contactCsvChunks,
  expectedMessageOf,
  generateContactRows,
  type ContactCsvPlan,
  type SeededAccount,
} from '@portal/directory/test-fixtures';
import { apiClient, type ApiClient } from '@portal/testing';
import { undocumentedErrors } from '../support/documented-errors.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

interface Answer {
  status: number;
  body: Record<string, unknown> & { items?: Record<string, unknown>[]; nextCursor?: string | null };
  text: string;
}

// The staff API as its users meet it: real processes (gateway + directory over NATS), real tokens
// from Keycloak's staff realm, real PostgreSQL. Every response is recorded: none may be a 5xx.
describe('staff API through the gateway', () => {
  let system: SystemUnderTest;
  const tokens: Record<'admin' | 'manager' | 'viewer', string> = { admin: '', manager: '', viewer: '' };
  const run = randomUUID().slice(0, 6).toUpperCase();

  const clients = {} as Record<keyof typeof tokens, ApiClient>;
  const api = (
    who: keyof typeof tokens,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => clients[who].request<Answer['body']>(method, path, { body, headers });
  const created = async (path: string, body: unknown) => {
    const answer = await api('admin', 'POST', path, body);
    expect(answer.status, answer.text).toBe(201);
    return answer.body as { id: string } & Record<string, unknown>;
  };

  beforeAll(async () => {
    system = await startServices(['directory', 'gateway']);
    tokens.admin = await tokenFor('staffAdmin');
    tokens.manager = await tokenFor('staffManager');
    tokens.viewer = await tokenFor('staffViewer');
    for (const who of ['admin', 'manager', 'viewer'] as const) {
      clients[who] = apiClient(system.gatewayUrl, () => tokens[who]);
    }
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('creates, reads, searches, filters, updates and archives accounts', async () => {
    const group = await created('/admin/accounts', { number: `G-${run}`, name: `Group ${run}`, kind: 'consolidated' });
    const member = await created('/admin/accounts', {
      number: `M-${run}`,
      name: `Member ${run}`,
      consolidatedAccountId: group.id,
    });
    expect((await api('viewer', 'GET', `/admin/accounts/${member.id}`)).body).toMatchObject({
      number: `M-${run}`,
      kind: 'customer',
      consolidatedAccountId: group.id,
    });

    const search = await api('viewer', 'GET', `/admin/accounts?search=${run}`);
    expect(search.body.items?.map((account) => account.number).sort()).toEqual([`G-${run}`, `M-${run}`]);
    const consolidated = await api('viewer', 'GET', `/admin/accounts?search=${run}&kind=consolidated`);
    expect(consolidated.body.items?.map((account) => account.id)).toEqual([group.id]);
    const members = await api('viewer', 'GET', `/admin/accounts?consolidatedAccountId=${group.id}`);
    expect(members.body.items?.map((account) => account.id)).toEqual([member.id]);

    const renamed = await api('manager', 'PATCH', `/admin/accounts/${member.id}`, { name: `Member ${run} GmbH` });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(`Member ${run} GmbH`);

    expect((await api('manager', 'DELETE', `/admin/accounts/${member.id}`)).body.archivedAt).toEqual(
      expect.any(String),
    );
    expect((await api('viewer', 'GET', `/admin/accounts?search=M-${run}`)).body.items).toEqual([]);
    expect(
      (await api('viewer', 'GET', `/admin/accounts?search=M-${run}&includeArchived=true`)).body.items,
    ).toHaveLength(1);
  });

  it('manages account classes: settings need portal-admin, a class in use cannot be deleted', async () => {
    expect((await api('manager', 'POST', '/admin/account-classes', { name: `Class ${run}` })).status).toBe(403);
    const accountClass = await created('/admin/account-classes', { name: `Class ${run}`, requireMfa: true });
    expect(accountClass).toMatchObject({ requireMfa: true, autoSendInvite: false, allowSelfRegistration: false });
    const patched = await api('admin', 'PATCH', `/admin/account-classes/${accountClass.id}`, { autoSendInvite: true });
    expect(patched.body).toMatchObject({ autoSendInvite: true, requireMfa: true });
    await created('/admin/accounts', { number: `C-${run}`, name: `Classy ${run}`, classId: accountClass.id });
    const inUse = await api('admin', 'DELETE', `/admin/account-classes/${accountClass.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({ error: { code: 'ACCOUNT_CLASS_IN_USE' } });
    const unused = await created('/admin/account-classes', { name: `Unused ${run}` });
    expect((await api('admin', 'DELETE', `/admin/account-classes/${unused.id}`)).status).toBe(200);
    expect((await api('viewer', 'GET', `/admin/account-classes/${unused.id}`)).status).toBe(404);
  });

  it('manages sites, projects and contacts of an account, with filters', async () => {
    const account = await created('/admin/accounts', { number: `S-${run}`, name: `Sites ${run}` });
    const plant = await created(`/admin/accounts/${account.id}/sites`, { code: 'ESS', name: 'Plant Essen' });
    await created(`/admin/accounts/${account.id}/sites`, { code: 'LEI', name: 'Plant Leipzig' });
    expect((await api('viewer', 'GET', `/admin/accounts/${account.id}/sites?search=essen`)).body.items).toHaveLength(1);
    expect(
      (await api('manager', 'PATCH', `/admin/sites/${plant.id}`, { address: { city: 'Essen', country: 'DE' } })).body,
    ).toMatchObject({
      address: { city: 'Essen', country: 'DE' },
    });

    const line = await created(`/admin/accounts/${account.id}/projects`, {
      code: 'L4',
      name: 'Line 4',
      siteId: plant.id,
    });
    await created(`/admin/accounts/${account.id}/projects`, { code: 'WH', name: 'Warehouse', hidden: true });
    const hidden = await api('viewer', 'GET', `/admin/accounts/${account.id}/projects?hidden=true`);
    expect(hidden.body.items?.map((project) => project.code)).toEqual(['WH']);
    const onSite = await api('viewer', 'GET', `/admin/accounts/${account.id}/projects?siteId=${plant.id}`);
    expect(onSite.body.items?.map((project) => project.id)).toEqual([line.id]);
    expect((await api('manager', 'PATCH', `/admin/projects/${line.id}`, { completed: true })).body.completed).toBe(
      true,
    );

    const contact = await created(`/admin/accounts/${account.id}/contacts`, {
      firstName: 'Emil',
      lastName: 'Essen',
      email: `Emil.${run}@Customer.test`,
      siteId: plant.id,
    });
    expect(contact).toMatchObject({
      email: `emil.${run.toLowerCase()}@customer.test`,
      siteId: plant.id,
      access: { status: 'none' },
    });
    await created(`/admin/accounts/${account.id}/contacts`, { firstName: 'Lea', lastName: 'Leipzig' });
    const found = await api('viewer', 'GET', `/admin/accounts/${account.id}/contacts?search=emil`);
    expect(found.body.items?.map((row) => row.id)).toEqual([contact.id]);
    const atSite = await api('viewer', 'GET', `/admin/accounts/${account.id}/contacts?siteId=${plant.id}`);
    expect(atSite.body.items).toHaveLength(1);
    expect((await api('manager', 'PATCH', `/admin/contacts/${contact.id}`, { title: 'Buyer' })).body.title).toBe(
      'Buyer',
    );
    expect((await api('manager', 'DELETE', `/admin/contacts/${contact.id}`)).body.archivedAt).toEqual(
      expect.any(String),
    );
  });

  it('keeps pagination stable while rows are inserted', async () => {
    const prefix = `PAGE-${run}`;
    for (const letter of ['b', 'd', 'f', 'h', 'j', 'l', 'n'])
      await created('/admin/accounts', { number: `${prefix}-${letter}`, name: `${prefix} ${letter}` });
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let insert = 0;
    do {
      const page = await api(
        'viewer',
        'GET',
        `/admin/accounts?search=${prefix}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...(page.body.items ?? []).map((account) => String(account.name)));
      cursor = page.body.nextCursor;
      // Rows sorting before and after the cursor appear between page fetches.
      for (const letter of ['a', 'z'].map((edge) => `${edge}${insert}`))
        await created('/admin/accounts', { number: `${prefix}-${letter}`, name: `${prefix} ${letter}` });
      insert += 1;
    } while (cursor);
    const original = ['b', 'd', 'f', 'h', 'j', 'l', 'n'].map((letter) => `${prefix} ${letter}`);
    for (const name of original)
      expect(
        seen.filter((item) => item === name),
        name,
      ).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers bad input, unknown ids, duplicates and missing rights with the error format', async () => {
    const account = await created('/admin/accounts', { number: `E-${run}`, name: `Errors ${run}` });

    const invalid = await api('admin', 'POST', `/admin/accounts/${account.id}/contacts`, {
      firstName: '',
      lastName: 'X',
      email: 'not-an-email',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const paths = ((invalid.body.error as { details: { path: string }[] }).details ?? [])
      .map((issue) => issue.path)
      .sort();
    expect(paths).toEqual(['email', 'firstName']);
    expect(invalid.body.requestId).toEqual(expect.any(String));

    expect((await api('viewer', 'GET', '/admin/accounts?limit=1000')).status).toBe(400);
    expect((await api('viewer', 'GET', '/admin/accounts/not-a-uuid')).status).toBe(400);
    expect((await api('viewer', 'GET', '/admin/accounts?cursor=garbage')).body).toMatchObject({
      error: { code: 'INVALID_CURSOR' },
    });
    const unknown = await api('viewer', 'GET', `/admin/accounts/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'ACCOUNT_NOT_FOUND' } });

    const duplicate = await api('admin', 'POST', '/admin/accounts', {
      number: `e-${run}`,
      name: 'Same number, other case',
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ error: { code: 'ACCOUNT_NUMBER_TAKEN' } });
    await created(`/admin/accounts/${account.id}/contacts`, {
      firstName: 'A',
      lastName: 'B',
      email: `dup.${run}@customer.test`,
    });
    const duplicateEmail = await api('admin', 'POST', `/admin/accounts/${account.id}/contacts`, {
      firstName: 'C',
      lastName: 'D',
      email: `DUP.${run}@customer.test`,
    });
    expect(duplicateEmail.body).toMatchObject({ error: { code: 'CONTACT_EMAIL_TAKEN' } });

    const viewerWrite = await api('viewer', 'POST', '/admin/accounts', { number: `V-${run}`, name: 'Viewer' });
    expect(viewerWrite.status).toBe(403);
    expect((await api('viewer', 'GET', `/admin/accounts?search=V-${run}`)).body.items).toEqual([]);
    expect((await api('manager', 'PUT', '/admin/system-options', { requestLoginButton: true })).status).toBe(403);
    expect((await api('admin', 'PUT', '/admin/system-options', { requestLoginButton: true })).body).toMatchObject({
      requestLoginButton: true,
    });
  });

  it('shows the Portal tab, sets scopes and keeps an audit trail of who changed what from where', async () => {
    const account = await created('/admin/accounts', { number: `P-${run}`, name: `Portal ${run}` });
    const site = await created(`/admin/accounts/${account.id}/sites`, { code: 'S1', name: 'Site 1' });
    const contact = await created(`/admin/accounts/${account.id}/contacts`, {
      firstName: 'Pia',
      lastName: 'Portal',
      email: `pia.${run}@customer.test`,
    });
    await created(`/admin/accounts/${account.id}/contacts`, { firstName: 'Olaf', lastName: 'Other' });

    const tab = await api('viewer', 'GET', `/admin/accounts/${account.id}/portal?search=pia`);
    expect(tab.body.items).toEqual([
      expect.objectContaining({
        contactId: contact.id,
        email: `pia.${run.toLowerCase()}@customer.test`,
        status: 'none',
      }),
    ]);
    expect((await api('viewer', 'GET', `/admin/accounts/${account.id}/portal?status=enabled`)).body.items).toEqual([]);

    const scoped = await api(
      'manager',
      'PUT',
      `/admin/contacts/${contact.id}/access-scope`,
      { scope: { kind: 'selected', siteIds: [site.id] } },
      { 'x-request-id': `audit-${run}-1` },
    );
    expect(scoped.status, scoped.text).toBe(200);
    const outside = await api('manager', 'PUT', `/admin/contacts/${contact.id}/access-scope`, {
      scope: { kind: 'selected', siteIds: [randomUUID()] },
    });
    expect(outside.status).toBe(422);

    const trail = await api('viewer', 'GET', `/admin/contacts/${contact.id}/audit`);
    const scopeEntry = trail.body.items?.find((entry) => entry.entity === 'access-scope');
    expect(scopeEntry).toMatchObject({
      contactId: contact.id,
      accountId: account.id,
      requestId: `audit-${run}-1`,
      sourceIp: expect.stringMatching(/127\.0\.0\.1/),
      actor: { kind: 'staff', userId: expect.any(String) },
      occurredAt: expect.any(String),
    });
    const accountTrail = await api('viewer', 'GET', `/admin/accounts/${account.id}/audit`);
    expect(accountTrail.body.items?.map((entry) => entry.entity)).toEqual(
      expect.arrayContaining(['account', 'site', 'contact', 'access-scope']),
    );
  });

  it('imports 10,000 contacts from CSV with per-row errors, and a re-import changes nothing', async () => {
    const accounts: SeededAccount[] = [];
    for (let index = 0; index < 3; index += 1) {
      const account = await created('/admin/accounts', { number: `CSV-${run}-${index}`, name: `CSV ${run} ${index}` });
      const site = await created(`/admin/accounts/${account.id}/sites`, { code: 'S1', name: 'Main site' });
      accounts.push({ id: account.id, number: `CSV-${run}-${index}`, sites: [{ id: site.id, code: 'S1' }] });
    }
    const plan: ContactCsvPlan = { rows: 10_000, accounts, badEvery: 200 };
    const csv = [...contactCsvChunks(plan)].join('');
    const bad = [...generateContactRows(plan)].filter((row) => row.bad);

    const importOnce = async () => {
      const started = await api('manager', 'POST', '/admin/contact-imports', csv);
      expect(started.status, started.text).toBe(202);
      const deadline = Date.now() + 120_000;
      for (;;) {
        const job = await api('viewer', 'GET', `/admin/contact-imports/${String(started.body.id)}`);
        if (job.body.status !== 'running')
          return job.body as Record<string, unknown> & { errors: { line: number; messages: string[] }[] };
        if (Date.now() > deadline) throw new Error('import did not finish in time');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };

    const first = await importOnce();
    expect(first).toMatchObject({
      status: 'completed',
      created: 10_000 - bad.length,
      updated: 0,
      rejected: bad.length,
    });
    for (const row of bad) {
      const reported = first.errors.find((error) => error.line === row.line);
      expect(reported?.messages.join(' '), `line ${row.line}`).toContain(expectedMessageOf[row.bad!]);
    }

    const second = await importOnce();
    expect(second).toMatchObject({
      status: 'completed',
      created: 0,
      updated: 0,
      unchanged: 10_000 - bad.length,
      rejected: bad.length,
    });

    const exported = await api('manager', 'GET', `/admin/contacts/export?accountId=${accounts[0]!.id}`);
    expect(exported.status).toBe(200);
    expect(exported.text.split('\n')[0]).toBe('account_number,site_code,first_name,last_name,email,phone,title');
    expect(exported.text.trim().split('\n').length - 1).toBe(
      [...generateContactRows(plan)].filter((row) => !row.bad && row.accountId === accounts[0]!.id).length,
    );
  });

  it('needs settings:write for an account class, clearing MFA and invoice loads, and directory:export to export', async () => {
    const accountClass = await created('/admin/account-classes', { name: `Perm ${run}`, allowSelfRegistration: true });
    const account = await created('/admin/accounts', { number: `PERM-${run}`, name: `Permissions ${run}` });

    // The class: its own route with settings:write; the account PATCH no longer takes it.
    const patched = await api('admin', 'PATCH', `/admin/accounts/${account.id}`, { classId: accountClass.id });
    expect(patched.status).toBe(400);
    expect(patched.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const byManager = await api('manager', 'PUT', `/admin/accounts/${account.id}/class`, { classId: accountClass.id });
    expect(byManager.status).toBe(403);
    const classed = await api('admin', 'PUT', `/admin/accounts/${account.id}/class`, { classId: accountClass.id });
    expect(classed.status, classed.text).toBe(200);
    expect(classed.body.classId).toBe(accountClass.id);
    expect((await api('viewer', 'GET', `/admin/accounts/${account.id}`)).body.classId).toBe(accountClass.id);

    // MFA: requiring it is a directory write, clearing it is a settings write.
    const contact = await created(`/admin/accounts/${account.id}/contacts`, {
      firstName: 'Mia',
      lastName: 'Mfa',
      email: `mia.${run}@customer.test`,
    });
    const required = await api('manager', 'PUT', `/admin/contacts/${contact.id}/mfa-required`, {});
    expect(required.status, required.text).toBe(200);
    expect(required.body.access).toMatchObject({ mfaRequired: true });
    expect(
      (await api('manager', 'PUT', `/admin/contacts/${contact.id}/mfa-required`, { mfaRequired: false })).status,
    ).toBe(400);
    expect((await api('manager', 'DELETE', `/admin/contacts/${contact.id}/mfa-required`)).status).toBe(403);
    const cleared = await api('admin', 'DELETE', `/admin/contacts/${contact.id}/mfa-required`);
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.access).toMatchObject({ mfaRequired: false });

    // Invoice references: settings:write, answered 202 with a job anyone with read access can follow.
    const items = [
      {
        number: `INV-${run}`,
        accountNumber: `PERM-${run}`,
        quickPayCode: 'QP-5555',
        amount: '99.90',
        currency: 'EUR',
        issuedAt: '2026-03-01',
      },
    ];
    expect((await api('manager', 'POST', '/admin/invoice-references/import', { items })).status).toBe(403);
    const started = await api('admin', 'POST', '/admin/invoice-references/import', { items });
    expect(started.status, started.text).toBe(202);
    let job = started.body;
    for (let polls = 0; job.status === 'running' && polls < 200; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await api('viewer', 'GET', `/admin/invoice-references/imports/${String(started.body.id)}`)).body;
    }
    expect(job).toMatchObject({ status: 'completed', created: 1, rejected: 0 });
    const trail = await api('viewer', 'GET', `/admin/accounts/${account.id}/audit`);
    expect(trail.body.items?.map((entry) => `${String(entry.entity)}:${String(entry.action)}`)).toEqual(
      expect.arrayContaining(['invoice-reference:created', 'account:updated']),
    );
    expect(trail.text).not.toContain('QP-5555');

    // The export is its own permission: managers and admins have it, viewers do not.
    const viewerExport = await api('viewer', 'GET', `/admin/contacts/export?accountId=${account.id}`);
    expect(viewerExport.status).toBe(403);
    expect(viewerExport.body).toMatchObject({ error: { details: { requiredPermission: 'directory:export' } } });
    const managerExport = await api('manager', 'GET', `/admin/contacts/export?accountId=${account.id}`);
    expect(managerExport.status).toBe(200);
    expect(managerExport.text).toContain(`mia.${run.toLowerCase()}@customer.test`);
  });

  it('never answered with a 5xx, nor with an error code its OpenAPI document does not list', async () => {
    const answered = Object.values(clients).flatMap((client) => client.answered);
    expect(answered.length).toBeGreaterThan(50);
    expect(answered.filter((entry) => entry.status >= 500)).toEqual([]);
    // Every error an integrator met here is one the OpenAPI document lists for that operation.
    const document = (await clients.viewer.request('GET', '/openapi.json')).body;
    expect(undocumentedErrors(document as never, answered)).toEqual([]);
  });
});
