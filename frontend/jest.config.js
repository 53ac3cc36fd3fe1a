/** Unit tests of the dashboard: jest-preset-angular, zoneless, jsdom. */
module.exports = {
  displayName: 'dashboard',
  preset: 'jest-preset-angular',
  rootDir: __dirname,
  setupFilesAfterEnv: ['<rootDir>/src/setup-jest.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.(ts|js|mjs|html|svg)$': [
      'jest-preset-angular',
      { tsconfig: '<rootDir>/tsconfig.spec.json', stringifyContentPathRegex: '\\.(html|svg)$' },
    ],
  },
  transformIgnorePatterns: ['node_modules/(?!.*\\.mjs$)'],
  moduleNameMapper: {
    '^@scanner/contracts$': '<rootDir>/../backend/libs/contracts/src/index.ts',
    '^@app/core/(.*)$': '<rootDir>/src/app/core/$1',
    '^@app/features/(.*)$': '<rootDir>/src/app/features/$1',
    '^@app/shared/(.*)$': '<rootDir>/src/app/shared/$1',
    '^@app/testing/(.*)$': '<rootDir>/src/testing/$1',
  },
};
