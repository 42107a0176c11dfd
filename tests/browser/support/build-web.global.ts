import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cacheDir, repoRoot } from '@portal/deploy/local/config';
import { webBuildMissing, webDistDir } from '@portal/web/assets';

/** Everything the web build reads: a change in any of these makes a new build. */
const buildInputs = ['web', 'libs/contracts', 'package.json', 'package-lock.json'];
const notInputs = new Set(['node_modules', 'dist', 'test']);
/** Builds kept in the cache (one per recent state of the sources). */
const keptBuilds = 3;

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !notInputs.has(entry.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/** A digest of the build's inputs: their paths and contents. */
function sourcesDigest(): string {
  const hash = createHash('sha256');
  for (const file of buildInputs.flatMap((input) => filesUnder(join(repoRoot, input))).sort()) {
    hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/**
 * The browser suites test the web UIs as shipped: a production build (vitest's NODE_ENV=test would
 * otherwise give React's development build), once per run, from the sources at hand. A build of
 * the same sources is taken from the cache outside the clone (PORTAL_CACHE_DIR), as CI does with
 * its other downloads and builds; a fresh clone of changed sources builds anew.
 */
export function setup(): void {
  const builds = join(cacheDir(), 'web-dist');
  const cached = join(builds, sourcesDigest());
  if (existsSync(cached) && webBuildMissing(cached) === null) {
    rmSync(webDistDir, { recursive: true, force: true });
    cpSync(cached, webDistDir, { recursive: true });
    console.log(`[browser] web build of these sources taken from ${cached}`);
    return;
  }
  const build = spawnSync('npm', ['run', 'build:web'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error('npm run build:web failed; the browser suites need the web build');
  const missing = webBuildMissing(webDistDir);
  if (missing) throw new Error(`npm run build:web left an incomplete build: ${missing}`);
  // Copied under a temporary name, then renamed: a half-copied build is never taken for a whole one.
  const partial = `${cached}.partial-${process.pid}`;
  cpSync(webDistDir, partial, { recursive: true });
  rmSync(cached, { recursive: true, force: true });
  renameSync(partial, cached);
  const older = readdirSync(builds)
    .filter((name) => /^[0-9a-f]{24}$/.test(name))
    .map((name) => ({ path: join(builds, name), at: statSync(join(builds, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .slice(keptBuilds);
  for (const { path } of older) rmSync(path, { recursive: true, force: true });
}
