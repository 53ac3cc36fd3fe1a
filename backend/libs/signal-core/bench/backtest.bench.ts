/*
 * npm run bench:backtest — candles per second through the full engine (indicators + scoring +
 * lifecycle), on one core and on every core. The script runs node with --single-threaded (no V8
 * helper threads for GC or compilation), so the one-core figure is one core's; the all-core one
 * runs the same replay on worker threads (BacktestThreadPool: one per core, started once), with
 * the series held by the workers (load once, replay: the A/B, ablation and walk-forward case) and
 * with the transfer of the candles included (pool.run); both include merging every signal back
 * into this thread, and are checked equal to the one-core result. CPU time (every thread of the
 * process) is printed beside the wall time; BENCH_RUNS timed runs (default 5) give min and median.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { BacktestThreadPool } from '../node/backtest-threads';
import {
  DEFAULT_ENGINE_CONFIG,
  runBacktest,
  type BacktestResult,
  type Candle,
  type SignalStats,
} from '../src/index';
import { listKlineFiles, loadKlines, machineLine, stitch } from './bench-data';

const machine = machineLine();

const files = listKlineFiles('5m');
const REPEAT = Number(process.env.BENCH_REPEAT ?? 8);
/** The stitched series; emptied before the measurement where they live in the workers only. */
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

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const THREADS = Number(process.env.BENCH_THREADS ?? cpus().length);

/** CPU seconds used so far by each thread of this process (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      // Fields after the command name: state is 3rd, utime 14th and stime 15th of the whole line.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}
const CLOCK_TICKS = 100;

interface Measure {
  min: number;
  median: number;
  /** CPU seconds of the median run, every thread. */
  cpu: number;
  /** Per run, over all runs: CPU seconds of the busiest thread, and of all threads (from /proc). */
  busiest: number;
  threads: number;
}

/** Min and median wall time of RUNS timed runs (after one warm-up), with the CPU time of the median run. */
async function measure(run: () => unknown): Promise<Measure> {
  await run(); // JIT warm-up
  const samples: Array<{ wall: number; cpu: number }> = [];
  const before = threadCpu();
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await run();
    const used = process.cpuUsage(cpu);
    samples.push({ wall: Number(process.hrtime.bigint() - t) / 1e9, cpu: (used.user + used.system) / 1e6 });
  }
  const after = threadCpu();
  const perThread = [...after].map(([tid, t]) => (t - (before.get(tid) ?? 0)) / RUNS);
  samples.sort((a, b) => a.wall - b.wall);
  const median = samples[Math.floor(RUNS / 2)];
  return {
    min: samples[0].wall,
    median: median.wall,
    cpu: median.cpu,
    busiest: Math.max(0, ...perThread),
    threads: perThread.reduce((a, b) => a + b, 0),
  };
}

/**
 * What the run would take on idle cores: no less than its busiest thread's CPU time, nor than all
 * of its CPU time spread over every core. A projection from CPU time (the wall clock of a shared
 * machine says more about the other work), printed as such.
 */
const projected = (m: Measure) => Math.max(m.busiest, m.threads / cpus().length);

const rate = (seconds: number) => `${Math.round(total / seconds).toLocaleString('en')} candles/s`;
const line = (name: string, m: Measure) =>
  console.log(
    `${name}: ${rate(m.median)} (median of ${RUNS}, ${m.median.toFixed(3)} s; best ${rate(m.min)}); ` +
      `CPU time ${m.cpu.toFixed(3)} s = ${Math.round(total / m.cpu).toLocaleString('en')} candles per CPU-second` +
      (m.threads > 0
        ? `; on idle cores (from CPU time: busiest thread ${m.busiest.toFixed(2)} s, all ${m.threads.toFixed(2)} s): ${rate(projected(m))}`
        : ''),
  );

/** What two results are compared on (results themselves are not kept: a big heap slows every GC). */
const summary = (r: BacktestResult) =>
  JSON.stringify([r.signals.length, r.report.totalR, r.report.maxDrawdownR, r.report.perSymbol]);

async function main(): Promise<void> {
  runBacktest(realOnly); // JIT warm-up
  let expected = '';
  const single = await measure(() => (expected = summary(runBacktest(bySymbol))));
  const signals = JSON.parse(expected)[0] as number;
  const pool = new BacktestThreadPool(THREADS);
  let got = '';
  const withTransfer = await measure(async () => (got = summary(await pool.run(bySymbol))));
  // The series now live in the workers only: this thread keeps nothing of them.
  for (const symbol of Object.keys(bySymbol)) delete bySymbol[symbol];
  const resident = await measure(async () => (got = summary(await pool.replay())));
  await pool.close();
  if (got !== expected) throw new Error('the threaded replay differs from the single-thread one');
  console.log(machine);
  console.log(
    `${files.length} symbols x 5m, real candles stitched x${REPEAT} = ${total.toLocaleString('en')} candles; ${signals} signals`,
  );
  line('full engine, one core                        ', single);
  line(`full engine, ${THREADS} threads, series in the workers`, resident);
  line(`full engine, ${THREADS} threads, with the transfer    `, withTransfer);
  report();
}

function report(): void {
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
  const symbolLine = (name: string, s: SignalStats) =>
    console.log(
      `${name.padEnd(13)} ${String(s.closed).padStart(6)} ${String(s.byOutcome.TP_HIT).padStart(3)} ${String(s.byOutcome.SL_HIT).padStart(3)} ` +
        `${String(s.byOutcome.INVALIDATED).padStart(4)} ${String(s.byOutcome.EXPIRED).padStart(4)} ${String(s.byOutcome.CANCELLED).padStart(4)}  ` +
        `${pct(s.winRate.value).padStart(6)} ${pct(s.hitRate.value).padStart(7)} ${num(s.expectancyR).padStart(7)} ${num(s.expectancyGrossR).padStart(7)} ` +
        `${num(s.profitFactor).padStart(7)} ${s.maxDrawdownR.toFixed(2).padStart(8)}`,
    );
  for (const [symbol, s] of Object.entries(r.perSymbol)) symbolLine(symbol, s);
  symbolLine('ALL', r);
}

void main();
