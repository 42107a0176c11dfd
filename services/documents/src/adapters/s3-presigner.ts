import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature V4 query presigning, written out because the presigned PUT must sign
 * `content-type` and `content-length` (the `minio` client signs `host` only): the store then
 * refuses a body of another size or type. The host signed is the endpoint browsers reach
 * (`S3_PUBLIC_ENDPOINT`), which may differ from the one the service talks to.
 */
export interface PresignSettings {
  endpoint: URL;
  accessKey: string;
  secretKey: string;
  region: string;
}

export interface PresignRequest {
  method: 'GET' | 'PUT' | 'DELETE';
  bucket: string;
  key?: string;
  /** Extra query parameters (e.g. `response-content-disposition`, `cors`). */
  query?: Record<string, string>;
  /** Headers the request must carry with exactly these values. */
  headers?: Record<string, string>;
  expiresSeconds: number;
  now?: Date;
}

const encode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hmac = (key: Buffer | string, value: string): Buffer => createHmac('sha256', key).update(value).digest();

export function presignUrl(settings: PresignSettings, request: PresignRequest): string {
  const now = request.now ?? new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${settings.region}/s3/aws4_request`;
  const headers: Record<string, string> = { host: settings.endpoint.host };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value.trim();
  const signedHeaders = Object.keys(headers).sort().join(';');

  const query: Record<string, string> = {
    ...request.query,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${settings.accessKey}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(request.expiresSeconds),
    'X-Amz-SignedHeaders': signedHeaders,
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((name) => `${encode(name)}=${encode(query[name] ?? '')}`)
    .join('&');
  const basePath = settings.endpoint.pathname.replace(/\/+$/, '');
  // An empty bucket addresses a virtual-hosted endpoint (the bucket in the host name).
  const path = [request.bucket, ...(request.key ? request.key.split('/') : [])]
    .filter((part, index) => index > 0 || part !== '')
    .map(encode)
    .join('/');
  const canonicalPath = `${basePath}/${path}`;
  const canonicalHeaders = Object.keys(headers)
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${settings.secretKey}`, day), settings.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `${settings.endpoint.origin}${canonicalPath}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
