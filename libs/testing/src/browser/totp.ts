import { generate } from 'otplib';

/**
 * The current six-digit TOTP code for a secret as Keycloak shows it on its "set up an
 * authenticator" page (base32, possibly grouped with spaces): what a person's phone would show.
 */
export async function totpCode(secret: string, epochMs: number = Date.now()): Promise<string> {
  return generate({ secret: secret.replace(/\s+/g, ''), epoch: Math.floor(epochMs / 1000) });
}
