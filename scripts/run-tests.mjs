#!/usr/bin/env node
// Builds (cached by Nx), runs every jest project once, then the browser tests (Playwright driving
// Debian's Chromium), and ends with the one summary line "N passed, N failed" that CI reads, totalling
// both. Extra arguments go to jest (e.g. a path filter); SKIP_BROWSER=1 leaves the browser tests out.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(root, 'tmp', 'jest-results.json');
const env = {
  ...process.env,
  TZ: 'UTC',
  NX_DAEMON: 'false',
  // PGlite loads Node built-ins with dynamic import(), which jest's VM only allows with this flag.
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
};

const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: 'inherit' }).status ?? 1;

if (process.env.SKIP_BUILD !== '1' && run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=stream']) !== 0) {
  console.error('build failed: tests not run');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(path.dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
const maxWorkers = process.env.JEST_MAX_WORKERS ?? '2';
const status = run('npx', ['jest', '--config', 'jest.config.js', `--maxWorkers=${maxWorkers}`, '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)]);

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

// Outage suites stop and start the machine's Postgres and Redis: alone, after everything else.
let outageStatus = 0;
if (process.argv.length <= 2) {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    const outageFile = path.join(root, 'tmp', 'jest-outage.json');
    rmSync(outageFile, { force: true });
    outageStatus = run('npx', ['jest', '--config', 'backend/api/test/outage/jest-outage.config.js', '--runInBand', '--json', `--outputFile=${outageFile}`]);
    try {
      const outage = JSON.parse(readFileSync(outageFile, 'utf8'));
      passed += outage.numPassedTests;
      failed += outage.numFailedTests + outage.numRuntimeErrorTestSuites;
      skipped += outage.numPendingTests;
    } catch {
      failed += 1;
    }
  } else {
    console.log('[outage suites] not run: they stop and start a real Postgres and Redis (set DATABASE_URL and REDIS_URL)');
  }
}

let browserStatus = 0;
if (process.env.SKIP_BROWSER !== '1' && process.argv.length <= 2) {
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
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || outageStatus !== 0 || browserStatus !== 0 || failed > 0 ? 1 : 0);
