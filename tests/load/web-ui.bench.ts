/**
 * The web UIs' weight and speed, in two parts:
 *
 * 1. bundles: builds the web (`npm run build:web`), reads `web/dist/{admin,portal}/index.html` for
 *    what each page loads at once (module scripts, stylesheets, modulepreloads) and sums their
 *    sizes raw, gzip (level 9) and brotli (quality 11), per app. Lazy chunks are listed apart.
 * 2. first render of the staff accounts list: the gateway (serving that build, signing in through
 *    Keycloak), identity and the directory as processes on the local stack; one sign-in in
 *    Chromium, then N navigations to `/admin/accounts`, each timed in the page from navigation
 *    start until the "Accounts" table has its first row (or its empty state) in the DOM: warm (one
 *    context, the HTTP cache filled) and cold (a new context each time, signed in by the stored
 *    cookie, nothing cached). Baselines measured in the same run: the page's own `fetch` of the
 *    list it shows (`/api/v1/admin/accounts?limit=25` with the cookie), and the load of a small
 *    server-rendered page of the same gateway (`/portal/request-access`).
 *
 *   node tests/load/web-ui.bench.ts                     (or: npm run bench:web)
 *   WEB_UI_BENCH_RUNS=5 node tests/load/web-ui.bench.ts
 *   WEB_UI_BENCH_BUNDLES_ONLY=1 node tests/load/web-ui.bench.ts   (part 1 only, no stack needed)
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { devAccessToken, devLogins } from '@portal/deploy/local/dev-logins';
import { apiClient, freePort, isolateTestDatabase } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import { webDistDir } from '@portal/web/assets';
import { startServiceSystem } from '../support/service-system.ts';
import { gitCommit, machineFacts, ratio, stackEnv, start, stopAll } from './support/measure.ts';

const runs = Number(process.env.WEB_UI_BENCH_RUNS ?? 10);
const bundlesOnly = process.env.WEB_UI_BENCH_BUNDLES_ONLY === '1';
const runBudgetMs = 300_000;
const resultsFile = join(import.meta.dirname, 'results', 'web-ui.json');
const apps = ['admin', 'portal'] as const;
const viewport = { width: 1280, height: 800 };

// ---- 1. bundle sizes ---------------------------------------------------------------------------

interface AssetSize {
  path: string;
  raw: number;
  gzip: number;
  brotli: number;
}

const sizeOf = (path: string, bytes: Buffer): AssetSize => ({
  path,
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length,
});

const sum = (sizes: readonly AssetSize[]) => ({
  raw: sizes.reduce((total, size) => total + size.raw, 0),
  gzip: sizes.reduce((total, size) => total + size.gzip, 0),
  brotli: sizes.reduce((total, size) => total + size.brotli, 0),
});

/** What a built page asks for before anything runs: module scripts, stylesheets, modulepreloads. */
function initialAssetsOf(html: string): string[] {
  const paths = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
    if (tag.startsWith('<script')) {
      const src = attribute('src');
      if (src) paths.add(src);
    } else if (['stylesheet', 'modulepreload'].includes(attribute('rel') ?? '')) {
      const href = attribute('href');
      if (href) paths.add(href);
    }
  }
  return [...paths];
}

function bundleSizes() {
  const built = spawnSync('npm', ['run', 'build:web'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:web failed');
  const initial = new Set<string>();
  const perApp = Object.fromEntries(
    apps.map((app) => {
      const html = readFileSync(join(webDistDir, app, 'index.html'));
      const assets = initialAssetsOf(html.toString('utf8')).map((path) => {
        initial.add(path);
        return sizeOf(path, readFileSync(join(webDistDir, path.replace(/^\//, ''))));
      });
      return [app, { page: sizeOf(`/${app}/index.html`, html), assets, total: sum(assets) }];
    }),
  );
  // Everything else in the build loads only when a screen asks for it.
  const lazy = readdirSync(join(webDistDir, 'assets'))
    .map((name) => `/assets/${name}`)
    .filter((path) => !initial.has(path))
    .map((path) => sizeOf(path, readFileSync(join(webDistDir, path.slice(1)))));
  return { ...perApp, lazy: { assets: lazy, total: sum(lazy) } } as Record<
    (typeof apps)[number],
    { page: AssetSize; assets: AssetSize[]; total: ReturnType<typeof sum> }
  > & { lazy: { assets: AssetSize[]; total: ReturnType<typeof sum> } };
}

// ---- 2. first render ---------------------------------------------------------------------------

/**
 * Runs before the app in every page: notes `performance.now()` (ms since the navigation started)
 * when the accounts table first has a row, or the list's empty state is there.
 */
const firstRenderProbe = `(() => {
  const check = () => {
    if (window.__firstRender !== undefined) return true;
    // mantine-datatable keeps an empty row while it loads: a real row is any other.
    const row = document.querySelector('table[aria-label="Accounts"] tbody tr:not(.mantine-datatable-empty-row)');
    const empty = [...document.querySelectorAll('h3')].some((h) => /^No accounts/.test(h.textContent || ''));
    if (row || empty) { window.__firstRender = performance.now(); return true; }
    return false;
  };
  const start = () => {
    if (check()) return;
    const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
    observer.observe(document.documentElement, { subtree: true, childList: true });
  };
  if (document.documentElement) start(); else document.addEventListener('readystatechange', start, { once: true });
})()`;

interface Timing {
  runsMs: number[];
  medianMs: number;
  p90Ms: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
function timingOf(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  const median =
    sorted.length % 2 === 1
      ? at(0.5)
      : ((sorted[sorted.length / 2 - 1] ?? NaN) + (sorted[sorted.length / 2] ?? NaN)) / 2;
  return { runsMs: values.map(round), medianMs: round(median), p90Ms: round(at(0.9)) };
}

/** Waits for the probe; a function, not a string, since the page's CSP forbids `eval`. */
const rendered = (page: Page) =>
  page.waitForFunction(() => (globalThis as { __firstRender?: number }).__firstRender !== undefined, undefined, {
    timeout: 30_000,
    polling: 'raf',
  });

/** Where a first render's time goes: ms since navigation start at which each step ended. */
interface Phases {
  /** The page's HTML has arrived. */
  html: number;
  /** The scripts and the stylesheet have arrived (from the cache when warm). */
  assets: number;
  /** `/auth/admin/session` was asked (the app's code has run) and answered. */
  sessionAsked: number;
  sessionAnswered: number;
  /** `/api/v1/admin/accounts` was asked and answered. */
  listAsked: number;
  listAnswered: number;
}
interface FirstRender {
  ms: number;
  requests: number;
  kb: number;
  phases: Phases;
}

/** One navigation to the accounts list, timed in the page; also what it transferred, and when. */
async function firstRender(page: Page, gateway: string): Promise<FirstRender> {
  await page.goto(`${gateway}/admin/accounts`);
  await rendered(page);
  return page.evaluate<FirstRender>(`(() => {
    const resources = performance.getEntriesByType('resource').filter((entry) => entry.startTime <= window.__firstRender);
    const navigation = performance.getEntriesByType('navigation')[0];
    const bytes = resources.reduce((total, entry) => total + entry.transferSize, navigation ? navigation.transferSize : 0);
    const find = (part) => resources.find((entry) => entry.name.includes(part));
    const assets = resources.filter((entry) => entry.name.includes('/assets/'));
    const session = find('/auth/admin/session');
    const list = find('/api/v1/admin/accounts');
    return {
      ms: window.__firstRender,
      requests: resources.length + 1,
      kb: Math.round(bytes / 102.4) / 10,
      phases: {
        html: navigation ? navigation.responseEnd : NaN,
        assets: Math.max(...assets.map((entry) => entry.responseEnd)),
        sessionAsked: session ? session.startTime : NaN,
        sessionAnswered: session ? session.responseEnd : NaN,
        listAsked: list ? list.startTime : NaN,
        listAnswered: list ? list.responseEnd : NaN,
      },
    };
  })()`);
}

/** The median of each phase over the runs. */
function medianPhases(runs: readonly Phases[]): Phases {
  const keys = Object.keys(runs[0] ?? {}) as (keyof Phases)[];
  return Object.fromEntries(
    keys.map((key) => [key, timingOf(runs.map((run) => run[key])).medianMs]),
  ) as unknown as Phases;
}

async function signIn(page: Page, gateway: string): Promise<void> {
  await page.goto(`${gateway}/admin/accounts`);
  await page.getByRole('textbox', { name: /^(Username or email|Email)$/ }).fill(devLogins.staffAdmin.username);
  await page.getByLabel('Password', { exact: true }).fill(devLogins.staffAdmin.password);
  await page.getByRole('button', { name: 'Sign In' }).click();
  await page.waitForURL(`${gateway}/admin/**`);
  await rendered(page);
}

async function measureFirstRender(browser: Browser, gateway: string) {
  const signedIn = await browser.newContext({ viewport });
  await signedIn.addInitScript(firstRenderProbe);
  const page = await signedIn.newPage();
  await signIn(page, gateway);
  const cookies = await signedIn.storageState();

  // Warm: the same context, the browser's cache filled by the sign-in and one uncounted visit.
  await firstRender(page, gateway);
  const warm: number[] = [];
  const warmPhases: Phases[] = [];
  for (let index = 0; index < runs; index += 1) {
    const measured = await firstRender(page, gateway);
    warm.push(measured.ms);
    warmPhases.push(measured.phases);
  }

  // Cold: a new context each time (empty HTTP and code caches), signed in by the stored cookie.
  const cold: number[] = [];
  const coldLoads: { requests: number; kb: number }[] = [];
  const coldPhases: Phases[] = [];
  for (let index = 0; index < runs; index += 1) {
    const context: BrowserContext = await browser.newContext({ viewport, storageState: cookies });
    await context.addInitScript(firstRenderProbe);
    try {
      const measured = await firstRender(await context.newPage(), gateway);
      cold.push(measured.ms);
      coldLoads.push({ requests: measured.requests, kb: measured.kb });
      coldPhases.push(measured.phases);
    } finally {
      await context.close();
    }
  }

  // Baseline 1: the page's own fetch of the list it shows, with the same cookie.
  const listFetch = `(async () => {
    const began = performance.now();
    const response = await fetch('/api/v1/admin/accounts?limit=25', { credentials: 'same-origin' });
    await response.text();
    if (!response.ok) throw new Error('the accounts list answered ' + response.status);
    return performance.now() - began;
  })()`;
  await page.evaluate<number>(listFetch);
  const apiFetch: number[] = [];
  for (let index = 0; index < runs; index += 1) apiFetch.push(await page.evaluate<number>(listFetch));

  // Baseline 2: a small server-rendered page of the same gateway, navigation start to load end.
  const staticPage: number[] = [];
  for (let index = 0; index <= runs; index += 1) {
    await page.goto(`${gateway}/portal/request-access`, { waitUntil: 'load' });
    const ms = await page.evaluate<number>(`performance.getEntriesByType('navigation')[0].loadEventEnd`);
    if (index > 0) staticPage.push(ms);
  }
  await signedIn.close();
  return {
    warm: timingOf(warm),
    cold: timingOf(cold),
    coldLoad: { requests: coldLoads[0]?.requests ?? 0, transferredKb: coldLoads[0]?.kb ?? 0 },
    medianPhasesMs: { warm: medianPhases(warmPhases), cold: medianPhases(coldPhases) },
    baselines: { apiFetch: timingOf(apiFetch), staticPage: timingOf(staticPage) },
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((value) => Math.round(value * 100) / 100);
  const began = performance.now();
  const bundles = bundleSizes();
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  for (const app of apps) {
    const { total } = bundles[app];
    process.stdout.write(
      `${app}: first load ${bundles[app].assets.length} assets, ${kb(total.raw)} raw, ${kb(total.gzip)} gzip, ${kb(total.brotli)} brotli\n`,
    );
  }
  process.stdout.write(`lazy chunks: ${bundles.lazy.assets.length}, ${kb(bundles.lazy.total.gzip)} gzip\n`);

  let render: Awaited<ReturnType<typeof measureFirstRender>> | null = null;
  let accountsOnFirstPage = 0;
  if (!bundlesOnly) {
    const watchdog = setTimeout(() => {
      process.stderr.write(`web UI benchmark: over its ${runBudgetMs / 1000} s budget, stopping\n`);
      void stopAll().finally(() => process.exit(1));
    }, runBudgetMs);
    watchdog.unref();
    let browser: Browser | undefined;
    try {
      const stack = await isolateTestDatabase(stackEnv());
      const gatewayPort = await freePort();
      const gateway = `http://127.0.0.1:${gatewayPort}`;
      const system = await startServiceSystem({
        stack,
        entries: ['gateway', 'identity', 'directory'],
        namespacePrefix: 'bench-web',
        gatewayPort,
        env: { PORTAL_PUBLIC_URL: gateway, GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000' },
        spawn: start,
      });
      // A full first page, so the table's rows are what renders (not its empty state).
      const token = await devAccessToken(stack.KEYCLOAK_URL ?? '', 'staffAdmin');
      const staff = apiClient(system.gatewayUrl, () => token);
      const listed = await staff.request<{ items: unknown[] }>('GET', '/admin/accounts?limit=25');
      const run = randomUUID().slice(0, 6).toUpperCase();
      for (let index = listed.body.items.length; index < 25; index += 1) {
        const created = await staff.request('POST', '/admin/accounts', {
          body: { number: `BW${run}-${index}`, name: `Web bench ${run} ${index}` },
        });
        if (created.status !== 201) throw new Error(`seeding an account answered ${created.status}: ${created.text}`);
      }
      accountsOnFirstPage = 25;
      browser = await launchBrowser();
      render = await measureFirstRender(browser, gateway);
    } finally {
      clearTimeout(watchdog);
      await browser?.close();
      await stopAll();
    }
    const { warm, cold, baselines } = render;
    process.stdout.write(
      `first render of /admin/accounts (${runs} runs): warm median ${warm.medianMs} ms, p90 ${warm.p90Ms} ms; ` +
        `cold median ${cold.medianMs} ms, p90 ${cold.p90Ms} ms (${render.coldLoad.requests} requests, ${render.coldLoad.transferredKb} KiB)\n` +
        `baselines: the list's fetch median ${baselines.apiFetch.medianMs} ms; a server-rendered page median ${baselines.staticPage.medianMs} ms\n`,
    );
  }

  const result = {
    measuredAt: new Date().toISOString(),
    machine: machineFacts(loadBefore),
    node: process.version,
    bundles,
    ...(render
      ? {
          firstRender: {
            runs,
            path: '/admin/accounts',
            accountsOnFirstPage,
            until: 'the "Accounts" table has its first row in the DOM (performance.now() in the page)',
            warm: render.warm,
            cold: render.cold,
            coldLoad: render.coldLoad,
            medianPhasesMs: render.medianPhasesMs,
            baselines: render.baselines,
            ratios: {
              warmToApiFetch: ratio(render.warm.medianMs, render.baselines.apiFetch.medianMs),
              coldToApiFetch: ratio(render.cold.medianMs, render.baselines.apiFetch.medianMs),
              warmToStaticPage: ratio(render.warm.medianMs, render.baselines.staticPage.medianMs),
              coldToStaticPage: ratio(render.cold.medianMs, render.baselines.staticPage.medianMs),
            },
          },
        }
      : {}),
    wallSeconds: Math.round((performance.now() - began) / 1000),
    commit: gitCommit(),
  };
  await mkdir(dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
  if (result.firstRender) {
    process.stdout.write(
      `median phases (ms since navigation start): ${JSON.stringify(result.firstRender.medianPhasesMs)}\n`,
    );
    process.stdout.write(`ratios (median ÷ baseline): ${JSON.stringify(result.firstRender.ratios)}\n`);
  }
  process.stdout.write(`written to ${resultsFile} (${result.wallSeconds} s)\n`);
}

await main();
