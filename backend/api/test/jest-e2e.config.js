/** End-to-end suites: the real app over HTTP and Socket.IO, on real Postgres/Redis when configured. */
module.exports = {
  ...require('../jest.swc.js'),
  displayName: 'api-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/support/jest-setup.ts'],
};
