// Local infrastructure CLI.   node deploy/local/infra.ts [up|down|status|install|env] [--no-seed] [--seed-external-keycloak] [--only=a,b]
//   up       (default) start/reuse the stack in the foreground; Ctrl-C stops what it started
//   down     stop every process recorded in .local/stack.json
//   status   probe each component
//   install  only fetch/build into the cache (CI warm-up)
//   env      print `export KEY=VALUE` lines for the running stack
import type { ComponentName } from './config.ts';
import { cacheDir, componentNames, localDir, ports } from './config.ts';
import { probe } from './components.ts';
import { devCliClientId, devLogins } from './dev-logins.ts';
import {
  ensureClamd,
  ensureDockerCompose,
  ensureKeycloak,
  ensureNatsServer,
  ensureHelm,
  ensureHelmUnittest,
  ensureKubernetesValidate,
  ensureSchemathesis,
  ensureVersitygw,
  postgresBinDir,
} from './install.ts';
import { natsCredentialsFile } from './nats-auth.ts';
import { errorText, isAlive, liveRecorded, rssKb } from './proc.ts';
import type { RunningStack } from './stack.ts';
import { startStack, stopRecorded } from './stack.ts';

const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith('-')) ?? 'up';
const flag = (name: string): string | undefined => {
  const hit = args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!hit) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
};

function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

function recordedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const n of componentNames) {
    const rec = liveRecorded(n);
    if (rec) Object.assign(env, rec.env);
  }
  return env;
}

async function up(): Promise<void> {
  const onlyFlag = flag('only');
  const only = onlyFlag ? (onlyFlag.split(',').map((s) => s.trim()) as ComponentName[]) : undefined;
  for (const n of only ?? [])
    if (!componentNames.includes(n)) throw new Error(`unknown component "${n}" (one of ${componentNames.join(', ')})`);

  let stack: RunningStack;
  try {
    stack = await startStack({
      ...(only ? { only } : {}),
      devSeed: flag('no-seed') === undefined,
      ...(flag('seed-external-keycloak') !== undefined ? { seedExternalKeycloak: true } : {}),
    });
  } catch (err) {
    console.error(errorText(err));
    process.exitCode = 1;
    return;
  }

  const env = stack.env;
  console.log('\n# environment (local development only; `node deploy/local/infra.ts env` prints these again)');
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${shellQuote(v)}`);
  if (env['MAIL_CATCHER_URL']) console.log(`\nDev inbox:              ${env['MAIL_CATCHER_URL']}/`);
  if (env['KEYCLOAK_URL']) {
    console.log(
      `Keycloak admin console: ${env['KEYCLOAK_URL']}/admin/  (login ${env['KEYCLOAK_ADMIN_USERNAME']} / ${env['KEYCLOAK_ADMIN_PASSWORD']})`,
    );
    if (stack.components.find((c) => c.name === 'keycloak')?.devSeedApplied) {
      console.log(`Dev logins (client ${devCliClientId}, password grant):`);
      for (const l of Object.values(devLogins))
        console.log(`  realm ${l.realm.padEnd(6)} ${l.username.padEnd(24)} ${l.password}`);
    }
  }
  const mine = stack.components.filter((c) => c.startedByUs);
  console.log(
    `\n[infra] up: ${mine.length} process(es) started by this launcher` +
      (mine.length < stack.components.length
        ? `, ${stack.components.length - mine.length} reused (left running on exit)`
        : '') +
      '. Ctrl-C to stop.',
  );

  // Warn (once) if a process we started dies underneath us.
  const dead = new Set<string>();
  const watch = setInterval(() => {
    for (const c of mine) {
      if (c.pid !== undefined && !dead.has(c.name) && !isAlive(c.pid)) {
        dead.add(c.name);
        console.error(`[infra] WARNING: ${c.name} (pid ${c.pid}) exited; see ${localDir}/logs/`);
      }
    }
    if (mine.length > 0 && dead.size === mine.length && !stopping) {
      console.error('[infra] every process this launcher started has exited (e.g. "infra down"); exiting');
      clearInterval(watch);
      process.exit(1);
    }
  }, 2000);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    console.log(`\n[infra] ${signal}: stopping what this launcher started…`);
    const hardExit = setTimeout(() => {
      console.error('[infra] stop took too long; exiting');
      process.exit(1);
    }, 60_000);
    stack
      .stop()
      .then(() => {
        clearTimeout(hardExit);
        console.log('[infra] stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error(errorText(err));
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
}

async function status(): Promise<void> {
  const env = { ...recordedEnv(), ...process.env };
  let failed = 0;
  await Promise.all(
    componentNames.map(async (n) => {
      const rec = liveRecorded(n);
      try {
        const r = await probe(n, env, 3000);
        const extra = rec
          ? ` pid ${rec.pid}, rss ${(rssKb(rec.pid) / 1024).toFixed(0)} MB`
          : ' (not recorded in .local/stack.json)';
        const version = r.version === 'unknown' && rec?.version ? rec.version : r.version;
        // What a client needs besides the URL (the passwords only through `env`, like the other secrets).
        const auth =
          n === 'nats' && env['NATS_USER']
            ? `, auth on (NATS_USER=${env['NATS_USER']}; passwords: "infra env" or ${natsCredentialsFile})`
            : '';
        console.log(`[infra] ${n.padEnd(8)} ok   ${r.server ? r.server + ' ' : ''}${version}${extra}${auth}`);
      } catch (err) {
        failed++;
        console.log(`[infra] ${n.padEnd(8)} DOWN ${(err as Error).message}`);
      }
    }),
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

async function install(): Promise<void> {
  const log = (l: string): void => console.log(l);
  const t0 = Date.now();
  console.log(`[infra] cache: ${cacheDir()}`);
  console.log(`[infra] postgres binaries: ${postgresBinDir()}`);
  console.log(`[infra] clamd: ${ensureClamd()}`);
  // Go builds one after the other (they compete for the same CPUs), Keycloak in parallel.
  const goTools = async (): Promise<{
    nats: string;
    s3: string;
    helm: string;
    helmUnittest: string;
    compose: string;
  }> => {
    const n = await ensureNatsServer(log);
    const s3 = await ensureVersitygw(log);
    // The chart checks in npm test: Helm and helm-unittest.
    const helm = await ensureHelm(log);
    const helmUnittest = await ensureHelmUnittest(log);
    // `docker compose config` on the evaluation stack's file.
    const compose = await ensureDockerCompose(log);
    return { nats: n.path + (n.fallback ? ' (FALLBACK)' : ''), s3, helm, helmUnittest, compose };
  };
  // schemathesis (PyPI, for the API fuzzing in npm test) beside them: pip mostly waits on the network.
  // Python tools one after the other too (pip shares its cache).
  const pythonTools = async () => ({
    fuzzer: await ensureSchemathesis(log),
    validator: await ensureKubernetesValidate(log),
  });
  const [tools, kc, { fuzzer, validator }] = await Promise.all([goTools(), ensureKeycloak(log), pythonTools()]);
  console.log(`[infra] nats-server: ${tools.nats}`);
  console.log(`[infra] versitygw:   ${tools.s3}`);
  console.log(`[infra] keycloak:    ${kc.home} (Java ${kc.java.version} from ${kc.java.home})`);
  console.log(`[infra] schemathesis: ${fuzzer.version} in ${fuzzer.venv}`);
  console.log(`[infra] helm:        ${tools.helm}`);
  console.log(`[infra] helm-unittest: ${tools.helmUnittest}`);
  console.log(`[infra] docker-compose: ${tools.compose}`);
  console.log(`[infra] kubernetes-validate: ${validator.version} in ${validator.venv}`);
  console.log(`[infra] install done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

function printEnv(): void {
  const env = recordedEnv();
  if (Object.keys(env).length === 0) {
    console.error('[infra] no running stack recorded in .local/stack.json — start it with "npm run infra"');
    process.exitCode = 1;
    return;
  }
  for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${shellQuote(v)}`);
}

async function main(): Promise<void> {
  switch (command) {
    case 'up':
      return up();
    case 'down': {
      const stopped = await stopRecorded();
      console.log(
        stopped.length ? `[infra] down: stopped ${stopped.join(', ')}` : '[infra] down: nothing recorded was running',
      );
      return;
    }
    case 'status':
      return status();
    case 'install':
      return install();
    case 'env':
      return printEnv();
    default:
      console.error(
        `usage: node deploy/local/infra.ts [up|down|status|install|env] [--no-seed] [--seed-external-keycloak] [--only=postgres,nats,…]\nports: ${JSON.stringify(ports)}`,
      );
      process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  console.error(errorText(err));
  process.exitCode = 1;
});
