import type { SignalConfluence, TimeframeConfluence } from '@scanner/contracts';

/** How one other timeframe points: its active signal's direction, else its side of EMA200. */
export interface ConfluenceMark {
  timeframe: string;
  /** ▲ / ▼ for an active signal (filled), △ / ▽ for the trend alone (outlined), – for nothing known. */
  arrow: '▲' | '▼' | '△' | '▽' | '–';
  /** Which way the arrow points (null for –): the colour, never the only cue. */
  side: 'up' | 'down' | null;
  /** "long signal", "above EMA200", "no data yet". */
  what: string;
  agrees: boolean;
  stale: boolean;
  /** What a screen reader says: "1h: long signal, agrees". */
  label: string;
}

/** One other timeframe's state as a mark. */
export function confluenceMark(state: TimeframeConfluence): ConfluenceMark {
  let arrow: ConfluenceMark['arrow'];
  let what: string;
  if (state.asOf === null) {
    arrow = '–';
    what = 'no data yet';
  } else if (state.activeDirection !== null) {
    arrow = state.activeDirection === 'LONG' ? '▲' : '▼';
    what = state.activeDirection === 'LONG' ? 'long signal' : 'short signal';
  } else if (state.trend !== null) {
    arrow = state.trend === 'above' ? '△' : '▽';
    what = state.trend === 'above' ? 'above EMA200' : 'below EMA200';
  } else {
    arrow = '–';
    what = 'no trend yet (EMA200 needs 200 candles)';
  }
  const side = arrow === '▲' || arrow === '△' ? 'up' : arrow === '▼' || arrow === '▽' ? 'down' : null;
  const notes = [state.agrees ? 'agrees' : null, state.asOf !== null && state.stale ? 'stale' : null].filter(
    (note): note is string => note !== null,
  );
  return {
    timeframe: state.timeframe,
    arrow,
    side,
    what,
    agrees: state.agrees,
    stale: state.stale,
    label: `${state.timeframe}: ${[what, ...notes].join(', ')}`,
  };
}

/** The marks of every other scanned timeframe, shortest first (the order stored). */
export const confluenceMarks = (confluence: SignalConfluence): ConfluenceMark[] =>
  confluence.others.map(confluenceMark);

/** "1h: long signal, agrees; 4h: above EMA200. 2 of 3 timeframes agree" — the accessible name of the marks. */
export function confluenceLabel(confluence: SignalConfluence): string {
  const marks = confluenceMarks(confluence)
    .map((mark) => mark.label)
    .join('; ');
  return `Other timeframes — ${marks}. ${agreementText(confluence)}`;
}

/** "2 of 3 timeframes agree" (the signal's own counted). */
export const agreementText = (confluence: SignalConfluence): string =>
  `${confluence.agreeing} of ${confluence.others.length + 1} timeframes agree`;

/** Why a signal shows no confluence, or null when it has some to show. */
export function noConfluenceReason(
  confluence: SignalConfluence | null | undefined,
  origin: 'live' | 'replay',
  timeframe: string,
): string | null {
  if (confluence === undefined || (confluence === null && origin === 'live'))
    return 'Not recorded: the signal was created before confluence was stored.';
  if (confluence === null)
    return 'Not recorded for a replayed signal: it was re-created from stored history, and the other timeframes’ states are later than it.';
  if (confluence.others.length === 0)
    return `Only ${timeframe} is scanned: there is no other timeframe to compare.`;
  return null;
}
