import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError } from '@portal/kit';
import { limitedCsvStream, parseByteSize, readJsonObject } from '../../src/http/request-body.ts';
import {
  assembleParams,
  matchPathParams,
  queryParamsOf,
  refuseUnknownBodyFields,
} from '../../src/http/request-params.ts';

const id = '6b1f8a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

function fakeRequest(body: string | Buffer | null, headers: Record<string, string> = {}): IncomingMessage {
  const stream = Readable.from(body === null ? [] : [Buffer.from(body)]) as unknown as IncomingMessage;
  stream.headers = {
    ...(body === null ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
    ...headers,
  };
  return stream;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return `${(error as DomainError).code} ${(error as DomainError).type}`;
}

describe('params assembly', () => {
  it('takes the query string for GET and lets path parameters win', () => {
    const params = assembleParams(
      { method: 'GET', path: '/admin/accounts/:accountId/projects' },
      { pathname: `/api/v1/admin/accounts/${id}/projects`, search: `?limit=5&hidden=true&accountId=other`, body: {} },
    );
    expect(params).toEqual({ limit: '5', hidden: 'true', accountId: id });
  });

  it('takes the JSON body for POST/PUT/PATCH, ignores the query and keeps the path id authoritative', () => {
    const params = assembleParams(
      { method: 'PATCH', path: '/admin/contacts/:contactId' },
      {
        pathname: `/api/v1/admin/contacts/${id}/`,
        search: '?firstName=Query',
        body: { firstName: 'Body', contactId: 'x' },
      },
    );
    expect(params).toEqual({ firstName: 'Body', contactId: id });
  });

  it('decodes path parameters and refuses broken encodings', () => {
    expect(matchPathParams('/api/v1/admin/sites/:siteId', '/api/v1/admin/sites/a%20b')).toEqual({ siteId: 'a b' });
    expect(() => matchPathParams('/api/v1/admin/sites/:siteId', '/api/v1/admin/sites/%E0%A4%A')).toThrow(
      expect.objectContaining({ type: 'INVALID_PATH', code: 400 }),
    );
  });

  it('refuses a repeated query key with a field error', () => {
    expect(() => queryParamsOf('?limit=1&limit=2&search=x')).toThrow(
      expect.objectContaining({
        code: 400,
        type: 'VALIDATION_FAILED',
        data: [{ path: 'limit', message: expect.any(String) }],
      }),
    );
  });
});

describe('request bodies', () => {
  it('parses byte sizes', () => {
    expect(parseByteSize('1mb')).toBe(1024 * 1024);
    expect(parseByteSize('512kb')).toBe(512 * 1024);
  });

  it('reads a JSON object; no body at all is an empty object', async () => {
    const json = { 'content-type': 'application/json; charset=utf-8' };
    expect(await readJsonObject(fakeRequest('{"a":1}', json), 100)).toEqual({ a: 1 });
    expect(await readJsonObject(fakeRequest(null), 100)).toEqual({});
    expect(
      await readJsonObject(fakeRequest('{"a":1}', { 'content-type': 'application/merge-patch+json' }), 100),
    ).toEqual({ a: 1 });
  });

  it('refuses bad JSON, non-objects, other media types and oversized bodies with stable codes', async () => {
    const json = { 'content-type': 'application/json' };
    expect(await codeOf(readJsonObject(fakeRequest('{"a":', json), 100))).toBe('400 INVALID_JSON');
    expect(await codeOf(readJsonObject(fakeRequest('[1,2]', json), 100))).toBe('400 INVALID_BODY');
    expect(await codeOf(readJsonObject(fakeRequest('null', json), 100))).toBe('400 INVALID_BODY');
    expect(await codeOf(readJsonObject(fakeRequest('{"a":1}', { 'content-type': 'text/plain' }), 100))).toBe(
      '415 UNSUPPORTED_MEDIA_TYPE',
    );
    expect(await codeOf(readJsonObject(fakeRequest('{"a":"0123456789"}', json), 10))).toBe('413 PAYLOAD_TOO_LARGE');
    // No content-length (chunked): the limit holds while the body arrives.
    const chunked = fakeRequest('{"a":"0123456789"}', { ...json, 'transfer-encoding': 'chunked' });
    delete chunked.headers['content-length'];
    expect(await codeOf(readJsonObject(chunked, 10))).toBe('413 PAYLOAD_TOO_LARGE');
  });

  it('passes a CSV upload through as a stream that fails with 413 past its limit', async () => {
    const csv = { 'content-type': 'text/csv' };
    const small = limitedCsvStream(fakeRequest('a,b\n1,2\n', csv), 100);
    expect((await small.stream.toArray()).join('')).toBe('a,b\n1,2\n');

    const big = fakeRequest('x'.repeat(50), { 'content-type': 'text/csv', 'transfer-encoding': 'chunked' });
    delete big.headers['content-length'];
    const limited = limitedCsvStream(big, 10);
    limited.stream.resume();
    expect(await codeOf(limited.exceeded)).toBe('413 PAYLOAD_TOO_LARGE');

    expect(() => limitedCsvStream(fakeRequest('a', { 'content-type': 'application/json' }), 10)).toThrow(
      expect.objectContaining({ code: 415 }),
    );
  });
});

describe('refuseUnknownBodyFields', () => {
  const params = z.object({ accountId: z.uuid(), name: z.string().optional() });

  it('lets the declared fields through', () => {
    expect(() => refuseUnknownBodyFields(params, { name: 'North' })).not.toThrow();
  });

  it('refuses a misspelt field with its path instead of dropping it', () => {
    const refused = (() => {
      try {
        refuseUnknownBodyFields(params, { nmae: 'North', name: 'x' });
        return undefined;
      } catch (error) {
        return error as { type: string; data: unknown };
      }
    })();
    expect(refused).toMatchObject({
      type: 'VALIDATION_FAILED',
      data: [{ path: 'nmae', message: 'Not a field of this request.' }],
    });
  });
});
