// e2e suites boot whole apps (and databases); jest's `testTimeout` is global-only under a multi-project run.
jest.setTimeout(60_000);
