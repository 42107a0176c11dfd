import type { WebApp } from '@portal/contracts';

/** Where a web UI lands when it gave no usable `returnTo`. */
export const homeOf = (app: WebApp): string => `/${app}/`;

/**
 * The path a sign-in returns to: only a same-origin relative path inside the app (`/admin`,
 * `/admin/…`, `/admin?…`); anything else (absolute or protocol-relative URLs, backslashes, control
 * characters, another app, dot segments that climb out) is the app's home. Open-redirect safe.
 */
export function sanitizeReturnTo(app: WebApp, raw: string | null | undefined): string {
  const home = homeOf(app);
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return home;
  // Browsers treat `\` like `/` and drop tabs and newlines: refuse them rather than guess.
  if (raw.includes('\\') || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return home;
  if (!raw.startsWith('/') || raw.startsWith('//')) return home;
  let url: URL;
  try {
    url = new URL(raw, 'http://portal.invalid');
  } catch {
    return home;
  }
  if (url.origin !== 'http://portal.invalid') return home;
  // The normalised path (dot segments resolved, percent-encoded ones too) must stay in the app.
  const path = url.pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return home;
  }
  if (/\/\.\.?(\/|$)/.test(decoded) || decoded.includes('\\') || decoded.startsWith('//')) return home;
  if (path !== `/${app}` && !path.startsWith(`/${app}/`)) return home;
  return `${path}${url.search}${url.hash}`;
}
