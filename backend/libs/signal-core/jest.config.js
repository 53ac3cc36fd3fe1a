/** @type {import('jest').Config} */
module.exports = {
  displayName: 'signal-core',
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  // trading-signals ships ESM only; swc turns it into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(trading-signals)/)'],
};
