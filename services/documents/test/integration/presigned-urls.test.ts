import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireStackVar } from '@portal/testing';
import { ObjectStorage } from '../../src/adapters/object-storage.adapter.ts';
import { attachmentDisposition } from '../../src/domain/file-name.rules.ts';

/**
 * The store itself enforces what the presigned URLs promise (real S3 server of the stack): a URL
 * stops working when it expires, a PUT must carry the signed size and type, and a GET answers the
 * file as an attachment under the name it was signed with.
 */
describe('presigned URLs at the S3 server', () => {
  const bucket = `presign-${randomUUID().slice(0, 8)}`;
  let storage: ObjectStorage;
  const bytes = Buffer.from('%PDF-1.7\n% presigned\n%%EOF\n');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    storage = new ObjectStorage({
      endpoint: requireStackVar('S3_ENDPOINT'),
      accessKey: requireStackVar('S3_ACCESS_KEY'),
      secretKey: requireStackVar('S3_SECRET_KEY'),
      region: process.env.S3_REGION ?? 'us-east-1',
      bucket,
    });
    await storage.ensureBucket();
  });

  afterAll(async () => {
    await storage.remove('a').catch(() => undefined);
  });

  it('accepts the signed size and type, and refuses any other', async () => {
    const url = storage.presignPut('a', 'application/pdf', bytes.length, 60);
    const put = (body: Buffer, type: string) => fetch(url, { method: 'PUT', headers: { 'content-type': type }, body });
    expect((await put(Buffer.concat([bytes, Buffer.from('x')]), 'application/pdf')).status).toBe(403);
    expect((await put(bytes, 'text/plain')).status).toBe(403);
    expect((await put(bytes, 'application/pdf')).status).toBe(200);
    expect(await storage.sizeOf('a')).toBe(bytes.length);
  });

  it('answers a GET as an attachment under the signed name', async () => {
    const url = storage.presignGet('a', attachmentDisposition('Plan – v2.pdf'), 'application/pdf', 60);
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toBe(
      `attachment; filename="Plan _ v2.pdf"; filename*=UTF-8''Plan%20%E2%80%93%20v2.pdf`,
    );
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a PUT and a GET once their URLs have expired', async () => {
    const put = storage.presignPut('expired', 'application/pdf', bytes.length, 1);
    const get = storage.presignGet('a', attachmentDisposition('a.pdf'), 'application/pdf', 1);
    await sleep(2_100);
    const late = await fetch(put, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: bytes });
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/expired/i);
    expect((await fetch(get)).status).toBe(403);
    expect(await storage.sizeOf('expired')).toBeNull();
  });
});
