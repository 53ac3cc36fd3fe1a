// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const FRAMEWORK_AND_IO = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'bull',
  'ioredis',
  'socket.io',
  'socket.io-client',
  'rxjs',
  'rxjs/*',
  'axios',
  'express',
  '@angular/*',
  'node:*',
  'fs',
  'path',
  'http',
  'https',
  'net',
  'child_process',
  'os',
  'crypto',
  'zlib',
];

const API_SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'backend/api/src');

/**
 * The api's module boundaries: a file under backend/api/src/<module>/ reaches another module only
 * through that module's public entry, backend/api/src/<other>/index.ts (tests and benches may reach
 * in anywhere: they are not under src/).
 */
const apiBoundaries = {
  rules: {
    'public-entry-only': {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          internal:
            "'{{source}}' reaches into the {{module}} module: import its public entry '{{entry}}' ({{module}}/index.ts) instead.",
        },
      },
      create(context) {
        const file = context.filename;
        const own = path.relative(API_SRC, file).split(path.sep);
        if (own[0] === '..') return {};
        const ownModule = own.length > 1 ? own[0] : null;
        const check = (source) => {
          if (
            !source ||
            source.type !== 'Literal' ||
            typeof source.value !== 'string' ||
            !source.value.startsWith('.')
          )
            return;
          const target = path
            .relative(API_SRC, path.resolve(path.dirname(file), source.value))
            .split(path.sep);
          if (target[0] === '..' || target.length === 1 || target[0] === ownModule) return;
          if (target.length === 2 && target[1] === 'index') return;
          let entry = path
            .relative(path.dirname(file), path.join(API_SRC, target[0]))
            .split(path.sep)
            .join('/');
          if (!entry.startsWith('.')) entry = `./${entry}`;
          context.report({
            node: source,
            messageId: 'internal',
            data: { source: source.value, module: target[0], entry },
          });
        };
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.nx/**',
      '**/.angular/**',
      'coverage/**',
      'tmp/**',
      'test-artifacts/**',
      'backend/exchange-sim/data/**',
      '**/__fixtures__/**',
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
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORK_AND_IO, message: 'signal-core stays pure: no framework or I/O imports.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'signal-core takes its inputs as arguments, not from process.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'signal-core takes time from candles, never the clock.' },
        { object: 'Math', property: 'random', message: 'signal-core is deterministic.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name="Date"][arguments.length=0]',
          message: 'signal-core takes time from candles, never the clock.',
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The wire contract has no runtime dependencies at all.
    files: ['backend/libs/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^[^.]', message: 'contracts has no dependencies.' }] },
      ],
    },
  },
  {
    // The dashboard sees the backend only through the contracts.
    files: ['frontend/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@scanner/*', '!@scanner/contracts'],
              message: 'The frontend imports only @scanner/contracts from the backend.',
            },
            {
              regex: '(^|/)backend/',
              message: 'The frontend imports only @scanner/contracts from the backend.',
            },
          ],
        },
      ],
    },
  },
  {
    // Modules talk through their public entries (index.ts); config, common, database, redis and metrics
    // are shared infrastructure with entries of their own.
    files: ['backend/api/src/**/*.ts'],
    plugins: { 'api-boundaries': apiBoundaries },
    rules: { 'api-boundaries/public-entry-only': 'error' },
  },
);
