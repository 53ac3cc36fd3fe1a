#!/usr/bin/env node
// Runs the browser tests in two passes so the performance measurement never shares the CPU with the
// backend: first the contract project (no backend), then the app project (real backend + simulator).
// Each pass writes Playwright's JSON report to <repo>/tmp/playwright-<project>.json; the last line is
// "N passed, N failed, N skipped" (flaky = passed on retry, counted as passed and reported).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumMissing } from './chromium.mjs';

const frontend = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = path.join(frontend, '..', 'tmp');
const passes = [
  { project: 'contract', env: { E2E_CONTRACT_ONLY: '1' } },
  { project: 'app', env: {} },
];
const extra = process.argv.slice(2);
// Asked to run the browser tests, so a missing browser is a failure (npm test decides for itself first).
const missing = chromiumMissing();
if (missing !== null) {
  console.error(`browser tests cannot run: ${missing}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const total = { passed: 0, failed: 0, skipped: 0, flaky: 0 };
let status = 0;

for (const pass of passes) {
  const report = path.join(tmp, `playwright-${pass.project}.json`);
  rmSync(report, { force: true });
  const result = spawnSync(
    'npx',
    ['playwright', 'test', '--config', 'e2e/playwright.config.ts', '--project', pass.project, ...extra],
    {
      cwd: frontend,
      stdio: 'inherit',
      env: { ...process.env, TZ: 'UTC', PLAYWRIGHT_JSON_OUTPUT: report, ...pass.env },
    },
  );
  if (result.status !== 0) status = 1;
  try {
    const { stats } = JSON.parse(readFileSync(report, 'utf8'));
    total.passed += stats.expected + stats.flaky;
    total.flaky += stats.flaky;
    total.failed += stats.unexpected;
    total.skipped += stats.skipped;
  } catch {
    total.failed += 1; // no report: the pass could not run (e.g. global setup failed)
  }
}
if (status !== 0 && total.failed === 0) total.failed = 1;
console.log(
  `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped${total.flaky ? ` (${total.flaky} flaky)` : ''}`,
);
process.exit(status);
