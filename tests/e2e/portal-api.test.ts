import { randomUUID } from 'node:crypto';
import type moleculer from 'moleculer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionContracts, type HttpBinding, type UploadTicket } from '@portal/contracts';
import { call, createBroker, natsSettingsOf } from '@portal/kit';
import {
  apiClient,
  createTemporaryLogin,
  keycloakAdminOf,
  stackEnv,
  type ApiClient,
  type TemporaryLogin,
} from '@portal/testing';
import { pdfBytes, putToTicket } from '../support/document-files.ts';
import { undocumentedErrors } from '../support/documented-errors.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

const validBodies: Record<string, unknown> = {
  'documents.startRequestUpload': { fileName: 'a.pdf', contentType: 'application/pdf', sizeBytes: 10 },
  'documents.startProjectUpload': { fileName: 'a.pdf', contentType: 'application/pdf', sizeBytes: 10 },
  'submittals.respondToSubmittal': { code: 'A' },
  'submittals.createIncomingSubmittal': { transmittalNumber: 'X-1', files: [{ versionId: randomUUID() }] },
};

type JsonSchema = { properties?: Record<string, { format?: string; anyOf?: { format?: string }[] }> };

/** Every portal route, with the params that carry an id (a uuid in the path or the query). */
const portalRoutes = Object.entries(actionContracts).flatMap(([action, contract]) => {
  const binding = 'http' in contract ? (contract.http as HttpBinding | undefined) : undefined;
  if (binding?.audience !== 'portal') return [];
  const input = z.toJSONSchema(contract.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const idParams = Object.entries(input.properties ?? {})
    .filter(([, schema]) => schema.format === 'uuid' || schema.anyOf?.some((member) => member.format === 'uuid'))
    .map(([name]) => name);
  return [{ action, binding, idParams }];
});

/**
 * The portal API end to end: real directory and gateway processes, real portal tokens of logins
 * linked to directory contacts. A contact sees what the one visibility rule lets it see, and an id
 * of another customer's account answers exactly like an id that does not exist, on every portal
 * route the contracts declare.
 */
describe('portal API', () => {
  let system: SystemUnderTest;
  let bus: moleculer.ServiceBroker;
  let staff: ApiClient;
  const logins: TemporaryLogin[] = [];
  const portal: Record<'customer' | 'consolidated' | 'unlinked', ApiClient> = {} as never;
  /** Ids of account A (the contact's) and of account B (another customer's). */
  const ids = { a: {} as Record<string, string>, b: {} as Record<string, string> };
  const run = randomUUID().slice(0, 6).toUpperCase();

  const made = async (path: string, body: unknown): Promise<Record<string, string>> => {
    const answer = await staff.request<Record<string, string>>('POST', path, { body });
    expect(answer.status, answer.text).toBe(201);
    return answer.body;
  };

  /** A contact in `accountId` linked to a fresh portal login with enabled access; its API client. */
  async function portalContactIn(accountId: string): Promise<{ client: ApiClient; contactId: string }> {
    const login = await createTemporaryLogin(keycloakAdminOf(stackEnv()), 'portal', { usernamePrefix: 'e2e-portal' });
    logins.push(login);
    const contact = await made(`/admin/accounts/${accountId}/contacts`, {
      firstName: 'Pia',
      lastName: `Portal ${run}`,
      email: login.username,
    });
    // Until identity enables access, the link is what identity would write: the login's subject.
    await call(bus, 'directory.applyAccessTransition', {
      contactId: contact.id ?? '',
      to: 'enabled',
      identityUserId: login.subject,
    });
    const token = await login.accessToken();
    return { client: apiClient(system.gatewayUrl, () => token), contactId: contact.id ?? '' };
  }

  /** A visible document with a clean version, and an open request naming the contact, on the side's project. */
  async function documentsOf(side: 'a' | 'b', contactId: string): Promise<void> {
    const owner = { kind: 'project', id: ids[side].projectId };
    const fileTypeId =
      ids.a.fileTypeId ??
      (
        await made('/admin/file-types', {
          code: `portal-api-${run.toLowerCase()}`,
          name: `Portal API ${run}`,
          customerVisible: true,
          allowedContentTypes: ['application/pdf'],
          maxSizeBytes: 1024 * 1024,
        })
      ).id;
    ids.a.fileTypeId = fileTypeId ?? '';
    const document = await made('/admin/documents', { owner, title: `Doc ${side}`, fileTypeId });
    const bytes = pdfBytes(side);
    const ticket = await made(`/admin/documents/${document.id}/uploads`, {
      fileName: `${side}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
    });
    expect((await putToTicket(ticket as unknown as UploadTicket, bytes)).status).toBe(200);
    const version = await staff.request<{ id: string }>(
      'POST',
      `/admin/documents/${document.id}/uploads/${ticket.uploadId}/finalize`,
      { body: {} },
    );
    expect(version.status, version.text).toBe(200);
    const request = await made('/admin/document-requests', {
      owner,
      title: `Request ${side}`,
      fileTypeId,
      requestedFromContactIds: [contactId],
    });
    Object.assign(ids[side], { documentId: document.id, versionId: version.body.id, requestId: request.id });
    // A sent submittal with that version on the project.
    const submittal = await made('/admin/submittals', {
      projectId: ids[side].projectId,
      purpose: 'for-approval',
      title: `Submittal ${side}`,
      versionIds: [version.body.id],
    });
    const sent = await staff.request('POST', `/admin/submittals/${submittal.id}/send`);
    expect(sent.status, sent.text).toBe(200);
    ids[side].submittalId = submittal.id ?? '';
    // No upload is pending: routes with an upload id in the path still need one to be routed.
    ids[side].uploadId = randomUUID();
  }

  beforeAll(async () => {
    const namespace = `e2e-portal-${randomUUID().slice(0, 8)}`;
    system = await startServices(['directory', 'documents', 'submittals', 'notifications', 'gateway'], {
      MOLECULER_NAMESPACE: namespace,
    });
    bus = createBroker({ nodeID: `e2e-bus-${run}`, ...natsSettingsOf(stackEnv()), namespace, logLevel: 'warn' });
    await bus.start();
    await bus.waitForServices(['directory'], 10_000);
    const adminToken = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => adminToken);

    for (const side of ['a', 'b'] as const) {
      const account = await made('/admin/accounts', { number: `PORTAL-${side}-${run}`, name: `Portal ${side} ${run}` });
      ids[side].accountId = account.id ?? '';
      ids[side].siteId = (await made(`/admin/accounts/${account.id}/sites`, { code: 'S1', name: 'Site' })).id ?? '';
      ids[side].projectId =
        (await made(`/admin/accounts/${account.id}/projects`, { code: 'P1', name: 'Alpha' })).id ?? '';
      ids[side].hiddenProjectId =
        (await made(`/admin/accounts/${account.id}/projects`, { code: 'P2', name: 'Hidden' })).id ?? '';
      const hide = await staff.request('PATCH', `/admin/projects/${ids[side].hiddenProjectId}`, {
        body: { hidden: true },
      });
      expect(hide.status, hide.text).toBe(200);
    }
    const group = await made('/admin/accounts', {
      number: `PORTAL-G-${run}`,
      name: `Group ${run}`,
      kind: 'consolidated',
    });
    const member = await staff.request('PATCH', `/admin/accounts/${ids.b.accountId}`, {
      body: { consolidatedAccountId: group.id },
    });
    expect(member.status, member.text).toBe(200);
    ids.b.groupId = group.id ?? '';

    const customer = await portalContactIn(ids.a.accountId ?? '');
    portal.customer = customer.client;
    await documentsOf('a', customer.contactId);
    const otherContact = await made(`/admin/accounts/${ids.b.accountId}/contacts`, { firstName: 'Bo', lastName: run });
    await documentsOf('b', otherContact.id ?? '');
    portal.consolidated = (await portalContactIn(group.id ?? '')).client;
    const stranger = await createTemporaryLogin(keycloakAdminOf(stackEnv()), 'portal', { usernamePrefix: 'e2e-none' });
    logins.push(stranger);
    const strangerToken = await stranger.accessToken();
    portal.unlinked = apiClient(system.gatewayUrl, () => strangerToken);
  });

  afterAll(async () => {
    for (const login of logins) await login.remove();
    await bus?.stop();
    await system?.stop();
  });

  it('shows a contact the visible projects of its own account only', async () => {
    const page = await portal.customer.request<{ items: { id: string; accountId: string }[]; nextCursor: null }>(
      'GET',
      '/portal/projects',
    );
    expect(page.status, page.text).toBe(200);
    expect(page.body.items.map((item) => item.id)).toEqual([ids.a.projectId]);
    const search = await portal.customer.request<{ items: unknown[] }>('GET', '/portal/projects?search=alp');
    expect(search.body.items).toHaveLength(1);
    expect(
      (await portal.customer.request<{ items: unknown[] }>('GET', '/portal/projects?search=zzz')).body.items,
    ).toEqual([]);
  });

  it('lets a consolidated contact switch to a member account, and pages with a cursor', async () => {
    const member = await portal.consolidated.request<{ items: { id: string }[] }>(
      'GET',
      `/portal/projects?accountId=${ids.b.accountId}`,
    );
    expect(member.status, member.text).toBe(200);
    expect(member.body.items.map((item) => item.id)).toEqual([ids.b.projectId]);
    const first = await portal.consolidated.request<{ items: unknown[]; nextCursor: string | null }>(
      'GET',
      '/portal/projects?limit=1',
    );
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeNull();
  });

  it("narrows a consolidated contact's documents and requests to one member account", async () => {
    type Page = { items: { id: string; accountId: string }[] };
    const all = await portal.consolidated.request<Page>('GET', '/portal/documents');
    expect(all.body.items.map((item) => item.id)).toContain(ids.b.documentId);
    const member = await portal.consolidated.request<Page>('GET', `/portal/documents?accountId=${ids.b.accountId}`);
    expect(member.status, member.text).toBe(200);
    expect(member.body.items.map((item) => item.id)).toEqual([ids.b.documentId]);
    const own = await portal.consolidated.request<Page>('GET', `/portal/documents?accountId=${ids.b.groupId}`);
    expect(own.body.items).toEqual([]);
    const requests = await portal.customer.request<Page>(
      'GET',
      `/portal/document-requests?accountId=${ids.a.accountId}`,
    );
    expect(requests.body.items.map((item) => item.id)).toEqual([ids.a.requestId]);
  });

  it.each(portalRoutes)(
    'answers $action with ids of another customer exactly like ids that do not exist',
    async ({ action, binding, idParams }) => {
      if (idParams.length === 0) return; // nothing the client could point elsewhere
      for (const name of idParams) {
        const foreign = ids.b[name] ?? ids.b.accountId ?? '';
        const missing = randomUUID();
        const inPath = binding.path.includes(`:${name}`);
        const url = (id: string) => {
          const filled = binding.path
            .replace(`:${name}`, id)
            .replace(/:(\w+)/g, (_, other: string) => ids.a[other] ?? '');
          return inPath ? filled : `${filled}?${name}=${id}`;
        };
        // A valid body, so that only the id decides the answer.
        const options = binding.method === 'GET' ? {} : { body: validBodies[action] ?? {} };
        const foreignAnswer = await portal.customer.request<{ error: unknown }>(binding.method, url(foreign), options);
        const missingAnswer = await portal.customer.request<{ error: unknown }>(binding.method, url(missing), options);
        expect(foreignAnswer.status, `${name} of account B`).toBe(404);
        expect(foreignAnswer.body.error).toEqual(missingAnswer.body.error);
        expect(foreignAnswer.headers.get('content-type')).toBe(missingAnswer.headers.get('content-type'));
      }
    },
  );

  it('refuses a login linked to no contact, and a contact whose access was disabled, with 403', async () => {
    const unlinked = await portal.unlinked.request<{ error: { code: string } }>('GET', '/portal/projects');
    expect(unlinked.status).toBe(403);
    expect(unlinked.body.error.code).toBe('PORTAL_ACCESS_DISABLED');
    // A staff token is not a portal token.
    expect((await staff.request('GET', '/portal/projects')).status).toBe(401);
  });

  it('stops serving a contact as soon as the directory disables its access (the cache is invalidated)', async () => {
    const { client, contactId } = await portalContactIn(ids.a.accountId ?? '');
    expect((await client.request('GET', '/portal/projects')).status).toBe(200);
    // What identity's revoke does to the directory; the gateway's cached principal must not outlive it.
    await call(bus, 'directory.applyAccessTransition', { contactId, to: 'disabled' });
    const deadline = Date.now() + 2_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) status = (await client.request('GET', '/portal/projects')).status;
    expect(status).toBe(403);
  });

  it('answers only documented errors', async () => {
    const document = (await (await fetch(`${system.gatewayUrl}/api/v1/openapi.json`)).json()) as Parameters<
      typeof undocumentedErrors
    >[0];
    const answered = Object.values(portal).flatMap((client) => client.answered);
    expect(undocumentedErrors(document, answered)).toEqual([]);
  });
});
