/**
 * Outage suites stop and start the machine's real Postgres and Redis: they run alone, after every other
 * suite (scripts/run-tests.mjs), never in parallel with them.
 */
module.exports = {
  ...require('../../jest.swc.js'),
  displayName: 'api-outage',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.outage-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/../support/jest-setup.ts'],
};
