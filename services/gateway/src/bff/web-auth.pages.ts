import type { ServerResponse } from 'node:http';

// The two small pages the sign-in shows itself: the hop back into the app after Keycloak, and the
// "could not sign in" page. No script, no style: the API's `default-src 'none'` policy holds.

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const page = (title: string, head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${escapeHtml(title)}</title>${head}</head><body><main>${body}</main></body></html>`;

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.statusCode = status;
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end(html);
}

/**
 * 200 with a same-origin navigation to `returnTo` (already sanitised): a `SameSite=Strict` cookie
 * set on a redirect chain that began on Keycloak's site would not be sent with a 302's next request,
 * so the browser moves on from this page, on the portal's own site.
 */
export function sendSignedInPage(response: ServerResponse, returnTo: string): void {
  const target = escapeHtml(returnTo);
  sendHtml(
    response,
    200,
    page(
      'Signed in',
      `<meta http-equiv="refresh" content="0;url=${target}">`,
      `<h1>Signed in</h1><p><a href="${target}">Continue</a></p>`,
    ),
  );
}

const failureText = {
  unknown_state: 'This sign-in link has expired or was already used.',
  denied: 'The sign-in was cancelled or refused.',
  rejected: 'The sign-in could not be completed.',
  unavailable: 'Sign-in is not available right now. Please try again shortly.',
} as const;

export type SignInFailure = keyof typeof failureText;

/** A readable page, never a stack trace: what happened and a link that starts a fresh sign-in. */
export function sendSignInFailedPage(
  response: ServerResponse,
  status: number,
  failure: SignInFailure,
  loginPath: string,
  requestId: string,
): void {
  sendHtml(
    response,
    status,
    page(
      'Sign-in failed',
      '',
      `<h1>Sign-in failed</h1><p>${escapeHtml(failureText[failure])}</p>` +
        `<p><a href="${escapeHtml(loginPath)}">Sign in again</a></p>` +
        `<p><small>Request ${escapeHtml(requestId)}</small></p>`,
    ),
  );
}
