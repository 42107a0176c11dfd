// Local SMTP capture + dev inbox. Run: node deploy/local/mail-catcher.ts
//   SMTP  127.0.0.1:51025 (no auth, no TLS)      MAIL_CATCHER_SMTP_PORT
//   HTTP  127.0.0.1:51080                         MAIL_CATCHER_HTTP_PORT
//   store .local/mail/messages.jsonl              MAIL_CATCHER_STORE
// HTTP API: GET /api/messages[?to=addr] (oldest first), GET /api/messages/:id, DELETE /api/messages,
// GET /healthz, and GET / (HTML inbox), GET /messages/:id (HTML view).
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { host, localDir, ports } from './config.ts';

export interface CapturedMessage {
  id: string;
  messageId: string | null;
  from: string;
  /** Envelope recipients (includes Bcc), lower-cased. */
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  /** Header values as sent, unfolded, by lower-case name (the last of repeated ones); older captures lack it. */
  headers?: Record<string, string>;
}

const require = createRequire(import.meta.url);
const smtpServerVersion = (require('smtp-server/package.json') as { version: string }).version;

const smtpPort = Number(process.env['MAIL_CATCHER_SMTP_PORT'] ?? ports.smtp);
const httpPort = Number(process.env['MAIL_CATCHER_HTTP_PORT'] ?? ports.mailHttp);
const bindHost = process.env['MAIL_CATCHER_HOST'] ?? host;
const storePath = process.env['MAIL_CATCHER_STORE'] ?? join(localDir, 'mail', 'messages.jsonl');
const maxMessages = 5000;

mkdirSync(dirname(storePath), { recursive: true });
const messages: CapturedMessage[] = load();

function load(): CapturedMessage[] {
  try {
    const out: CapturedMessage[] = [];
    for (const line of readFileSync(storePath, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as CapturedMessage);
      } catch {
        /* skip a torn line */
      }
    }
    return out.slice(-maxMessages);
  } catch {
    return [];
  }
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  if (!a) return [];
  const list = Array.isArray(a) ? a : [a];
  return list.flatMap((o) => o.value.map((v) => (v.address ?? '').toLowerCase())).filter(Boolean);
}

const smtp = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  size: 25 * 1024 * 1024,
  banner: 'portal mail-catcher (local dev)',
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const msg: CapturedMessage = {
          id: randomUUID(),
          messageId: parsed.messageId ?? null,
          from: parsed.from?.value[0]?.address?.toLowerCase() ?? envelopeFrom ?? '',
          to: envelopeTo.length > 0 ? envelopeTo : addresses(parsed.to),
          cc: addresses(parsed.cc),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : null,
          receivedAt: new Date().toISOString(),
          envelope: { from: envelopeFrom, to: envelopeTo },
          headers: Object.fromEntries(
            parsed.headerLines.map(({ key, line }) => [
              key,
              line
                .slice(line.indexOf(':') + 1)
                .replace(/\r?\n[ \t]+/g, ' ')
                .trim(),
            ]),
          ),
        };
        messages.push(msg);
        if (messages.length > maxMessages) messages.splice(0, messages.length - maxMessages);
        appendFileSync(storePath, JSON.stringify(msg) + '\n');
        callback();
      })
      .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
  },
});
smtp.on('error', (err) => console.error('[mail-catcher] smtp error:', err.message));

// ---------------------------------------------------------------- HTTP

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

const page = (title: string, body: string): string => `<!doctype html><html><head><meta charset="utf-8">
<title>${esc(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{padding:.4rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
tr:hover{background:#f6f8fa}a{color:#0550ae;text-decoration:none}pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem}
iframe{width:100%;height:30rem;border:1px solid #ddd}.muted{color:#777}button{cursor:pointer}
</style></head><body>${body}</body></html>`;

function inboxHtml(): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td class="muted">${esc(m.receivedAt.replace('T', ' ').slice(0, 19))}</td><td>${esc(m.from)}</td>` +
        `<td>${esc(m.to.join(', '))}</td><td><a href="/messages/${encodeURIComponent(m.id)}">${esc(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  return page(
    'Dev inbox',
    `<h1>Dev inbox <span class="muted">(${messages.length})</span></h1>
<p class="muted">SMTP ${esc(bindHost)}:${smtpPort} · JSON at <a href="/api/messages">/api/messages</a> · local development only</p>
<form method="post" action="/clear" onsubmit="return confirm('Delete all messages?')"><button>Clear inbox</button></form>
<table><thead><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows || '<tr><td colspan="4" class="muted">No messages yet.</td></tr>'}</tbody></table>`,
  );
}

function messageHtml(m: CapturedMessage): string {
  return page(
    m.subject || '(no subject)',
    `<p><a href="/">&larr; Inbox</a></p><h1>${esc(m.subject || '(no subject)')}</h1>
<table><tr><th>From</th><td>${esc(m.from)}</td></tr><tr><th>To</th><td>${esc(m.to.join(', '))}</td></tr>
${m.cc.length ? `<tr><th>Cc</th><td>${esc(m.cc.join(', '))}</td></tr>` : ''}
<tr><th>Received</th><td>${esc(m.receivedAt)}</td></tr><tr><th>JSON</th><td><a href="/api/messages/${encodeURIComponent(m.id)}">/api/messages/${esc(m.id)}</a></td></tr></table>
${m.html ? `<h2>HTML</h2><iframe sandbox="" srcdoc="${esc(m.html)}"></iframe>` : ''}
<h2>Text</h2><pre>${esc(m.text)}</pre>`,
  );
}

function clearAll(): void {
  messages.length = 0;
  writeFileSync(storePath, '');
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/healthz') {
    return json(res, 200, {
      ok: true,
      server: 'mail-catcher',
      version: smtpServerVersion,
      smtpPort,
      messages: messages.length,
    });
  }
  if (path === '/api/messages') {
    if (method === 'GET') {
      const to = url.searchParams.get('to')?.toLowerCase();
      return json(res, 200, to ? messages.filter((m) => m.to.includes(to) || m.cc.includes(to)) : messages);
    }
    if (method === 'DELETE') {
      clearAll();
      res.writeHead(204).end();
      return;
    }
  }
  const apiOne = /^\/api\/messages\/([^/]+)$/.exec(path);
  if (apiOne && method === 'GET') {
    const m = messages.find((x) => x.id === decodeURIComponent(apiOne[1] ?? ''));
    return m ? json(res, 200, m) : json(res, 404, { error: 'not found' });
  }
  if (method === 'GET' && path === '/') return send(res, 200, inboxHtml(), 'text/html; charset=utf-8');
  const htmlOne = /^\/messages\/([^/]+)$/.exec(path);
  if (htmlOne && method === 'GET') {
    const m = messages.find((x) => x.id === decodeURIComponent(htmlOne[1] ?? ''));
    return m
      ? send(res, 200, messageHtml(m), 'text/html; charset=utf-8')
      : send(res, 404, page('Not found', '<p>Not found. <a href="/">Inbox</a></p>'), 'text/html; charset=utf-8');
  }
  if (method === 'POST' && path === '/clear') {
    clearAll();
    res.writeHead(303, { location: '/' }).end();
    return;
  }
  json(res, 404, { error: 'not found' });
}

const http = createServer((req, res) => {
  try {
    handle(req, res);
  } catch (err) {
    json(res, 500, { error: (err as Error).message });
  }
});

await new Promise<void>((resolve, reject) => {
  smtp.server.once('error', reject);
  smtp.listen(smtpPort, bindHost, () => resolve());
});
await new Promise<void>((resolve, reject) => {
  http.once('error', reject);
  http.listen(httpPort, bindHost, () => resolve());
});
console.log(
  `[mail-catcher] smtp-server ${smtpServerVersion}: SMTP on ${bindHost}:${smtpPort}, inbox on http://${bindHost}:${httpPort} (${messages.length} stored messages)`,
);

let closing = false;
function shutdown(signal: string): void {
  if (closing) return;
  closing = true;
  console.log(`[mail-catcher] ${signal}: shutting down`);
  const force = setTimeout(() => process.exit(0), 2000);
  force.unref();
  http.closeAllConnections();
  http.close();
  smtp.close(() => process.exit(0));
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
