/** Shared jest settings for the backend projects: swc compiles TS (and the ESM-only Nest 12 packages). */
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', require('./scripts/swc-options.cjs')],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|trading-signals|file-type|strtok3|token-types|uint8array-extras|@tokenizer)/)',
  ],
  moduleNameMapper: {
    '^@scanner/contracts$': `${root}/backend/libs/contracts/src/index.ts`,
    '^@scanner/signal-core$': `${root}/backend/libs/signal-core/src/index.ts`,
    // The worker-thread replay (Node only), from source like the library it drives.
    '^@scanner/signal-core/node$': `${root}/backend/libs/signal-core/node/backtest-threads.ts`,
    '^@scanner/exchange-sim$': `${root}/backend/exchange-sim/src/index.ts`,
  },
};
