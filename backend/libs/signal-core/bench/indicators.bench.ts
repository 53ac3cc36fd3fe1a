/* npm run bench:indicators — full indicator set, batch and streaming, beside raw trading-signals. */
import { ADX, ATR, BollingerBands, EMA, MACD, RSI } from 'trading-signals';
import { computeIndicatorColumns, computeIndicatorSeries, IndicatorSet, type Candle } from '../src/index';
import { loadKlines, machineLine, stitch, time } from './bench-data';

const machine = machineLine();

const source = loadKlines('BTCUSDT-5m.json');
const BATCH = 100_000;
const candles = stitch(source, BATCH);

function tradingSignalsSet() {
  return {
    rsi: new RSI(14),
    macd: new MACD(new EMA(12), new EMA(26), new EMA(9)),
    ema9: new EMA(9),
    ema21: new EMA(21),
    ema50: new EMA(50),
    ema200: new EMA(200),
    atr: new ATR(14),
    adx: new ADX(14),
    bb: new BollingerBands(20, 2),
  };
}
type TsSet = ReturnType<typeof tradingSignalsSet>;
function tsAdd(s: TsSet, c: Candle): void {
  s.rsi.add(c.close);
  s.macd.add(c.close);
  s.ema9.add(c.close);
  s.ema21.add(c.close);
  s.ema50.add(c.close);
  s.ema200.add(c.close);
  s.atr.add(c);
  s.adx.add(c);
  s.bb.add(c.close);
}

let sink = 0;
const oursBatch = time(() => {
  sink += computeIndicatorSeries(candles).rsi.length;
});
const oursColumns = time(() => {
  sink += computeIndicatorColumns(candles).rsi.length;
});
const tsCollect = time(() => {
  const s = tradingSignalsSet();
  const out: unknown[][] = Array.from({ length: 9 }, () => []);
  for (const c of candles) {
    out[0].push(s.rsi.add(c.close));
    out[1].push(s.macd.add(c.close));
    out[2].push(s.ema9.add(c.close));
    out[3].push(s.ema21.add(c.close));
    out[4].push(s.ema50.add(c.close));
    out[5].push(s.ema200.add(c.close));
    out[6].push(s.atr.add(c));
    out[7].push(s.adx.add(c));
    out[8].push(s.bb.add(c.close));
  }
  sink += out[0].length;
}, 3);
const oursStreamOnly = time(() => {
  const set = new IndicatorSet();
  for (const c of candles) set.add(c);
  sink += set.rsi;
});
const tsBatch = time(() => {
  const s = tradingSignalsSet();
  for (const c of candles) tsAdd(s, c);
  sink += Number(s.rsi.getResult());
}, 3);

const SYMBOLS = 500;
const WARM = 1_000;
const TICKS = 20;
const long = stitch(source, WARM + 3 * TICKS + SYMBOLS);
const ours = Array.from({ length: SYMBOLS }, (_, s) => {
  const set = new IndicatorSet();
  for (let i = 0; i < WARM; i++) set.add(long[s + i]);
  return set;
});
const theirs = Array.from({ length: SYMBOLS }, (_, s) => {
  const set = tradingSignalsSet();
  for (let i = 0; i < WARM; i++) tsAdd(set, long[s + i]);
  return set;
});
function tick(kind: 'add' | 'replace' | 'ts'): number {
  const t = process.hrtime.bigint();
  for (let k = 0; k < TICKS; k++) {
    for (let s = 0; s < SYMBOLS; s++) {
      const c = long[s + WARM + k];
      if (kind === 'add') ours[s].add(c);
      else if (kind === 'replace') ours[s].replace(c);
      else tsAdd(theirs[s], c);
    }
  }
  return Number(process.hrtime.bigint() - t) / 1e3 / (TICKS * SYMBOLS);
}
tick('replace'); // JIT warm-up of both paths
tick('ts');
const addUs = tick('add');
const replaceUs = tick('replace');
const tsUs = tick('ts');

const row = (name: string, value: string, ts: string, ratio: string) =>
  console.log(`${name.padEnd(52)}${value.padStart(12)}${ts.padStart(16)}${ratio.padStart(10)}`);
console.log(machine);
console.log(`${BATCH.toLocaleString('en')} candles stitched from real BTCUSDT-5m; medians\n`);
row('', 'signal-core', 'trading-signals', 'ratio');
row(
  'batch, results collected: (number|null)[] series (ms)',
  oursBatch.toFixed(1),
  tsCollect.toFixed(1),
  (oursBatch / tsCollect).toFixed(2),
);
row(
  'batch, Float64Array columns vs TS adds only (ms)',
  oursColumns.toFixed(1),
  tsBatch.toFixed(1),
  (oursColumns / tsBatch).toFixed(2),
);
row(
  'streaming adds over 100k, no output (ms)',
  oursStreamOnly.toFixed(1),
  tsBatch.toFixed(1),
  (oursStreamOnly / tsBatch).toFixed(2),
);
row(
  `tick, ${SYMBOLS} symbols warm with ${WARM}: add closed (µs/symbol)`,
  addUs.toFixed(3),
  tsUs.toFixed(3),
  (addUs / tsUs).toFixed(2),
);
row('tick: replace open candle (µs/symbol)', replaceUs.toFixed(3), '', '');
console.log(
  `\ntargets: tick <= 10 µs/symbol; batch <= 1.2x trading-signals  (sink ${sink > 0 ? 'ok' : '0'})`,
);
