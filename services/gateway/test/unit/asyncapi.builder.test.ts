import { Parser } from '@asyncapi/parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { eventContracts, type EventContract } from '@portal/contracts';
import { createEnvelope, streamNameOf } from '@portal/kit';
import { buildAsyncApiDocument } from '../../src/asyncapi/asyncapi.builder.ts';
import { refsIn, resolveRef } from './document-refs.ts';

type Message = { name: string; payload: Record<string, unknown>; headers: { $ref: string } };
type Channel = { address: string; messages: Record<string, { $ref: string }>; 'x-jetstream-stream': string };
type Operation = { action: string; channel: { $ref: string }; messages: { $ref: string }[] };

const document = buildAsyncApiDocument({ version: '9.9.9' });
const events = Object.entries(eventContracts as Record<string, EventContract>);
const accountId = '2b1f0d3e-8c4a-4f6b-9a7e-5d2c1b0a9f8e';
const contactId = '7c6b5a49-3827-4165-8f4e-3d2c1b0a9f8e';

function resolve(ref: string): unknown {
  return resolveRef(document, ref);
}

/** Follows `$ref`s until a definition: operations point at channel messages, which point at components. */
function deref(ref: string): unknown {
  const target = resolve(ref) as { $ref?: unknown } | undefined;
  return typeof target?.$ref === 'string' ? deref(target.$ref) : target;
}

function channelOf(type: string): Channel | undefined {
  return Object.values(document.channels as Record<string, Channel>).find((channel) => channel.address === type);
}

function messageOf(type: string): Message {
  const channel = channelOf(type);
  const ref = Object.values(channel?.messages ?? {})[0]?.$ref ?? '';
  return deref(ref) as Message;
}

// The document itself is the root schema; its top-level keys are not JSON Schema keywords.
const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
ajv.addVocabulary(Object.keys(document));
ajv.addSchema(document, 'urn:portal:asyncapi');
function validatorOf(type: string) {
  const channel = channelOf(type);
  const ref = Object.values(channel?.messages ?? {})[0]?.$ref ?? '';
  const validate = ajv.getSchema(`urn:portal:asyncapi${ref}/payload`);
  if (!validate) throw new Error(`no payload schema for ${type}`);
  return validate;
}

const contactCreated = {
  contactId,
  accountId,
  siteId: null,
  email: 'ann@example.test',
  autoSendInvite: true,
};

describe('AsyncAPI document', () => {
  it('has a channel per event type at its subject, with a receive operation and one message', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(document.channels)).toHaveLength(events.length);
    for (const [type, contract] of events) {
      const channel = channelOf(type);
      expect(channel, type).toBeDefined();
      expect(channel?.['x-jetstream-stream']).toBe(streamNameOf(type.slice(0, type.indexOf('.'))));
      const message = messageOf(type);
      expect(message.name).toBe(type);
      const properties = message.payload.properties as Record<string, Record<string, unknown>>;
      expect(properties.type).toMatchObject({ const: type });
      expect(properties.version).toMatchObject({ const: contract.version });
      expect(properties.actor).toEqual({ $ref: '#/components/schemas/Actor' });
      const operations = Object.values(document.operations as Record<string, Operation>).filter(
        (operation) => resolve(operation.channel.$ref) === channel,
      );
      expect(
        operations.map((operation) => operation.action),
        type,
      ).toEqual(['receive']);
      expect(operations[0]?.messages.map((ref) => deref(ref.$ref))).toEqual([message]);
    }
  });

  it('describes delivery: at least once, a stream per service, de-duplication by id = Nats-Msg-Id', () => {
    const info = document.info as { version: string; description: string };
    expect(info.version).toBe('9.9.9');
    expect(info.description).toContain('`DIRECTORY` (`directory.>`)');
    expect(info.description).toMatch(/at least once/i);
    expect(info.description).toContain('`Nats-Msg-Id`');
    expect(document.servers).toMatchObject({ nats: { protocol: 'nats', host: '{host}' } });
  });

  it('accepts real envelopes and rejects a wrong type, version, actor or missing data field', () => {
    const validate = validatorOf('directory.contact.created');
    const envelope = createEnvelope({
      type: 'directory.contact.created',
      version: 1,
      actor: { kind: 'staff', userId: 'u-1' },
      accountId,
      data: contactCreated,
    });
    expect(validate(envelope), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(JSON.stringify(envelope)))).toBe(true);

    expect(validate({ ...envelope, type: 'directory.contact.updated' })).toBe(false);
    expect(validate({ ...envelope, version: 2 })).toBe(false);
    const { email: _missing, ...withoutEmail } = contactCreated;
    expect(validate({ ...envelope, data: withoutEmail })).toBe(false);
    expect(validate.errors?.map((error) => error.params)).toContainEqual({ missingProperty: 'email' });
    expect(validate({ ...envelope, actor: { kind: 'robot' } })).toBe(false);
    // Formats are not asserted by Ajv here; zod's patterns carry them.
    expect(validate({ ...envelope, data: { ...contactCreated, contactId: 'c-1' } })).toBe(false);
    expect(validate({ ...envelope, occurredAt: 'yesterday' })).toBe(false);

    // A system-actor envelope of each other event type, with the payload its own schema expects.
    const accessChanged = createEnvelope({
      type: 'directory.access.changed',
      version: 1,
      actor: { kind: 'system', component: 'identity' },
      data: { contactId, accountId, from: 'invited', to: 'enabled', mfaRequired: false },
    });
    expect(validatorOf('directory.access.changed')(accessChanged)).toBe(true);
    expect(validatorOf('directory.contact.created')(accessChanged)).toBe(false);
  });

  it('compiles every payload schema strictly, and every $ref resolves', () => {
    for (const [type] of events) expect(() => validatorOf(type), type).not.toThrow();
    const refs = refsIn(document);
    expect(refs).toContain('#/components/schemas/Actor');
    expect(refs).toContain('#/components/schemas/NatsHeaders');
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });

  it('is a valid AsyncAPI 3.0 document (parser and its ruleset)', async () => {
    const diagnostics = await new Parser().validate(structuredClone(document));
    // Severity 0 = error, 1 = warning; the one info is "3.1.0 exists", and 3.0.0 is what we publish.
    const problems = diagnostics.filter((diagnostic) => diagnostic.severity <= 1);
    expect(problems.map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`)).toEqual([]);
    // The parser loads and runs its whole ruleset: seconds on a busy 2-core machine.
  }, 30_000);
});
