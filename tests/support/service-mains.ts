import { fileURLToPath } from 'node:url';
import type { ServiceName } from '@portal/contracts';

/** The entry file of a service process (`@portal/<name>/main`), for tests that spawn real processes. */
export function serviceMainPath(name: ServiceName | 'all-in-one'): string {
  return fileURLToPath(import.meta.resolve(`@portal/${name}/main`));
}
