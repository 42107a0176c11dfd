import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { webBuildMissing } from '@portal/web/assets';

/** Product name, logo and primary colour, written into every page of both apps. */
export interface Branding {
  productName: string;
  primaryColor: string;
  logoUrl: string | null;
}

export interface WebAppOptions {
  /** The built apps: `admin/index.html`, `portal/index.html`, `assets/*` (from `@portal/web`). */
  distDir: string;
  branding: Branding;
  /** Keycloak's base URL as browsers reach it: form target of the sign-in, and each realm's account console. */
  keycloakPublicUrl: string;
  /** Where browsers reach the documents' object store (uploads and downloads by presigned URL). */
  fileStorePublicUrl?: string | undefined;
}

/**
 * What the gateway writes into each app's page: the branding, and the person's account console
 * at Keycloak (password, two-factor setup), which the UI links to and cannot know by itself.
 */
export interface PageData extends Branding {
  accountConsoleUrl: string;
}

interface StaticFile {
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  type: string;
}

const mediaTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

const apps = ['admin', 'portal'] as const;
type App = (typeof apps)[number];

/** Each app signs in to its own realm (DESIGN: `/admin` → `staff`, `/portal` → `portal`). */
const realmOf: Record<App, 'staff' | 'portal'> = { admin: 'staff', portal: 'portal' };

/** A realm's account console (Keycloak's own pages for password, two-factor setup, sessions). */
export function accountConsoleUrlOf(keycloakPublicUrl: string, realm: 'staff' | 'portal'): string {
  return `${keycloakPublicUrl.replace(/\/+$/, '')}/realms/${realm}/account`;
}

/**
 * A page's policy: only our own scripts; Mantine writes its CSS variables into a style element.
 * Files move between the browser and the object store directly (presigned URLs), so the store's
 * public origin may be connected to. The admin's e-mail preview shows an e-mail in a sandboxed
 * `srcdoc` frame, which inherits this policy: its inline styles and https images render because of
 * `style-src 'unsafe-inline'` and `img-src https:` here (web/src/admin/email/email-template-preview.tsx).
 */
export function pageSecurityPolicyOf(keycloakOrigin: string, fileStoreOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    fileStoreOrigin ? `connect-src 'self' ${fileStoreOrigin}` : "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${keycloakOrigin}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page data as a JSON data block (never executed, so the policy allows it); `<` escaped so it cannot end the block. */
export function brandedPage(html: string, pageData: PageData): string {
  const data = JSON.stringify(pageData).replace(/</g, '\\u003c');
  const escapedName = pageData.productName.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  return html
    .replace('<!--portal-branding-->', `<script id="portal-branding" type="application/json">${data}</script>`)
    .replace(/<title>[^<]*<\/title>/, (title) => title.replace(/Customer portal/, escapedName));
}

function compressed(body: Buffer, type: string): StaticFile {
  return { body, type, gzip: gzipSync(body, { level: 9 }), brotli: brotliCompressSync(body) };
}

/** Every file of the build, read and compressed once at start (the whole build is a few hundred kB). */
function loadBuild(options: WebAppOptions): { pages: Record<App, StaticFile>; assets: Map<string, StaticFile> } {
  const assetsDir = join(options.distDir, 'assets');
  const assets = new Map<string, StaticFile>();
  for (const name of readdirSync(assetsDir)) {
    const path = join(assetsDir, name);
    if (!statSync(path).isFile()) continue;
    assets.set(name, compressed(readFileSync(path), mediaTypes[extname(name)] ?? 'application/octet-stream'));
  }
  const page = (app: App) =>
    compressed(
      Buffer.from(
        brandedPage(readFileSync(join(options.distDir, app, 'index.html'), 'utf8'), {
          ...options.branding,
          accountConsoleUrl: accountConsoleUrlOf(options.keycloakPublicUrl, realmOf[app]),
        }),
      ),
      mediaTypes['.html']!,
    );
  return { pages: { admin: page('admin'), portal: page('portal') }, assets };
}

function send(request: IncomingMessage, response: ServerResponse, file: StaticFile, cacheControl: string): void {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  const [body, encoding] = /\bbr\b/.test(accepted)
    ? [file.brotli, 'br']
    : /\bgzip\b/.test(accepted)
      ? [file.gzip, 'gzip']
      : [file.body, null];
  response.statusCode = 200;
  response.setHeader('content-type', file.type);
  response.setHeader('cache-control', cacheControl);
  response.setHeader('vary', 'accept-encoding');
  if (encoding) response.setHeader('content-encoding', encoding);
  response.setHeader('content-length', body.length);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Serves the two web apps before any API routing: `/assets/*` (hashed names, cached for a year),
 * and every other GET under `/admin` or `/portal` answers that app's page (its router takes the
 * path from there). `/` leads to the portal. Anything else passes on to the API routes.
 */
export function webAppMiddleware(options: WebAppOptions, log: { error(message: string): void }) {
  const missing = webBuildMissing(options.distDir);
  if (missing) log.error(`The web UIs cannot be served: ${missing}.`);
  const build = missing ? null : loadBuild(options);
  const policy = pageSecurityPolicyOf(
    new URL(options.keycloakPublicUrl).origin,
    options.fileStorePublicUrl ? new URL(options.fileStorePublicUrl).origin : undefined,
  );
  return (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    // moleculer-web rewrites `url` relative to the route; `originalUrl` is what the browser asked for.
    const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '/';
    const pathname = new URL(url, 'http://gateway').pathname;
    if (pathname === '/') {
      response.statusCode = 302;
      response.setHeader('location', '/portal/');
      return response.end();
    }
    const app = apps.find((name) => pathname === `/${name}` || pathname.startsWith(`/${name}/`));
    if (!pathname.startsWith('/assets/') && !app) return next();
    if (!build) {
      // Loud, not a blank page: the operator learns what to do from the page and the log.
      response.statusCode = 503;
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      return response.end(`The web UI is not built (${missing}).\n`);
    }
    if (pathname.startsWith('/assets/')) {
      const file = build.assets.get(pathname.slice('/assets/'.length));
      if (!file) return next();
      return send(request, response, file, 'public, max-age=31536000, immutable');
    }
    if (!app) return next();
    response.setHeader('content-security-policy', policy);
    // The page names the current asset hashes: always revalidate it, so a new release is picked up.
    send(request, response, build.pages[app], 'no-cache');
  };
}
