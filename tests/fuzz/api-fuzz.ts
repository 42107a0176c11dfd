/**
 * API fuzzing with schemathesis (PyPI, locked in tests/fuzz/requirements.txt) against the staff API
 * as its OpenAPI document describes it: the real gateway and directory processes over NATS, a real
 * staff token from Keycloak, real PostgreSQL (the suites' own database), a few seeded records so
 * path ids exist. Every response is checked: no 5xx, and status code, content type, headers and
 * body as documented.
 *
 *   node tests/fuzz/api-fuzz.ts          (npm run fuzz:api: the long run, ≥ 20,000 requests)
 *
 * Environment: FUZZ_MAX_EXAMPLES (test cases per operation and phase, default 700), FUZZ_SEED
 * (default random, always printed: re-run with it to reproduce), FUZZ_WORKERS (default 2),
 * FUZZ_PHASES (default examples,coverage,fuzzing). The stack is reused if one is running (or named
 * by URLs in the environment) and started otherwise; what this run starts it stops. Reports go to
 * .local/fuzz/<time>-seed-<seed>/ (JUnit and NDJSON from schemathesis, summary.json from here).
 * The bounded run in `npm test` is tests/e2e/api-fuzz.test.ts, through runApiFuzz below.
 */
import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDir } from '@portal/deploy/local/config';
import { devAccessToken, devCliClientId, devLogins } from '@portal/deploy/local/dev-logins';
import { ensureSchemathesis } from '@portal/deploy/local/install';
import { isolateTestDatabase } from '@portal/testing';
import { startServiceSystem, type ServiceSystem } from '../support/service-system.ts';

/** What must hold for every response; a failure of any of them fails the run. */
export const fuzzChecks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'unsupported_method',
] as const;

export interface FuzzOptions {
  /** Connection settings of the running stack (database URLs already the suites' own). */
  stack: Record<string, string>;
  /** Test cases per operation and phase (schemathesis `--max-examples`). */
  maxExamples: number;
  seed: number;
  workers: number;
  phases: string;
  /** Whole schemathesis run; past it the fuzzer is stopped and the run fails. */
  budgetMs: number;
  reportDir: string;
  log(line: string): void;
}

/** One distinct failure: a check failing on one operation with one kind of answer. */
export interface FuzzFinding {
  check: string;
  operation: string;
  status: number | null;
  title: string;
  message: string;
  /** How often schemathesis hit it (before de-duplication by check, operation, status and title). */
  occurrences: number;
  curl: string | null;
  responseBody: string | null;
}

export interface FuzzResult {
  version: string;
  seed: number;
  maxExamples: number;
  requests: number;
  durationMs: number;
  exitCode: number | null;
  failuresByCheck: Record<string, number>;
  findings: FuzzFinding[];
  /** Problems that are not check failures: schema not loaded, network errors, the budget exceeded. */
  errors: string[];
  reportDir: string;
  command: string;
}

const hooksFile = join(import.meta.dirname, 'schemathesis_hooks.py');

// ---------------------------------------------------------------- the system under test

/**
 * Identity, directory, documents, submittals and gateway as real processes in a Moleculer namespace of their own; the gateway's rate
 * limits (and identity's self-service attempt limits) are lifted so the fuzzer tests the API rather than 429s.
 */
function startSystem(stack: Record<string, string>): Promise<ServiceSystem> {
  return startServiceSystem({
    stack,
    entries: ['identity', 'directory', 'documents', 'submittals', 'notifications', 'gateway'],
    namespacePrefix: 'fuzz',
    env: {
      GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
      GATEWAY_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '1000000',
      IDENTITY_SELF_SERVICE_ATTEMPTS_PER_ADDRESS: '1000000',
      IDENTITY_SELF_REGISTRATION_ATTEMPTS_PER_INVOICE: '1000000',
    },
  });
}

function adminToken(stack: Record<string, string>): Promise<string> {
  return devAccessToken(stack.KEYCLOAK_URL ?? '', 'staffAdmin');
}

/** Ids that exist, by the path parameter name that takes them. */
export type SeedIds = Record<
  | 'accountClassId'
  | 'accountId'
  | 'siteId'
  | 'projectId'
  | 'contactId'
  | 'importId'
  | 'requestId'
  | 'fileTypeId'
  | 'documentId'
  | 'submittalId',
  string[]
>;

/**
 * Two sets of records made through the API itself: `kept` for every operation but DELETE, and
 * `disposable` for DELETE. One set would not do: the fuzzer archives what it deletes, and every
 * later write to an archived record (or to an account whose group is archived) answers 422 before
 * the input reaches the code that should have rejected it, hiding the bugs behind it.
 */
async function seed(baseUrl: string, token: string): Promise<{ kept: SeedIds; disposable: SeedIds }> {
  const run = randomUUID().slice(0, 6).toUpperCase();
  const post = async (path: string, body: unknown, contentType = 'application/json') => {
    const response = await fetch(`${baseUrl}/api/v1/admin${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (response.status !== 201 && response.status !== 202) {
      throw new Error(`seeding ${path}: ${response.status} ${text}`);
    }
    return (JSON.parse(text) as { id: string }).id;
  };
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`seeding ${method} ${path}: ${response.status} ${text}`);
    return text;
  };
  const seedSet = async (set: 'K' | 'D'): Promise<SeedIds> => {
    const tag = `FZ-${run}-${set}`;
    const ids: SeedIds = {
      accountClassId: [],
      accountId: [],
      siteId: [],
      projectId: [],
      contactId: [],
      importId: [],
      requestId: [],
      fileTypeId: [],
      documentId: [],
      submittalId: [],
    };
    const accountClass = await post('/account-classes', { name: `Fuzz class ${tag}`, requireMfa: true });
    ids.accountClassId.push(accountClass);
    const group = await post('/accounts', { number: `${tag}-G`, name: `Fuzz group ${tag}`, kind: 'consolidated' });
    ids.accountId.push(group);
    for (let i = 1; i <= 2; i++) {
      const account = await post('/accounts', {
        number: `${tag}-${i}`,
        name: `Fuzz customer ${tag} ${i}`,
        // The disposable class stays unused, so deleting it can succeed once.
        ...(set === 'K' ? { classId: accountClass } : {}),
        ...(i === 1 ? { consolidatedAccountId: group } : {}),
      });
      ids.accountId.push(account);
      const site = await post(`/accounts/${account}/sites`, {
        code: `S${i}`,
        name: `Site ${i}`,
        address: { city: 'Berlin', country: 'DE' },
      });
      ids.siteId.push(site);
      ids.projectId.push(
        await post(`/accounts/${account}/projects`, { code: `P${i}`, name: `Project ${i}`, siteId: site }),
        await post(`/accounts/${account}/projects`, { code: `Q${i}`, name: `Open project ${i}` }),
      );
      ids.contactId.push(
        await post(`/accounts/${account}/contacts`, {
          firstName: 'Fritz',
          lastName: `Fuzz ${i}`,
          email: `fritz.${tag.toLowerCase()}.${i}@customer.test`,
        }),
        await post(`/accounts/${account}/contacts`, { firstName: 'Site', lastName: `Lead ${i}`, siteId: site }),
      );
    }
    // An access request in the staff queue (the login page's form, with its option on).
    await send('PUT', '/admin/system-options', { requestLoginButton: true, selfRegistration: true });
    await send('POST', '/public/access-requests', {
      name: `Fuzz requester ${tag}`,
      email: `requester.${tag.toLowerCase()}@customer.test`,
      company: `Fuzz company ${tag}`,
    });
    const queue = JSON.parse(await send('GET', '/admin/access-requests?limit=100')) as {
      items: { id: string; email: string }[];
    };
    ids.requestId.push(
      ...queue.items
        .filter((item) => item.email === `requester.${tag.toLowerCase()}@customer.test`)
        .map((item) => item.id),
    );
    // Documents (no file: a document without a version) and a document request on the first project.
    const fileType = await post('/file-types', {
      code: `fuzz-${tag.toLowerCase()}`,
      name: `Fuzz type ${tag}`,
      customerVisible: true,
      allowedContentTypes: ['application/pdf', 'text/plain'],
      maxSizeBytes: 1_000_000,
    });
    ids.fileTypeId.push(fileType);
    const owner = { kind: 'project', id: ids.projectId[0] };
    ids.documentId.push(await post('/documents', { owner, title: `Fuzz document ${tag}`, fileTypeId: fileType }));
    ids.requestId.push(
      await post('/document-requests', {
        owner,
        title: `Fuzz request ${tag}`,
        fileTypeId: fileType,
        requestedFromContactIds: [ids.contactId[0]],
      }),
    );
    // A draft submittal (no files yet) on the same project.
    ids.submittalId.push(
      await post('/submittals', { projectId: ids.projectId[0], purpose: 'for-review', title: `Fuzz submittal ${tag}` }),
    );
    if (set === 'K') {
      const csv = `account_number,site_code,first_name,last_name,email,phone,title\n${tag}-1,S1,Ida,Import,ida.${tag.toLowerCase()}@customer.test,,\n`;
      ids.importId.push(await post('/contact-imports', csv, 'text/csv'));
    }
    return ids;
  };
  return { kept: await seedSet('K'), disposable: await seedSet('D') };
}

// ---------------------------------------------------------------- schemathesis

/** Runs schemathesis against a started system; resolves when it exits (or is stopped at the budget). */
async function runSchemathesis(
  options: FuzzOptions,
  baseUrl: string,
  seedFile: string,
): Promise<{ exitCode: number | null; output: string; command: string; timedOut: boolean; version: string }> {
  const tool = await ensureSchemathesis(options.log);
  const args = [
    '-m',
    'schemathesis.cli',
    'run',
    `${baseUrl}/api/v1/openapi.json`,
    '--url',
    `${baseUrl}/api/v1`,
    '--checks',
    fuzzChecks.join(','),
    '--phases',
    options.phases,
    '--max-examples',
    String(options.maxExamples),
    '--seed',
    String(options.seed),
    '--workers',
    String(options.workers),
    // Every distinct failure of an operation, not only its first: the findings list is the point.
    '--continue-on-failure',
    // The token comes from the hooks on every request; a generated (garbage) Authorization header
    // only tests the 401 path over and over, which the e2e suite covers.
    '--generation-with-security-parameters',
    'false',
    '--generation-allow-x00',
    'true',
    // No example database: a seed reproduces a run only if earlier runs do not feed it examples.
    '--generation-database',
    'none',
    '--request-timeout',
    '30',
    '--report',
    'junit,ndjson',
    '--report-junit-path',
    join(options.reportDir, 'junit.xml'),
    '--report-ndjson-path',
    join(options.reportDir, 'events.ndjson'),
    '--output-truncate',
    'false',
    '--no-color',
  ];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? options.reportDir,
    SCHEMATHESIS_HOOKS: hooksFile,
    FUZZ_TOKEN_URL: `${options.stack.KEYCLOAK_URL}/realms/${devLogins.staffAdmin.realm}/protocol/openid-connect/token`,
    FUZZ_CLIENT_ID: devCliClientId,
    FUZZ_USERNAME: devLogins.staffAdmin.username,
    FUZZ_PASSWORD: devLogins.staffAdmin.password,
    // The staff realm's access tokens live 300 s; a 401 also makes the hooks fetch a new one.
    FUZZ_TOKEN_REFRESH_SECONDS: '120',
    FUZZ_SEED_FILE: seedFile,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    COLUMNS: '160',
  };
  const command = `${tool.python} ${args.join(' ')}`;
  options.log(`[fuzz] $ SCHEMATHESIS_HOOKS=${hooksFile} schemathesis ${args.slice(2).join(' ')}`);
  const child = spawn(tool.python, args, { cwd: options.reportDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT'); // schemathesis writes its reports on an interrupt
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  }, options.budgetMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  writeFileSync(join(options.reportDir, 'schemathesis-output.txt'), output);
  return { exitCode, output, command, timedOut, version: tool.version };
}

// ---------------------------------------------------------------- reports

/** Bodies in schemathesis' reports: `{ "$base64": "…" }` (or plain text). */
type ReportBody = { $base64: string } | string | null | undefined;

interface ReportInteraction {
  request: { method: string; uri: string; headers?: Record<string, string[]>; body?: ReportBody };
  response?: { status_code?: number; headers?: Record<string, string[]>; content?: ReportBody } | null;
}

interface ReportCheck {
  name: string;
  status: string;
  failure_info?: { failure?: { title?: string; message?: string; code?: string } } | null;
}

interface ScenarioRecorder {
  label: string;
  interactions?: Record<string, ReportInteraction>;
  checks?: Record<string, ReportCheck[]>;
}

function bodyText(body: ReportBody): string | null {
  if (body === null || body === undefined) return null;
  return typeof body === 'string' ? body : Buffer.from(body.$base64, 'base64').toString('utf8');
}

/** A string as one shell word: plain quotes when printable, bash's $'…' with escapes otherwise. */
function shellWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  let escaped = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (char === "'" || char === '\\') escaped += `\\${char}`;
    else if (byte >= 0x20 && byte < 0x7f) escaped += char;
    else escaped += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${escaped}'`;
}

/** The request as a curl command; the token is left to the reader ($TOKEN: see README "Try the staff API"). */
export function curlOf(request: ReportInteraction['request']): string {
  const parts = ['curl', '-sS', '-X', request.method, '-H "Authorization: Bearer $TOKEN"'];
  for (const [name, values] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() === 'authorization') continue;
    for (const value of values) parts.push('-H', shellWord(`${name}: ${value}`));
  }
  const body = bodyText(request.body);
  if (body !== null) parts.push('--data-binary', shellWord(body));
  parts.push(shellWord(request.uri));
  return parts.join(' ');
}

/**
 * Reads schemathesis' NDJSON event stream: every `ScenarioFinished` event carries the recorder of
 * one scenario (its cases, the request and response of each, and the checks run on them). Failures
 * are grouped by check, operation, status and the failure's title; the shortest request of each is kept.
 */
export function summarizeEvents(
  ndjson: string,
): Pick<FuzzResult, 'requests' | 'failuresByCheck' | 'findings' | 'errors'> {
  let requests = 0;
  const failuresByCheck: Record<string, number> = {};
  const findings = new Map<string, FuzzFinding>();
  const errors: string[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Record<string, Record<string, unknown>>;
    const [kind, payload] = Object.entries(event)[0] ?? [];
    if (!kind || !payload) continue;
    if (kind === 'NonFatalError' || kind === 'FatalError') {
      const value = payload['value'] as { type?: string; message?: string } | undefined;
      const label = typeof payload['label'] === 'string' ? `${payload['label']}: ` : '';
      errors.push(`${label}${value?.type ?? kind}: ${value?.message ?? JSON.stringify(payload).slice(0, 500)}`);
      continue;
    }
    if (kind !== 'ScenarioFinished') continue;
    const recorder = payload['recorder'] as ScenarioRecorder | undefined;
    if (!recorder) continue;
    const interactions = recorder.interactions ?? {};
    requests += Object.keys(interactions).length;
    for (const [caseId, checks] of Object.entries(recorder.checks ?? {})) {
      for (const check of checks) {
        if (check.status !== 'failure') continue;
        failuresByCheck[check.name] = (failuresByCheck[check.name] ?? 0) + 1;
        const interaction = interactions[caseId];
        const status = interaction?.response?.status_code ?? null;
        const failure = check.failure_info?.failure ?? {};
        const title = failure.title ?? check.name;
        const key = `${check.name}|${recorder.label}|${status}|${title}`;
        const example: FuzzFinding = {
          check: check.name,
          operation: recorder.label,
          status,
          title,
          message: failure.message ?? '',
          occurrences: 1,
          curl: interaction ? curlOf(interaction.request) : null,
          responseBody: bodyText(interaction?.response?.content),
        };
        const known = findings.get(key);
        // The shortest request of a group is the one to read (shrinking makes it near-minimal).
        if (!known) findings.set(key, example);
        else if ((example.curl?.length ?? Infinity) < (known.curl?.length ?? Infinity)) {
          findings.set(key, { ...example, occurrences: known.occurrences + 1 });
        } else known.occurrences++;
      }
    }
  }
  return { requests, failuresByCheck, findings: [...findings.values()], errors };
}

/** The one-line summary both entry points print. */
export function summaryLine(result: FuzzResult): string {
  const failures = Object.entries(result.failuresByCheck)
    .map(([check, count]) => `${check} ${count}`)
    .join(', ');
  return (
    `[fuzz] schemathesis ${result.version}, seed ${result.seed}: ${result.requests} requests in ` +
    `${(result.durationMs / 1000).toFixed(1)} s; ` +
    (failures ? `failures: ${failures} (${result.findings.length} distinct)` : 'no check failed') +
    (result.errors.length ? `; ${result.errors.length} error(s)` : '') +
    `; reports in ${result.reportDir}`
  );
}

/** The distinct findings, for a test failure message or the terminal. */
export function describeFindings(result: FuzzResult): string {
  const lines: string[] = [];
  for (const finding of result.findings) {
    lines.push(
      `- ${finding.check}: ${finding.operation} → ${finding.status ?? 'no answer'} (${finding.occurrences}×) ${finding.title}`,
    );
    if (finding.message) lines.push(`    ${finding.message.split('\n').slice(0, 6).join('\n    ')}`);
    if (finding.responseBody) lines.push(`    body: ${finding.responseBody.slice(0, 300)}`);
    if (finding.curl) lines.push(`    ${finding.curl.split('\n').join('\n    ')}`);
  }
  for (const error of result.errors) lines.push(`- error: ${error}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- the run

/** Starts directory + gateway on the given stack, seeds, fuzzes, stops them; the stack stays. */
export async function runApiFuzz(options: FuzzOptions): Promise<FuzzResult> {
  mkdirSync(options.reportDir, { recursive: true });
  const system = await startSystem(options.stack);
  try {
    const ids = await seed(system.gatewayUrl, await adminToken(options.stack));
    const seedFile = join(options.reportDir, 'seed-ids.json');
    writeFileSync(seedFile, `${JSON.stringify(ids, null, 2)}\n`);
    options.log(
      `[fuzz] gateway ${system.gatewayUrl}; seeded (twice: kept, and disposable for DELETE) ${Object.entries(ids.kept)
        .map(([name, list]) => `${list.length} ${name}`)
        .join(', ')}`,
    );
    const began = performance.now();
    const run = await runSchemathesis(options, system.gatewayUrl, seedFile);
    const durationMs = performance.now() - began;
    let events = '';
    try {
      events = readFileSync(join(options.reportDir, 'events.ndjson'), 'utf8');
    } catch {
      // no report: the output below says why
    }
    const summary = summarizeEvents(events);
    const errors = [...summary.errors];
    if (run.timedOut) errors.push(`schemathesis was stopped at the budget of ${options.budgetMs / 1000} s`);
    if (!events) errors.push(`schemathesis wrote no NDJSON report (exit ${run.exitCode}):\n${run.output.slice(-3000)}`);
    const anyFailure = summary.findings.length > 0;
    if (run.exitCode !== 0 && !anyFailure && errors.length === 0) {
      errors.push(`schemathesis exited ${run.exitCode} without a failed check:\n${run.output.slice(-3000)}`);
    }
    const crashed = system.processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    for (const p of crashed) errors.push(`${p.name} exited during the run:\n${p.output().slice(-2000)}`);
    const result: FuzzResult = {
      version: run.version,
      seed: options.seed,
      maxExamples: options.maxExamples,
      requests: summary.requests,
      durationMs,
      exitCode: run.exitCode,
      failuresByCheck: summary.failuresByCheck,
      findings: summary.findings,
      errors,
      reportDir: options.reportDir,
      command: run.command,
    };
    writeFileSync(join(options.reportDir, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await system.stop();
  }
}

/** Where a run's reports go: .local/fuzz/<time>-seed-<seed>. */
export function reportDirFor(seed: number): string {
  return join(localDir, 'fuzz', `${new Date().toISOString().replace(/[:.]/g, '-')}-seed-${seed}`);
}

export function seedFromEnv(): number {
  const given = process.env.FUZZ_SEED;
  if (given === undefined || given === '') return randomInt(1, 2 ** 31 - 1);
  if (!/^\d+$/.test(given)) throw new Error(`FUZZ_SEED must be a whole number, got "${given}"`);
  return Number(given);
}

async function main(): Promise<void> {
  const maxExamples = Number(process.env.FUZZ_MAX_EXAMPLES ?? 700);
  const seedValue = seedFromEnv();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`[fuzz] seed ${seedValue} (FUZZ_SEED=${seedValue} reproduces this run), max examples ${maxExamples}`);
  const { startStack } = await import('@portal/deploy/local/stack');
  const stack = await startStack({ log });
  try {
    const result = await runApiFuzz({
      stack: await isolateTestDatabase(stack.env),
      maxExamples,
      seed: seedValue,
      workers: Number(process.env.FUZZ_WORKERS ?? 2),
      phases: process.env.FUZZ_PHASES ?? 'examples,coverage,fuzzing',
      budgetMs: Number(process.env.FUZZ_BUDGET_SECONDS ?? 3 * 3600) * 1000,
      reportDir: reportDirFor(seedValue),
      log,
    });
    if (result.findings.length > 0 || result.errors.length > 0) log(describeFindings(result));
    log(summaryLine(result));
    process.exitCode = result.findings.length > 0 || result.errors.length > 0 ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

if (import.meta.main) await main();
