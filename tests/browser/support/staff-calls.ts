import { expect } from 'vitest';
import type { UploadTicket } from '@portal/contracts';
import { devAccessToken } from '@portal/deploy/local/dev-logins';
import { apiClient } from '@portal/testing';
import { pdfBytes, putToTicket } from '../../support/document-files.ts';

export type StaffLogin = 'staffAdmin' | 'staffManager';

/**
 * The staff API as a browser test arranges its data through it: each call with a fresh token of a
 * dev login (the admin unless told), and a refused call fails the test with the API's answer.
 * `gatewayUrl` is read at each call, since the test's system starts after the suite is declared.
 */
export function staffCaller(gatewayUrl: () => string, keycloakUrl: string) {
  return async function staffCall<Body>(
    method: string,
    path: string,
    body?: unknown,
    login: StaffLogin = 'staffAdmin',
  ): Promise<Body> {
    const token = await devAccessToken(keycloakUrl, login);
    const answer = await apiClient(gatewayUrl(), () => token).request<Body>(
      method,
      path,
      body === undefined ? {} : { body },
    );
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };
}

export type StaffCall = ReturnType<typeof staffCaller>;

/**
 * A document on a project with a PDF uploaded the way the admin UI does it (upload ticket, PUT to
 * the object store, finalize), returned once clamd has passed it: submittals take clean versions only.
 * A plain loop, not expect.poll: suites call this in beforeAll.
 */
export async function cleanProjectDocument(
  staffCall: StaffCall,
  document: { projectId: string; fileTypeId: string; title: string; fileName?: string },
): Promise<{ documentId: string; versionId: string; bytes: Buffer }> {
  const created = await staffCall<{ id: string }>('POST', '/admin/documents', {
    owner: { kind: 'project', id: document.projectId },
    title: document.title,
    fileTypeId: document.fileTypeId,
  });
  const bytes = pdfBytes(document.title);
  const ticket = await staffCall<UploadTicket>('POST', `/admin/documents/${created.id}/uploads`, {
    fileName: document.fileName ?? `${document.title}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: bytes.length,
  });
  expect((await putToTicket(ticket, bytes)).status).toBe(200);
  const version = await staffCall<{ id: string }>(
    'POST',
    `/admin/documents/${created.id}/uploads/${ticket.uploadId}/finalize`,
    {},
  );
  const deadline = Date.now() + 30_000;
  const currentVersionId = async () =>
    (await staffCall<{ currentVersion: { id: string } | null }>('GET', `/admin/documents/${created.id}`)).currentVersion
      ?.id;
  while ((await currentVersionId()) !== version.id) {
    if (Date.now() > deadline) throw new Error(`document ${created.id} has no clean version after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { documentId: created.id, versionId: version.id, bytes };
}
