/**
 * Product name, logo and primary colour. The gateway writes them into each page (a JSON data block,
 * from the same configuration the Keycloak theme reads), so the apps never wait for them.
 */
export interface Branding {
  productName: string;
  primaryColor: string;
  logoUrl: string | null;
}

export const defaultBranding: Branding = { productName: 'Customer portal', primaryColor: '#1f4e79', logoUrl: null };

/** The page's data block as the gateway wrote it, or an empty object (the Vite dev server writes none). */
function pageDataOf(doc: Document): Record<string, unknown> {
  const block = doc.getElementById('portal-branding');
  if (!block?.textContent) return {};
  try {
    const data: unknown = JSON.parse(block.textContent);
    return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const textOr = <T>(value: unknown, fallback: T): string | T =>
  typeof value === 'string' && value.length > 0 ? value : fallback;

export function readBranding(doc: Document = document): Branding {
  const data = pageDataOf(doc);
  return {
    productName: textOr(data['productName'], defaultBranding.productName),
    primaryColor: /^#[0-9a-fA-F]{6}$/.test(String(data['primaryColor']))
      ? String(data['primaryColor'])
      : defaultBranding.primaryColor,
    logoUrl: textOr(data['logoUrl'], null),
  };
}

/**
 * The signed-in person's account console at Keycloak (`<keycloak>/realms/<realm>/account`): where
 * they change their password and set up two-factor authentication. The gateway writes it beside
 * the branding; null when the page has none (the dev server), so the UI hides those links.
 */
export function readAccountConsoleUrl(doc: Document = document): string | null {
  const url = textOr(pageDataOf(doc)['accountConsoleUrl'], null);
  return url !== null && /^https?:\/\//.test(url) ? url.replace(/\/+$/, '') : null;
}
