import { Client } from 'minio';

export interface ObjectStorageSettings {
  endpoint: string;
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
  }

  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket, this.region);
  }

  async checkAvailable(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) throw new Error(`bucket ${this.bucket} is missing`);
  }
}
