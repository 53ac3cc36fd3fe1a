import type { MarketSymbol, ReplayRequest, ScoringVersion } from '@scanner/contracts';

/** The start form as typed: text fields, checkboxes; turned into a ReplayRequest by `replayRequestOf`. */
export interface ReplayDraft {
  /** Symbols separated by commas, spaces or new lines. */
  symbols: string;
  timeframes: string[];
  /** `datetime-local` values, read as UTC. */
  from: string;
  to: string;
  versionA: number | null;
  versionB: number | null;
  walkForward: boolean;
  inSampleHours: number | null;
  outOfSampleHours: number | null;
  gapHours: number | null;
  monteCarlo: boolean;
  runs: number | null;
  seed: number | null;
}

/** Timeframes offered on the form: Binance's kline intervals from 1m (a replay reads what is stored). */
export const REPLAY_TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;

const DAY = 86_400_000;

/** `datetime-local` value of an instant in UTC, minutes precision. */
export function localUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The newest stored closed candle's open time over every symbol and timeframe (null: none yet). */
export function newestCandleTime(symbols: readonly Pick<MarketSymbol, 'freshness'>[]): number | null {
  let newest: number | null = null;
  for (const s of symbols)
    for (const f of Object.values(s.freshness ?? {})) {
      const t = f?.lastClosedOpenTime ? Date.parse(f.lastClosedOpenTime) : NaN;
      if (!Number.isNaN(t) && (newest === null || t > newest)) newest = t;
    }
  return newest;
}

/**
 * The form's defaults: the universe's symbols, 5m, the 7 days up to `now` (the newest stored candle, so the period holds data), the active version as A
 * and the newest other version as B.
 */
export function defaultDraft(
  symbols: readonly string[],
  versions: readonly ScoringVersion[],
  now: number,
): ReplayDraft {
  const active = versions.find((v) => v.active) ?? null;
  const other = [...versions].sort((x, y) => y.id - x.id).find((v) => v.id !== active?.id) ?? null;
  return {
    symbols: symbols.join(', '),
    timeframes: ['5m'],
    from: localUtc(now - 7 * DAY),
    to: localUtc(now),
    versionA: active?.id ?? null,
    versionB: other?.id ?? null,
    walkForward: false,
    inSampleHours: 48,
    outOfSampleHours: 24,
    gapHours: 1,
    monteCarlo: false,
    runs: 1000,
    seed: 1,
  };
}

export function parseSymbols(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s.length > 0),
    ),
  ];
}

function utcMs(value: string): number | null {
  if (!value) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** The request the draft describes, or the problems that stop it (each names the field). */
export function replayRequestOf(
  draft: ReplayDraft,
): { request: ReplayRequest; problems: [] } | { request: null; problems: string[] } {
  const problems: string[] = [];
  const symbols = parseSymbols(draft.symbols);
  if (symbols.length === 0) problems.push('Symbols: enter at least one, e.g. BTCUSDT.');
  const bad = symbols.filter((s) => !/^[A-Z0-9]{2,20}$/.test(s));
  if (bad.length > 0) problems.push(`Symbols: ${bad.join(', ')} — 2 to 20 letters or digits each.`);
  if (symbols.length > 200) problems.push(`Symbols: at most 200 (${symbols.length} entered).`);
  if (draft.timeframes.length === 0) problems.push('Timeframes: choose at least one.');
  const from = utcMs(draft.from);
  const to = utcMs(draft.to);
  if (from === null) problems.push('From: enter a start time (UTC).');
  if (to === null) problems.push('To: enter an end time (UTC).');
  if (from !== null && to !== null && from >= to) problems.push('From must be before To.');
  if (draft.versionA === null || draft.versionB === null)
    problems.push('Versions: choose a scoring version for A and for B.');
  else if (draft.versionA === draft.versionB)
    problems.push('Versions: A and B must be two different versions.');
  const positive = (v: number | null) => v !== null && Number.isFinite(v) && v > 0;
  if (draft.walkForward) {
    if (!positive(draft.inSampleHours)) problems.push('Walk-forward: in-sample hours must be > 0.');
    if (!positive(draft.outOfSampleHours)) problems.push('Walk-forward: out-of-sample hours must be > 0.');
    if (draft.gapHours !== null && !(draft.gapHours >= 0))
      problems.push('Walk-forward: gap hours must be ≥ 0.');
  }
  if (draft.monteCarlo) {
    if (!(Number.isInteger(draft.runs) && draft.runs! >= 1 && draft.runs! <= 100_000))
      problems.push('Monte Carlo: runs must be a whole number from 1 to 100,000.');
    if (!Number.isInteger(draft.seed)) problems.push('Monte Carlo: the seed must be a whole number.');
  }
  if (problems.length > 0) return { request: null, problems };
  const request: ReplayRequest = {
    symbols,
    timeframes: [...draft.timeframes],
    from: new Date(from!).toISOString(),
    to: new Date(to!).toISOString(),
    versionA: draft.versionA!,
    versionB: draft.versionB!,
  };
  if (draft.walkForward)
    request.walkForward = {
      inSampleHours: draft.inSampleHours!,
      outOfSampleHours: draft.outOfSampleHours!,
      gapHours: draft.gapHours ?? 0,
    };
  if (draft.monteCarlo) request.monteCarlo = { runs: draft.runs!, seed: draft.seed! };
  return { request, problems: [] };
}
