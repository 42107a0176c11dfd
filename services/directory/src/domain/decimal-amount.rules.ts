/**
 * A decimal amount as PostgreSQL prints a numeric(14, 2): no leading zeros, two decimals, no
 * negative zero. Lets an import tell "1250" from a stored "1250.00" as the same amount.
 */
export function canonicalAmount(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace(/^-/, '').split('.');
  const digits = `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0')}`;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}
