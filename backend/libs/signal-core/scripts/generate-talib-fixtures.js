#!/usr/bin/env node
/*
 * Generates the TA-Lib reference vectors in test-fixtures/talib/ from the real Binance klines in
 * ../shared/data/klines. NOT run in CI: it needs the native `talib` binding, which builds TA-Lib C
 * from source with node-gyp. The committed JSON files are its output.
 *
 * How to run (about 30 s for the build):
 *   mkdir -p /tmp/talib-gen && cd /tmp/talib-gen && npm init -y
 *   npm install talib@1.1.6            # install scripts must be allowed (node-gyp build);
 *                                      # npm 11: `npm install-scripts approve talib && npm rebuild talib`
 *   cd <repo>/backend/libs/signal-core
 *   NODE_PATH=/tmp/talib-gen/node_modules node scripts/generate-talib-fixtures.js [klinesDir]
 *
 * talib@1.1.6 bundles TA-Lib C 0.6.x (TA_EPSILON 1e-14), default (non-Metastock) compatibility,
 * unstable period 0. Inputs are passed as plain arrays (the binding mishandles Float64Array).
 *
 * Besides TA-Lib's output, each fixture carries an exact Bollinger reference (`exactBollinger`):
 * prices have at most 8 decimals, so they are scaled to integers and the window sums are taken
 * in BigInt; the only roundings left are the final division and square root. TA-Lib computes the
 * deviation as E[x^2] - mean^2 with running sums and zeroes it below 1e-14, which makes its bands
 * zero-width on micro-priced coins (PEPE): specs compare Bollinger against this exact reference
 * wherever TA-Lib's variance is below that threshold.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const talib = require('talib');

const klinesDir = process.argv[2] || path.resolve(__dirname, '../../../../../shared/data/klines');
const outDir = path.resolve(__dirname, '../test-fixtures/talib');

/** [file, first row, row count]: 5m slices straddle the 2024-08-05 crash. */
const DATASETS = [
  ['BTCUSDT-5m', 1700, 700],
  ['BTCUSDT-1d', 900, 700],
  ['DOGEUSDT-15m', 600, 700],
  ['DOGEUSDT-1h', 600, 700],
  ['TRXUSDT-5m', 1700, 700],
  ['TRXUSDT-4h', 600, 700],
  ['PEPEUSDT-5m', 1700, 700],
  ['PEPEUSDT-1h', 600, 700],
  ['ELFUSDT-5m', 1700, 700],
];

function run(name, inputs, opts) {
  const n = (inputs.inReal || inputs.close).length;
  const res = talib.execute({ name, startIdx: 0, endIdx: n - 1, ...inputs, ...opts });
  if (res.error) throw new Error(`${name}: ${res.error}`);
  const out = {};
  for (const [key, values] of Object.entries(res.result)) {
    out[key] = { begIndex: res.begIndex, values };
  }
  return out;
}

const SCALE = 10n ** 8n;
function toScaledBigInt(text) {
  const [int, frac = ''] = text.split('.');
  if (frac.length > 8) throw new Error(`more than 8 decimals: ${text}`);
  return BigInt(int) * SCALE + BigInt((frac + '00000000').slice(0, 8));
}

function exactBollinger(closeTexts, period, k) {
  const xs = closeTexts.map(toScaledBigInt);
  const upper = [];
  const middle = [];
  const lower = [];
  const p = BigInt(period);
  for (let i = period - 1; i < xs.length; i++) {
    let s = 0n;
    let s2 = 0n;
    for (let j = i - period + 1; j <= i; j++) {
      s += xs[j];
      s2 += xs[j] * xs[j];
    }
    // variance * period^2 * 1e16 = n*sum(x^2) - sum(x)^2, exact in BigInt.
    const num = p * s2 - s * s;
    const mean = Number(s) / period / 1e8;
    const sd = Math.sqrt(Number(num)) / period / 1e8;
    middle.push(mean);
    upper.push(mean + k * sd);
    lower.push(mean - k * sd);
  }
  const begIndex = period - 1;
  return {
    bbUpper: { begIndex, values: upper },
    bbMiddle: { begIndex, values: middle },
    bbLower: { begIndex, values: lower },
  };
}

fs.mkdirSync(outDir, { recursive: true });
for (const [file, from, count] of DATASETS) {
  const rows = JSON.parse(fs.readFileSync(path.join(klinesDir, `${file}.json`), 'utf8'));
  const slice = rows.slice(from, from + count);
  if (slice.length !== count) throw new Error(`${file}: only ${slice.length} rows`);
  const high = slice.map((r) => Number(r[2]));
  const low = slice.map((r) => Number(r[3]));
  const close = slice.map((r) => Number(r[4]));
  const hlc = { high, low, close };
  const macd = run(
    'MACD',
    { inReal: close },
    { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 },
  );
  const bb = run(
    'BBANDS',
    { inReal: close },
    { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 },
  );
  const series = {
    rsi: run('RSI', { inReal: close }, { optInTimePeriod: 14 }).outReal,
    macd: macd.outMACD,
    macdSignal: macd.outMACDSignal,
    macdHistogram: macd.outMACDHist,
    ema9: run('EMA', { inReal: close }, { optInTimePeriod: 9 }).outReal,
    ema21: run('EMA', { inReal: close }, { optInTimePeriod: 21 }).outReal,
    ema50: run('EMA', { inReal: close }, { optInTimePeriod: 50 }).outReal,
    ema200: run('EMA', { inReal: close }, { optInTimePeriod: 200 }).outReal,
    atr: run('ATR', hlc, { optInTimePeriod: 14 }).outReal,
    adx: run('ADX', hlc, { optInTimePeriod: 14 }).outReal,
    plusDi: run('PLUS_DI', hlc, { optInTimePeriod: 14 }).outReal,
    minusDi: run('MINUS_DI', hlc, { optInTimePeriod: 14 }).outReal,
    bbUpper: bb.outRealUpperBand,
    bbMiddle: bb.outRealMiddleBand,
    bbLower: bb.outRealLowerBand,
  };
  for (const [key, s] of Object.entries(series)) {
    if (!s) throw new Error(`${file}: missing ${key}`);
  }
  const fixture = {
    description: `TA-Lib ${talib.version} (npm talib, TA-Lib C 0.6.x) reference vectors; see scripts/generate-talib-fixtures.js`,
    source: `../shared/data/klines/${file}.json rows [${from}, ${from + count})`,
    symbol: file.split('-')[0],
    interval: file.split('-')[1],
    // [openTime, open, high, low, close, volume, closeTime] exactly as in the Binance kline rows.
    candles: slice.map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6]]),
    talib: series,
    exactBollinger: exactBollinger(
      slice.map((r) => r[4]),
      20,
      2,
    ),
  };
  const target = path.join(outDir, `${file}.json`);
  fs.writeFileSync(target, JSON.stringify(fixture) + '\n');
  console.log(`${target}: ${fs.statSync(target).size} bytes`);
}
