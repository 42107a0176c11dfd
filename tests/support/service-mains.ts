import { createRequire } from 'node:module';
import type { ServiceName } from '@portal/contracts';

// `import.meta.resolve` is not available inside vitest's module runner; require's resolver reads the same `exports`.
const require = createRequire(import.meta.url);

/** The entry file of a service process (`@portal/<name>/main`), for tests that spawn real processes. */
export function serviceMainPath(name: ServiceName | 'all-in-one'): string {
  return require.resolve(`@portal/${name}/main`);
}
