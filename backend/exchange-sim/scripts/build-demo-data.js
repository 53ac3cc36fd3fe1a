#!/usr/bin/env node
/*
 * Builds the compact replay bundle in ../data from the shared klines folder:
 * the 5m, 15m, 1h and 4h files (one aligned time axis, 2024-07-29..2024-08-11 for 5m/15m) of the 34 pairs
 * that have all four, gzip-compressed (level 9). Prints the total size and fails above the budget.
 *
 * Usage: node scripts/build-demo-data.js [--from <dir>] [--to <dir>] [--budget-mb 15]
 */
'use strict';
const { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { gzipSync, constants } = require('node:zlib');

const INTERVALS = ['5m', '15m', '1h', '4h'];

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const from = resolve(arg('--from', join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'klines')));
const to = resolve(arg('--to', join(__dirname, '..', 'data')));
const budget = Number(arg('--budget-mb', '15')) * 1024 * 1024;

const files = readdirSync(from);
const bySymbol = new Map();
for (const file of files) {
  const m = /^([A-Z0-9]+)-(\w+)\.json$/.exec(file);
  if (!m || !INTERVALS.includes(m[2])) continue;
  if (!bySymbol.has(m[1])) bySymbol.set(m[1], new Set());
  bySymbol.get(m[1]).add(m[2]);
}
const symbols = [...bySymbol]
  .filter(([, set]) => INTERVALS.every((i) => set.has(i)))
  .map(([s]) => s)
  .sort();
if (symbols.length === 0) throw new Error(`no symbol with all of ${INTERVALS.join(', ')} in ${from}`);

mkdirSync(to, { recursive: true });
for (const old of readdirSync(to)) if (old.endsWith('.json.gz')) rmSync(join(to, old));

let rawTotal = 0;
let gzTotal = 0;
for (const symbol of symbols) {
  for (const interval of INTERVALS) {
    const name = `${symbol}-${interval}.json`;
    const raw = readFileSync(join(from, name));
    JSON.parse(raw.toString('utf8')); // refuse to ship a broken file
    const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
    writeFileSync(join(to, `${name}.gz`), gz);
    rawTotal += raw.length;
    gzTotal += gz.length;
  }
}
const mb = (n) => (n / 1024 / 1024).toFixed(2);
console.log(
  `${symbols.length} symbols x ${INTERVALS.length} intervals -> ${to}: ${mb(rawTotal)} MB raw, ${mb(gzTotal)} MB gzip`,
);
if (gzTotal > budget) {
  console.error(`bundle is ${mb(gzTotal)} MB, above the ${mb(budget)} MB budget`);
  process.exit(1);
}
