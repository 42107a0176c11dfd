import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  IncomingQueueEntry,
  IncomingSubmittal,
  PortalIncomingSubmittal,
  PortalSubmittal,
  ReturnCode,
  ReturnCodeList,
  Submittal,
  UploadTicket,
} from '@portal/contracts';
import { call, createBroker, natsSettingsOf } from '@portal/kit';
import {
  apiClient,
  createTemporaryLogin,
  keycloakAdminOf,
  stackEnv,
  type ApiClient,
  type TemporaryLogin,
} from '@portal/testing';
import type moleculer from 'moleculer';
import { pdfBytes, putToTicket } from '../support/document-files.ts';
import { undocumentedErrors } from '../support/documented-errors.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Submittals end to end: real gateway, directory, documents and submittals processes, the S3
 * server reached by presigned URLs with a plain HTTP client, real clamd, real staff and portal
 * tokens. Staff send, contacts answer and send their own; the outbox holds every event.
 */
describe('submittals API', () => {
  let system: SystemUnderTest;
  let bus: moleculer.ServiceBroker;
  let staff: ApiClient;
  let contact: ApiClient;
  let outsider: ApiClient;
  let contactId: string;
  let db: pg.Client;
  const logins: TemporaryLogin[] = [];
  const run = randomUUID().slice(0, 6).toUpperCase();
  const ids: Record<string, string> = {};
  const env = stackEnv();

  const ok = async <Body>(method: string, path: string, body?: unknown, client = staff): Promise<Body> => {
    const answer = await client.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };
  const refused = async (
    client: ApiClient,
    method: string,
    path: string,
    body: unknown,
    status: number,
    code: string,
  ) => {
    const answer = await client.request(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
    expect(answer.body).toMatchObject({ error: { code } });
  };

  /** A clean staff version of a new document on the project: create, ticket, PUT, finalize. */
  async function staffVersion(projectId = ids.projectId, text = 'drawing') {
    const document = await ok<{ id: string }>('POST', '/admin/documents', {
      owner: { kind: 'project', id: projectId },
      title: `Drawing ${randomUUID().slice(0, 6)}`,
      fileTypeId: ids.fileTypeId,
    });
    const bytes = pdfBytes(text);
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${document.id}/uploads`, {
      fileName: `${text}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    const version = await ok<{ id: string; scanState: string }>(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      { sha256: sha256(bytes) },
    );
    expect(version.scanState).toBe('clean');
    return { versionId: version.id, bytes };
  }

  /** A contact's file for a project: the documents portal upload, PUT, finalize. */
  async function contactFile(client: ApiClient, projectId: string | undefined, name: string) {
    const bytes = pdfBytes(name);
    const ticket = await ok<UploadTicket>(
      'POST',
      `/portal/projects/${projectId ?? ''}/uploads`,
      { fileName: name, contentType: 'application/pdf', sizeBytes: bytes.length },
      client,
    );
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    const file = await ok<{ versionId: string; scanState: string; fileName: string }>(
      'POST',
      `/portal/projects/${projectId ?? ''}/uploads/${ticket.uploadId}/finalize`,
      { sha256: sha256(bytes) },
      client,
    );
    expect(file).toMatchObject({ scanState: 'clean', fileName: name });
    return file.versionId;
  }

  async function sentSubmittal(fields: Record<string, unknown> = {}) {
    const { versionId, bytes } = await staffVersion();
    const draft = await ok<Submittal>('POST', '/admin/submittals', {
      projectId: ids.projectId,
      purpose: 'for-approval',
      title: `Shop drawings ${randomUUID().slice(0, 4)}`,
      message: 'Please review.',
      versionIds: [versionId],
      dueDate: isoDate(7),
      expectedReturnDate: isoDate(14),
      notifyByEmail: true,
      ...fields,
    });
    expect(draft.status).toBe('draft');
    const sent = await ok<Submittal>('POST', `/admin/submittals/${draft.id}/send`);
    expect(sent.status).toBe('sent');
    return { submittal: sent, versionId, bytes };
  }

  async function enabledContact(accountId: string, prefix: string) {
    const login = await createTemporaryLogin(keycloakAdminOf(env), 'portal', { usernamePrefix: prefix });
    logins.push(login);
    const id = (
      await ok<{ id: string }>('POST', `/admin/accounts/${accountId}/contacts`, {
        firstName: 'Sam',
        lastName: `Submittals ${run}`,
        email: login.username,
      })
    ).id;
    await call(bus, 'directory.applyAccessTransition', { contactId: id, to: 'enabled', identityUserId: login.subject });
    const token = await login.accessToken();
    return { id, client: apiClient(system.gatewayUrl, () => token) };
  }

  const outboxTypes = async (key: string, value: string) =>
    (
      await db.query<{ type: string }>(
        `select type from submittals.outbox where envelope->'data'->>'${key}' = $1 order by created_at`,
        [value],
      )
    ).rows.map((row) => row.type);

  beforeAll(async () => {
    const namespace = `e2e-submittals-${randomUUID().slice(0, 8)}`;
    system = await startServices(['directory', 'documents', 'submittals', 'gateway'], {
      MOLECULER_NAMESPACE: namespace,
      SUBMITTALS_SWEEP_INTERVAL_MS: '200',
    });
    bus = createBroker({ nodeID: `e2e-bus-${run}`, ...natsSettingsOf(env), namespace, logLevel: 'warn' });
    await bus.start();
    await bus.waitForServices(['directory', 'submittals'], 10_000);
    const adminToken = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => adminToken);
    db = new pg.Client({ connectionString: env.SUBMITTALS_DATABASE_URL });
    await db.connect();

    const account = await ok<{ id: string }>('POST', '/admin/accounts', { number: `SUB-${run}`, name: `Subs ${run}` });
    ids.accountId = account.id;
    const project = (fields: Record<string, unknown>) =>
      ok<{ id: string }>('POST', `/admin/accounts/${account.id}/projects`, fields);
    ids.projectId = (await project({ code: 'P1', name: 'Plant' })).id;
    ids.hiddenProjectId = (await project({ code: 'P2', name: 'Secret', hidden: true })).id;
    ids.fileTypeId = (
      await ok<{ id: string }>('POST', '/admin/file-types', {
        code: `sub-drawings-${run.toLowerCase()}`,
        name: `Submittal drawings ${run}`,
        customerVisible: false,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 64 * 1024,
      })
    ).id;
    const other = await ok<{ id: string }>('POST', '/admin/accounts', { number: `SUBX-${run}`, name: `Other ${run}` });
    ids.otherAccountId = other.id;
    ids.otherProjectId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${other.id}/projects`, { code: 'X1', name: 'Elsewhere' })
    ).id;

    const mine = await enabledContact(account.id, 'e2e-subs');
    contactId = mine.id;
    contact = mine.client;
    outsider = (await enabledContact(other.id, 'e2e-subs-x')).client;
  });

  afterAll(async () => {
    for (const login of logins) await login.remove();
    await db?.end();
    await bus?.stop();
    await system?.stop();
  });

  it('sends a submittal the contact sees, downloads and returns "Approved as noted" with a marked-up file', async () => {
    const codes = await ok<ReturnCodeList>('GET', `/admin/accounts/${ids.accountId}/return-codes`);
    expect(codes.isDefault).toBe(true);
    expect(codes.codes.map((c: ReturnCode) => `${c.code} ${c.label} ${c.stageComplete}`)).toEqual([
      'A Approved true',
      'B Approved as noted true',
      'C Revise and resubmit false',
      'D Rejected false',
      'E For information true',
    ]);

    const { submittal, versionId, bytes } = await sentSubmittal();
    expect(submittal).toMatchObject({ number: 'T-0001', revision: 0, previousRevisionId: null, overdue: false });
    expect(submittal.files).toEqual([expect.objectContaining({ versionId, fileName: 'drawing.pdf' })]);

    const listed = await ok<{ items: PortalSubmittal[] }>('GET', '/portal/submittals', undefined, contact);
    expect(listed.items.map((s) => s.id)).toContain(submittal.id);
    const shown = await ok<PortalSubmittal & { returnCodes: ReturnCode[] }>(
      'GET',
      `/portal/submittals/${submittal.id}`,
      undefined,
      contact,
    );
    expect(shown).toMatchObject({ status: 'sent', number: 'T-0001', purpose: 'for-approval' });
    expect(shown.returnCodes).toHaveLength(5);

    // The file type is not customer-visible: the submittal itself shares its files.
    const link = await ok<{ url: string; fileName: string }>(
      'POST',
      `/portal/submittals/${submittal.id}/files/${versionId}/download`,
      undefined,
      contact,
    );
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    const log = await ok<{ items: { contactId: string | null; versionId: string }[] }>(
      'GET',
      `/admin/downloads?contactId=${contactId}`,
    );
    expect(log.items.map((entry) => entry.versionId)).toContain(versionId);

    const markup = await contactFile(contact, ids.projectId, 'markup.pdf');
    const answered = await ok<PortalSubmittal>(
      'POST',
      `/portal/submittals/${submittal.id}/response`,
      { code: 'B', comments: 'See the notes on sheet 2.', markupVersionIds: [markup] },
      contact,
    );
    expect(answered.status).toBe('returned');
    expect(answered.response).toMatchObject({
      code: 'B',
      label: 'Approved as noted',
      stageComplete: true,
      contactId,
      markupFiles: [expect.objectContaining({ versionId: markup, fileName: 'markup.pdf' })],
    });
    await refused(
      contact,
      'POST',
      `/portal/submittals/${submittal.id}/response`,
      { code: 'A' },
      422,
      'SUBMITTAL_WRONG_STATUS',
    );
    const seen = await ok<Submittal>('GET', `/admin/submittals/${submittal.id}`);
    expect(seen.status).toBe('returned');
    await refused(staff, 'POST', `/admin/submittals/${submittal.id}/revisions`, undefined, 422, 'REVISION_NOT_ALLOWED');
    expect(await outboxTypes('submittalId', submittal.id)).toEqual([
      'submittals.submittal.sent',
      'submittals.submittal.returned',
    ]);
    const [sent] = (
      await db.query<{ envelope: { data: Record<string, unknown>; actor: unknown } }>(
        "select envelope from submittals.outbox where type = 'submittals.submittal.sent' and envelope->'data'->>'submittalId' = $1",
        [submittal.id],
      )
    ).rows;
    expect(sent?.envelope.data).toMatchObject({
      notifyByEmail: true,
      projectId: ids.projectId,
      accountId: ids.accountId,
      number: 'T-0001',
      revision: 0,
    });
    ids.approvedId = submittal.id;
  });

  it('a code outside the list is refused; "Revise and resubmit" leads to a linked next revision', async () => {
    const { submittal } = await sentSubmittal();
    expect(submittal.number).toBe('T-0002');
    await refused(
      contact,
      'POST',
      `/portal/submittals/${submittal.id}/response`,
      { code: 'Z' },
      422,
      'RETURN_CODE_UNKNOWN',
    );
    const answered = await ok<PortalSubmittal>(
      'POST',
      `/portal/submittals/${submittal.id}/response`,
      { code: 'C', comments: 'Dimensions missing.' },
      contact,
    );
    expect(answered.response).toMatchObject({ code: 'C', stageComplete: false });
    const next = await ok<Submittal>('POST', `/admin/submittals/${submittal.id}/revisions`);
    expect(next).toMatchObject({
      number: 'T-0002',
      revision: 1,
      previousRevisionId: submittal.id,
      status: 'draft',
      title: submittal.title,
    });
    const previous = await ok<Submittal>('GET', `/admin/submittals/${submittal.id}`);
    expect(previous).toMatchObject({ status: 'closed', nextRevisionId: next.id });
    await refused(staff, 'POST', `/admin/submittals/${submittal.id}/revisions`, undefined, 422, 'REVISION_NOT_ALLOWED');
    // The draft is not in the portal until it is sent.
    await refused(contact, 'GET', `/portal/submittals/${next.id}`, undefined, 404, 'SUBMITTAL_NOT_FOUND');
    const sent = await ok<Submittal>('POST', `/admin/submittals/${next.id}/send`);
    expect(sent).toMatchObject({ status: 'sent', number: 'T-0002', revision: 1 });

    // An account's own list replaces the default; a reset brings it back.
    const own = await ok<ReturnCodeList>('PUT', `/admin/accounts/${ids.accountId}/return-codes`, {
      codes: [
        { code: '1', label: 'No comments', stageComplete: true },
        { code: '2', label: 'Comments, resubmit', stageComplete: false },
      ],
    });
    expect(own.isDefault).toBe(false);
    await refused(contact, 'POST', `/portal/submittals/${next.id}/response`, { code: 'A' }, 422, 'RETURN_CODE_UNKNOWN');
    await ok('POST', `/portal/submittals/${next.id}/response`, { code: '2' }, contact);
    expect((await ok<ReturnCodeList>('POST', `/admin/accounts/${ids.accountId}/return-codes/reset`)).isDefault).toBe(
      true,
    );
    await refused(
      staff,
      'PUT',
      `/admin/accounts/${ids.accountId}/return-codes`,
      {
        codes: [
          { code: 'A', label: 'One', stageComplete: true },
          { code: 'A', label: 'Two', stageComplete: true },
        ],
      },
      400,
      'VALIDATION_FAILED',
    );
  });

  it("records a replace and a reset of an account's return codes in its audit trail, with the lists before and after", async () => {
    const account = await ok<{ id: string }>('POST', '/admin/accounts', { number: `RC-${run}`, name: `Codes ${run}` });
    const codesPath = `/admin/accounts/${account.id}/return-codes`;
    const defaults = (await ok<ReturnCodeList>('GET', codesPath)).codes;
    const withF: ReturnCode[] = [...defaults, { code: 'F', label: 'Void by customer', stageComplete: false }];

    const replaced = await staff.request<ReturnCodeList>('PUT', codesPath, { body: { codes: withF } });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body).toMatchObject({ isDefault: false, codes: withF });
    const reset = await staff.request<ReturnCodeList>('POST', `${codesPath}/reset`, {});
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ isDefault: true, codes: defaults });
    // Resetting a list already on the default changes nothing, so nothing is recorded.
    await ok('POST', `${codesPath}/reset`);
    // A repeated code is refused at the row that repeats it, so a form can show it there.
    const repeated = await staff.request('PUT', codesPath, {
      body: { codes: [withF[0], { ...withF[1], code: 'A' }] },
    });
    expect(repeated.status).toBe(400);
    expect(repeated.body).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: [{ path: 'codes.1.code', message: expect.stringContaining('A is') }],
      },
    });

    expect(await outboxTypes('accountId', account.id)).toEqual([
      'submittals.return-codes.changed',
      'submittals.return-codes.changed',
    ]);
    // The directory's consumer writes them into the account's trail, newest first.
    const trail = async () =>
      (await ok<{ items: AuditEntry[] }>('GET', `/admin/accounts/${account.id}/audit?limit=100`)).items.filter(
        (entry) => entry.entity === 'return-codes',
      );
    await expect.poll(async () => (await trail()).length, { timeout: 20_000, interval: 250 }).toBe(2);
    const staffActor = { kind: 'staff', userId: expect.any(String) };
    expect(await trail()).toEqual([
      expect.objectContaining({
        entity: 'return-codes',
        entityId: account.id,
        accountId: account.id,
        action: 'return-codes-reset',
        actor: staffActor,
        requestId: reset.headers.get('x-request-id'),
        changes: { codes: { from: withF, to: defaults }, defaultList: { from: false, to: true } },
      }),
      expect.objectContaining({
        entity: 'return-codes',
        entityId: account.id,
        accountId: account.id,
        action: 'return-codes-changed',
        actor: staffActor,
        requestId: replaced.headers.get('x-request-id'),
        changes: { codes: { from: defaults, to: withF }, defaultList: { from: true, to: false } },
      }),
    ]);
    expect(replaced.headers.get('x-request-id')).toBeTruthy();
  });

  it("answers 404 to another account's contact, for a hidden project and for drafts and voided ones", async () => {
    const { submittal, versionId } = await sentSubmittal();
    await refused(outsider, 'GET', `/portal/submittals/${submittal.id}`, undefined, 404, 'SUBMITTAL_NOT_FOUND');
    await refused(
      outsider,
      'POST',
      `/portal/submittals/${submittal.id}/files/${versionId}/download`,
      undefined,
      404,
      'SUBMITTAL_NOT_FOUND',
    );
    await refused(
      outsider,
      'POST',
      `/portal/submittals/${submittal.id}/response`,
      { code: 'A' },
      404,
      'SUBMITTAL_NOT_FOUND',
    );
    const theirs = await ok<{ items: PortalSubmittal[] }>('GET', '/portal/submittals', undefined, outsider);
    expect(theirs.items).toEqual([]);
    await refused(
      contact,
      'GET',
      `/portal/submittals?projectId=${ids.otherProjectId}`,
      undefined,
      404,
      'SUBMITTAL_PROJECT_NOT_FOUND',
    );
    // A file that is not the submittal's.
    const { versionId: stray } = await staffVersion();
    await refused(
      contact,
      'POST',
      `/portal/submittals/${submittal.id}/files/${stray}/download`,
      undefined,
      404,
      'SUBMITTAL_FILE_NOT_FOUND',
    );

    const { versionId: hiddenVersion } = await staffVersion(ids.hiddenProjectId, 'hidden');
    const hidden = await ok<Submittal>('POST', '/admin/submittals', {
      projectId: ids.hiddenProjectId,
      purpose: 'for-review',
      title: 'Hidden',
      versionIds: [hiddenVersion],
    });
    expect(hidden.number).toBe('T-0001');
    await ok('POST', `/admin/submittals/${hidden.id}/send`);
    await refused(contact, 'GET', `/portal/submittals/${hidden.id}`, undefined, 404, 'SUBMITTAL_NOT_FOUND');
    const mine = await ok<{ items: PortalSubmittal[] }>('GET', '/portal/submittals?limit=100', undefined, contact);
    expect(mine.items.map((s) => s.id)).not.toContain(hidden.id);

    // Voided after sending: it leaves the portal; a staff version of another account cannot be attached.
    await ok('POST', `/admin/submittals/${submittal.id}/void`);
    await refused(contact, 'GET', `/portal/submittals/${submittal.id}`, undefined, 404, 'SUBMITTAL_NOT_FOUND');
    await refused(staff, 'POST', `/admin/submittals/${submittal.id}/send`, undefined, 422, 'SUBMITTAL_WRONG_STATUS');
    expect(await outboxTypes('submittalId', submittal.id)).toEqual([
      'submittals.submittal.sent',
      'submittals.submittal.voided',
    ]);
    const foreign = await ok<{ id: string }>('POST', '/admin/documents', {
      owner: { kind: 'project', id: ids.otherProjectId },
      title: 'Foreign',
      fileTypeId: ids.fileTypeId,
    });
    expect(foreign.id).toBeTruthy();
    await refused(
      staff,
      'POST',
      '/admin/submittals',
      { projectId: ids.otherProjectId, purpose: 'for-review', title: 'Mixed', versionIds: [versionId] },
      422,
      'VERSIONS_NOT_USABLE',
    );
    const empty = await ok<Submittal>('POST', '/admin/submittals', {
      projectId: ids.projectId,
      purpose: 'as-requested',
      title: 'Empty',
    });
    await refused(staff, 'POST', `/admin/submittals/${empty.id}/send`, undefined, 422, 'SUBMITTAL_HAS_NO_FILES');
    await refused(
      staff,
      'POST',
      '/admin/submittals',
      { projectId: randomUUID(), purpose: 'for-review', title: 'Nowhere' },
      404,
      'SUBMITTAL_PROJECT_NOT_FOUND',
    );
  });

  it('takes in a contact\'s submittal: the queue counts it, "Files from customer" shows it, processing empties the queue', async () => {
    const letter = await contactFile(contact, ids.projectId, 'transmittal-letter.pdf');
    const drawing = await contactFile(contact, ids.projectId, 'as-built.pdf');
    // Not the contact's to send: another account's contact, a hidden project, a staff file.
    await refused(
      outsider,
      'POST',
      `/portal/projects/${ids.projectId}/uploads`,
      { fileName: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10 },
      404,
      'OWNER_NOT_FOUND',
    );
    await refused(
      contact,
      'POST',
      `/portal/projects/${ids.hiddenProjectId}/uploads`,
      { fileName: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10 },
      404,
      'OWNER_NOT_FOUND',
    );
    await refused(
      outsider,
      'POST',
      `/portal/projects/${ids.projectId}/incoming-submittals`,
      { transmittalNumber: 'X', files: [{ versionId: letter }] },
      404,
      'SUBMITTAL_PROJECT_NOT_FOUND',
    );
    const { versionId: staffFile } = await staffVersion();
    await refused(
      contact,
      'POST',
      `/portal/projects/${ids.projectId}/incoming-submittals`,
      { transmittalNumber: 'X', files: [{ versionId: staffFile }] },
      422,
      'VERSIONS_NOT_USABLE',
    );

    const created = await ok<PortalIncomingSubmittal>(
      'POST',
      `/portal/projects/${ids.projectId}/incoming-submittals`,
      {
        transmittalNumber: `CUST-${run}`,
        note: 'As-built set.',
        files: [{ versionId: letter, isLetter: true }, { versionId: drawing }],
      },
      contact,
    );
    expect(created).toMatchObject({
      status: 'unprocessed',
      transmittalNumber: `CUST-${run}`,
      projectId: ids.projectId,
    });
    expect(created.files.map((f) => [f.fileName, f.isLetter])).toEqual([
      ['transmittal-letter.pdf', true],
      ['as-built.pdf', false],
    ]);
    await refused(
      outsider,
      'GET',
      `/portal/incoming-submittals/${created.id}`,
      undefined,
      404,
      'INCOMING_SUBMITTAL_NOT_FOUND',
    );

    const queue = await ok<{ items: IncomingQueueEntry[] }>(
      'GET',
      `/admin/incoming-submittal-queue?accountId=${ids.accountId}`,
    );
    expect(queue.items).toEqual([expect.objectContaining({ projectId: ids.projectId, unprocessedCount: 1 })]);
    const fromCustomer = await ok<{ items: IncomingSubmittal[] }>(
      'GET',
      `/admin/projects/${ids.projectId}/incoming-submittals`,
    );
    expect(fromCustomer.items).toEqual([expect.objectContaining({ id: created.id, contactId, status: 'unprocessed' })]);

    const processed = await ok<IncomingSubmittal>('POST', `/admin/incoming-submittals/${created.id}/process`);
    expect(processed).toMatchObject({
      status: 'processed',
      processedBy: expect.any(String),
      processedAt: expect.any(String),
    });
    const again = await ok<IncomingSubmittal>('POST', `/admin/incoming-submittals/${created.id}/process`);
    expect(again.processedAt).toBe(processed.processedAt);
    const after = await ok<{ items: IncomingQueueEntry[] }>(
      'GET',
      `/admin/incoming-submittal-queue?accountId=${ids.accountId}`,
    );
    expect(after.items).toEqual([]);
    const mine = await ok<{ items: PortalIncomingSubmittal[] }>(
      'GET',
      '/portal/incoming-submittals',
      undefined,
      contact,
    );
    expect(mine.items).toEqual([expect.objectContaining({ id: created.id, status: 'processed' })]);
    expect(await outboxTypes('incomingSubmittalId', created.id)).toEqual([
      'submittals.submittal.received',
      'submittals.submittal.processed',
    ]);
  });

  it('reports a sent submittal past its expected-return date overdue, with exactly one event', async () => {
    const { submittal } = await sentSubmittal({ expectedReturnDate: isoDate(-1) });
    expect(submittal.overdue).toBe(true);
    const deadline = Date.now() + 10_000;
    while ((await outboxTypes('submittalId', submittal.id)).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Several more sweeps (every 200 ms) and a forced one change nothing.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await call(bus, 'submittals.sweepOverdueSubmittals', {})).toEqual({ overdue: 0 });
    expect(await outboxTypes('submittalId', submittal.id)).toEqual([
      'submittals.submittal.sent',
      'submittals.submittal.overdue',
    ]);
    const listed = await ok<{ items: Submittal[] }>('GET', `/admin/submittals?projectId=${ids.projectId}&overdue=true`);
    expect(listed.items.map((s) => s.id)).toEqual([submittal.id]);
    const portal = await ok<PortalSubmittal>('GET', `/portal/submittals/${submittal.id}`, undefined, contact);
    expect(portal.overdue).toBe(true);
  });

  it('pages the staff list newest first without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Submittal[]; nextCursor: string | null } = await ok(
        'GET',
        `/admin/submittals?accountId=${ids.accountId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(7);
  });

  it('answers every error with a documented code and never a 5xx', async () => {
    const document = await fetch(`${system.gatewayUrl}/api/v1/openapi.json`).then((r) => r.json());
    expect(
      undocumentedErrors(document as never, [...staff.answered, ...contact.answered, ...outsider.answered]),
    ).toEqual([]);
    const all = [...staff.answered, ...contact.answered, ...outsider.answered];
    expect(all.filter((answer) => answer.status >= 500)).toEqual([]);
  });
});
