import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// Quick-pay codes are short secrets printed on invoices: stored only as a salted scrypt hash. The
// cost is moderate because an import hashes up to a thousand of them within one request.
const cost: ScryptOptions = { N: 4096, r: 8, p: 1 };
const keyLength = 32;

function derive(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, keyLength, cost, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$<salt>$<hash>`, both base64url. */
export async function hashQuickPayCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${(await derive(code, salt)).toString('base64url')}`;
}

export async function quickPayCodeMatches(code: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(code, Buffer.from(salt, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
