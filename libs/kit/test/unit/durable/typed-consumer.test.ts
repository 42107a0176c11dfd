import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { defineEvent } from '@portal/contracts';
import { createEnvelope } from '../../../src/durable/outbox.ts';
import { PoisonMessageError } from '../../../src/durable/durable-consumer.ts';
import { defineConsumer, defineConsumerFor } from '../../../src/durable/typed-consumer.ts';

const actor = { kind: 'system', component: 'unit' } as const;
const em = {} as EntityManager;
const signal = new AbortController().signal;
const afterCommit = () => undefined;

describe('defineConsumer', () => {
  it('derives the stream from the producing service and filters on the event types', () => {
    const definition = defineConsumer({
      durableName: 'identity-on-contact-created',
      events: ['directory.contact.created', 'directory.contact.updated'],
      async handle() {},
    });
    expect(definition).toMatchObject({
      durableName: 'identity-on-contact-created',
      stream: 'DIRECTORY',
      filterSubjects: ['directory.contact.created', 'directory.contact.updated'],
    });
  });

  it('refuses events of two producers, unknown events and durable names that cannot be subjects', () => {
    const define = defineConsumerFor({
      'alpha.thing.happened': defineEvent({ version: 1, description: 'a', data: z.object({}) }),
      'beta.thing.happened': defineEvent({ version: 1, description: 'b', data: z.object({}) }),
    });
    expect(() =>
      define({ durableName: 'x', events: ['alpha.thing.happened', 'beta.thing.happened'], handle: async () => {} }),
    ).toThrow(/one producing service/);
    expect(() =>
      defineConsumer({
        durableName: 'x',
        events: ['directory.nothing.happened' as 'directory.contact.created'],
        handle: async () => {},
      }),
    ).toThrow(/no contract/);
    expect(() => define({ durableName: 'a.b', events: ['alpha.thing.happened'], handle: async () => {} })).toThrow(
      /Durable name/,
    );
  });

  it('hands the handler the parsed payload, and turns a payload, version or type the contract refuses into a poison message', async () => {
    const received: unknown[] = [];
    const definition = defineConsumerFor({
      'alpha.thing.happened': defineEvent({
        version: 2,
        description: 'a',
        data: z.object({ count: z.string().transform(Number) }),
      }),
    })({
      durableName: 'alpha-watcher',
      events: ['alpha.thing.happened'],
      async handle(event) {
        received.push(event.data.count);
      },
    });
    const envelope = (type: string, version: number, data: unknown) => createEnvelope({ type, version, data, actor });

    await definition.handle(envelope('alpha.thing.happened', 2, { count: '41' }), em, signal, afterCommit);
    expect(received).toEqual([41]);

    await expect(
      definition.handle(envelope('alpha.thing.happened', 2, { count: 41 }), em, signal, afterCommit),
    ).rejects.toThrow(PoisonMessageError);
    await expect(
      definition.handle(envelope('alpha.thing.happened', 1, { count: '1' }), em, signal, afterCommit),
    ).rejects.toThrow(/version 1; alpha-watcher reads version 2/);
    await expect(
      definition.handle(envelope('alpha.other.happened', 2, { count: '1' }), em, signal, afterCommit),
    ).rejects.toThrow(/not an event alpha-watcher reads/);
    expect(received).toEqual([41]);
  });
});
