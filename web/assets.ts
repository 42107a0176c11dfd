import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build:web` writes the two apps; the gateway serves this folder. */
export const webDistDir = fileURLToPath(new URL('./dist', import.meta.url));

/** What is missing from a build folder (null when complete), so nobody serves a half build silently. */
export function webBuildMissing(distDir: string): string | null {
  for (const file of ['admin/index.html', 'portal/index.html', 'assets']) {
    if (!existsSync(join(distDir, file))) return `${join(distDir, file)} is missing: run \`npm run build:web\``;
  }
  return null;
}
