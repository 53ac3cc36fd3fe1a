#!/usr/bin/env node
// Builds (cached by Nx), runs every jest project once, then the outage pass and the browser tests
// (Playwright driving Debian's Chromium), and ends with the one summary line "N passed, N failed[, N
// skipped]" that CI reads, totalling all. What this machine cannot run (no Redis/Postgres configured,
// no Chromium) is left out, named with how to add it in one "left out: …" line just above the summary,
// and does not fail the run, unless REQUIRE_REDIS=1 / REQUIRE_BROWSER=1 (CI) ask for it: then it fails.
// Extra arguments go to jest (e.g. a path filter) and leave the outage pass and browser tests out;
// SKIP_BROWSER=1 leaves the browser tests out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumMissing } from '../frontend/e2e/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(root, 'tmp', 'jest-results.json');
const env = {
  ...process.env,
  TZ: 'UTC',
  NX_DAEMON: 'false',
  // PGlite loads Node built-ins with dynamic import(), which jest's VM only allows with this flag.
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};

/** What was left out and how to add it, for the one "left out:" line. */
const leftOut = [];
const focused = process.argv.length > 2;
// The same rule as describeWithRedis (backend/api/test/support/redis-suite.ts), which skips those suites.
const missingServices = ['REDIS_URL', 'DATABASE_URL'].filter((variable) => !process.env[variable]);
const servicesHint =
  'start Postgres and Redis, then set DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379';

const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: 'inherit' }).status ?? 1;

if (
  process.env.SKIP_BUILD !== '1' &&
  run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=stream']) !== 0
) {
  console.error('build failed: tests not run');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(path.dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
const maxWorkers = process.env.JEST_MAX_WORKERS ?? '2';
const status = run('npx', [
  'jest',
  '--config',
  'jest.config.js',
  `--maxWorkers=${maxWorkers}`,
  '--json',
  `--outputFile=${resultsFile}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  skipped = results.numPendingTests + results.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
if (status !== 0 && failed === 0) failed = 1;

if (missingServices.length > 0 && process.env.REQUIRE_REDIS !== '1')
  leftOut.push(
    `Redis suites and the outage pass (no ${missingServices.join(' or ')} — ${servicesHint}; the outage pass also needs pg_ctlcluster and redis-server)`,
  );

// Outage suites stop and start the machine's Postgres and Redis: alone, after everything else.
let outageStatus = 0;
if (focused) {
  leftOut.push('outage pass (a jest path filter was given)');
} else if (missingServices.length === 0) {
  const outageFile = path.join(root, 'tmp', 'jest-outage.json');
  rmSync(outageFile, { force: true });
  outageStatus = run('npx', [
    'jest',
    '--config',
    'backend/api/test/outage/jest-outage.config.js',
    '--runInBand',
    '--json',
    `--outputFile=${outageFile}`,
  ]);
  try {
    const outage = JSON.parse(readFileSync(outageFile, 'utf8'));
    passed += outage.numPassedTests;
    failed += outage.numFailedTests + outage.numRuntimeErrorTestSuites;
    skipped += outage.numPendingTests;
  } catch {
    failed += 1;
  }
} else if (process.env.REQUIRE_REDIS === '1') {
  console.error(`outage pass: REQUIRE_REDIS=1 but ${missingServices.join(' and ')} not set`);
  failed += 1;
}

let browserStatus = 0;
const browserMissing = focused
  ? 'a jest path filter was given'
  : process.env.SKIP_BROWSER === '1'
    ? 'SKIP_BROWSER=1 — unset it'
    : chromiumMissing();
if (browserMissing === null) {
  // The browser suite starts its own backend on embedded PGlite (never the CI database).
  const reports = ['contract', 'app'].map((project) => path.join(root, 'tmp', `playwright-${project}.json`));
  reports.forEach((report) => rmSync(report, { force: true }));
  browserStatus = run('node', ['frontend/e2e/run-browser-tests.mjs']);
  for (const report of reports) {
    try {
      const { stats } = JSON.parse(readFileSync(report, 'utf8'));
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected;
      skipped += stats.skipped;
    } catch {
      console.error(`browser tests: no report at ${path.relative(root, report)} (the pass did not run)`);
      failed += 1;
    }
  }
  if (browserStatus !== 0 && failed === 0) failed = 1;
} else if (process.env.REQUIRE_BROWSER === '1' && !focused) {
  console.error(`browser tests: REQUIRE_BROWSER=1 but they cannot run: ${browserMissing}`);
  failed += 1;
} else {
  leftOut.push(`browser tests (${browserMissing})`);
}

console.log(`left out: ${leftOut.length > 0 ? leftOut.join('; ') : 'nothing'}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || outageStatus !== 0 || browserStatus !== 0 || failed > 0 ? 1 : 0);
