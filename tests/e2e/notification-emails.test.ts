import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type moleculer from 'moleculer';
import type { DocumentRequest, EmailLogEntry, EmailPreference, Submittal, UploadTicket } from '@portal/contracts';
import { call, createBroker, natsSettingsOf } from '@portal/kit';
import {
  apiClient,
  createTemporaryLogin,
  freePort,
  keycloakAdminOf,
  linksIn,
  mailboxOf,
  requireStackVar,
  stackEnv,
  type ApiClient,
  type CapturedMessage,
  type TemporaryLogin,
} from '@portal/testing';
import { pdfBytes, putToTicket } from '../support/document-files.ts';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';
import { tokenFor } from './support/system-under-test.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

/**
 * E-mail for events end to end: real gateway, identity, directory, documents, submittals and
 * notifications processes; the mails read from the SMTP capture (`MAIL_CATCHER_URL`) as the
 * recipient would find them. Preferences through both audiences' APIs, the digest through the
 * internal `notifications.sendDigests` (the sweep's action), the unsubscribe link POSTed as a mail
 * client does for `List-Unsubscribe-Post` (the RFC 8058 form).
 */
describe('notification e-mails', () => {
  let system: ServiceSystem;
  let publicUrl: string;
  let bus: moleculer.ServiceBroker;
  let staff: ApiClient;
  let viewer: ApiClient;
  let contact: ApiClient;
  let contactEmail: string;
  const logins: TemporaryLogin[] = [];
  const run = randomUUID().slice(0, 6).toUpperCase();
  const ids: Record<string, string> = {};
  const env = stackEnv();
  const staffEmail = 'admin@staff.test';
  const mailbox = (address: string) => mailboxOf(requireStackVar('MAIL_CATCHER_URL'), address);

  const ok = async <Body>(method: string, path: string, body?: unknown, client = staff): Promise<Body> => {
    const answer = await client.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };

  async function sentSubmittal(
    notifyByEmail: boolean,
    expectedReturnDate = isoDate(14),
    projectId = ids.projectId,
  ): Promise<Submittal> {
    const document = await ok<{ id: string }>('POST', '/admin/documents', {
      owner: { kind: 'project', id: projectId },
      title: `Drawing ${randomUUID().slice(0, 6)}`,
      fileTypeId: ids.fileTypeId,
    });
    const bytes = pdfBytes('drawing');
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${document.id}/uploads`, {
      fileName: 'drawing.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    const version = await ok<{ id: string }>(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      { sha256: sha256(bytes) },
    );
    const draft = await ok<Submittal>('POST', '/admin/submittals', {
      projectId,
      purpose: 'for-approval',
      title: `Shop drawings ${randomUUID().slice(0, 4)}`,
      versionIds: [version.id],
      expectedReturnDate,
      notifyByEmail,
    });
    return ok<Submittal>('POST', `/admin/submittals/${draft.id}/send`);
  }

  const requestDocument = (title: string) =>
    ok<DocumentRequest>('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: ids.projectId },
      title,
      fileTypeId: ids.requestFileTypeId,
      requestedFromContactIds: [ids.contactId],
    });

  /** The contact's mails whose subject contains `text`. */
  const contactMails = async (text: string) =>
    (await mailbox(contactEmail).messages()).filter((mail) => mail.subject.includes(text));
  const waitForMail = (address: string, text: string) =>
    eventually(`an e-mail to ${address} about "${text}"`, async () =>
      (await mailbox(address).messages()).find((mail) => mail.subject.includes(text)),
    );

  const contactLog = async (status?: string) =>
    (
      await ok<{ items: EmailLogEntry[] }>(
        'GET',
        `/admin/email-log?limit=100&recipient=${encodeURIComponent(contactEmail)}${status ? `&status=${status}` : ''}`,
      )
    ).items;

  const unsubscribeUrlOf = (mail: CapturedMessage) => {
    const header = mail.headers?.['list-unsubscribe'] ?? '';
    return /^<([^>]+)>$/.exec(header)?.[1] ?? '';
  };

  beforeAll(async () => {
    const namespace = `e2e-mail-${randomUUID().slice(0, 8)}`;
    const gatewayPort = await freePort();
    publicUrl = `http://127.0.0.1:${gatewayPort}`;
    system = await startServiceSystem({
      stack: env,
      entries: ['gateway', 'identity', 'directory', 'documents', 'submittals', 'notifications'],
      namespacePrefix: 'e2e-mail',
      gatewayPort,
      env: { MOLECULER_NAMESPACE: namespace, PORTAL_PUBLIC_URL: publicUrl, S3_BUCKET: `mail-e2e-${run.toLowerCase()}` },
    });
    bus = createBroker({ nodeID: `e2e-mail-bus-${run}`, ...natsSettingsOf(env), namespace, logLevel: 'warn' });
    await bus.start();
    await bus.waitForServices(['directory', 'notifications'], 10_000);
    const adminToken = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => adminToken);
    const viewerToken = await tokenFor('staffViewer');
    viewer = apiClient(system.gatewayUrl, () => viewerToken);

    const account = await ok<{ id: string }>('POST', '/admin/accounts', { number: `MAIL-${run}`, name: `Mail ${run}` });
    ids.accountId = account.id;
    ids.projectId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${account.id}/projects`, { code: 'P1', name: 'Plant' })
    ).id;
    const fileType = (code: string, customerVisible: boolean) =>
      ok<{ id: string }>('POST', '/admin/file-types', {
        code: `${code}-${run.toLowerCase()}`,
        name: `${code} ${run}`,
        customerVisible,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 64 * 1024,
      });
    ids.fileTypeId = (await fileType('mail-drawings', false)).id;
    ids.requestFileTypeId = (await fileType('mail-answers', true)).id;

    const login = await createTemporaryLogin(keycloakAdminOf(env), 'portal', { usernamePrefix: 'e2e-mail' });
    logins.push(login);
    contactEmail = login.username.toLowerCase();
    ids.contactId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${account.id}/contacts`, {
        firstName: 'Mia',
        lastName: `Mail ${run}`,
        email: login.username,
      })
    ).id;
    await call(bus, 'directory.applyAccessTransition', {
      contactId: ids.contactId,
      to: 'enabled',
      identityUserId: login.subject,
    });
    const contactToken = await login.accessToken();
    contact = apiClient(system.gatewayUrl, () => contactToken);
    // The seeded staff admin wants staff e-mails at once (an earlier run, or the fuzzer, may have changed it).
    await ok('PUT', '/admin/notification-preferences', {
      preferences: (['submittal.returned', 'submittal.received', 'submittal.overdue'] as const).map((eventType) => ({
        eventType,
        delivery: 'immediately',
      })),
    });
  }, 180_000);

  afterAll(async () => {
    for (const login of logins) await login.remove();
    await bus?.stop();
    await system?.stop();
  });

  it('mails the contact once about a submittal sent with notify on, with a link to it and one-click unsubscribe headers; nothing with notify off', async () => {
    const quiet = await sentSubmittal(false);
    const loud = await sentSubmittal(true);
    const mail = await waitForMail(contactEmail, loud.number);
    ids.loudSubmittalId = loud.id;
    expect(mail.subject).toBe(`Submittal ${loud.number} rev ${loud.revision}: ${loud.title}`);
    expect(linksIn(mail)).toContain(`${publicUrl}/portal/submittals/${loud.id}`);
    expect(mail.text).toContain(`Open it: ${publicUrl}/portal/submittals/${loud.id}`);
    expect(mail.text.split('\n')[0]).toBe('Customer Portal');

    // The header: the API's one-click URL for mail clients; the body: the portal's landing page, same token.
    const unsubscribe = unsubscribeUrlOf(mail);
    expect(unsubscribe).toMatch(new RegExp(`^${publicUrl}/api/v1/public/unsubscribe/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    expect(mail.headers?.['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const token = unsubscribe.split('/').at(-1) ?? '';
    expect(linksIn(mail)).toContain(`${publicUrl}/portal/unsubscribe/${token}`);
    expect(linksIn(mail)).not.toContain(unsubscribe);
    ids.submittalUnsubscribeUrl = unsubscribe;

    // Events are applied in order: once the later one is mailed, the earlier one was decided.
    expect(await contactMails(quiet.number)).toEqual([]);
    await sleep(1_000);
    expect(await contactMails(loud.number)).toHaveLength(1);
    const logged = (await contactLog()).filter((entry) => entry.subject.includes(loud.number));
    expect(logged).toMatchObject([{ status: 'sent', template: 'submittal-sent', eventType: 'submittal.sent' }]);
  });

  it('mails staff when the contact returns the submittal, linking to the admin screen', async () => {
    const since = new Date();
    const answered = await ok<Submittal>(
      'POST',
      `/portal/submittals/${ids.loudSubmittalId}/response`,
      { code: 'B', comments: 'See sheet 2.' },
      contact,
    );
    // The seeded staff address collects mail of earlier runs too, whose submittal numbers repeat.
    const mail = await mailbox(staffEmail).waitForMessage({
      subject: new RegExp(`${answered.number} rev ${answered.revision} returned`),
      since,
      timeoutMs: 20_000,
    });
    expect(mail.subject).toMatch(/returned: Approved as noted$/);
    expect(linksIn(mail)).toContain(`${publicUrl}/admin/submittals/${ids.loudSubmittalId}`);
    expect(mail.headers?.['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it("mails a document request to the requested contact, linking to the portal's requests", async () => {
    const title = `Insurance certificate ${run}`;
    await requestDocument(title);
    const mail = await waitForMail(contactEmail, title);
    expect(mail.subject).toBe(`Document requested: ${title}`);
    expect(linksIn(mail)).toContain(`${publicUrl}/portal/requests`);
  });

  it('holds messages for a daily-digest preference and sends one digest with both after the sweep', async () => {
    const preferences = await ok<{ items: EmailPreference[] }>(
      'PUT',
      '/portal/notification-preferences',
      {
        preferences: [
          { eventType: 'submittal.sent', delivery: 'daily-digest' },
          { eventType: 'document-request.created', delivery: 'daily-digest' },
        ],
      },
      contact,
    );
    expect(preferences.items).toContainEqual({ eventType: 'submittal.sent', delivery: 'daily-digest' });
    expect(preferences.items).toContainEqual({ eventType: 'submittal.returned', delivery: 'immediately' });

    const submittal = await sentSubmittal(true);
    const title = `Site induction ${run}`;
    await requestDocument(title);
    const held = await eventually('two held messages', async () => {
      const items = await contactLog('held');
      return items.length >= 2 ? items : undefined;
    });
    expect(held.map((entry) => entry.eventType).sort()).toEqual(['document-request.created', 'submittal.sent']);
    expect(await contactMails(submittal.number)).toEqual([]);
    expect(await contactMails(title)).toEqual([]);

    expect(await call(bus, 'notifications.sendDigests', {})).toMatchObject({ messages: 2 });
    const digest = await waitForMail(contactEmail, 'digest');
    expect(digest.subject).toBe('Your Customer Portal digest: 2 update(s)');
    expect(digest.text).toContain(`Hello Mia Mail ${run},`);
    expect(digest.text).toContain(`Submittal ${submittal.number} rev ${submittal.revision}`);
    expect(digest.text).toContain(`Document requested: ${title}`);
    expect(linksIn(digest)).toContain(`${publicUrl}/portal/submittals/${submittal.id}`);
    expect(digest.headers?.['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(await contactLog('held')).toEqual([]);
    // A second sweep has nothing left to send.
    expect(await call(bus, 'notifications.sendDigests', {})).toMatchObject({ messages: 0 });
    expect((await mailbox(contactEmail).messages()).filter((mail) => mail.subject.includes('digest'))).toHaveLength(1);
  });

  it('turns an event type off with the one-click link (no login), after which that e-mail is not sent', async () => {
    await ok(
      'PUT',
      '/portal/notification-preferences',
      {
        preferences: [
          { eventType: 'submittal.sent', delivery: 'immediately' },
          { eventType: 'document-request.created', delivery: 'immediately' },
        ],
      },
      contact,
    );
    const url = ids.submittalUnsubscribeUrl ?? '';
    const described = await fetch(url);
    expect(described.status).toBe(200);
    expect(await described.json()).toMatchObject({ eventTypes: ['submittal.sent'] });

    // The signature's last character changed: the HMAC no longer matches.
    const tampered = `${url.slice(0, -1)}${url.endsWith('A') ? 'B' : 'A'}`;
    const refused = await fetch(tampered, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNSUBSCRIBE_TOKEN_INVALID' } });

    // As a mail client does for `List-Unsubscribe-Post` (RFC 8058): the one-click form, no login.
    const oneClick = { 'content-type': 'application/x-www-form-urlencoded' };
    const wrongForm = await fetch(url, { method: 'POST', headers: oneClick, body: 'List-Unsubscribe=Later' });
    expect(wrongForm.status).toBe(400);
    const answer = await fetch(url, { method: 'POST', headers: oneClick, body: 'List-Unsubscribe=One-Click' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      eventTypes: ['submittal.sent'],
      message: 'You will no longer receive e-mails about submittals sent to you.',
      audience: 'contact',
    });
    const mine = await ok<{ items: EmailPreference[] }>('GET', '/portal/notification-preferences', undefined, contact);
    expect(mine.items).toContainEqual({ eventType: 'submittal.sent', delivery: 'off' });
    expect(mine.items).toContainEqual({ eventType: 'document-request.created', delivery: 'immediately' });

    const silenced = await sentSubmittal(true);
    const sentinel = `Delivery note ${run}`;
    await requestDocument(sentinel);
    await waitForMail(contactEmail, sentinel);
    expect(await contactMails(silenced.number)).toEqual([]);
    const suppressed = await eventually('the suppressed entry', async () =>
      (await contactLog('suppressed')).find((entry) => entry.subject.includes(silenced.number)),
    );
    expect(suppressed).toMatchObject({ eventType: 'submittal.sent', sentAt: null });
  });

  it('renders any template with sample data for the preview; staff-only, by permission', async () => {
    const list = await ok<{ items: { name: string; overridden: boolean }[] }>('GET', '/admin/email-templates');
    expect(list.items.map((item) => item.name)).toEqual(
      expect.arrayContaining(['submittal-sent', 'submittal-returned', 'document-request-created', 'digest']),
    );
    const preview = await ok<{ subject: string; text: string; html: string }>(
      'POST',
      '/admin/email-templates/submittal-sent/preview',
      { data: { number: `PV-${run}` } },
    );
    expect(preview.subject).toBe(`Submittal PV-${run} rev 1: Structural drawings, level 2`);
    expect(preview.html).toContain('<!doctype html>');
    expect(preview.text).toContain('Unsubscribe from these e-mails:');
    const missing = await staff.request('POST', '/admin/email-templates/no-such-template/preview', { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'EMAIL_TEMPLATE_NOT_FOUND' } });
    expect((await viewer.request('GET', '/admin/email-templates')).status).toBe(403);
    expect((await viewer.request('GET', '/admin/email-log')).status).toBe(403);
  });

  it('lists each message with its status in the e-mail log', async () => {
    const statuses = new Set((await contactLog()).map((entry) => entry.status));
    expect([...statuses].sort()).toEqual(['sent', 'suppressed']);
    const all = await contactLog();
    expect(all.find((entry) => entry.template === 'digest')).toMatchObject({
      status: 'sent',
      recipientKind: 'contact',
    });
    expect(all.every((entry) => entry.recipientId === ids.contactId)).toBe(true);
    const firstPage = await ok<{ items: EmailLogEntry[]; nextCursor: string | null }>(
      'GET',
      `/admin/email-log?limit=2&recipient=${encodeURIComponent(contactEmail)}`,
    );
    expect(firstPage.items).toHaveLength(2);
    const next = await ok<{ items: EmailLogEntry[] }>(
      'GET',
      `/admin/email-log?limit=2&recipient=${encodeURIComponent(contactEmail)}&cursor=${firstPage.nextCursor}`,
    );
    expect(next.items[0]?.id).not.toBe(firstPage.items[0]?.id);
    expect(next.items.map((entry) => entry.id)).not.toContain(firstPage.items[1]?.id);
  });

  it("mails staff about an overdue submittal and about a customer's incoming submittal, linking to each", async () => {
    const since = new Date();
    const late = await sentSubmittal(false, isoDate(-1));
    await call(bus, 'submittals.sweepOverdueSubmittals', {});
    const overdue = await mailbox(staffEmail).waitForMessage({
      subject: new RegExp(`^Overdue: submittal ${late.number} rev ${late.revision}$`),
      since,
      timeoutMs: 20_000,
    });
    expect(linksIn(overdue)).toContain(`${publicUrl}/admin/submittals/${late.id}`);

    const bytes = pdfBytes('letter');
    const ticket = await ok<UploadTicket>(
      'POST',
      `/portal/projects/${ids.projectId}/uploads`,
      { fileName: 'letter.pdf', contentType: 'application/pdf', sizeBytes: bytes.length },
      contact,
    );
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    const file = await ok<{ versionId: string }>(
      'POST',
      `/portal/projects/${ids.projectId}/uploads/${ticket.uploadId}/finalize`,
      { sha256: sha256(bytes) },
      contact,
    );
    const incoming = await ok<{ id: string }>(
      'POST',
      `/portal/projects/${ids.projectId}/incoming-submittals`,
      { transmittalNumber: `CUST-${run}`, files: [{ versionId: file.versionId, isLetter: true }] },
      contact,
    );
    const received = await mailbox(staffEmail).waitForMessage({
      subject: new RegExp(`^Incoming submittal CUST-${run} from a customer$`),
      since,
      timeoutMs: 20_000,
    });
    expect(received.text).toContain('with 1 file(s)');
    expect(linksIn(received)).toContain(`${publicUrl}/admin/incoming-submittals/${incoming.id}`);
  });

  it("mails a consolidated account's contact about a submittal sent on a member account's project, and rings its bell", async () => {
    // The group's contact is enabled with the default scope (all sites and projects): it sees its
    // members' projects, so the submittal's e-mail and bell reach it as they reach the member's contacts.
    const group = await ok<{ id: string }>('POST', '/admin/accounts', {
      number: `MAIL-G-${run}`,
      name: `Mail group ${run}`,
      kind: 'consolidated',
    });
    const memberProject = await ok<{ id: string }>('POST', `/admin/accounts/${ids.accountId}/projects`, {
      code: 'P2',
      name: 'Annex',
    });
    await ok('PATCH', `/admin/accounts/${ids.accountId}`, { consolidatedAccountId: group.id });
    const login = await createTemporaryLogin(keycloakAdminOf(env), 'portal', { usernamePrefix: 'e2e-mail-group' });
    logins.push(login);
    const groupContact = await ok<{ id: string }>('POST', `/admin/accounts/${group.id}/contacts`, {
      firstName: 'Gus',
      lastName: `Group ${run}`,
      email: login.username,
    });
    await call(bus, 'directory.applyAccessTransition', {
      contactId: groupContact.id,
      to: 'enabled',
      identityUserId: login.subject,
    });
    expect(await call(bus, 'directory.listContactsSeeingProject', { projectId: memberProject.id })).toMatchObject({
      contactIds: expect.arrayContaining([groupContact.id]),
    });

    const submittal = await sentSubmittal(true, isoDate(14), memberProject.id);
    const groupAddress = login.username.toLowerCase();
    const mail = await waitForMail(groupAddress, submittal.number);
    expect(mail.subject).toBe(`Submittal ${submittal.number} rev ${submittal.revision}: ${submittal.title}`);
    expect(linksIn(mail)).toContain(`${publicUrl}/portal/submittals/${submittal.id}`);
    const groupToken = await login.accessToken();
    const groupPortal = apiClient(system.gatewayUrl, () => groupToken);
    // The link lands: the group's contact opens the member's submittal in the portal.
    const opened = await groupPortal.request<Submittal>('GET', `/portal/submittals/${submittal.id}`);
    expect(opened.status, opened.text).toBe(200);
    const bell = await eventually('the group contact’s notification', async () => {
      const page = await ok<{ items: { title: string; link: string }[] }>(
        'GET',
        '/portal/notifications',
        undefined,
        groupPortal,
      );
      return page.items.find((item) => item.title.includes(submittal.number));
    });
    expect(bell.link).toBe(`/portal/submittals/${submittal.id}`);
  });
});
