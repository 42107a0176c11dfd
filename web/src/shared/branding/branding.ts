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

export function readBranding(doc: Document = document): Branding {
  const block = doc.getElementById('portal-branding');
  if (!block?.textContent) return defaultBranding;
  try {
    return { ...defaultBranding, ...(JSON.parse(block.textContent) as Partial<Branding>) };
  } catch {
    return defaultBranding;
  }
}
