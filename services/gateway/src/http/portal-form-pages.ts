import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The two public forms behind the login page's links ("Request access", "Register with an
// invoice") as two small static pages, until the portal web UI exists (it replaces this file).
// Each posts JSON to its /api/v1/public endpoint with a tiny inline script and shows the answer.

const style = `
body{margin:0;background:#eef2f6;font:16px/1.5 system-ui,Arial,sans-serif;color:#1b1d21}
main{max-width:30rem;margin:3rem auto;background:#fff;border-top:4px solid #1f4e79;border-radius:6px;padding:1.5rem 2rem;box-shadow:0 2px 12px rgba(22,58,90,.12)}
.product{color:#163a5a;font-weight:600;margin:0}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin-top:1rem}
input,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.4rem .5rem;border:1px solid #6a6e73;border-radius:3px}
.hint{font-size:.9rem;color:#4f5255;margin:.25rem 0 0}
button{margin-top:1.5rem;width:100%;font:inherit;padding:.5rem;border:0;border-radius:3px;background:#1f4e79;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f0ab00;outline-offset:1px}
#answer{margin-top:1rem}
#answer:empty{display:none}
.error{color:#a30000}
`;

// Every named field is sent as typed, empty ones left out (they are optional: the browser and the
// API check the required ones). The answer's message is shown as it is, with the request id of an error.
const script = `
const form = document.querySelector('form');
const answer = document.getElementById('answer');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {};
  for (const [name, value] of new FormData(form)) if (String(value).trim() !== '') body[name] = String(value).trim();
  const button = form.querySelector('button');
  button.disabled = true;
  answer.className = '';
  answer.textContent = 'Sending…';
  try {
    const response = await fetch(form.dataset.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (response.ok) {
      answer.textContent = data.message;
      form.reset();
    } else {
      const retry = response.headers.get('retry-after');
      answer.className = 'error';
      answer.textContent = (data.error && data.error.message ? data.error.message : 'The request failed.') +
        (retry ? ' Please try again in ' + retry + ' seconds.' : '') +
        (data.requestId ? ' (request ' + data.requestId + ')' : '');
    }
  } catch {
    answer.className = 'error';
    answer.textContent = 'The portal cannot be reached. Please try again later.';
  } finally {
    button.disabled = false;
  }
});
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only this page's own script and style, and requests to this origin. */
const pageSecurityPolicy = [
  "default-src 'none'",
  `script-src ${sha256(script)}`,
  `style-src ${sha256(style)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Field {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'textarea';
  required?: boolean;
  autocomplete?: string;
  hint?: string;
}

function page(title: string, intro: string, endpoint: string, fields: readonly Field[], submit: string): string {
  const inputs = fields
    .map((field) => {
      const id = `field-${field.name}`;
      const hintId = field.hint ? `${id}-hint` : undefined;
      const attributes = [
        `id="${id}"`,
        `name="${field.name}"`,
        field.required ? 'required' : '',
        field.autocomplete ? `autocomplete="${field.autocomplete}"` : '',
        hintId ? `aria-describedby="${hintId}"` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const control =
        field.type === 'textarea'
          ? `<textarea ${attributes} rows="4"></textarea>`
          : `<input type="${field.type ?? 'text'}" ${attributes}>`;
      const hint = hintId ? `<p class="hint" id="${hintId}">${field.hint}</p>` : '';
      return `<label for="${id}">${field.label}${field.required ? '' : ' (optional)'}</label>${control}${hint}`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Customer portal</title><style>${style}</style></head>
<body><main>
<p class="product">Customer portal</p>
<h1>${title}</h1>
<p>${intro}</p>
<form data-endpoint="${endpoint}" novalidate>
${inputs}
<button type="submit">${submit}</button>
</form>
<p id="answer" role="status" aria-live="polite"></p>
</main><script>${script}</script></body></html>`;
}

const requestAccessPage = page(
  'Request access',
  'Tell us who you are and we will set up your login. You will get an e-mail once it is ready.',
  '/api/v1/public/access-requests',
  [
    { name: 'name', label: 'Your name', required: true, autocomplete: 'name' },
    { name: 'email', label: 'E-mail', type: 'email', required: true, autocomplete: 'email' },
    { name: 'company', label: 'Company', required: true, autocomplete: 'organization' },
    { name: 'message', label: 'Message', type: 'textarea' },
  ],
  'Send request',
);

const registerPage = page(
  'Register with an invoice',
  'Prove that you are a customer with one of our invoices; we send the invitation to your e-mail address.',
  '/api/v1/public/self-registrations',
  [
    { name: 'email', label: 'E-mail', type: 'email', required: true, autocomplete: 'email' },
    { name: 'invoiceNumber', label: 'Invoice number', required: true },
    { name: 'quickPayCode', label: 'Quick-pay code', hint: 'Printed on the invoice. Give it or the account number.' },
    { name: 'accountNumber', label: 'Account number', hint: 'Your customer number, if you have no quick-pay code.' },
    { name: 'firstName', label: 'First name', autocomplete: 'given-name' },
    { name: 'lastName', label: 'Last name', autocomplete: 'family-name' },
  ],
  'Register',
);

function sendPage(html: string) {
  return (_request: IncomingMessage, response: ServerResponse) => {
    response.statusCode = 200;
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.setHeader('content-security-policy', pageSecurityPolicy);
    response.end(html);
  };
}

/** Where the login page's links point, below the portal's public URL. */
export const portalFormPaths = { requestAccess: '/portal/request-access', register: '/portal/register' } as const;

/** `GET /portal/request-access` and `GET /portal/register` as aliases of the gateway's page route (`/`). */
export function portalFormPageAliases() {
  return {
    [`GET ${portalFormPaths.requestAccess}`]: sendPage(requestAccessPage),
    [`GET ${portalFormPaths.register}`]: sendPage(registerPage),
  };
}
