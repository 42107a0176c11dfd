import { describe, expect, it } from 'vitest';
import type { Notification } from '@portal/contracts';
import {
  countAfterRead,
  countWithNotification,
  pageAfterRead,
  pageWithNotification,
  type NotificationPage,
} from '../../src/shared/bell/bell-cache.ts';
import { formatRelativeTime } from '../../src/shared/format/dates.ts';

const notification = (sequence: number, readAt: string | null = null): Notification => ({
  id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
  sequence,
  type: 'document-request.created',
  title: `New request: ${sequence}`,
  body: null,
  link: '/portal/requests',
  readAt,
  createdAt: '2026-12-25T10:00:00.000Z',
});
const page = (sequences: number[], nextCursor: string | null = null): NotificationPage => ({
  items: sequences.map((sequence) => notification(sequence)),
  nextCursor,
});
const sequencesOf = (result: NotificationPage | undefined) => result?.items.map((item) => item.sequence);

describe('the bell patching its queries with live frames', () => {
  it('counts a live notification once, by its sequence, and leaves a count not loaded yet alone', () => {
    const count = { unread: 2, latestSequence: 10 };
    expect(countWithNotification(count, notification(11))).toEqual({ unread: 3, latestSequence: 11 });
    // Replayed after a reconnect, or already in a count fetched after it was written.
    expect(countWithNotification(count, notification(10))).toBe(count);
    expect(countWithNotification(count, notification(7))).toBe(count);
    expect(countWithNotification({ unread: 0, latestSequence: null }, notification(1))).toEqual({
      unread: 1,
      latestSequence: 1,
    });
    expect(countWithNotification(undefined, notification(11))).toBeUndefined();
  });

  it('puts a notification into a first page newest first, once, and not where a later page holds it', () => {
    expect(sequencesOf(pageWithNotification(page([9, 8]), notification(12)))).toEqual([12, 9, 8]);
    const full = page([9, 8]);
    expect(pageWithNotification(full, notification(9))).toBe(full);
    // Older than the page's last item while more pages follow: it is on a later page.
    const more = page([9, 8], 'cursor');
    expect(pageWithNotification(more, notification(3))).toBe(more);
    expect(sequencesOf(pageWithNotification(page([9, 8]), notification(3)))).toEqual([9, 8, 3]);
    // An unread-only list takes no read one.
    const unreadOnly = page([9]);
    expect(pageWithNotification(unreadOnly, notification(12, '2026-12-25T10:00:00.000Z'), true)).toBe(unreadOnly);
    expect(pageWithNotification(undefined, notification(12))).toBeUndefined();
  });

  it('shows read notifications read at once, and takes them out of an unread-only list', () => {
    const at = '2026-12-25T11:00:00.000Z';
    const list = page([9, 8, 7]);
    const readOne = pageAfterRead(list, [notification(8).id], at);
    expect(readOne?.items.map((item) => item.readAt)).toEqual([null, at, null]);
    expect(pageAfterRead(list, null, at)?.items.every((item) => item.readAt === at)).toBe(true);
    expect(sequencesOf(pageAfterRead(list, [notification(8).id], at, true))).toEqual([9, 7]);
    // Nothing of it changed: the same page, so nothing re-renders.
    expect(pageAfterRead(list, [notification(1).id], at)).toBe(list);
  });

  it('takes the unread count of a read frame and keeps the newest sequence', () => {
    expect(countAfterRead({ unread: 4, latestSequence: 10 }, 0)).toEqual({ unread: 0, latestSequence: 10 });
    expect(countAfterRead(undefined, 0)).toBeUndefined();
  });
});

describe('a notification’s time in words', () => {
  const now = Date.parse('2026-12-25T12:00:00.000Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('says "just now", then minutes, hours and days ago, then the date', () => {
    expect(formatRelativeTime(ago(20), now)).toBe('just now');
    // A clock a little ahead of the server's is still "just now".
    expect(formatRelativeTime(ago(-5), now)).toBe('just now');
    expect(formatRelativeTime(ago(5 * 60), now)).toMatch(/5/);
    expect(formatRelativeTime(ago(3 * 3600), now)).toMatch(/3/);
    expect(formatRelativeTime(ago(2 * 86400), now)).toMatch(/2|day/);
    expect(formatRelativeTime(ago(30 * 86400), now)).toMatch(/2026/);
  });
});
