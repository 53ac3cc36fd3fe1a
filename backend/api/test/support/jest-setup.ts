// e2e suites boot whole apps (and databases); jest's `testTimeout` is global-only under a multi-project run.
jest.setTimeout(300_000);

// No test may reach the internet: every app a suite starts in-process is checked before it boots, and
// one whose config points the exchange (or a configured notification channel) at a non-loopback host
// fails its suite, naming the variable. Child processes are checked in app-process.ts (spawnNode).
jest.mock('../../src/bootstrap', () => {
  const actual = jest.requireActual<typeof import('../../src/bootstrap')>('../../src/bootstrap');
  const { assertLocalOnlyConfig } = jest.requireActual<typeof import('./local-only')>('./local-only');
  return {
    __esModule: true,
    ...actual,
    startApp: async (...args: Parameters<typeof actual.startApp>) => {
      assertLocalOnlyConfig(args[0]);
      return actual.startApp(...args);
    },
  };
});
