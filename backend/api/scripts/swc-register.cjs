/**
 * Runs TypeScript entry points (bench, scripts) with Nest's decorator metadata, which tsx/esbuild
 * cannot emit: compiles each .ts file with swc (the compiler jest already uses) as it is required.
 * Usage: node -r ./scripts/swc-register.cjs bench/scan.bench.ts
 */
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = { ...require('./swc-options.cjs'), sourceMaps: 'inline' };

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
