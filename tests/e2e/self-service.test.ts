import { randomInt, randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionParams, AuditEntry, Invitation } from '@portal/contracts';
import { call, createBroker, DomainError, natsSettingsOf } from '@portal/kit';
import {
  apiClient,
  linksIn,
  mailboxOf,
  requireStackVar,
  stackEnv,
  type ApiClient,
  type CapturedMessage,
} from '@portal/testing';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

// The login page's self-service as it runs: gateway, identity, directory and notifications as real
// processes over NATS, PostgreSQL, Keycloak (staff realm for the staff API, portal realm for the
// invited logins), and the SMTP capture. Staff act over HTTP; the public forms are called on the
// bus (as the gateway's public route calls them) and, at the end, over that HTTP route. Every
// invitation is the real one: identity's execute-actions e-mail from Keycloak, captured.

const run = randomUUID().slice(0, 6).toLowerCase();
const namespace = `e2e-self-${run}`;
const perInvoice = 4;
const perAddress = 6;
// Attempt counters live in PostgreSQL for their window: each run counts from its own addresses.
const net = `10.${randomInt(0, 256)}.${randomInt(0, 256)}`;

let system: SystemUnderTest;
let staff: ApiClient;
let bus: moleculer.ServiceBroker;
let db: pg.Pool;
let directoryDb: pg.Pool;
let openAccount: { id: string };
let closedAccount: { id: string };

const mailCatcher = () => requireStackVar('MAIL_CATCHER_URL');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const messagesTo = (address: string): Promise<CapturedMessage[]> => mailboxOf(mailCatcher(), address).messages();

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${system.outputs()}`);
    await sleep(100);
  }
}

/** A public form as the gateway's public route calls it: no actor, the client's address and request id. */
function publicCall<A extends 'identity.requestAccess' | 'identity.registerWithInvoice'>(
  action: A,
  params: ActionParams<A>,
  sourceIp = `${net}.1`,
) {
  return call(bus, action, params, { meta: { requestId: `req-${randomUUID()}`, sourceIp } });
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function identityEvents(
  type: string,
): Promise<{ actor: unknown; requestId?: string; data: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ envelope: { actor: unknown; requestId?: string; data: Record<string, unknown> } }>(
    'select envelope from identity.outbox where type = $1 order by created_at',
    [type],
  );
  return rows.map((row) => row.envelope);
}

/** This run's queued checks (every address it types holds the run id; the test database outlives runs). */
async function checksPending(): Promise<number> {
  const { rows } = await db.query<{ count: string }>(
    "select count(*) from identity.self_registration_check where email like '%' || $1 || '%'",
    [run],
  );
  return Number(rows[0]?.count ?? 0);
}

async function staffOk<T = Record<string, unknown>>(method: string, path: string, body?: unknown, status = 200) {
  const answer = await staff.request<T>(method, path, { body });
  expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
  return answer.body;
}

/**
 * The contact got identity's real invitation: Keycloak's e-mail to its address, whose link opens
 * Keycloak's action page of realm `portal` (not followed further: the browser suite sets a
 * password through it), and the directory shows the contact as `invited`.
 */
async function expectInvited(contactId: string, address: string): Promise<void> {
  const mail = await mailboxOf(mailCatcher(), address).waitForMessage({ subject: /login/, timeoutMs: 30_000 });
  expect(mail.subject).toBe('Your Customer portal login');
  const keycloak = requireStackVar('KEYCLOAK_URL');
  const link = linksIn(mail).find((href) => href.startsWith(`${keycloak}/realms/portal/login-actions/action-token?`));
  expect(link, `links in the invitation: ${linksIn(mail).join(', ')}`).toBeDefined();
  const page = await fetch(link!);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/login-actions\/(action-token|required-action)/);
  const contact = await staffOk<{ access: { status: string } }>('GET', `/admin/contacts/${contactId}`);
  expect(contact.access.status).toBe('invited');
}

/** The contact's audit trail as staff read it over HTTP, once it holds an entry that matches. */
async function auditEntryOf(path: string, matches: (entry: AuditEntry) => boolean, what: string): Promise<AuditEntry> {
  return eventually(what, async () => {
    const page = await staffOk<{ items: AuditEntry[] }>('GET', `${path}?limit=100`);
    return page.items.find(matches);
  });
}

beforeAll(async () => {
  system = await startServices(['gateway', 'identity', 'directory', 'notifications'], {
    MOLECULER_NAMESPACE: namespace,
    IDENTITY_SELF_SERVICE_ATTEMPTS_PER_ADDRESS: String(perAddress),
    IDENTITY_SELF_REGISTRATION_ATTEMPTS_PER_INVOICE: String(perInvoice),
    GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
    GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000',
    // The HTTP checks name their client in X-Forwarded-For, so each run counts from its own addresses.
    GATEWAY_TRUSTED_PROXIES: '127.0.0.1',
  });
  const token = await tokenFor('staffAdmin');
  staff = apiClient(system.gatewayUrl, () => token);
  db = new pg.Pool({ connectionString: stackEnv().IDENTITY_DATABASE_URL, max: 2 });
  directoryDb = new pg.Pool({ connectionString: stackEnv().DIRECTORY_DATABASE_URL, max: 1 });

  bus = createBroker({
    nodeID: `self-service-test-${run}`,
    ...natsSettingsOf(stackEnv()),
    logLevel: 'warn',
    namespace,
  });
  await bus.start();
  await bus.waitForServices(['directory', 'identity'], 20_000);

  const open = await staffOk<{ id: string }>(
    'POST',
    '/admin/account-classes',
    { name: `Open ${run}`, allowSelfRegistration: true },
    201,
  );
  const closed = await staffOk<{ id: string }>(
    'POST',
    '/admin/account-classes',
    { name: `Closed ${run}`, allowSelfRegistration: false },
    201,
  );
  openAccount = await staffOk('POST', '/admin/accounts', { number: `OPEN-${run}`, name: `Open ${run}` }, 201);
  closedAccount = await staffOk('POST', '/admin/accounts', { number: `CLOSED-${run}`, name: `Closed ${run}` }, 201);
  await staffOk('PUT', `/admin/accounts/${openAccount.id}/class`, { classId: open.id });
  await staffOk('PUT', `/admin/accounts/${closedAccount.id}/class`, { classId: closed.id });
  const invoice = { amount: '10.00', currency: 'EUR', issuedAt: '2026-03-01' };
  const items = [
    { ...invoice, number: `INV-${run}-CODE`, accountNumber: `OPEN-${run}`, quickPayCode: `QP-${run}-1` },
    { ...invoice, number: `INV-${run}-ACC`, accountNumber: `OPEN-${run}` },
    { ...invoice, number: `INV-${run}-CLOSED`, accountNumber: `CLOSED-${run}`, quickPayCode: `QP-${run}-C` },
    { ...invoice, number: `INV-${run}-HTTP`, accountNumber: `OPEN-${run}`, quickPayCode: `QP-${run}-H` },
    ...Array.from({ length: 24 }, (_, index) => ({
      ...invoice,
      number: `INV-${run}-T${index}`,
      accountNumber: `OPEN-${run}`,
      quickPayCode: `QP-${run}-T${index}`,
    })),
  ];
  const job = await staffOk<{ id: string }>('POST', '/admin/invoice-references/import', { items }, 202);
  await eventually('invoice import', async () => {
    const seen = await staffOk<{ status: string }>('GET', `/admin/invoice-references/imports/${job.id}`);
    return seen.status === 'running' ? undefined : seen;
  });
});

afterAll(async () => {
  await staff?.request('PUT', '/admin/system-options', {
    body: { requestLoginButton: false, selfRegistration: false },
  });
  await bus?.stop();
  await db?.end();
  await directoryDb?.end();
  await system?.stop();
});

describe('Request access', () => {
  const email = `requester-${run}@prospect.test`;
  const form = { name: 'Grace Brewster Hopper', email, company: `Prospect ${run}`, message: 'We buy your valves.' };

  it('is refused while the system option is off', async () => {
    await staffOk('PUT', '/admin/system-options', { requestLoginButton: false });
    const error = await refusal(publicCall('identity.requestAccess', form));
    expect(error).toMatchObject({ type: 'ACCESS_REQUESTS_DISABLED', code: 403 });
    const queue = await staffOk<{ items: { email: string }[] }>('GET', '/admin/access-requests');
    expect(queue.items.filter((item) => item.email === email)).toEqual([]);
  });

  it('reaches the staff queue once the option is on; a repeat gets the same answer and no second entry', async () => {
    await staffOk('PUT', '/admin/system-options', { requestLoginButton: true });
    const first = await publicCall('identity.requestAccess', form);
    const again = await publicCall('identity.requestAccess', { ...form, message: 'Again.' });
    expect(again).toEqual(first);
    const queue = await staffOk<{ items: { email: string; status: string; company: string; message: string }[] }>(
      'GET',
      '/admin/access-requests?limit=100',
    );
    const mine = queue.items.filter((item) => item.email === email);
    expect(mine).toMatchObject([{ status: 'pending', company: form.company, message: form.message }]);
    const received = (await identityEvents('identity.access-request.received')).filter(
      (event) => event.data.company === form.company,
    );
    expect(received).toHaveLength(1);
  });

  async function queued(address: string): Promise<{ id: string }> {
    await publicCall('identity.requestAccess', { ...form, email: address, name: 'Katherine Johnson' });
    const queue = await staffOk<{ items: { id: string; email: string }[] }>('GET', '/admin/access-requests?limit=100');
    const request = queue.items.find((item) => item.email === address);
    if (!request) throw new Error(`${address} is not in the queue`);
    return request;
  }

  it('rejects with a polite e-mail to the requester, audited, and refuses a second decision', async () => {
    const request = (
      await staffOk<{ items: { id: string; email: string }[] }>('GET', '/admin/access-requests?limit=100')
    ).items.find((item) => item.email === email)!;
    const rejected = await staffOk<Record<string, unknown>>('POST', `/admin/access-requests/${request.id}/reject`, {
      reason: 'internal note: competitor',
    });
    expect(rejected).toMatchObject({
      status: 'rejected',
      decisionReason: 'internal note: competitor',
      contactId: null,
    });
    expect(rejected.decidedBy).toMatchObject({ kind: 'staff' });

    const [mail] = await eventually('the rejection e-mail', async () => {
      const messages = await messagesTo(email);
      return messages.length > 0 ? messages : undefined;
    });
    expect(mail!.subject).toBe('Your request for access to Customer Portal');
    expect(mail!.text).toContain('Dear Grace Brewster Hopper,');
    expect(mail!.text).toContain(`on behalf of ${form.company}`);
    expect(mail!.text).not.toContain('competitor');
    expect(mail!.html).toContain('Dear Grace Brewster Hopper,');

    const [decided] = (await identityEvents('identity.access-request.decided')).filter(
      (event) => event.data.requestId === request.id,
    );
    expect(decided).toMatchObject({
      actor: { kind: 'staff' },
      data: { decision: 'rejected', requester: { email, name: form.name, company: form.company } },
    });
    expect(JSON.stringify(decided)).not.toContain('competitor');

    const again = await staff.request('POST', `/admin/access-requests/${request.id}/approve`, {
      body: { accountId: openAccount.id },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'ACCESS_REQUEST_DECIDED' } });
    // Still exactly one e-mail (the durable consumer applied the event once), and no invitation.
    await sleep(500);
    expect((await messagesTo(email)).map((message) => message.subject)).toEqual([
      'Your request for access to Customer Portal',
    ]);

    // No contact or account to file it under: the entry is the request's, and names whom it refused.
    const entry = await eventually('the rejection in the audit trail', async () => {
      const { rows } = await directoryDb.query<{
        action: string;
        actor: unknown;
        account_id: string | null;
        contact_id: string | null;
        request_id: string | null;
        changes: Record<string, unknown>;
      }>(
        `select action, actor, account_id, contact_id, request_id, changes from audit_entry
         where entity = 'access-request' and entity_id = $1`,
        [request.id],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(entry).toEqual([
      {
        action: 'rejected',
        actor: decided!.actor,
        account_id: null,
        contact_id: null,
        request_id: decided!.requestId,
        changes: {
          status: { from: 'pending', to: 'rejected' },
          requester: { from: null, to: { name: form.name, email, company: form.company } },
        },
      },
    ]);
    expect(JSON.stringify(entry)).not.toContain('competitor');
  });

  it('approves by creating a contact in the chosen account and inviting it, audited', async () => {
    const address = `new-contact-${run}@prospect.test`;
    const request = await queued(address);
    const answer = await staffOk<{ request: Record<string, unknown>; invitation: Invitation }>(
      'POST',
      `/admin/access-requests/${request.id}/approve`,
      { accountId: openAccount.id },
    );
    expect(answer.request).toMatchObject({ status: 'approved', decidedBy: { kind: 'staff' } });
    const contactId = answer.request.contactId as string;
    expect(answer.invitation).toMatchObject({
      contactId,
      accountId: openAccount.id,
      email: address,
      status: 'pending',
      invitedBy: { kind: 'staff' },
    });
    await expectInvited(contactId, address);
    const contact = await staffOk<Record<string, unknown>>('GET', `/admin/contacts/${contactId}`);
    expect(contact).toMatchObject({
      accountId: openAccount.id,
      email: address,
      firstName: 'Katherine',
      lastName: 'Johnson',
    });
    const [decided] = (await identityEvents('identity.access-request.decided')).filter(
      (event) => event.data.requestId === request.id,
    );
    expect(decided).toMatchObject({ data: { decision: 'approved', contactId, accountId: openAccount.id } });
    expect(decided!.data.requester).toBeUndefined();

    // The contact's access history tells the whole story: created, invited, by approving this request.
    const approval = await auditEntryOf(
      `/admin/contacts/${contactId}/audit`,
      (entry) => entry.entity === 'access-request' && entry.entityId === request.id,
      'the approval in the contact audit trail',
    );
    expect(approval).toMatchObject({
      action: 'approved',
      actor: { kind: 'staff' },
      accountId: openAccount.id,
      contactId,
      changes: { status: { from: 'pending', to: 'approved' } },
    });
    expect(approval.requestId).toBe(decided!.requestId);
    expect(approval.changes.requester).toBeUndefined();
    await auditEntryOf(
      `/admin/contacts/${contactId}/audit`,
      (entry) => entry.entity === 'access' && entry.action === 'invitation-sent',
      'the invitation in the contact audit trail',
    );
    await auditEntryOf(
      `/admin/accounts/${openAccount.id}/audit`,
      (entry) => entry.entity === 'access-request' && entry.entityId === request.id && entry.action === 'approved',
      'the approval in the account audit trail',
    );
  });

  it('approves by linking an existing contact of the account; a contact of another account is refused and the request stays pending', async () => {
    const address = `linked-${run}@prospect.test`;
    const existing = await staffOk<{ id: string }>(
      'POST',
      `/admin/accounts/${openAccount.id}/contacts`,
      { firstName: 'Mary', lastName: 'Jackson', email: `mary-${run}@open.test` },
      201,
    );
    const elsewhere = await staffOk<{ id: string }>(
      'POST',
      `/admin/accounts/${closedAccount.id}/contacts`,
      { firstName: 'Other', lastName: 'Account', email: `other-${run}@closed.test` },
      201,
    );
    const request = await queued(address);
    const mismatch = await staff.request('POST', `/admin/access-requests/${request.id}/approve`, {
      body: { accountId: openAccount.id, contactId: elsewhere.id },
    });
    expect(mismatch.status, mismatch.text).toBe(422);
    expect(mismatch.body).toMatchObject({ error: { code: 'ACCESS_REQUEST_CONTACT_MISMATCH' } });
    const pending = await staffOk<{ items: { id: string; status: string }[] }>(
      'GET',
      '/admin/access-requests?limit=100',
    );
    expect(pending.items.find((item) => item.id === request.id)?.status).toBe('pending');

    const answer = await staffOk<{ request: Record<string, unknown> }>(
      'POST',
      `/admin/access-requests/${request.id}/approve`,
      {
        accountId: openAccount.id,
        contactId: existing.id,
      },
    );
    expect(answer.request).toMatchObject({ status: 'approved', contactId: existing.id });
    // The invitation goes to the linked contact's own address, not to the one typed in the request.
    await expectInvited(existing.id, `mary-${run}@open.test`);
    await auditEntryOf(
      `/admin/contacts/${existing.id}/audit`,
      (entry) => entry.entity === 'access-request' && entry.entityId === request.id && entry.action === 'approved',
      'the approval in the linked contact audit trail',
    );
    expect(await messagesTo(address)).toEqual([]);
    expect(await messagesTo(`other-${run}@closed.test`)).toEqual([]);
    const untouched = await staffOk<{ access: { status: string } }>('GET', `/admin/contacts/${elsewhere.id}`);
    expect(untouched.access.status).toBe('none');
  });

  it('counts requests per client address (429 with retryAfterSeconds)', async () => {
    const address = `${net}.2`;
    const answers: unknown[] = [];
    for (let i = 0; i <= perAddress; i += 1) {
      answers.push(
        await publicCall(
          'identity.requestAccess',
          { ...form, email: `burst-${i}-${run}@prospect.test` },
          address,
        ).catch((error: unknown) => error),
      );
    }
    expect(answers.slice(0, perAddress).every((answer) => !(answer instanceof Error))).toBe(true);
    expect(answers[perAddress]).toMatchObject({ type: 'REGISTRATION_RATE_LIMITED', code: 429 });
    const seconds = (answers[perAddress] as DomainError).data as { retryAfterSeconds: number };
    expect(seconds.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('invoice-verified self-registration', () => {
  let addressCounter = 0;
  // A fresh client address per attempt, so the per-address limit stays out of the way here.
  const nextAddress = () => `2001:db8:${run.slice(0, 4)}:${(addressCounter += 1).toString(16)}::1`;
  const register = (params: ActionParams<'identity.registerWithInvoice'>, sourceIp = nextAddress()) =>
    publicCall('identity.registerWithInvoice', params, sourceIp);

  beforeAll(async () => {
    await staffOk('PUT', '/admin/system-options', { selfRegistration: true });
  });

  async function contactsOf(accountId: string): Promise<{ id: string; email: string | null }[]> {
    return (
      await staffOk<{ items: { id: string; email: string | null }[] }>(
        'GET',
        `/admin/accounts/${accountId}/contacts?limit=100`,
      )
    ).items;
  }

  it('invites a new account-level contact for a matching invoice and quick-pay code, and the known contact for the account number', async () => {
    const fresh = `fresh-${run}@open.test`;
    const known = await staffOk<{ id: string }>(
      'POST',
      `/admin/accounts/${openAccount.id}/contacts`,
      { firstName: 'Known', lastName: 'Contact', email: `known-${run}@open.test` },
      201,
    );
    const freshAddress = nextAddress();
    const first = await register(
      { email: fresh, invoiceNumber: `inv-${run}-code`, quickPayCode: `QP-${run}-1`, firstName: 'Dorothy' },
      freshAddress,
    );
    const knownAddress = nextAddress();
    const second = await register(
      { email: `KNOWN-${run}@open.test`, invoiceNumber: `INV-${run}-ACC`, accountNumber: `open-${run}` },
      knownAddress,
    );
    expect(second).toEqual(first);

    const created = await eventually('the new contact', async () =>
      (await contactsOf(openAccount.id)).find((contact) => contact.email === fresh),
    );
    await expectInvited(created.id, fresh);
    await expectInvited(known.id, `known-${run}@open.test`);
    const contact = await staffOk<Record<string, unknown>>('GET', `/admin/contacts/${created.id}`);
    expect(contact).toMatchObject({ firstName: 'Dorothy', siteId: null });
    const accepted = await identityEvents('identity.self-registration.accepted');
    expect(accepted.map((event) => event.data)).toEqual(
      expect.arrayContaining([
        { contactId: created.id, accountId: openAccount.id },
        { contactId: known.id, accountId: openAccount.id },
      ]),
    );
    expect(accepted.find((event) => event.data.contactId === created.id)?.actor).toEqual({
      kind: 'system',
      component: 'identity.self-registration',
    });
    // In each contact's access history, with the address the form came from.
    for (const [contactId, sourceIp] of [
      [created.id, freshAddress],
      [known.id, knownAddress],
    ] as const) {
      const entry = await auditEntryOf(
        `/admin/contacts/${contactId}/audit`,
        (candidate) => candidate.entity === 'access' && candidate.action === 'self-registration-accepted',
        'the accepted self-registration in the contact audit trail',
      );
      expect(entry).toMatchObject({
        entityId: contactId,
        accountId: openAccount.id,
        actor: { kind: 'system', component: 'identity.self-registration' },
        sourceIp,
      });
    }
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined));
  });

  it('answers a wrong invoice, a wrong code, a wrong account number, a disallowed class and the option off exactly as a match, and invites nobody', async () => {
    const reference = await register({
      email: `ref-${run}@open.test`,
      invoiceNumber: `INV-${run}-T0`,
      quickPayCode: `QP-${run}-T0`,
    });
    const misses: ActionParams<'identity.registerWithInvoice'>[] = [
      { email: `miss-1-${run}@open.test`, invoiceNumber: `INV-${run}-NOPE`, quickPayCode: `QP-${run}-1` },
      { email: `miss-2-${run}@open.test`, invoiceNumber: `INV-${run}-CODE`, quickPayCode: `QP-${run}-WRONG` },
      { email: `miss-3-${run}@open.test`, invoiceNumber: `INV-${run}-ACC`, accountNumber: `CLOSED-${run}` },
      { email: `miss-4-${run}@closed.test`, invoiceNumber: `INV-${run}-CLOSED`, quickPayCode: `QP-${run}-C` },
    ];
    for (const miss of misses) expect(JSON.stringify(await register(miss))).toBe(JSON.stringify(reference));
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined));
    await staffOk('PUT', '/admin/system-options', { selfRegistration: false });
    const optionOff = {
      email: `miss-5-${run}@open.test`,
      invoiceNumber: `INV-${run}-T1`,
      quickPayCode: `QP-${run}-T1`,
    };
    expect(JSON.stringify(await register(optionOff))).toBe(JSON.stringify(reference));
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined));
    await staffOk('PUT', '/admin/system-options', { selfRegistration: true });

    const emails = new Set([...misses, optionOff].map((miss) => miss.email));
    const contacts = [...(await contactsOf(openAccount.id)), ...(await contactsOf(closedAccount.id))];
    expect(contacts.filter((contact) => contact.email && emails.has(contact.email))).toEqual([]);
    // Only the reference attempt invited anyone.
    await mailboxOf(mailCatcher(), `ref-${run}@open.test`).waitForMessage({ subject: /login/, timeoutMs: 30_000 });
    for (const address of emails) expect(await messagesTo(address), address).toEqual([]);
  });

  it('limits attempts per invoice across addresses and per address across invoices (429 with retryAfterSeconds)', async () => {
    const invoiceNumber = `INV-${run}-LIMITED`;
    for (let i = 0; i < perInvoice; i += 1) {
      await register({ email: `limit-${i}-${run}@open.test`, invoiceNumber, accountNumber: 'X' });
    }
    const perInvoiceRefusal = await refusal(
      register({ email: `limit-x-${run}@open.test`, invoiceNumber, accountNumber: 'X' }),
    );
    expect(perInvoiceRefusal).toMatchObject({ type: 'REGISTRATION_RATE_LIMITED', code: 429 });
    expect((perInvoiceRefusal.data as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);

    const address = `${net}.3`;
    for (let i = 0; i < perAddress; i += 1) {
      await publicCall(
        'identity.registerWithInvoice',
        { email: `a-${i}-${run}@open.test`, invoiceNumber: `INV-A${i}-${run}`, accountNumber: 'X' },
        address,
      );
    }
    const perAddressRefusal = await refusal(
      publicCall(
        'identity.registerWithInvoice',
        { email: `a-x-${run}@open.test`, invoiceNumber: `INV-AX-${run}`, accountNumber: 'X' },
        address,
      ),
    );
    expect(perAddressRefusal).toMatchObject({ type: 'REGISTRATION_RATE_LIMITED', code: 429 });
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined));
  });

  it('takes as long to answer a match as a miss (timing report)', async () => {
    const matching: number[] = [];
    const missing: number[] = [];
    for (let i = 2; i < 24; i += 1) {
      const match = {
        email: `t-${i}-${run}@open.test`,
        invoiceNumber: `INV-${run}-T${i}`,
        quickPayCode: `QP-${run}-T${i}`,
      };
      const miss = { email: `m-${i}-${run}@open.test`, invoiceNumber: `INV-${run}-T${i}`, quickPayCode: 'WRONG-CODE' };
      // Alternate which goes first, so drift over the run does not favour one side.
      for (const [sample, params] of i % 2 === 0
        ? ([
            [matching, match],
            [missing, miss],
          ] as const)
        : ([
            [missing, miss],
            [matching, match],
          ] as const)) {
        const started = performance.now();
        await register(params);
        sample.push(performance.now() - started);
      }
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const quantile = (values: number[], q: number) => sorted(values)[Math.floor(q * (values.length - 1))]!;
    const summary = (values: number[]) => ({
      p10: quantile(values, 0.1).toFixed(2),
      median: quantile(values, 0.5).toFixed(2),
      p90: quantile(values, 0.9).toFixed(2),
    });
    const all = [...matching, ...missing];
    const spread = quantile(all, 0.9) - quantile(all, 0.1);
    const difference = Math.abs(quantile(matching, 0.5) - quantile(missing, 0.5));
    console.info(
      `[timing] registerWithInvoice over NATS, ${matching.length} matching / ${missing.length} missing: ` +
        `matching ${JSON.stringify(summary(matching))} ms, missing ${JSON.stringify(summary(missing))} ms, ` +
        `median difference ${difference.toFixed(2)} ms, p10–p90 spread ${spread.toFixed(2)} ms`,
    );
    // Not an absolute time: the two medians differ by less than the spread of all answers (or 2 ms).
    expect(difference).toBeLessThanOrEqual(Math.max(spread, 2));
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined), 60_000);
  });
});

describe("the public forms over HTTP (the gateway's /api/v1/public route)", () => {
  let counter = 0;
  const post = (path: string, body: unknown) =>
    fetch(`${system.gatewayUrl}/api/v1/public${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `${net}.${(counter += 1) + 10}` },
      body: JSON.stringify(body),
    });
  const seen = async (response: Response) => ({
    status: response.status,
    contentType: response.headers.get('content-type'),
    contentLength: response.headers.get('content-length'),
    retryAfter: response.headers.get('retry-after'),
    body: await response.text(),
  });

  it('answers a match and every kind of miss with the same status, headers and bytes, and a request while off with 403', async () => {
    await staffOk('PUT', '/admin/system-options', { selfRegistration: true, requestLoginButton: false });
    const match = await seen(
      await post('/self-registrations', {
        email: `http-${run}@open.test`,
        invoiceNumber: `INV-${run}-HTTP`,
        quickPayCode: `QP-${run}-H`,
      }),
    );
    expect(match.status).toBe(202);
    const misses = [
      { email: `http-1-${run}@open.test`, invoiceNumber: `INV-${run}-NOPE`, quickPayCode: `QP-${run}-H` },
      { email: `http-2-${run}@open.test`, invoiceNumber: `INV-${run}-HTTP`, quickPayCode: 'WRONG-CODE' },
      { email: `http-3-${run}@nowhere.test`, invoiceNumber: `INV-${run}-HTTP`, accountNumber: `CLOSED-${run}` },
      { email: `http-4-${run}@closed.test`, invoiceNumber: `INV-${run}-CLOSED`, quickPayCode: `QP-${run}-C` },
    ];
    for (const miss of misses) expect(await seen(await post('/self-registrations', miss))).toEqual(match);

    const off = await post('/access-requests', { name: 'Off Line', email: `off-${run}@prospect.test`, company: 'Off' });
    expect(off.status).toBe(403);
    expect(await off.json()).toMatchObject({ error: { code: 'ACCESS_REQUESTS_DISABLED' } });
    const contact = await eventually('the HTTP match to get its contact', async () =>
      (
        await staffOk<{ items: { id: string; email: string | null }[] }>(
          'GET',
          `/admin/accounts/${openAccount.id}/contacts?limit=100`,
        )
      ).items.find((item) => item.email === `http-${run}@open.test`),
    );
    await expectInvited(contact.id, `http-${run}@open.test`);
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined));
    for (const miss of misses) expect(await messagesTo(miss.email), miss.email).toEqual([]);
  });

  it('answers 429 with Retry-After once an invoice has had its attempts, from any address', async () => {
    const invoiceNumber = `INV-${run}-HTTP-LIMIT`;
    for (let i = 0; i < perInvoice; i += 1) {
      expect(
        (await post('/self-registrations', { email: `l-${i}-${run}@open.test`, invoiceNumber, accountNumber: 'X' }))
          .status,
      ).toBe(202);
    }
    const limited = await post('/self-registrations', {
      email: `l-x-${run}@open.test`,
      invoiceNumber,
      accountNumber: 'X',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'REGISTRATION_RATE_LIMITED' } });
    await eventually('the queue to drain', async () => ((await checksPending()) === 0 ? true : undefined));
  });
});
