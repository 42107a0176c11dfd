import { z } from 'zod';

/** The import caps; each has a default and an environment variable (see the service README). */
export interface ImportLimits {
  /** Data rows per contacts CSV (the header not counted). */
  maxContactRows: number;
  /** Items per invoice reference import. */
  maxInvoiceReferences: number;
  /** Running imports (of any kind) per staff user or system component. */
  maxRunningPerPrincipal: number;
  /** Running imports in the installation. */
  maxRunning: number;
  /** The `Retry-After` of a refused start. */
  retryAfterSeconds: number;
}

export const defaultImportLimits: ImportLimits = {
  maxContactRows: 100_000,
  maxInvoiceReferences: 5_000,
  maxRunningPerPrincipal: 2,
  maxRunning: 6,
  retryAfterSeconds: 30,
};

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** The directory's environment for the caps, validated with the rest at start. */
export const importLimitsEnv = z.object({
  DIRECTORY_IMPORT_MAX_CONTACT_ROWS: positive(defaultImportLimits.maxContactRows),
  DIRECTORY_IMPORT_MAX_INVOICE_REFERENCES: positive(defaultImportLimits.maxInvoiceReferences),
  DIRECTORY_IMPORTS_PER_USER: positive(defaultImportLimits.maxRunningPerPrincipal),
  DIRECTORY_IMPORTS_TOTAL: positive(defaultImportLimits.maxRunning),
});

export function importLimitsOf(env: z.output<typeof importLimitsEnv>): ImportLimits {
  return {
    ...defaultImportLimits,
    maxContactRows: env.DIRECTORY_IMPORT_MAX_CONTACT_ROWS,
    maxInvoiceReferences: env.DIRECTORY_IMPORT_MAX_INVOICE_REFERENCES,
    maxRunningPerPrincipal: env.DIRECTORY_IMPORTS_PER_USER,
    maxRunning: env.DIRECTORY_IMPORTS_TOTAL,
  };
}
