/** Every test project of the workspace in one jest run (`npm test` → scripts/run-tests.mjs). */
const { existsSync } = require('node:fs');
const path = require('node:path');

const projects = [
  'backend/libs/signal-core/jest.config.js',
  'backend/exchange-sim/jest.config.js',
  'backend/api/jest.config.js',
  'backend/api/test/jest-e2e.config.js',
  'frontend/jest.config.js',
].filter((config) => existsSync(path.join(__dirname, config)));

// testTimeout is global in a multi-project run; suites that need longer set it in a setup file.
module.exports = { testTimeout: 20_000, projects: projects.map((config) => `<rootDir>/${config}`) };
