/*
 * npm run bench:backtest — candles per second through the full engine (indicators + scoring +
 * lifecycle) on one core: the script runs node with --single-threaded (no V8 helper threads for
 * GC or compilation), and prints the CPU time used beside the wall time to show it.
 */
import { DEFAULT_ENGINE_CONFIG, runBacktest, type Candle, type SignalStats } from '../src/index';
import { listKlineFiles, loadKlines, machineLine, stitch } from './bench-data';

const machine = machineLine();

const files = listKlineFiles('5m');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 8);
const bySymbol: Record<string, Candle[]> = {};
let total = 0;
for (const file of files) {
  const real = loadKlines(file);
  bySymbol[file.replace('-5m.json', '')] = stitch(real, real.length * REPEAT);
  total += real.length * REPEAT;
}
const realOnly: Record<string, Candle[]> = Object.fromEntries(
  files.map((f) => [f.replace('-5m.json', ''), loadKlines(f)]),
);

runBacktest(realOnly); // JIT warm-up
const samples: Array<{ wall: number; cpu: number }> = [];
let result = runBacktest(bySymbol);
for (let i = 0; i < 3; i++) {
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  result = runBacktest(bySymbol);
  const used = process.cpuUsage(cpu);
  samples.push({ wall: Number(process.hrtime.bigint() - t) / 1e9, cpu: (used.user + used.system) / 1e6 });
}
samples.sort((a, b) => a.wall - b.wall);
const { wall: seconds, cpu } = samples[1];
console.log(machine);
console.log(
  `${files.length} symbols x 5m, real candles stitched x${REPEAT} = ${total.toLocaleString('en')} candles`,
);
console.log(
  `full engine: ${seconds.toFixed(3)} s (median of 3) = ${Math.round(total / seconds).toLocaleString('en')} candles/s; ` +
    `CPU time ${cpu.toFixed(3)} s = ${Math.round(total / cpu).toLocaleString('en')} candles per CPU-second; ${result.signals.length} signals`,
);

const t = process.hrtime.bigint();
const real = runBacktest(realOnly);
const realSeconds = Number(process.hrtime.bigint() - t) / 1e9;
const r = real.report;
const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '-' : x.toFixed(3));
console.log(
  `\nreal data only (${r.candles.toLocaleString('en')} candles, ${realSeconds.toFixed(3)} s): default config (fee ${DEFAULT_ENGINE_CONFIG.feeBps} bps/side)`,
);
console.log('symbol        closed  TP  SL  INV  EXP  CAN  win%    hit%    netR    grossR  PF      maxDD_R');
const line = (name: string, s: SignalStats) =>
  console.log(
    `${name.padEnd(13)} ${String(s.closed).padStart(6)} ${String(s.byOutcome.TP_HIT).padStart(3)} ${String(s.byOutcome.SL_HIT).padStart(3)} ` +
      `${String(s.byOutcome.INVALIDATED).padStart(4)} ${String(s.byOutcome.EXPIRED).padStart(4)} ${String(s.byOutcome.CANCELLED).padStart(4)}  ` +
      `${pct(s.winRate.value).padStart(6)} ${pct(s.hitRate.value).padStart(7)} ${num(s.expectancyR).padStart(7)} ${num(s.expectancyGrossR).padStart(7)} ` +
      `${num(s.profitFactor).padStart(7)} ${s.maxDrawdownR.toFixed(2).padStart(8)}`,
  );
for (const [symbol, s] of Object.entries(r.perSymbol)) line(symbol, s);
line('ALL', r);
