import { describe, expect, it } from 'vitest';
import { eventEnvelopeSchema } from '@portal/contracts';
import { createEnvelope, subjectOf } from '../../../src/durable/outbox.ts';
import { parseEnvelope } from '../../../src/durable/durable-consumer.ts';

const actor = { kind: 'staff', userId: 'u-1' } as const;
const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('createEnvelope', () => {
  it('builds a valid envelope with a fresh id, an ISO time and a trace id', () => {
    const envelope = createEnvelope({
      type: 'directory.contact.created',
      version: 1,
      data: { contactId: 'c-1' },
      actor,
    });
    expect(eventEnvelopeSchema.parse(envelope)).toEqual(envelope);
    expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(envelope.occurredAt).toISOString()).toBe(envelope.occurredAt);
    expect(envelope.traceId).toBeTruthy();
    expect(envelope).not.toHaveProperty('accountId');
    expect(envelope.data).toEqual({ contactId: 'c-1' });
  });

  it('carries the request id and source address when given, and leaves them out otherwise', () => {
    const envelope = createEnvelope({
      type: 'directory.contact.created',
      version: 1,
      data: {},
      actor,
      requestId: 'req-1',
      sourceAddress: '203.0.113.7',
    });
    expect(eventEnvelopeSchema.parse(envelope)).toMatchObject({ requestId: 'req-1', sourceAddress: '203.0.113.7' });
    const bare = createEnvelope({ type: 'directory.contact.created', version: 1, data: {}, actor });
    expect(bare).not.toHaveProperty('requestId');
    expect(bare).not.toHaveProperty('sourceAddress');
  });

  it('gives every envelope its own id and keeps a given trace and account', () => {
    const input = { type: 'directory.contact.created', version: 1, data: {}, actor, accountId: 'a-1', traceId: 't-1' };
    const first = createEnvelope(input);
    const second = createEnvelope(input);
    expect(first.id).not.toBe(second.id);
    expect(first).toMatchObject({ accountId: 'a-1', traceId: 't-1' });
  });

  it('rejects a type that is not <service>.<aggregate>.<past-tense> and a non-positive version', () => {
    expect(() => createEnvelope({ type: 'contactCreated', version: 1, data: {}, actor })).toThrow();
    expect(() => createEnvelope({ type: 'directory.contact.created', version: 0, data: {}, actor })).toThrow();
  });

  it('publishes on the subject named by the type', () => {
    expect(subjectOf({ type: 'directory.contact.created' })).toBe('directory.contact.created');
  });
});

describe('parseEnvelope', () => {
  it('accepts a valid envelope', () => {
    const envelope = createEnvelope({ type: 'directory.contact.created', version: 1, data: { a: 1 }, actor });
    expect(parseEnvelope(encode(envelope))).toEqual({ ok: true, envelope });
  });

  it('keeps non-JSON bodies as raw text, without an event id', () => {
    const parsed = parseEnvelope(encode('not json{'));
    expect(parsed).toMatchObject({ ok: false, raw: 'not json{', eventId: null });
  });

  it('keeps the id of an invalid envelope when it is a uuid', () => {
    const envelope = createEnvelope({ type: 'directory.contact.created', version: 1, data: {}, actor });
    const parsed = parseEnvelope(encode({ ...envelope, actor: { kind: 'robot' } }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.eventId).toBe(envelope.id);
      expect(parsed.error).toMatch(/^malformed envelope: /);
    }
  });
});
