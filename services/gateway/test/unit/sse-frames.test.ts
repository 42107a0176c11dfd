import { describe, expect, it } from 'vitest';
import type { Notification } from '@portal/contracts';
import { notificationFrame } from '../../src/bell/bell-streams.ts';
import { resumeAfterOf, sseComment, sseEvent, sseRetry } from '../../src/bell/sse-frames.ts';

/** What an EventSource would dispatch from a chunk of the stream (the spec's parsing, reduced). */
function parse(text: string) {
  const events: { id?: string; event: string; data: string }[] = [];
  for (const block of text.split('\n\n')) {
    const fields = block.split('\n').filter((line) => line !== '' && !line.startsWith(':'));
    if (fields.length === 0 || fields.every((line) => line.startsWith('retry:'))) continue;
    const event: { id?: string; event: string; data: string } = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of fields) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (name === 'id') event.id = value;
      if (name === 'event') event.event = value;
      if (name === 'data') data.push(value);
    }
    event.data = data.join('\n');
    events.push(event);
  }
  return events;
}

const notification: Notification = {
  id: '0b8a3a58-6d8a-4b8e-9a39-1f0b9e0e4a10',
  sequence: 42,
  type: 'document-request.created',
  title: 'New request: line one\nline two',
  body: null,
  link: '/portal/requests',
  readAt: null,
  createdAt: '2026-12-25T10:00:00.000Z',
};

describe('SSE frames', () => {
  it('frames a notification with its sequence as id, its type as event and its JSON as data', () => {
    const frame = notificationFrame(notification);
    expect(frame).toBe(`id: 42\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`);
    const [event] = parse(frame);
    expect(event?.id).toBe('42');
    expect(JSON.parse(event?.data ?? '')).toEqual(notification);
  });

  it('splits multi-line data into data lines that join back, and refuses a line break in id or event', () => {
    const frame = sseEvent({ event: 'read', data: 'a\nb\r\nc' });
    expect(frame).toBe('event: read\ndata: a\ndata: b\ndata: c\n\n');
    expect(parse(frame)[0]?.data).toBe('a\nb\nc');
    expect(() => sseEvent({ id: '1\n2', data: '' })).toThrow();
    expect(() => sseEvent({ event: 'x\ry', data: '' })).toThrow();
  });

  it('writes comments (heartbeats) that clients ignore, and a retry hint', () => {
    expect(sseComment('heartbeat')).toBe(': heartbeat\n\n');
    expect(sseComment('two\nlines')).toBe(': two lines\n\n');
    expect(parse(sseComment('x') + sseRetry(3000))).toEqual([]);
    expect(sseRetry(2500.7)).toBe('retry: 2500\n\n');
  });

  it('resumes after the Last-Event-ID header, else the lastEventId query, else not at all', () => {
    expect(resumeAfterOf('17', null)).toBe(17);
    expect(resumeAfterOf(' 17 ', '3')).toBe(17);
    expect(resumeAfterOf(undefined, '3')).toBe(3);
    expect(resumeAfterOf(['8', '9'], null)).toBe(8);
    expect(resumeAfterOf('', '0')).toBe(0);
    expect(resumeAfterOf('abc', null)).toBeNull();
    expect(resumeAfterOf('-1', '1e3')).toBeNull();
    expect(resumeAfterOf(undefined, null)).toBeNull();
    expect(resumeAfterOf('9'.repeat(16), null)).toBeNull();
  });
});
