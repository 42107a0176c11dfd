import { createHash, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type moleculer from 'moleculer';
import type { DocumentRequest, Notification, UnreadCount, UploadTicket } from '@portal/contracts';
import { call, createBroker, natsConnectionOptionsOf, natsSettingsOf } from '@portal/kit';
import {
  apiClient,
  createTemporaryLogin,
  keycloakAdminOf,
  stackEnv,
  type ApiClient,
  type TemporaryLogin,
} from '@portal/testing';
import { pdfBytes, putToTicket } from '../support/document-files.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

/** An open bell stream read with plain `fetch`: frames as an EventSource would dispatch them. */
interface BellStream {
  status: number;
  contentType: string | null;
  frames: SseFrame[];
  /** The `notification` frames so far, parsed. */
  notifications(): Notification[];
  /** Resolves once `count` notification frames have arrived (or fails after `timeoutMs`). */
  waitForNotifications(count: number, timeoutMs?: number): Promise<Notification[]>;
  /** Resolves when the server ends the stream (or it is closed here). */
  ended: Promise<void>;
  close(): void;
}

function parseFrame(block: string): SseFrame | null {
  const frame: SseFrame = { id: null, event: 'message', data: '' };
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'retry') continue;
    fields += 1;
    if (name === 'id') frame.id = value;
    else if (name === 'event') frame.event = value;
    else if (name === 'data') data.push(value);
  }
  frame.data = data.join('\n');
  return fields === 0 ? null : frame;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * The live bell end to end: gateway, identity, directory, documents and notifications processes;
 * real staff tokens, a real portal login, uploads through presigned URLs, the bell over SSE read by
 * plain `fetch` exactly as a browser's EventSource would receive it.
 */
describe('the notifications bell', () => {
  let system: SystemUnderTest;
  let bus: moleculer.ServiceBroker;
  let staff: ApiClient;
  let staffToken: string;
  let contact: ApiClient;
  let contactToken: string;
  let contactId: string;
  let nats: NatsConnection;
  let notificationsDb: pg.Client;
  let documentsDb: pg.Client;
  const streams: BellStream[] = [];
  const logins: TemporaryLogin[] = [];
  const run = randomUUID().slice(0, 6).toUpperCase();
  const ids: Record<string, string> = {};
  const env = stackEnv();

  const ok = async <Body>(method: string, path: string, body?: unknown, client = staff): Promise<Body> => {
    const answer = await client.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };

  async function openBell(path: string, token: string, lastEventId?: number): Promise<BellStream> {
    const controller = new AbortController();
    const query = lastEventId === undefined ? '' : `?lastEventId=${lastEventId}`;
    const response = await fetch(`${system.gatewayUrl}/api/v1${path}${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const frames: SseFrame[] = [];
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => {
      markEnded = resolve;
    });
    const stream: BellStream = {
      ended,
      status: response.status,
      contentType: response.headers.get('content-type'),
      frames,
      notifications: () =>
        frames.filter((frame) => frame.event === 'notification').map((frame) => JSON.parse(frame.data) as Notification),
      async waitForNotifications(count, timeoutMs = 10_000) {
        return waitUntil(
          `${count} notification frame(s) on ${path}`,
          () => (stream.notifications().length >= count ? stream.notifications() : undefined),
          timeoutMs,
        );
      },
      close: () => controller.abort(),
    };
    streams.push(stream);
    if (response.body) {
      void (async () => {
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = parseFrame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (frame) frames.push(frame);
          }
        }
      })()
        .catch(() => undefined)
        .finally(markEnded);
    } else {
      markEnded();
    }
    return stream;
  }

  async function requestDocument(ownerProjectId: string, title: string): Promise<DocumentRequest> {
    return ok<DocumentRequest>('POST', '/admin/document-requests', {
      owner: { kind: 'project', id: ownerProjectId },
      title,
      fileTypeId: ids.fileTypeId,
      requestedFromContactIds: [contactId],
    });
  }

  beforeAll(async () => {
    const namespace = `e2e-bell-${randomUUID().slice(0, 8)}`;
    system = await startServices(['gateway', 'identity', 'directory', 'documents', 'notifications'], {
      MOLECULER_NAMESPACE: namespace,
      S3_BUCKET: `bell-e2e-${run.toLowerCase()}`,
    });
    bus = createBroker({ nodeID: `e2e-bell-bus-${run}`, ...natsSettingsOf(env), namespace, logLevel: 'warn' });
    await bus.start();
    await bus.waitForServices(['directory', 'notifications'], 10_000);
    nats = await connect(natsConnectionOptionsOf(env));
    notificationsDb = new pg.Client({ connectionString: env.NOTIFICATIONS_DATABASE_URL });
    await notificationsDb.connect();
    documentsDb = new pg.Client({ connectionString: env.DOCUMENTS_DATABASE_URL });
    await documentsDb.connect();
    staffToken = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => staffToken);

    const account = await ok<{ id: string }>('POST', '/admin/accounts', { number: `BELL-${run}`, name: `Bell ${run}` });
    ids.accountId = account.id;
    const project = (name: string, hidden: boolean) =>
      ok<{ id: string }>('POST', `/admin/accounts/${account.id}/projects`, { code: name.slice(0, 8), name, hidden });
    ids.projectId = (await project('Plant', false)).id;
    ids.hiddenProjectId = (await project('Secret', true)).id;
    ids.fileTypeId = (
      await ok<{ id: string }>('POST', '/admin/file-types', {
        code: `bell-${run.toLowerCase()}`,
        name: `Bell answers ${run}`,
        customerVisible: true,
        allowedContentTypes: ['application/pdf'],
        maxSizeBytes: 64 * 1024,
      })
    ).id;
    const login = await createTemporaryLogin(keycloakAdminOf(env), 'portal', { usernamePrefix: 'e2e-bell' });
    logins.push(login);
    contactId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${account.id}/contacts`, {
        firstName: 'Bella',
        lastName: `Bell ${run}`,
        email: login.username,
      })
    ).id;
    await call(bus, 'directory.applyAccessTransition', { contactId, to: 'enabled', identityUserId: login.subject });
    contactToken = await login.accessToken();
    contact = apiClient(system.gatewayUrl, () => contactToken);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const login of logins) await login.remove();
    await notificationsDb?.end();
    await documentsDb?.end();
    await nats?.close();
    await bus?.stop();
    await system?.stop();
  });

  it('rings the contact live when staff request a document; unread count, read, read all', async () => {
    const bell = await openBell('/portal/notifications/stream', contactToken);
    expect(bell.status).toBe(200);
    expect(bell.contentType).toMatch(/^text\/event-stream/);
    const request = await requestDocument(ids.projectId ?? '', 'Signed delivery note');

    const [rung] = await bell.waitForNotifications(1, 5_000);
    expect(rung).toMatchObject({
      type: 'document-request.created',
      title: 'New request: Signed delivery note',
      link: '/portal/requests',
      readAt: null,
    });
    expect(bell.frames.find((frame) => frame.event === 'notification')?.id).toBe(String(rung?.sequence));
    ids.firstNotificationId = rung?.id ?? '';
    expect(request.requestedFromContactIds).toEqual([contactId]);

    expect(await ok<UnreadCount>('GET', '/portal/notifications/unread-count', undefined, contact)).toEqual({
      unread: 1,
      latestSequence: rung?.sequence,
    });
    const list = await ok<{ items: Notification[] }>('GET', '/portal/notifications', undefined, contact);
    expect(list.items.map((item) => item.id)).toEqual([rung?.id]);

    const read = await ok<Notification>('POST', `/portal/notifications/${rung?.id}/read`, {}, contact);
    expect(read.readAt).not.toBeNull();
    expect((await ok<UnreadCount>('GET', '/portal/notifications/unread-count', undefined, contact)).unread).toBe(0);
    // The stream tells other tabs: a `read` frame with the count after.
    await waitUntil('the read frame', () => bell.frames.find((frame) => frame.event === 'read'));
    expect(JSON.parse(bell.frames.find((frame) => frame.event === 'read')?.data ?? '{}')).toEqual({
      notificationIds: [rung?.id],
      unread: 0,
    });

    await requestDocument(ids.projectId ?? '', 'Insurance certificate');
    await requestDocument(ids.projectId ?? '', 'Site induction form');
    await bell.waitForNotifications(3);
    expect((await ok<UnreadCount>('GET', '/portal/notifications/unread-count', undefined, contact)).unread).toBe(2);
    const unreadOnly = await ok<{ items: Notification[] }>(
      'GET',
      '/portal/notifications?unread=true',
      undefined,
      contact,
    );
    expect(unreadOnly.items.map((item) => item.title)).toEqual([
      'New request: Site induction form',
      'New request: Insurance certificate',
    ]);
    expect(await ok('POST', '/portal/notifications/read-all', {}, contact)).toEqual({ marked: 2 });
    expect((await ok<UnreadCount>('GET', '/portal/notifications/unread-count', undefined, contact)).unread).toBe(0);
    bell.close();
  });

  it("answers another recipient's notification like a missing one: 404", async () => {
    const byStaff = await staff.request('POST', `/admin/notifications/${ids.firstNotificationId}/read`, { body: {} });
    expect(byStaff.status).toBe(404);
    expect((byStaff.body as { error: { code: string } }).error.code).toBe('NOTIFICATION_NOT_FOUND');
    const missing = await contact.request('POST', `/portal/notifications/${randomUUID()}/read`, { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('NOTIFICATION_NOT_FOUND');
  });

  it('rings the staff when the contact answers a request by upload', async () => {
    const staffBell = await openBell('/admin/notifications/stream', staffToken);
    expect(staffBell.status).toBe(200);
    const request = await requestDocument(ids.projectId ?? '', 'Test report');
    const bytes = pdfBytes('bell answer');
    const ticket = await ok<UploadTicket>(
      'POST',
      `/portal/document-requests/${request.id}/uploads`,
      { fileName: 'report.pdf', contentType: 'application/pdf', sizeBytes: bytes.length },
      contact,
    );
    expect((await putToTicket(ticket, bytes)).status).toBe(200);
    await ok(
      'POST',
      `/portal/document-requests/${request.id}/uploads/${ticket.uploadId}/finalize`,
      { sha256: createHash('sha256').update(bytes).digest('hex') },
      contact,
    );
    const [rung] = await staffBell.waitForNotifications(1, 10_000);
    expect(rung).toMatchObject({
      type: 'document-request.fulfilled',
      title: 'A customer answered a document request',
      link: `/admin/accounts/${ids.accountId}/document-requests`,
    });
    const list = await ok<{ items: Notification[] }>('GET', '/admin/notifications?limit=5');
    expect(list.items.map((item) => item.id)).toContain(rung?.id);
    staffBell.close();
  });

  it('replays exactly what was missed after Last-Event-ID, in order, then streams live', async () => {
    const first = await openBell('/portal/notifications/stream', contactToken);
    await requestDocument(ids.projectId ?? '', 'Missed before? no: seen live');
    const [seen] = await first.waitForNotifications(1);
    first.close();
    await sleep(200);
    await requestDocument(ids.projectId ?? '', 'Missed one');
    await requestDocument(ids.projectId ?? '', 'Missed two');
    const latest = await waitUntil('both to be written', async () => {
      const list = await ok<{ items: Notification[] }>('GET', '/portal/notifications?limit=1', undefined, contact);
      return list.items[0]?.title === 'New request: Missed two' ? list.items[0] : undefined;
    });

    // EventSource's own reconnect sends the header; the first connect uses the query parameter.
    const again = await openBell('/portal/notifications/stream', contactToken, seen?.sequence);
    const replayed = await again.waitForNotifications(2);
    expect(replayed.map((item) => item.title)).toEqual(['New request: Missed one', 'New request: Missed two']);
    expect(replayed.at(-1)?.sequence).toBe(latest.sequence);
    await requestDocument(ids.projectId ?? '', 'Live after replay');
    const all = await again.waitForNotifications(3);
    expect(all.map((item) => item.title)).toEqual([
      'New request: Missed one',
      'New request: Missed two',
      'New request: Live after replay',
    ]);
    const sequences = all.map((item) => item.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    await sleep(300);
    expect(again.notifications()).toHaveLength(3);
    again.close();
  });

  it('tells a contact nothing about a request on a project it cannot see', async () => {
    const bell = await openBell('/portal/notifications/stream', contactToken);
    await requestDocument(ids.hiddenProjectId ?? '', 'On the hidden project');
    // The consumer applies in order: once the visible one rang, the hidden one has been decided.
    await requestDocument(ids.projectId ?? '', 'After the hidden one');
    const rung = await bell.waitForNotifications(1);
    await sleep(300);
    expect(bell.notifications().map((item) => item.title)).toEqual(['New request: After the hidden one']);
    expect(rung).toHaveLength(1);
    const list = await ok<{ items: Notification[] }>('GET', '/portal/notifications?limit=100', undefined, contact);
    expect(list.items.map((item) => item.title)).not.toContain('New request: On the hidden project');
    const { rows } = await notificationsDb.query<{ n: number }>(
      `select count(*)::int as n from notifications.notification where recipient_id = $1 and title = $2`,
      [contactId, 'New request: On the hidden project'],
    );
    expect(rows[0]?.n).toBe(0);
    bell.close();
  });

  it('notifies once for an event delivered again, past the inbox too', async () => {
    const request = await requestDocument(ids.projectId ?? '', 'Delivered twice');
    const { rows } = await documentsDb.query<{ id: string; envelope: unknown }>(
      `select id, envelope from documents.outbox where type = 'documents.request.created' and envelope->'data'->>'requestId' = $1`,
      [request.id],
    );
    const envelope = rows[0]?.envelope;
    const eventId = rows[0]?.id ?? '';
    expect(envelope).toBeTruthy();
    const countOf = async () =>
      (
        await notificationsDb.query<{ n: number }>(
          'select count(*)::int as n from notifications.notification where source_event_id = $1',
          [eventId],
        )
      ).rows[0]?.n;
    await waitUntil('the first delivery to be applied', async () => ((await countOf()) === 1 ? true : undefined));

    const js = nats.jetstream();
    const body = new TextEncoder().encode(JSON.stringify(envelope));
    // A second message with the same envelope: the consumer's inbox knows the event id.
    await js.publish('documents.request.created', body, { msgID: `${eventId}-again` });
    // And once more after its inbox row is gone: the bell's own key (event, recipient) holds.
    await notificationsDb.query(
      `delete from notifications.inbox where consumer = 'notifications-bell-on-request-created' and event_id = $1`,
      [eventId],
    );
    await js.publish('documents.request.created', body, { msgID: `${eventId}-third` });
    // Applied in order: once a later request rang, both copies have been handled.
    await requestDocument(ids.projectId ?? '', 'After the copies');
    await waitUntil('the later request to be written', async () => {
      const list = await ok<{ items: Notification[] }>('GET', '/portal/notifications?limit=1', undefined, contact);
      return list.items[0]?.title === 'New request: After the copies' ? true : undefined;
    });
    expect(await countOf()).toBe(1);
    const { rows: dead } = await notificationsDb.query<{ n: number }>(
      `select count(*)::int as n from notifications.dead_letter where event_id = $1`,
      [eventId],
    );
    expect(dead[0]?.n).toBe(0);
  });

  it("counts open streams in the gateway's status and closes a revoked contact's stream", async () => {
    const bell = await openBell('/portal/notifications/stream', contactToken);
    const openStreams = async () => (await call(bus, 'gateway.status', {})).gauges?.['bell.streams'];
    // Every earlier test closed its streams: this one is the only one left open.
    await waitUntil('the stream to be counted alone', async () => ((await openStreams()) === 1 ? true : undefined));
    await ok('POST', `/admin/contacts/${contactId}/access/revoke`, {});
    const startedAt = Date.now();
    await Promise.race([
      bell.ended,
      sleep(5_000).then(() => {
        throw new Error('the revoked stream is still open after 5 s');
      }),
    ]);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await waitUntil('the gauge to drop', async () => ((await openStreams()) === 0 ? true : undefined));
    const refused = await fetch(`${system.gatewayUrl}/api/v1/portal/notifications/stream`, {
      headers: { authorization: `Bearer ${contactToken}` },
    });
    expect(refused.status).toBe(401);
  });
});
