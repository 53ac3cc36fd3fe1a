/** Unit tests of the API: `*.spec.ts` beside the source. */
module.exports = {
  ...require('./jest.swc.js'),
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
};
