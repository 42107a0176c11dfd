import { randomUUID } from 'node:crypto';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireStackVar } from '@portal/testing';
import { requireComponent } from './component-probes.ts';

describe('S3: objects and presigned transfer through the minio client', () => {
  const bucket = `proof-${randomUUID().slice(0, 8)}`;
  let client: Client;

  beforeAll(async () => {
    await requireComponent('s3');
    const endpoint = new URL(requireStackVar('S3_ENDPOINT'));
    client = new Client({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port),
      useSSL: endpoint.protocol === 'https:',
      accessKey: requireStackVar('S3_ACCESS_KEY'),
      secretKey: requireStackVar('S3_SECRET_KEY'),
      region: requireStackVar('S3_REGION'),
      pathStyle: true,
    });
    await client.makeBucket(bucket, requireStackVar('S3_REGION'));
  });

  afterAll(async () => {
    if (!client) return;
    const names: string[] = [];
    for await (const item of client.listObjectsV2(bucket, '', true)) if (item.name) names.push(item.name);
    await client.removeObjects(bucket, names);
    await client.removeBucket(bucket);
  });

  it('stores an object and serves it through a presigned GET', async () => {
    const content = `drawing rev A ${randomUUID()}`;
    await client.putObject(bucket, 'drawings/a.txt', Buffer.from(content), undefined, { 'Content-Type': 'text/plain' });

    const url = await client.presignedGetObject(bucket, 'drawings/a.txt', 60);
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(content);
  });

  it('accepts an upload through a presigned PUT', async () => {
    const content = Buffer.from(`submittal ${randomUUID()}`);
    const url = await client.presignedPutObject(bucket, 'uploads/b.bin', 60);
    const upload = await fetch(url, { method: 'PUT', body: content, signal: AbortSignal.timeout(5_000) });
    expect(upload.status).toBe(200);

    const stat = await client.statObject(bucket, 'uploads/b.bin');
    expect(stat.size).toBe(content.length);
    const chunks: Buffer[] = [];
    for await (const chunk of await client.getObject(bucket, 'uploads/b.bin')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
  });

  it('rejects a presigned URL whose signature was tampered with', async () => {
    await client.putObject(bucket, 'secret.txt', Buffer.from('not for you'));
    const url = new URL(await client.presignedGetObject(bucket, 'secret.txt', 60));
    url.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(403);
  });
});
