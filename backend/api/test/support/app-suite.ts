import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../../src/bootstrap';
import { createTestEnvironment, type TestEnvironment } from './test-env';

/** A suite's app, filled in by the suite's beforeAll: read it in tests and hooks, not while declaring. */
export interface SuiteApp {
  environment: TestEnvironment;
  running: RunningApp;
  /** http://127.0.0.1:<port> */
  url: string;
  db: DataSource;
}

/**
 * Hooks for the enclosing describe: before its tests, a fresh test environment and the whole app on it
 * (in-process, HTTP on 127.0.0.1) with `overrides`, given as a function when they hold something an
 * earlier beforeAll starts (a simulator's URL); after them, the app closed and the environment cleaned up.
 * Hooks run in the order they are declared: a simulator started before this call is closed after it by
 * an afterAll declared after it.
 */
export function appForSuite(
  overrides: Record<string, string> | (() => Record<string, string>) = {},
): SuiteApp {
  const suite = {} as SuiteApp;
  beforeAll(async () => {
    suite.environment = await createTestEnvironment();
    suite.running = await startApp(
      suite.environment.config(typeof overrides === 'function' ? overrides() : overrides),
      { host: '127.0.0.1' },
    );
    suite.url = suite.running.url as string;
    suite.db = suite.running.app.get(DataSource);
  });
  afterAll(async () => {
    await suite.running?.close();
    await suite.environment?.cleanup();
  });
  return suite;
}
