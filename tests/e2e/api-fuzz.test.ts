import { expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';
import { describeFindings, reportDirFor, runApiFuzz, seedFromEnv, summaryLine } from '../fuzz/api-fuzz.ts';

/**
 * Cases per operation. The staff API grew with documents, submittals and notifications (about 90
 * operations): 60 cases made 4,483 requests in 174 s with documents alone, near the 240 s budget,
 * and 40 made 4,251–4,464 with everything; 30 keep the run near two minutes on 2 cores.
 */
const boundedExamples = Number(process.env.FUZZ_BOUNDED_EXAMPLES ?? 30);
const budgetMs = 240_000;

// The bounded run of the API fuzzing (tests/fuzz/api-fuzz.ts): schemathesis against the OpenAPI
// document, with a real staff token, on real gateway and directory processes. One test, so a
// finding counts once in the run's summary; its message lists every distinct failure with a curl
// to reproduce it, and the seed to replay the run (FUZZ_SEED=<seed> npm run test:e2e -- api-fuzz).
it(
  'the staff API answers schemathesis as its OpenAPI document says: no 5xx, documented statuses, types and bodies',
  async () => {
    const seed = seedFromEnv();
    const result = await runApiFuzz({
      stack: stackEnv(),
      maxExamples: boundedExamples,
      seed,
      workers: 2,
      phases: 'fuzzing',
      budgetMs,
      reportDir: reportDirFor(seed),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`${summaryLine(result)}\n`);
    // A run that sent almost nothing proves nothing (schema not loaded, every request refused…).
    expect(result.requests, summaryLine(result)).toBeGreaterThan(boundedExamples * 10);
    expect(result.errors, `${summaryLine(result)}\n${describeFindings(result)}`).toEqual([]);
    expect(result.findings, `${summaryLine(result)}\n${describeFindings(result)}`).toEqual([]);
  },
  budgetMs + 90_000,
);
