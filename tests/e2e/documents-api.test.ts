import { createHash, randomUUID } from 'node:crypto';
import { Client as MinioClient } from 'minio';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document, DocumentRequest, DocumentVersion, DownloadLogEntry, UploadTicket } from '@portal/contracts';
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
import { eicarBytes, elfBytes, pdfBytes, putToTicket } from '../support/document-files.ts';
import { undocumentedErrors } from '../support/documented-errors.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Documents end to end: real gateway, directory and documents processes, a real S3 server reached
 * by presigned URLs with a plain HTTP client (and inspected with the `minio` client), real clamd,
 * real staff and portal tokens. Files never pass through the gateway.
 */
describe('documents API', () => {
  let system: SystemUnderTest;
  let bus: moleculer.ServiceBroker;
  let staff: ApiClient;
  let contact: ApiClient;
  let contactId: string;
  let db: pg.Client;
  let s3: MinioClient;
  const logins: TemporaryLogin[] = [];
  const run = randomUUID().slice(0, 6).toUpperCase();
  const ids: Record<string, string> = {};
  const env = stackEnv();
  const bucket = `docs-e2e-${run.toLowerCase()}`;

  const ok = async <Body>(method: string, path: string, body?: unknown, client = staff): Promise<Body> => {
    const answer = await client.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };

  /** Staff upload: ticket → PUT by plain HTTP → finalize; the finalize answer. */
  async function uploadVersion(documentId: string, bytes: Buffer, fileName: string, contentType: string) {
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${documentId}/uploads`, {
      fileName,
      contentType,
      sizeBytes: bytes.length,
    });
    const put = await putToTicket(ticket, bytes);
    expect(put.status, await put.clone().text()).toBe(200);
    return staff.request<DocumentVersion>(
      'POST',
      `/admin/documents/${documentId}/uploads/${ticket.uploadId}/finalize`,
      {
        body: { sha256: sha256(bytes) },
      },
    );
  }

  async function newDocument(
    fields: Partial<{ owner: { kind: string; id: string }; fileTypeId: string; sharing: string }> = {},
  ) {
    return ok<Document>('POST', '/admin/documents', {
      owner: { kind: 'project', id: ids.projectId },
      title: `Doc ${randomUUID().slice(0, 6)}`,
      fileTypeId: ids.visibleType,
      ...fields,
    });
  }

  beforeAll(async () => {
    const namespace = `e2e-documents-${randomUUID().slice(0, 8)}`;
    system = await startServices(['directory', 'documents', 'gateway'], {
      MOLECULER_NAMESPACE: namespace,
      S3_BUCKET: bucket,
      DOCUMENTS_SWEEP_INTERVAL_MS: '300',
    });
    bus = createBroker({ nodeID: `e2e-bus-${run}`, ...natsSettingsOf(env), namespace, logLevel: 'warn' });
    await bus.start();
    await bus.waitForServices(['directory'], 10_000);
    const adminToken = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => adminToken);
    db = new pg.Client({ connectionString: env.DOCUMENTS_DATABASE_URL });
    await db.connect();
    const endpoint = new URL(env.S3_ENDPOINT ?? '');
    s3 = new MinioClient({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: false,
      accessKey: env.S3_ACCESS_KEY ?? '',
      secretKey: env.S3_SECRET_KEY ?? '',
      region: env.S3_REGION ?? 'us-east-1',
      pathStyle: true,
    });

    const account = await ok<{ id: string }>('POST', '/admin/accounts', { number: `DOC-${run}`, name: `Docs ${run}` });
    ids.accountId = account.id;
    ids.projectId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${account.id}/projects`, { code: 'P1', name: 'Plant' })
    ).id;
    ids.visibleType = (
      await ok<{ id: string }>('POST', '/admin/file-types', {
        code: `drawings-${run.toLowerCase()}`,
        name: `Drawings ${run}`,
        customerVisible: true,
        allowedContentTypes: ['application/pdf', 'text/plain'],
        maxSizeBytes: 64 * 1024,
      })
    ).id;

    const login = await createTemporaryLogin(keycloakAdminOf(env), 'portal', { usernamePrefix: 'e2e-docs' });
    logins.push(login);
    contactId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${account.id}/contacts`, {
        firstName: 'Dora',
        lastName: `Docs ${run}`,
        email: login.username,
      })
    ).id;
    await call(bus, 'directory.applyAccessTransition', { contactId, to: 'enabled', identityUserId: login.subject });
    const contactToken = await login.accessToken();
    contact = apiClient(system.gatewayUrl, () => contactToken);
  });

  afterAll(async () => {
    for (const login of logins) await login.remove();
    await db?.end();
    await bus?.stop();
    await system?.stop();
  });

  it('moves a file in and out through presigned URLs only: stored as sent, downloaded as an attachment', async () => {
    const document = await newDocument();
    const bytes = pdfBytes('first');
    const finalized = await uploadVersion(document.id, bytes, 'Plant layout.pdf', 'application/pdf');
    expect(finalized.status, finalized.text).toBe(200);
    expect(finalized.body).toMatchObject({
      number: 1,
      fileName: 'Plant layout.pdf',
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      contentType: 'application/pdf',
      scanState: 'clean',
    });
    // What the S3 server holds, read with the minio client: exactly the bytes sent.
    const objects: Buffer[] = [];
    for await (const chunk of await s3.getObject(bucket, `versions/${finalized.body.id}`))
      objects.push(chunk as Buffer);
    expect(sha256(Buffer.concat(objects))).toBe(sha256(bytes));

    const shown = await ok<Document>('GET', `/admin/documents/${document.id}`);
    expect(shown.currentVersion?.id).toBe(finalized.body.id);

    const link = await ok<{ url: string; fileName: string }>(
      'POST',
      `/admin/documents/${document.id}/versions/${finalized.body.id}/download`,
    );
    expect(new URL(link.url).origin).toBe(new URL(env.S3_ENDPOINT ?? '').origin);
    const download = await fetch(link.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment; filename="Plant layout.pdf"');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    ids.documentId = document.id;
    ids.versionId = finalized.body.id;
  });

  it('refuses a PUT whose body is not the declared size, and a tampered presigned URL', async () => {
    const document = await newDocument();
    const bytes = pdfBytes('declared');
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${document.id}/uploads`, {
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    const longer = Buffer.concat([bytes, Buffer.from('and more')]);
    // content-length is signed: a bigger body (with its true length) does not match the signature.
    expect(
      (await putToTicket(ticket, longer, { ...ticket.headers, 'content-length': String(longer.length) })).status,
    ).toBe(403);
    expect((await putToTicket(ticket, bytes, { ...ticket.headers, 'content-type': 'application/zip' })).status).toBe(
      403,
    );
    const tampered = ticket.url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`,
    );
    expect((await fetch(tampered, { method: 'PUT', headers: ticket.headers, body: bytes })).status).toBe(403);
    const otherKey = ticket.url.replace(`versions/${ticket.uploadId}`, `versions/${randomUUID()}`);
    expect((await fetch(otherKey, { method: 'PUT', headers: ticket.headers, body: bytes })).status).toBe(403);
    // Nothing arrived, so finalize says so and nothing is listed.
    const finalize = await staff.request(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      {
        body: {},
      },
    );
    expect(finalize.status).toBe(422);
    expect(finalize.body).toMatchObject({ error: { code: 'UPLOAD_MISSING' } });
    expect((await ok<Document>('GET', `/admin/documents/${document.id}`)).latestVersion).toBeNull();
  });

  it('keeps file type codes unique', async () => {
    const again = await staff.request('POST', '/admin/file-types', {
      body: {
        code: `drawings-${run.toLowerCase()}`,
        name: 'Another',
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 10,
      },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'FILE_TYPE_CODE_TAKEN' } });
  });

  it('refuses an oversize or undeclared kind of file before issuing a URL', async () => {
    const document = await newDocument();
    const tooLarge = await staff.request('POST', `/admin/documents/${document.id}/uploads`, {
      body: { fileName: 'big.pdf', contentType: 'application/pdf', sizeBytes: 64 * 1024 + 1 },
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ error: { code: 'FILE_TOO_LARGE' } });
    const wrongKind = await staff.request('POST', `/admin/documents/${document.id}/uploads`, {
      body: { fileName: 'a.png', contentType: 'image/png', sizeBytes: 10 },
    });
    expect(wrongKind.status).toBe(415);
    expect(wrongKind.body).toMatchObject({ error: { code: 'CONTENT_TYPE_NOT_ALLOWED' } });
  });

  it('deletes an executable named .pdf at finalize and never lists it', async () => {
    const document = await newDocument();
    const bytes = elfBytes();
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${document.id}/uploads`, {
      fileName: 'report.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    const finalize = await staff.request(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      {
        body: {},
      },
    );
    expect(finalize.status).toBe(415);
    expect(finalize.body).toMatchObject({
      error: { code: 'CONTENT_MISMATCH', details: { declared: 'application/pdf', detected: 'application/x-elf' } },
    });
    await expect(s3.statObject(bucket, `versions/${ticket.uploadId}`)).rejects.toMatchObject({ code: 'NotFound' });
    const again = await staff.request('POST', `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`, {
      body: {},
    });
    expect(again.status).toBe(404);
    expect((await ok<Document>('GET', `/admin/documents/${document.id}`)).latestVersion).toBeNull();
  });

  it('refuses a file whose SHA-256 is not the one the client computed', async () => {
    const document = await newDocument();
    const bytes = pdfBytes('checksum');
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${document.id}/uploads`, {
      fileName: 'c.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    await putToTicket(ticket, bytes);
    const finalize = await staff.request(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      {
        body: { sha256: sha256(Buffer.from('something else')) },
      },
    );
    expect(finalize.status).toBe(422);
    expect(finalize.body).toMatchObject({ error: { code: 'UPLOAD_CHECKSUM_MISMATCH' } });
  });

  it('keeps only the last part of a traversal name and drops bidi tricks; a name of nothing usable is refused', async () => {
    const document = await newDocument();
    const traversal = await uploadVersion(document.id, pdfBytes('t'), '../../etc/passwd.pdf', 'application/pdf');
    expect(traversal.body.fileName).toBe('passwd.pdf');
    const bidi = await uploadVersion(document.id, pdfBytes('b'), 'invoice\u202Efdp.exe.pdf', 'application/pdf');
    expect(bidi.body.fileName).toBe('invoicefdp.exe.pdf');
    const windows = await uploadVersion(document.id, pdfBytes('w'), 'C:\\Users\\x\\Q3 "final".pdf', 'application/pdf');
    expect(windows.body.fileName).toBe('Q3 _final_.pdf');
    const nothing = await staff.request('POST', `/admin/documents/${document.id}/uploads`, {
      body: { fileName: '../\u202E\u200B', contentType: 'application/pdf', sizeBytes: 10 },
    });
    expect(nothing.status).toBe(400);
    expect(nothing.body).toMatchObject({ error: { code: 'FILE_NAME_INVALID' } });
    const link = await ok<{ url: string }>('POST', `/admin/documents/${document.id}/versions/${bidi.body.id}/download`);
    const disposition = (await fetch(link.url)).headers.get('content-disposition') ?? '';
    expect(disposition).not.toMatch(/[\u202e\u200b]/);
    expect(disposition).toContain("filename*=UTF-8''invoicefdp.exe.pdf");
  });

  it('quarantines the EICAR file: never current, never downloadable, never in the portal', async () => {
    const document = await newDocument();
    const infected = await uploadVersion(document.id, eicarBytes(), 'eicar.txt', 'text/plain');
    expect(infected.status, infected.text).toBe(200);
    expect(infected.body).toMatchObject({ scanState: 'infected', scanSignature: expect.stringContaining('EICAR') });
    const shown = await ok<Document>('GET', `/admin/documents/${document.id}`);
    expect(shown.currentVersion).toBeNull();
    expect(shown.latestVersion?.scanState).toBe('infected');
    const download = await staff.request(
      'POST',
      `/admin/documents/${document.id}/versions/${infected.body.id}/download`,
    );
    expect(download.status).toBe(422);
    expect(download.body).toMatchObject({ error: { code: 'VERSION_QUARANTINED' } });
    expect((await contact.request('GET', `/portal/documents/${document.id}`)).status).toBe(404);
    const portalDownload = await contact.request(
      'POST',
      `/portal/documents/${document.id}/versions/${infected.body.id}/download`,
    );
    expect(portalDownload.status).toBe(404);
    const events = await db.query<{ type: string }>(
      "select type from documents.outbox where type = 'documents.version.quarantined' and envelope->'data'->>'versionId' = $1",
      [infected.body.id],
    );
    expect(events.rowCount).toBe(1);
  });

  it('deletes an upload never finalized once its URL has expired, and never lists it', async () => {
    const document = await newDocument();
    const bytes = pdfBytes('abandoned');
    const ticket = await ok<UploadTicket>('POST', `/admin/documents/${document.id}/uploads`, {
      fileName: 'abandoned.pdf',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    expect((await s3.statObject(bucket, `versions/${ticket.uploadId}`)).size).toBe(bytes.length);
    expect((await ok<Document>('GET', `/admin/documents/${document.id}`)).latestVersion).toBeNull();
    // Its URL can no longer be used: what the passing of time would do.
    await db.query("update documents.upload set expires_at = now() - interval '2 minutes' where id = $1", [
      ticket.uploadId,
    ]);
    await expect
      .poll(
        () =>
          s3.statObject(bucket, `versions/${ticket.uploadId}`).then(
            () => 'present',
            () => 'gone',
          ),
        { timeout: 10_000 },
      )
      .toBe('gone');
    const finalize = await staff.request(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      {
        body: {},
      },
    );
    expect(finalize.status).toBe(422);
    expect(finalize.body).toMatchObject({ error: { code: 'UPLOAD_EXPIRED' } });
  });

  it('shows the contact the document, lets it download, and logs staff and contact downloads with actor, time and address', async () => {
    const list = await ok<{ items: { id: string }[] }>('GET', '/portal/documents', undefined, contact);
    expect(list.items.map((item) => item.id)).toContain(ids.documentId);
    const link = await ok<{ url: string; fileName: string }>(
      'POST',
      `/portal/documents/${ids.documentId}/versions/${ids.versionId}/download`,
      undefined,
      contact,
    );
    expect(link.fileName).toBe('Plant layout.pdf');
    expect((await fetch(link.url)).status).toBe(200);

    const log = await ok<{ items: DownloadLogEntry[] }>('GET', `/admin/downloads?documentId=${ids.documentId}`);
    expect(log.items).toHaveLength(2);
    const [byContact, byStaff] = log.items;
    expect(byContact).toMatchObject({ actorKind: 'contact', contactId, staffUserId: null, versionNumber: 1 });
    expect(byStaff).toMatchObject({ actorKind: 'staff', contactId: null, staffUserId: expect.any(String) });
    for (const entry of log.items) {
      expect(entry.sourceAddress).toMatch(/127\.0\.0\.1|::1/);
      expect(Date.now() - Date.parse(entry.downloadedAt)).toBeLessThan(120_000);
    }
    const perContact = await ok<{ items: DownloadLogEntry[] }>('GET', `/admin/downloads?contactId=${contactId}`);
    expect(perContact.items.map((entry) => entry.id)).toEqual([byContact?.id]);
    const csv = await staff.request('GET', `/admin/downloads/export?documentId=${ids.documentId}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toContain('downloaded_at,document_title,version,who');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`contact,,${contactId}`);
  });

  it('lets staff request a document that the contact answers by upload; the request shows the version', async () => {
    const request = await ok<DocumentRequest>('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: ids.projectId },
      title: 'Signed delivery note',
      instructions: 'Please sign and upload.',
      fileTypeId: ids.visibleType,
      requestedFromContactIds: [contactId],
      dueDate: '2027-01-15',
    });
    expect(request.status).toBe('open');
    const open = await ok<{ items: { id: string }[] }>('GET', '/portal/document-requests', undefined, contact);
    expect(open.items.map((item) => item.id)).toContain(request.id);

    const bytes = pdfBytes('signed');
    const ticket = await ok<UploadTicket>(
      'POST',
      `/portal/document-requests/${request.id}/uploads`,
      { fileName: 'signed.pdf', contentType: 'application/pdf', sizeBytes: bytes.length },
      contact,
    );
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    const answered = await ok<{ status: string; fulfilledVersion: { fileName: string } | null }>(
      'POST',
      `/portal/document-requests/${request.id}/uploads/${ticket.uploadId}/finalize`,
      {},
      contact,
    );
    expect(answered).toMatchObject({ status: 'fulfilled', fulfilledVersion: { fileName: 'signed.pdf' } });

    const seen = await ok<DocumentRequest>('GET', `/admin/document-requests/${request.id}`);
    expect(seen).toMatchObject({ status: 'fulfilled', fulfilledByContactId: contactId });
    expect(seen.fulfilledVersion?.sha256).toBe(sha256(bytes));
    const again = await contact.request('POST', `/portal/document-requests/${request.id}/uploads`, {
      body: { fileName: 'again.pdf', contentType: 'application/pdf', sizeBytes: 10 },
    });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: { code: 'DOCUMENT_REQUEST_CLOSED' } });
    const events = await db.query<{ type: string }>(
      `select type from documents.outbox where envelope->'data'->>'requestId' = $1 order by created_at`,
      [request.id],
    );
    expect(events.rows.map((row) => row.type)).toEqual(['documents.request.created', 'documents.request.fulfilled']);
  });

  it("writes who changed a document's sharing or a file type's visibility into the audit trail, and the portal follows", async () => {
    const type = await ok<{ id: string }>('POST', '/admin/file-types', {
      code: `audited-${run.toLowerCase()}`,
      name: `Audited ${run}`,
      customerVisible: true,
      allowedContentTypes: ['application/pdf'],
      maxSizeBytes: 64 * 1024,
    });
    const document = await newDocument({ fileTypeId: type.id });
    await uploadVersion(document.id, pdfBytes('audited'), 'audited.pdf', 'application/pdf');
    const portalSees = async () => (await contact.request('GET', `/portal/documents/${document.id}`)).status;
    expect(await portalSees()).toBe(200);

    await ok('PATCH', `/admin/documents/${document.id}`, { sharing: 'contacts', sharedWithContactIds: [contactId] });
    expect(await portalSees()).toBe(200);
    await ok('PATCH', `/admin/documents/${document.id}`, { sharing: 'internal' });
    expect(await portalSees()).toBe(404);
    await ok('PATCH', `/admin/documents/${document.id}`, { sharing: 'by-file-type' });
    await ok('PATCH', `/admin/file-types/${type.id}`, { customerVisible: false });
    expect(await portalSees()).toBe(404);

    type Entry = {
      entity: string;
      entityId: string;
      action: string;
      actor: { kind: string };
      changes: Record<string, { from: unknown; to: unknown }>;
    };
    const trailOf = async () =>
      (await ok<{ items: Entry[] }>('GET', `/admin/accounts/${ids.accountId}/audit?limit=100`)).items.filter(
        (entry) => entry.entityId === document.id,
      );
    await expect.poll(async () => (await trailOf()).length, { timeout: 10_000 }).toBe(4);
    const trail = (await trailOf()).reverse();
    expect(trail.map((entry) => entry.action)).toEqual([
      'created',
      'sharing-changed',
      'sharing-changed',
      'sharing-changed',
    ]);
    expect(trail[1]?.changes).toMatchObject({
      sharing: { from: 'by-file-type', to: 'contacts' },
      sharedWithContactIds: { from: [], to: [contactId] },
    });
    expect(trail[2]?.changes.sharing).toEqual({ from: 'contacts', to: 'internal' });
    expect(trail.every((entry) => entry.entity === 'document' && entry.actor.kind === 'staff')).toBe(true);
    const directoryDb = new pg.Client({ connectionString: env.DIRECTORY_DATABASE_URL });
    await directoryDb.connect();
    try {
      await expect
        .poll(
          async () =>
            (
              await directoryDb.query<{ changes: Record<string, { from: unknown; to: unknown }> }>(
                "select changes from directory.audit_entry where entity = 'file-type' and entity_id = $1 order by occurred_at",
                [type.id],
              )
            ).rows.map((row) => row.changes.customerVisible),
          { timeout: 10_000 },
        )
        .toEqual([
          { from: null, to: true },
          { from: true, to: false },
        ]);
    } finally {
      await directoryDb.end();
    }
  });

  it('answers every error with a documented code and never a 5xx', async () => {
    const document = await fetch(`${system.gatewayUrl}/api/v1/openapi.json`).then((r) => r.json());
    expect(undocumentedErrors(document as never, [...staff.answered, ...contact.answered])).toEqual([]);
  });
});
