import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

/**
 * Browser tests of the dashboard, driving Debian's Chromium (never `npx playwright install`).
 * global-setup.ts starts the exchange simulator and the real backend (serving the built dashboard).
 * Results: list on the console, JSON for CI in <repo>/tmp/playwright-results.json.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const repoRoot = path.resolve(__dirname, '..', '..');

export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.e2e\.ts$/,
  outputDir: path.join(__dirname, '..', 'test-artifacts', 'playwright-output'),
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile:
          process.env.PLAYWRIGHT_JSON_OUTPUT ?? path.join(repoRoot, 'tmp', 'playwright-results.json'),
      },
    ],
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Against the real backend + exchange simulator started by global-setup.
    { name: 'app', testIgnore: /(perf|contract|matrix)\.e2e\.ts$/ },
    // Against ContractTestServer (the wire contract with synthetic load, serving the built dashboard).
    // No trace recording: its DOM snapshots run in the page and would be measured as the app's long tasks.
    // One retry: on a shared 2-CPU runner another process can stretch a single task past 50 ms.
    {
      name: 'contract',
      testMatch: /(perf|contract|matrix)\.e2e\.ts$/,
      timeout: 180_000,
      retries: 1,
      use: { trace: 'off', screenshot: 'off', video: 'off' },
    },
  ],
});
