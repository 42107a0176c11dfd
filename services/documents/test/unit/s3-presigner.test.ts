import { describe, expect, it } from 'vitest';
import { presignUrl } from '../../src/adapters/s3-presigner.ts';

// AWS's published example of a presigned GET ("Authenticating Requests: Using Query Parameters",
// Signature Version 4): the same inputs must give the same signature, byte for byte.
const example = {
  endpoint: new URL('https://examplebucket.s3.amazonaws.com'),
  accessKey: 'AKIAIOSFODNN7EXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
};

describe('presignUrl', () => {
  it("reproduces AWS's signature V4 example of a presigned GET", () => {
    const url = new URL(
      presignUrl(example, {
        method: 'GET',
        bucket: '',
        key: 'test.txt',
        expiresSeconds: 86400,
        now: new Date('2013-05-24T00:00:00Z'),
      }),
    );
    expect(url.pathname).toBe('/test.txt');
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('signs the headers a PUT must carry, so another size or type cannot use the URL', () => {
    const put = (contentLength: string) =>
      new URL(
        presignUrl(
          { ...example, endpoint: new URL('http://127.0.0.1:9000') },
          {
            method: 'PUT',
            bucket: 'docs',
            key: 'versions/a b',
            headers: { 'Content-Type': 'application/pdf', 'content-length': contentLength },
            expiresSeconds: 900,
            now: new Date('2026-12-01T10:00:00Z'),
          },
        ),
      );
    const url = put('10');
    expect(url.pathname).toBe('/docs/versions/a%20b');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.get('X-Amz-Signature')).not.toBe(put('11').searchParams.get('X-Amz-Signature'));
  });
});
