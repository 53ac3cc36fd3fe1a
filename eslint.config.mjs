// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FRAMEWORK_AND_IO = [
  '@nestjs/*', 'typeorm', 'pg', 'bull', 'ioredis', 'socket.io', 'socket.io-client', 'rxjs', 'rxjs/*', 'axios', 'express',
  '@angular/*', 'node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process', 'os', 'crypto', 'zlib',
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '**/dist/**', '.nx/**', '**/.angular/**', 'coverage/**', 'tmp/**', 'test-artifacts/**',
      'backend/exchange-sim/data/**', '**/__fixtures__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['frontend/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The pure core: no framework, I/O, process, clock, randomness or logging (DESIGN §3).
    files: ['backend/libs/signal-core/src/**/*.ts'],
    // Specs and the test-only fixture readers in src/testing (excluded from the build) may read files.
    ignores: ['**/*.spec.ts', 'backend/libs/signal-core/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: FRAMEWORK_AND_IO, message: 'signal-core stays pure: no framework or I/O imports.' }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'signal-core takes its inputs as arguments, not from process.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'signal-core takes time from candles, never the clock.' },
        { object: 'Math', property: 'random', message: 'signal-core is deterministic.' },
      ],
      'no-restricted-syntax': ['error', { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: 'signal-core takes time from candles, never the clock.' }],
      'no-console': 'error',
    },
  },
  {
    // The wire contract has no runtime dependencies at all.
    files: ['backend/libs/contracts/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^[^.]', message: 'contracts has no dependencies.' }] }] },
  },
  {
    // The dashboard sees the backend only through the contracts.
    files: ['frontend/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@scanner/*', '!@scanner/contracts'], message: 'The frontend imports only @scanner/contracts from the backend.' },
            { regex: '(^|/)backend/', message: 'The frontend imports only @scanner/contracts from the backend.' },
          ],
        },
      ],
    },
  },
);
