// End-to-end smoke check of a running local stack: node deploy/local/smoke.ts
// Password-grant token from Keycloak, mail round trip through the catcher, S3 put/get,
// and schema isolation between service roles in PostgreSQL.
import { randomUUID } from 'node:crypto';
import * as Minio from 'minio';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { componentNames } from './config.ts';
import { devCliClientId, devLogins } from './dev-logins.ts';
import { liveRecorded } from './proc.ts';

const env: Record<string, string | undefined> = {};
for (const n of componentNames) Object.assign(env, liveRecorded(n)?.env);
Object.assign(env, process.env);
const need = (k: string): string => {
  const v = env[k];
  if (!v) throw new Error(`${k} is not set and no running stack is recorded — run "npm run infra" first`);
  return v;
};

const checks: [string, () => Promise<string>][] = [
  [
    'keycloak password grant (portal realm, portal-cli)',
    async () => {
      const login = devLogins.customerContact;
      const res = await fetch(`${need('KEYCLOAK_URL')}/realms/${login.realm}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: devCliClientId,
          username: login.username,
          password: login.password,
          scope: 'openid',
        }),
      });
      const body = (await res.json()) as { access_token?: string; expires_in?: number; error_description?: string };
      if (!res.ok || !body.access_token) throw new Error(`HTTP ${res.status} ${body.error_description ?? ''}`);
      const payload = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString()) as {
        aud?: unknown;
        email?: string;
      };
      return `token for ${payload.email} (expires_in ${body.expires_in}s, aud ${JSON.stringify(payload.aud)})`;
    },
  ],
  [
    'keycloak staff roles',
    async () => {
      const login = devLogins.staffAdmin;
      const res = await fetch(`${need('KEYCLOAK_URL')}/realms/${login.realm}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: devCliClientId,
          username: login.username,
          password: login.password,
        }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`HTTP ${res.status}`);
      const payload = JSON.parse(Buffer.from(body.access_token.split('.')[1] ?? '', 'base64url').toString()) as {
        realm_access?: { roles?: string[] };
      };
      const roles = payload.realm_access?.roles ?? [];
      if (!roles.includes('portal-admin')) throw new Error(`roles ${roles.join(',')}`);
      return `${login.username} roles: ${roles.join(', ')}`;
    },
  ],
  [
    'smtp → mail-catcher',
    async () => {
      const subject = `smoke ${randomUUID()}`;
      const transport = nodemailer.createTransport({ url: need('SMTP_URL') } as never);
      await transport.sendMail({
        from: 'smoke@portal.test',
        to: 'someone@customer.test',
        subject,
        text: 'hello',
        html: '<b>hello</b>',
      });
      const list = (await (await fetch(`${need('MAIL_CATCHER_URL')}/api/messages`)).json()) as {
        id: string;
        subject: string;
        to: string[];
      }[];
      const hit = list.find((m) => m.subject === subject);
      if (!hit) throw new Error('message not found in /api/messages');
      return `message ${hit.id} to ${hit.to.join(',')}`;
    },
  ],
  [
    's3 put/get (minio client)',
    async () => {
      const u = new URL(need('S3_ENDPOINT'));
      const client = new Minio.Client({
        endPoint: u.hostname,
        port: Number(u.port),
        useSSL: false,
        accessKey: need('S3_ACCESS_KEY'),
        secretKey: need('S3_SECRET_KEY'),
        region: env['S3_REGION'] ?? 'us-east-1',
        pathStyle: true,
      });
      const bucket = 'smoke-test';
      if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket, env['S3_REGION'] ?? 'us-east-1');
      const key = `obj-${randomUUID()}.txt`;
      await client.putObject(bucket, key, Buffer.from('hello s3'));
      const stream = await client.getObject(bucket, key);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString();
      await client.removeObject(bucket, key);
      if (text !== 'hello s3') throw new Error(`read back ${JSON.stringify(text)}`);
      return `put/get/delete ${bucket}/${key}`;
    },
  ],
  [
    'postgres schema isolation',
    async () => {
      const admin = new pg.Client({ connectionString: need('PG_ADMIN_URL') });
      await admin.connect();
      await admin.query('CREATE TABLE IF NOT EXISTS documents.smoke_probe (id int)');
      await admin.query('ALTER TABLE documents.smoke_probe OWNER TO documents');
      await admin.end();
      const dir = new pg.Client({ connectionString: need('DIRECTORY_DATABASE_URL') });
      await dir.connect();
      try {
        await dir.query('SELECT * FROM documents.smoke_probe');
        throw new Error('directory could read documents.smoke_probe');
      } catch (err) {
        const msg = (err as Error).message;
        if (!/permission denied/.test(msg)) throw err;
        const sp = await dir.query<{ search_path: string }>('SHOW search_path');
        return `directory → documents.*: "${msg}" (search_path=${sp.rows[0]?.search_path})`;
      } finally {
        await dir.end();
      }
    },
  ],
];

let failed = 0;
for (const [name, fn] of checks) {
  try {
    console.log(`ok   ${name}: ${await fn()}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}: ${(err as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
