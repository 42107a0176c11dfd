import type { IncomingMessage, ServerResponse } from 'node:http';
import type moleculer from 'moleculer';
import type { Notification, NotificationRecipient, NotificationsReadSignal } from '@portal/contracts';
import { call, type RevocationRealm } from '@portal/kit';
import { sseComment, sseEvent, sseRetry } from './sse-frames.ts';

/** One open stream: whose bell it rings and which login opened it (for revocation). */
interface OpenStream {
  recipientKey: string;
  realm: RevocationRealm;
  subject: string;
  openedAt: number;
  /** Live frames wait here while the stream replays what was missed. */
  pending: Notification[] | null;
  /** Sequences sent lately: a notification replayed and signalled live goes out once. */
  sent: Set<number>;
  writeNotification(notification: Notification): void;
  writeFrame(frame: string): void;
  close(): void;
}

export interface BellStreamSettings {
  heartbeatMs: number;
  retryMs: number;
  /** A principal's streams per replica (tabs); opening one more closes its oldest. */
  maxPerRecipient: number;
  /** At most this many missed notifications are replayed on reconnect (the list has the rest). */
  maxReplay: number;
}

export const defaultBellStreamSettings: BellStreamSettings = {
  heartbeatMs: 15_000,
  retryMs: 3_000,
  maxPerRecipient: 10,
  maxReplay: 1_000,
};

/** `id:` = the sequence (what `Last-Event-ID` resumes after), `event: notification`, the notification as JSON. */
export function notificationFrame(notification: Notification): string {
  return sseEvent({ id: notification.sequence, event: 'notification', data: JSON.stringify(notification) });
}

const keyOf = (recipient: NotificationRecipient) => `${recipient.kind}:${recipient.id}`;
const recentlySentKept = 256;

export interface BellStreamRequest {
  recipient: NotificationRecipient;
  realm: RevocationRealm;
  /** The login's `sub`, for revocation. */
  subject: string;
  /** Replay what the recipient missed after this sequence first (null: nothing). */
  resumeAfter: number | null;
}

/**
 * The gateway replica's open bell streams. The notifications service broadcasts what it committed;
 * each replica writes it to the matching streams. A reconnect with `Last-Event-ID` first replays
 * what was missed (`notifications.listSince`), holding live frames meanwhile, then streams live.
 */
export function bellStreams(settings: BellStreamSettings = defaultBellStreamSettings) {
  const byRecipient = new Map<string, Set<OpenStream>>();
  let opened = 0;

  function register(stream: OpenStream): void {
    const set = byRecipient.get(stream.recipientKey) ?? new Set<OpenStream>();
    byRecipient.set(stream.recipientKey, set);
    set.add(stream);
    if (set.size > settings.maxPerRecipient) set.values().next().value?.close();
  }

  /** Writes a notification frame unless this stream sent that sequence lately. */
  function sendNow(stream: OpenStream, notification: Notification): void {
    if (stream.sent.has(notification.sequence)) return;
    stream.sent.add(notification.sequence);
    if (stream.sent.size > recentlySentKept) stream.sent.delete(stream.sent.values().next().value as number);
    stream.writeFrame(notificationFrame(notification));
  }

  function unregister(stream: OpenStream): void {
    const set = byRecipient.get(stream.recipientKey);
    if (!set) return;
    set.delete(stream);
    if (set.size === 0) byRecipient.delete(stream.recipientKey);
  }

  /**
   * Serves `GET …/notifications/stream` for an authenticated principal: headers, `retry`, the
   * replay, then live frames and a heartbeat until the client leaves, the login is revoked, or the
   * replica stops. A failing replay ends the stream; the client reconnects after `retry`.
   */
  async function serve(
    caller: moleculer.ServiceBroker | moleculer.Context,
    request: IncomingMessage,
    response: ServerResponse,
    open: BellStreamRequest,
    log: moleculer.Logger,
  ): Promise<void> {
    response.statusCode = 200;
    response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    response.setHeader('cache-control', 'no-cache, no-transform');
    response.setHeader('x-accel-buffering', 'no');
    response.flushHeaders();
    request.socket.setNoDelay(true);
    request.socket.setKeepAlive(true);

    let closed = false;
    const heartbeat = setInterval(() => stream.writeFrame(sseComment('heartbeat')), settings.heartbeatMs);
    heartbeat.unref();
    const stream: OpenStream = {
      recipientKey: keyOf(open.recipient),
      realm: open.realm,
      subject: open.subject,
      openedAt: Date.now(),
      pending: open.resumeAfter === null ? null : [],
      sent: new Set(),
      writeFrame(frame) {
        if (!closed) response.write(frame);
      },
      writeNotification(notification) {
        if (stream.pending) stream.pending.push(notification);
        else sendNow(stream, notification);
      },
      close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unregister(stream);
        opened -= 1;
        response.end();
      },
    };
    opened += 1;
    register(stream);
    // The response's `close` is the connection's end (the client left, or a proxy cut it).
    response.on('close', () => stream.close());
    response.on('error', () => stream.close());

    stream.writeFrame(sseRetry(settings.retryMs));
    stream.writeFrame(sseComment('connected'));
    if (open.resumeAfter === null) return;
    try {
      let after = open.resumeAfter;
      let replayed = 0;
      while (!closed && replayed < settings.maxReplay) {
        const page = await call(caller, 'notifications.listSince', {
          recipient: open.recipient,
          afterSequence: after,
          limit: Math.min(100, settings.maxReplay - replayed),
        });
        for (const notification of page.items) sendNow(stream, notification);
        replayed += page.items.length;
        after = page.items.at(-1)?.sequence ?? after;
        if (!page.more) break;
      }
      // Live frames that arrived during the replay, in order; any it already sent are skipped.
      const live = stream.pending ?? [];
      stream.pending = null;
      for (const notification of live) sendNow(stream, notification);
    } catch (error) {
      log.warn(`bell stream replay failed, closing (the client reconnects): ${(error as Error).message}`);
      stream.close();
    }
  }

  return {
    serve,
    /** A committed notification: to every open stream of its recipient on this replica. */
    deliver(recipient: NotificationRecipient, notification: Notification): void {
      for (const stream of byRecipient.get(keyOf(recipient)) ?? []) stream.writeNotification(notification);
    },
    /** Notifications were read (maybe in another tab): every stream of the recipient hears it. */
    read(signal: NotificationsReadSignal): void {
      const frame = sseEvent({
        event: 'read',
        data: JSON.stringify({ notificationIds: signal.notificationIds, unread: signal.unread }),
      });
      for (const stream of byRecipient.get(keyOf(signal.recipient)) ?? []) {
        if (!stream.pending) stream.writeFrame(frame);
      }
    },
    /** A revoked login: its streams opened before the revocation end now. */
    revoked(realm: RevocationRealm, subject: string, revokedAt: number): number {
      let ended = 0;
      for (const set of byRecipient.values()) {
        for (const stream of set) {
          if (stream.realm === realm && stream.subject === subject && stream.openedAt <= revokedAt) {
            stream.close();
            ended += 1;
          }
        }
      }
      return ended;
    },
    /** Open streams on this replica (the status gauge `bell.streams`). */
    count: () => opened,
    /** Ends every stream (the replica stops). */
    closeAll(): void {
      for (const set of [...byRecipient.values()]) for (const stream of [...set]) stream.close();
    },
  };
}

export type BellStreams = ReturnType<typeof bellStreams>;
