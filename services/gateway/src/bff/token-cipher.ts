import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Tokens at rest: AES-256-GCM with a key derived (HKDF-SHA256) from GATEWAY_SESSION_SECRET. Each
 * value is bound to its row and column by the additional data, so a ciphertext copied into another
 * session or column does not decrypt. Format (base64url): version 1 | 12-byte IV | 16-byte tag | data.
 */
export interface TokenCipher {
  encrypt(plain: string, context: string): string;
  /** Throws when the value was not made by this key for this context. */
  decrypt(sealed: string, context: string): string;
}

const version = 1;

export function tokenCipher(secret: string): TokenCipher {
  if (secret.length < 32) throw new Error('GATEWAY_SESSION_SECRET must have at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, 'customer-portal', 'gateway web session tokens v1', 32));
  return {
    encrypt(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(version), iv, cipher.getAuthTag(), data]).toString('base64url');
    },
    decrypt(sealed, context) {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29 || raw[0] !== version) throw new Error('not a sealed token of this gateway');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(1, 13));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(13, 29));
      return Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}
