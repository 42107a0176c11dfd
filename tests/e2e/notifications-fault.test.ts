import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type moleculer from 'moleculer';
import type { EventData, EventEnvelope, Notification, UnreadCount } from '@portal/contracts';
import { call, createBroker, natsConnectionOptionsOf, natsSettingsOf } from '@portal/kit';
import {
  apiClient,
  createTemporaryLogin,
  keycloakAdminOf,
  mailboxOf,
  requireStackVar,
  stackEnv,
  type ApiClient,
  type TemporaryLogin,
} from '@portal/testing';
import { openBellStream, type OpenBellStream } from '../support/bell-sse.ts';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';
import { startServices, tokenFor, type SystemUnderTest } from './support/system-under-test.ts';

const burst = 500;
/** Events on a hidden project, interleaved with the burst: they must ring nobody. */
const hiddenEvents = 20;
/** The notifications process is SIGKILLed once this many of the burst are written. */
const killAfter = 150;
/** …and once this many of its e-mails are logged sent, so the kill also falls mid-mail. */
const mailedBeforeKill = 30;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const duplicatesOf = (values: readonly string[]) => values.length - new Set(values).size;

/**
 * The fault acceptance for the bell and its e-mails: a burst of 500 events that ring one
 * contact's bell and mail the contact (`submittals.submittal.sent` envelopes with notify on,
 * published straight to JetStream, as the submittals service's relay would), the notifications
 * process SIGKILLed mid-burst and started again. Every notification reaches the bell exactly once:
 * in the database, through the API, on a stream kept open throughout and on one that dropped during
 * the outage and resumed with `Last-Event-ID`. Every e-mail is logged `sent` exactly once and
 * reaches the SMTP capture at least once; a copy sent again because the kill fell between the relay
 * accepting it and its `sent` row committing carries the same Message-ID (see `deliverEmail`).
 */
describe('the bell survives a killed notifications service', () => {
  let system: SystemUnderTest;
  let restarted: ServiceSystem | undefined;
  let bus: moleculer.ServiceBroker;
  let nats: NatsConnection;
  let db: pg.Client;
  let staff: ApiClient;
  let contact: ApiClient;
  let contactToken: string;
  let contactId: string;
  let login: TemporaryLogin | undefined;
  const streams: OpenBellStream[] = [];
  const env = stackEnv();
  const run = randomUUID().slice(0, 6).toUpperCase();
  const namespace = `e2e-bell-fault-${randomUUID().slice(0, 8)}`;
  const ids: Record<string, string> = {};

  const ok = async <Body>(method: string, path: string, body?: unknown, client = staff): Promise<Body> => {
    const answer = await client.request<Body>(method, path, body === undefined ? {} : { body });
    expect(answer.status, `${method} ${path}: ${answer.text}`).toBeLessThan(300);
    return answer.body;
  };

  const sentEnvelope = (projectId: string, index: number): EventEnvelope<EventData<'submittals.submittal.sent'>> => ({
    id: randomUUID(),
    type: 'submittals.submittal.sent',
    version: 1,
    occurredAt: new Date().toISOString(),
    actor: { kind: 'staff', userId: 'e2e-bell-fault' },
    accountId: ids.accountId ?? '',
    traceId: randomUUID(),
    data: {
      submittalId: randomUUID(),
      accountId: ids.accountId ?? '',
      projectId,
      number: `T-${String(index + 1).padStart(4, '0')}`,
      revision: 0,
      title: `Burst ${run} #${index + 1}`,
      purpose: 'for-review',
      notifyByEmail: true,
      dueDate: null,
      expectedReturnDate: null,
    },
  });

  /** The contact's e-mail log rows of this run's burst, straight from the table. */
  const emailRows = async () =>
    (
      await db.query<{ event_id: string; status: string; message_id: string | null }>(
        `select event_id, status, message_id from notifications.email_log
         where lower(recipient) = $1 and template = 'submittal-sent'`,
        [contactEmail()],
      )
    ).rows;
  const contactEmail = () => login?.username.toLowerCase() ?? '';

  /** The contact's notifications from this run's burst, by source event, straight from the table. */
  const writtenRows = async () =>
    (
      await db.query<{ source_event_id: string; sequence: string }>(
        `select source_event_id, sequence from notifications.notification
         where recipient_kind = 'contact' and recipient_id = $1 and type = 'submittal.sent'`,
        [contactId],
      )
    ).rows;

  beforeAll(async () => {
    system = await startServices(['gateway', 'identity', 'directory', 'notifications'], {
      MOLECULER_NAMESPACE: namespace,
    });
    bus = createBroker({ nodeID: `e2e-bell-fault-${run}`, ...natsSettingsOf(env), namespace, logLevel: 'warn' });
    await bus.start();
    await bus.waitForServices(['directory', 'notifications'], 10_000);
    nats = await connect(natsConnectionOptionsOf(env));
    db = new pg.Client({ connectionString: env.NOTIFICATIONS_DATABASE_URL });
    await db.connect();
    const staffToken = await tokenFor('staffAdmin');
    staff = apiClient(system.gatewayUrl, () => staffToken);

    const account = await ok<{ id: string }>('POST', '/admin/accounts', {
      number: `FAULT-${run}`,
      name: `Fault ${run}`,
    });
    ids.accountId = account.id;
    const project = (code: string, hidden: boolean) =>
      ok<{ id: string }>('POST', `/admin/accounts/${account.id}/projects`, { code, name: `${code} ${run}`, hidden });
    ids.projectId = (await project('PLANT', false)).id;
    ids.hiddenProjectId = (await project('SECRET', true)).id;
    login = await createTemporaryLogin(keycloakAdminOf(env), 'portal', { usernamePrefix: 'e2e-bell-fault' });
    contactId = (
      await ok<{ id: string }>('POST', `/admin/accounts/${account.id}/contacts`, {
        firstName: 'Faye',
        lastName: `Fault ${run}`,
        email: login.username,
      })
    ).id;
    await call(bus, 'directory.applyAccessTransition', { contactId, to: 'enabled', identityUserId: login.subject });
    contactToken = await login.accessToken();
    contact = apiClient(system.gatewayUrl, () => contactToken);
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await login?.remove();
    await db?.end();
    await nats?.close();
    await bus?.stop();
    await restarted?.stop();
    await system?.stop();
  });

  it('rings staff for returned, received and overdue submittals, with their words and links', async () => {
    const submittalId = randomUUID();
    const facts = {
      submittalId,
      accountId: ids.accountId ?? '',
      projectId: ids.projectId ?? '',
      number: `R${run}`,
      revision: 1,
      title: 'Pump skid GA',
    };
    const envelopeOf = <Type extends 'returned' | 'received' | 'overdue'>(
      type: Type,
      data: EventData<`submittals.submittal.${Type}`>,
    ) => ({
      id: randomUUID(),
      type: `submittals.submittal.${type}`,
      version: 1,
      occurredAt: new Date().toISOString(),
      actor: { kind: 'system', component: 'e2e-bell-fault' },
      accountId: ids.accountId ?? '',
      traceId: randomUUID(),
      data,
    });
    const envelopes = [
      envelopeOf('returned', { ...facts, contactId, code: 'B', label: 'Approved as noted', stageComplete: true }),
      envelopeOf('received', {
        incomingSubmittalId: randomUUID(),
        accountId: ids.accountId ?? '',
        projectId: ids.projectId ?? '',
        contactId,
        transmittalNumber: `C${run}`,
        fileCount: 2,
      }),
      envelopeOf('overdue', { ...facts, expectedReturnDate: '2026-11-30' }),
    ];
    const js = nats.jetstream();
    for (const envelope of envelopes) await js.publish(envelope.type, JSON.stringify(envelope), { msgID: envelope.id });
    const { rows } = await waitUntil('the three staff notifications', async () => {
      const found = await db.query<{ type: string; title: string; body: string | null; link: string; n: number }>(
        `select type, title, body, link, count(*)::int as n from notifications.notification
         where source_event_id = any($1::uuid[]) and recipient_kind = 'staff'
         group by type, title, body, link order by type`,
        [envelopes.map((envelope) => envelope.id)],
      );
      return found.rows.length === 3 ? found : undefined;
    });
    expect(rows.map(({ n: _n, ...notice }) => notice)).toEqual([
      {
        type: 'submittal.overdue',
        title: `Submittal R${run} rev 1 is overdue`,
        body: 'Pump skid GA: expected back 2026-11-30.',
        link: `/admin/submittals/${submittalId}`,
      },
      {
        type: 'submittal.received',
        title: 'New submittal from a customer',
        body: `Transmittal C${run}, 2 files.`,
        link: '/admin/incoming-submittals',
      },
      {
        type: 'submittal.returned',
        title: `A customer returned R${run} rev 1 (Approved as noted)`,
        body: 'Pump skid GA',
        link: `/admin/submittals/${submittalId}`,
      },
    ]);
    // Every staff admin and manager once per event, and the signed-in admin among them.
    expect(new Set(rows.map((row) => row.n)).size).toBe(1);
    const list = await ok<{ items: Notification[] }>('GET', '/admin/notifications?limit=50');
    expect(list.items.filter((item) => item.link === `/admin/submittals/${submittalId}`)).toHaveLength(2);
    // None of them reached the contact.
    const { rows: toContact } = await db.query<{ n: number }>(
      `select count(*)::int as n from notifications.notification
       where source_event_id = any($1::uuid[]) and recipient_kind = 'contact'`,
      [envelopes.map((envelope) => envelope.id)],
    );
    expect(toContact[0]?.n).toBe(0);
  });

  it('kill -9 mid-burst of 500 and restart: every notification reaches the bell exactly once, every e-mail is logged sent once', async () => {
    // Who sees what: the directory's answer the consumer relies on.
    expect(await call(bus, 'directory.listContactsSeeingProject', { projectId: ids.projectId ?? '' })).toEqual({
      contactIds: [contactId],
    });
    expect(await call(bus, 'directory.listContactsSeeingProject', { projectId: ids.hiddenProjectId ?? '' })).toEqual({
      contactIds: [],
    });

    const before = await ok<UnreadCount>('GET', '/portal/notifications/unread-count', undefined, contact);
    expect(before.unread).toBe(0);
    const resumeFrom = before.latestSequence ?? 0;
    const open = (lastEventId: number) =>
      openBellStream({
        gatewayUrl: system.gatewayUrl,
        path: '/portal/notifications/stream',
        token: contactToken,
        lastEventId,
      }).then((stream) => {
        streams.push(stream);
        expect(stream.status).toBe(200);
        return stream;
      });
    // A tab that stays open throughout, and one whose connection drops during the outage.
    const steady = await open(resumeFrom);
    const dropping = await open(resumeFrom);

    const envelopes = Array.from({ length: burst }, (_, index) => sentEnvelope(ids.projectId ?? '', index));
    const hidden = Array.from({ length: hiddenEvents }, (_, index) => sentEnvelope(ids.hiddenProjectId ?? '', index));
    const js = nats.jetstream();
    const publishing = (async () => {
      for (const [index, envelope] of envelopes.entries()) {
        if (index % (burst / hiddenEvents) === 0) {
          const secret = hidden[index / (burst / hiddenEvents)];
          if (secret) await js.publish(secret.type, JSON.stringify(secret), { msgID: secret.id });
        }
        await js.publish(envelope.type, JSON.stringify(envelope), { msgID: envelope.id });
      }
    })();

    // Mid-burst: SIGKILL the notifications process (no shutdown, no acks, no broadcasts after).
    const notifications = system.processes.find((process) => process.name === 'notifications');
    expect(notifications).toBeTruthy();
    await waitUntil(`${killAfter} notifications written and ${mailedBeforeKill} e-mails sent`, async () =>
      (await writtenRows()).length >= killAfter &&
      (await emailRows()).filter((row) => row.status === 'sent').length >= mailedBeforeKill
        ? true
        : undefined,
    );
    notifications?.child.kill('SIGKILL');
    await notifications?.exited(10_000);
    await publishing;
    const atKill = (await writtenRows()).length;
    const mailAtKill = await emailRows();
    const sentAtKill = mailAtKill.filter((row) => row.status === 'sent').length;
    const queuedAtKill = mailAtKill.filter((row) => row.status === 'queued').length;
    expect(atKill).toBeGreaterThanOrEqual(killAfter);
    expect(atKill, 'the burst was over before the kill').toBeLessThan(burst);
    expect(sentAtKill, 'the e-mails were all sent before the kill').toBeLessThan(burst);
    await sleep(500);
    expect((await writtenRows()).length, 'nothing is written while the service is down').toBe(atKill);
    // The dropping tab loses its connection during the outage; it resumes after what it saw.
    dropping.close();
    await dropping.ended;
    const droppedAfter = dropping.lastEventId() ?? resumeFrom;

    restarted = await startServiceSystem({
      stack: env,
      entries: ['notifications'],
      namespacePrefix: 'e2e',
      env: { MOLECULER_NAMESPACE: namespace },
    });
    // The gateway learns of the new node over NATS a moment after it is ready, and forgets the
    // killed one only when its heartbeats are missed: until then some calls still go there.
    let answered = 0;
    await waitUntil('the gateway to reach only the restarted service', async () => {
      const answer = await contact.request('GET', '/portal/notifications/unread-count');
      answered = answer.status === 200 ? answered + 1 : 0;
      return answered >= 20 ? true : undefined;
    });
    const resumed = await open(droppedAfter);

    await waitUntil(`all ${burst} notifications written`, async () =>
      (await writtenRows()).length >= burst ? true : undefined,
    );
    const rows = await writtenRows();
    const expected = new Set(envelopes.map((envelope) => envelope.id));
    // The database: one row per event, none for the hidden project, none twice.
    expect(rows.length).toBe(burst);
    expect(duplicatesOf(rows.map((row) => row.source_event_id))).toBe(0);
    expect(rows.every((row) => expected.has(row.source_event_id))).toBe(true);
    const sequences = new Set(rows.map((row) => Number(row.sequence)));

    // The API: exactly 500 unread, the list pages through 500 distinct notifications.
    const after = await ok<UnreadCount>('GET', '/portal/notifications/unread-count', undefined, contact);
    expect(after.unread).toBe(burst);
    const listed: Notification[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: { items: Notification[]; nextCursor: string | null } = await ok(
        'GET',
        `/portal/notifications?limit=100${query}`,
        undefined,
        contact,
      );
      listed.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(listed.length).toBe(burst);
    expect(duplicatesOf(listed.map((item) => item.id))).toBe(0);
    expect(new Set(listed.map((item) => item.title))).toEqual(
      new Set(envelopes.map((envelope) => `New submittal ${envelope.data.number}: ${envelope.data.title}`)),
    );

    // The streams: the dropped tab's two connections together, and the steady tab, each see
    // every sequence exactly once (live frames from before the kill, replay, live after).
    const seen = (notificationsOf: Notification[]) => notificationsOf.map((item) => String(item.sequence));
    const droppedAndResumed = () => [...seen(dropping.notifications()), ...seen(resumed.notifications())];
    await waitUntil(
      'the resumed stream to catch up',
      () => (new Set(droppedAndResumed()).size >= burst ? true : undefined),
      20_000,
    );
    expect(droppedAndResumed().length).toBe(burst);
    expect(duplicatesOf(droppedAndResumed())).toBe(0);
    expect(droppedAndResumed().every((sequence) => sequences.has(Number(sequence)))).toBe(true);

    // E-mail: exactly one log row per event, all `sent` (none left `queued` or `failed`), each with
    // the event's own Message-ID; none for the hidden project.
    await waitUntil(
      `all ${burst} e-mails sent`,
      async () => ((await emailRows()).filter((row) => row.status === 'sent').length >= burst ? true : undefined),
      120_000,
    );
    const mailLog = await emailRows();
    const logged = mailLog.filter((row) => expected.has(row.event_id));
    expect(logged.length).toBe(burst);
    expect(mailLog.length, 'no e-mail for the hidden project').toBe(burst);
    expect(duplicatesOf(logged.map((row) => row.event_id))).toBe(0);
    expect(logged.every((row) => row.status === 'sent')).toBe(true);
    const messageIdOfEvent = new Map(logged.map((row) => [row.event_id, row.message_id ?? '']));
    expect(new Set(messageIdOfEvent.values()).size).toBe(burst);

    // The SMTP capture: every event's e-mail arrived at least once, 500 distinct Message-IDs, each
    // the one its log row names; a second copy (a send the kill cut off before its `sent` row
    // committed, resent on redelivery) is the same message under the same Message-ID.
    const subjectOfEvent = new Map(
      envelopes.map((envelope) => [
        envelope.id,
        `Submittal ${envelope.data.number} rev ${envelope.data.revision}: ${envelope.data.title}`,
      ]),
    );
    const eventOfSubject = new Map([...subjectOfEvent].map(([eventId, subject]) => [subject, eventId]));
    const mailbox = mailboxOf(requireStackVar('MAIL_CATCHER_URL'), contactEmail());
    const captured = (await mailbox.messages()).filter((mail) => mail.subject.includes(`Burst ${run} #`));
    expect(new Set(captured.map((mail) => mail.subject))).toEqual(new Set(subjectOfEvent.values()));
    expect(new Set(captured.map((mail) => mail.messageId)).size).toBe(burst);
    for (const mail of captured) {
      expect(mail.messageId, mail.subject).toBe(messageIdOfEvent.get(eventOfSubject.get(mail.subject) ?? ''));
    }
    const copiesById = new Map<string, number>();
    for (const mail of captured) copiesById.set(mail.messageId ?? '', (copiesById.get(mail.messageId ?? '') ?? 0) + 1);
    const resent = captured.length - burst;
    console.info(
      `fault e-mail: at the kill ${sentAtKill} sent and ${queuedAtKill} queued rows; afterwards ${logged.length} sent rows, ` +
        `${captured.length} captured, ${copiesById.size} distinct Message-IDs, ${resent} resent with the same Message-ID`,
    );
    // Only a message in flight at the kill (its row `queued` then) can have been sent twice.
    expect(resent).toBeLessThanOrEqual(queuedAtKill);

    // The steady tab never reconnected: its frames are live broadcasts only. A broadcast lost with
    // the killed process (committed, not yet sent) would be missing here until a reconnect.
    await waitUntil('the steady stream to get the rest', () =>
      new Set(seen(steady.notifications())).size >= burst ? true : undefined,
    ).catch(() => undefined);
    const steadySeen = seen(steady.notifications());
    console.info(
      `fault: killed at ${atKill}/${burst} written; rows ${rows.length}; steady stream ${new Set(steadySeen).size} distinct, ` +
        `${duplicatesOf(steadySeen)} duplicated; dropped+resumed ${new Set(droppedAndResumed()).size} distinct, ` +
        `${duplicatesOf(droppedAndResumed())} duplicated`,
    );
    expect(duplicatesOf(steadySeen)).toBe(0);
    expect(steadySeen.every((sequence) => sequences.has(Number(sequence)))).toBe(true);
    expect(new Set(steadySeen).size).toBe(burst);

    // Nothing dead-lettered, and the hidden project's events rang nobody at all.
    const { rows: dead } = await db.query<{ n: number }>(
      `select count(*)::int as n from notifications.dead_letter where event_id = any($1::uuid[])`,
      [[...envelopes, ...hidden].map((envelope) => envelope.id)],
    );
    expect(dead[0]?.n).toBe(0);
    const { rows: hiddenRows } = await db.query<{ n: number }>(
      `select count(*)::int as n from notifications.notification where source_event_id = any($1::uuid[])`,
      [hidden.map((envelope) => envelope.id)],
    );
    expect(hiddenRows[0]?.n).toBe(0);
  });
});
