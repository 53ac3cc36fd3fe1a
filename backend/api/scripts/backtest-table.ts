/** The human-readable report of `npm run backtest` (the --json report carries the same figures). */
import type {
  Calibration,
  ConditionAblation,
  MonteCarloReport,
  Rate,
  SignalStats,
  WalkForwardReport,
} from '@scanner/signal-core';

export interface BacktestCliReport {
  interval: string;
  /** Where the candles came from: kline files (--data) or the scanner's database (--db). */
  source: 'files' | 'database';
  symbols: string[];
  from: string | null;
  to: string | null;
  candles: number;
  gaps: number;
  /** Worker threads of the replay (1 = in the main thread). */
  threads: number;
  /** Wall time of the baseline replay. */
  seconds: number;
  candlesPerSecond: number;
  costs: { feeBps: number; slippageBps: number };
  /** Symbols whose finer (1m) candles were available to decide candles touching both levels. */
  fineCandleSymbols: string[];
  resolutions: { fine: number; conservative: number };
  overall: SignalStats;
  perSymbol: Record<string, SignalStats & { candles: number }>;
  calibration: Calibration;
  ablation: ConditionAblation[];
  /** --walk-forward: out-of-sample figures only. */
  walkForward: WalkForwardReport | null;
  /** --monte-carlo: bands over the backtest's closed trades, and over the walk-forward's out-of-sample ones. */
  monteCarlo: {
    seed: number;
    backtest: MonteCarloReport | null;
    outOfSample: MonteCarloReport | null;
  } | null;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, d = 3) => (x === null ? '-' : x.toFixed(d));
const signed = (x: number | null, d = 3) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(d)}`);
const interval = (r: Rate) => (r.low === null ? '' : `[${pct(r.low)}, ${pct(r.high)}]`);
const small = (lowSample: boolean) => (lowSample ? ' (fewer than 30: low sample)' : '');

function rateLine(name: string, r: Rate): string {
  return `${name.padEnd(28)}${pct(r.value).padStart(7)}  ${interval(r).padEnd(16)} n=${r.n}${small(r.lowSample)}`;
}

function headline(report: BacktestCliReport): string[] {
  const o = report.overall;
  const c = report.costs;
  const out = [
    `backtest ${report.interval}: ${report.symbols.length} symbols, ${report.candles.toLocaleString('en')} candles (${report.from ?? 'start'} .. ${report.to ?? 'end'}), ${report.gaps} gaps`,
    `costs per side: fee ${c.feeBps} bps + slippage ${c.slippageBps} bps; engine time ${report.seconds.toFixed(3)} s on ${report.threads} thread${report.threads === 1 ? '' : 's'} = ${report.candlesPerSecond.toLocaleString('en')} candles/s` +
      (report.source === 'database' ? '; candles stored by the scanner' : ''),
    '',
    `signals: ${o.closed + o.open} (${o.open} still active at the end, not counted)`,
    `expectancy (mean net R of all ${o.closed} closes): ${signed(o.expectancyR)} R   gross ${signed(o.expectancyGrossR)} R${small(o.lowSample)}`,
    rateLine('win rate  TP/(TP+SL)', o.winRate),
    rateLine('hit rate  TP/all closed', o.hitRate),
  ];
  for (const [status, share] of Object.entries(o.shares))
    out.push(rateLine(`  ${status} ${o.byOutcome[status as keyof typeof o.byOutcome]}`, share));
  out.push(
    `profit factor (net) ${num(o.profitFactor)}, total ${num(o.totalR, 2)} R net (${num(o.totalGrossR, 2)} R gross), max drawdown ${num(o.maxDrawdownR, 2)} R net`,
    `one candle touching both TP and SL: ${report.resolutions.fine} decided by 1m candles, ${report.resolutions.conservative} counted as SL ` +
      `(1m candles for ${report.fineCandleSymbols.length} of ${report.symbols.length} symbols)`,
  );
  return out;
}

function calibrationTable(c: Calibration): string[] {
  const out = [
    '',
    'calibration: confidence at creation vs outcome',
    `${'confidence'.padEnd(12)}${'closed'.padStart(7)}  ${'P(TP before SL)'.padEnd(16)}${'95% CI'.padEnd(17)}${'TP+SL'.padStart(6)}${'mean net R'.padStart(12)}`,
  ];
  for (const b of c.buckets) {
    out.push(
      `${b.label.padEnd(12)}${String(b.count).padStart(7)}  ${pct(b.pTarget.value).padEnd(16)}${interval(b.pTarget).padEnd(17)}${String(b.pTarget.n).padStart(6)}${signed(b.meanNetR).padStart(12)}${b.pTarget.lowSample ? '  low sample' : ''}`,
    );
  }
  out.push(
    `Brier score ${num(c.brierScore)} over ${c.brierN} TP/SL closes (confidence read as P(TP); 0.25 = no better than a coin)`,
    `rank correlation (Spearman) of confidence with net R over ${c.closed} closes: ${num(c.rankCorrelation)}`,
  );
  return out;
}

function ablationTable(rows: readonly ConditionAblation[]): string[] {
  const side = (s: ConditionAblation['held']) =>
    `${String(s.count).padStart(6)} ${pct(s.hitRate.value).padStart(6)} ${signed(s.meanNetR).padStart(7)}`;
  const out = [
    '',
    'ablation: closes by condition at creation (n, hit rate TP/all, mean net R), and a re-run with its weight at 0',
    `${'condition'.padEnd(14)}${'weight'.padStart(6)}  ${'held'.padEnd(21)}  ${'not held'.padEnd(21)}  ${'weight 0: Δcloses'.padStart(17)}${'Δexpectancy'.padStart(13)}`,
  ];
  for (const r of rows) {
    out.push(
      `${r.key.padEnd(14)}${String(r.weight).padStart(6)}  ${side(r.held)}  ${side(r.notHeld)}  ${signed(r.withoutIt.deltaClosed, 0).padStart(17)}${signed(r.withoutIt.deltaExpectancyR).padStart(13)}`,
    );
  }
  return out;
}

function symbolTable(report: BacktestCliReport): string[] {
  const header = `${'symbol'.padEnd(14)}${'candles'.padStart(8)}${'closed'.padStart(8)}${'TP'.padStart(6)}${'SL'.padStart(6)}${'INV'.padStart(6)}${'EXP'.padStart(6)}${'CAN'.padStart(5)}${'win%'.padStart(8)}${'hit%'.padStart(8)}${'netR'.padStart(8)}${'grossR'.padStart(8)}${'PF'.padStart(8)}${'maxDD_R'.padStart(9)}`;
  const line = (name: string, s: SignalStats, n: number) =>
    `${name.padEnd(14)}${String(n).padStart(8)}${String(s.closed).padStart(8)}${String(s.byOutcome.TP_HIT).padStart(6)}${String(s.byOutcome.SL_HIT).padStart(6)}` +
    `${String(s.byOutcome.INVALIDATED).padStart(6)}${String(s.byOutcome.EXPIRED).padStart(6)}${String(s.byOutcome.CANCELLED).padStart(5)}${pct(s.winRate.value).padStart(8)}` +
    `${pct(s.hitRate.value).padStart(8)}${num(s.expectancyR).padStart(8)}${num(s.expectancyGrossR).padStart(8)}${num(s.profitFactor).padStart(8)}${s.maxDrawdownR.toFixed(2).padStart(9)}`;
  const out = ['', 'per symbol (netR / grossR = expectancy over every close)', header];
  for (const [symbol, s] of Object.entries(report.perSymbol)) out.push(line(symbol, s, s.candles));
  out.push(line('ALL', report.overall, report.candles));
  return out;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const span = (ms: number) =>
  ms === 0
    ? '0'
    : ms % 86_400_000 === 0
      ? `${ms / 86_400_000}d`
      : ms % 3_600_000 === 0
        ? `${ms / 3_600_000}h`
        : `${ms / 60_000}m`;

function walkForwardTable(wf: WalkForwardReport): string[] {
  const s = wf.spec;
  const o = wf.outOfSample;
  const out = [
    '',
    `walk-forward: in-sample ${span(s.inSampleMs)}, gap ${span(s.gapMs)}, out-of-sample ${span(s.outOfSampleMs)}, step ${span(s.stepMs)}; ${wf.windows.length} windows, ${wf.candidates} candidate configuration${wf.candidates === 1 ? '' : 's'}`,
    `in-sample windows: ${wf.candidates === 1 ? 'fitting pTarget' : 'choosing the configuration (highest expectancy, >= 30 closes) and fitting pTarget'}; every figure below is OUT OF SAMPLE`,
    `${'#'.padEnd(4)}${'out of sample (UTC)'.padEnd(36)}${'cand'.padStart(5)}${'IS n'.padStart(6)}${'closed'.padStart(8)}${'hit%'.padStart(8)}${'netR'.padStart(8)}${'totalR'.padStart(9)}${'maxDD_R'.padStart(9)}${'Brier p'.padStart(9)}${'Brier c'.padStart(9)}`,
  ];
  for (const w of wf.windows) {
    out.push(
      `${String(w.index + 1).padEnd(4)}${`${day(w.outOfSample.from)} .. ${day(w.outOfSample.to)}`.padEnd(36)}${String(w.chosen).padStart(5)}${String(w.inSampleCloses).padStart(6)}` +
        `${String(w.stats.closed).padStart(8)}${pct(w.stats.hitRate.value).padStart(8)}${signed(w.stats.expectancyR).padStart(8)}${signed(w.stats.totalR, 2).padStart(9)}` +
        `${w.stats.maxDrawdownR.toFixed(2).padStart(9)}${num(w.pTarget.brierPTarget).padStart(9)}${num(w.pTarget.brierConfidence).padStart(9)}`,
    );
  }
  out.push(
    `out of sample, all windows: ${o.stats.closed} closes, expectancy ${signed(o.stats.expectancyR)} R net (gross ${signed(o.stats.expectancyGrossR)}), total ${signed(o.stats.totalR, 2)} R, max drawdown ${num(o.stats.maxDrawdownR, 2)} R${small(o.stats.lowSample)}`,
    rateLine('win rate  TP/(TP+SL)', o.stats.winRate),
    rateLine('hit rate  TP/all closed', o.stats.hitRate),
    `calibration out of sample: Brier ${num(o.calibration.brierScore)} (confidence/100) over ${o.calibration.brierN} TP/SL closes; rank correlation ${num(o.calibration.rankCorrelation)}`,
    o.pTarget.n === 0
      ? 'pTarget fitted in sample: no window had enough in-sample TP/SL closes (200) for a fit'
      : `pTarget fitted in sample, scored out of sample: Brier ${num(o.pTarget.brierPTarget)} vs ${num(o.pTarget.brierConfidence)} for confidence/100, over ${o.pTarget.n} TP/SL closes`,
  );
  if (wf.candidates > 1)
    out.push(`chosen per window: ${o.chosenCount.map((n, i) => `#${i} ${n}x`).join(', ')}`);
  return out;
}

function monteCarloTable(mc: NonNullable<BacktestCliReport['monteCarlo']>): string[] {
  const line = (name: string, r: MonteCarloReport | null) =>
    r === null
      ? `${name.padEnd(16)} no closed trades to resample`
      : `${name.padEnd(16)}${String(r.tradesPerRun).padStart(7)}  ${[r.finalR.p5, r.finalR.p50, r.finalR.p95].map((x) => signed(x, 2).padStart(9)).join('')}  ` +
        `${[r.maxDrawdownR.p5, r.maxDrawdownR.p50, r.maxDrawdownR.p95].map((x) => x.toFixed(2).padStart(8)).join('')}  ${pct(r.lossProbability).padStart(7)}`;
  const runs = mc.backtest?.runs ?? mc.outOfSample?.runs ?? 0;
  const out = [
    '',
    `Monte Carlo: ${runs.toLocaleString('en')} resampled sequences of the closed trades' net R (bootstrap with replacement), seed ${mc.seed}`,
    `${'trades'.padEnd(16)}${'n'.padStart(7)}  ${'final R  5%'.padStart(11)}${'50%'.padStart(9)}${'95%'.padStart(9)}  ${'max DD 5%'.padStart(10)}${'50%'.padStart(8)}${'95%'.padStart(8)}  ${'P(<0)'.padStart(7)}`,
    line('backtest', mc.backtest),
  ];
  if (mc.outOfSample !== null || mc.backtest === null) out.push(line('out of sample', mc.outOfSample));
  return out;
}

export function formatBacktestTable(report: BacktestCliReport): string {
  return [
    ...headline(report),
    ...calibrationTable(report.calibration),
    ...ablationTable(report.ablation),
    ...symbolTable(report),
    ...(report.walkForward === null ? [] : walkForwardTable(report.walkForward)),
    ...(report.monteCarlo === null ? [] : monteCarloTable(report.monteCarlo)),
  ].join('\n');
}
