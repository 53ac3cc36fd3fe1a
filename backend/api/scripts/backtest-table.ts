/** The human-readable report of `npm run backtest` (the --json report carries the same figures). */
import type { Calibration, ConditionAblation, Rate, SignalStats } from '@scanner/signal-core';

export interface BacktestCliReport {
  interval: string;
  symbols: string[];
  from: string | null;
  to: string | null;
  candles: number;
  gaps: number;
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
    `costs per side: fee ${c.feeBps} bps + slippage ${c.slippageBps} bps; engine time ${report.seconds.toFixed(3)} s = ${report.candlesPerSecond.toLocaleString('en')} candles/s`,
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

export function formatBacktestTable(report: BacktestCliReport): string {
  return [
    ...headline(report),
    ...calibrationTable(report.calibration),
    ...ablationTable(report.ablation),
    ...symbolTable(report),
  ].join('\n');
}
