import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { presignUrl, type PresignSettings } from './s3-presigner.ts';

export interface ObjectStorageSettings {
  /** Where this service reaches the store. */
  endpoint: string;
  /** Where browsers reach it; presigned URLs are signed for this host. Defaults to `endpoint`. */
  publicEndpoint?: string;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
}

/** The documents' S3-compatible store (MinIO API): one bucket, created on first start. */
export class ObjectStorage {
  readonly bucket: string;
  private readonly client: Client;
  private readonly region: string;
  private readonly internalSigning: PresignSettings;
  private readonly publicSigning: PresignSettings;

  constructor(settings: ObjectStorageSettings) {
    const endpoint = new URL(settings.endpoint);
    this.client = new Client({
      endPoint: endpoint.hostname,
      port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
      useSSL: endpoint.protocol === 'https:',
      accessKey: settings.accessKey,
      secretKey: settings.secretKey,
      region: settings.region,
      pathStyle: true,
    });
    this.bucket = settings.bucket;
    this.region = settings.region;
    const signing = { accessKey: settings.accessKey, secretKey: settings.secretKey, region: settings.region };
    this.internalSigning = { ...signing, endpoint };
    this.publicSigning = { ...signing, endpoint: new URL(settings.publicEndpoint ?? settings.endpoint) };
  }

  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket, this.region);
  }

  async checkAvailable(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new Error(`bucket ${this.bucket} is missing`);
  }

  /**
   * Lets the web UIs' origins PUT and GET presigned URLs from the browser (the store is another
   * origin). The presigned signature stays the only authority; CORS only lets the browser send.
   */
  async allowBrowserOrigins(origins: readonly string[]): Promise<void> {
    if (origins.length === 0) return;
    const rules = origins.map((origin) => `<AllowedOrigin>${escapeXml(origin)}</AllowedOrigin>`).join('');
    const body = `<CORSConfiguration><CORSRule>${rules}<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
    const md5 = createHash('md5').update(body).digest('base64');
    const url = presignUrl(this.internalSigning, {
      method: 'PUT',
      bucket: this.bucket,
      query: { cors: '' },
      headers: { 'content-md5': md5 },
      expiresSeconds: 60,
    });
    const response = await fetch(url, { method: 'PUT', body, headers: { 'content-md5': md5 } });
    if (!response.ok) {
      throw new Error(`setting the bucket's CORS rules failed: ${response.status} ${await response.text()}`);
    }
  }

  /** A PUT URL that accepts exactly `sizeBytes` bytes of `contentType` until it expires. */
  presignPut(key: string, contentType: string, sizeBytes: number, expiresSeconds: number): string {
    return presignUrl(this.publicSigning, {
      method: 'PUT',
      bucket: this.bucket,
      key,
      headers: { 'content-type': contentType, 'content-length': String(sizeBytes) },
      expiresSeconds,
    });
  }

  /** A GET URL answering the object as an attachment under `disposition`. */
  presignGet(key: string, disposition: string, contentType: string, expiresSeconds: number): string {
    return presignUrl(this.publicSigning, {
      method: 'GET',
      bucket: this.bucket,
      key,
      query: { 'response-content-disposition': disposition, 'response-content-type': contentType },
      expiresSeconds,
    });
  }

  /** The stored size, or null when nothing was uploaded under the key. */
  async sizeOf(key: string): Promise<number | null> {
    try {
      return (await this.client.statObject(this.bucket, key)).size;
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  read(key: string): Promise<Readable> {
    return this.client.getObject(this.bucket, key);
  }

  async remove(key: string): Promise<void> {
    await this.client.removeObject(this.bucket, key);
  }
}

function isMissingObject(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'NotFound' || code === 'NoSuchKey';
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
