import type { SignalConfluence, SignalEvent } from '@scanner/contracts';
import { describeConfluence, storedConfluence } from './alert-rule.matching';

export const CHANNEL_NAMES = ['webhook', 'telegram'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** A place notifications go. `send` throws on failure so the job retries. */
export abstract class NotificationChannel {
  abstract readonly name: ChannelName;
  abstract readonly enabled: boolean;
  abstract send(event: SignalEvent, idempotencyKey: string): Promise<void>;
}

const signedR = (r: number) => `${r >= 0 ? '+' : ''}${r.toFixed(2)}R`;

/** Net R after costs first, gross beside it (events recorded before net R existed show the gross alone). */
function outcomeText(s: SignalEvent['signal']): string {
  if (s.outcomeR === null) return '';
  const net = (s as { netR?: number | null }).netR;
  return net === null || net === undefined
    ? ` (${signedR(s.outcomeR)} gross)`
    : ` (${signedR(net)} net, ${signedR(s.outcomeR)} gross)`;
}

/** "pTarget 54% (n=312)", or the reason there is none, or nothing for events recorded before pTarget existed. */
function pTargetText(s: SignalEvent['signal']): string | null {
  const { pTarget, pTargetSamples, pTargetNote } = s as {
    pTarget?: number | null;
    pTargetSamples?: number;
    pTargetNote?: string | null;
  };
  if (pTarget !== null && pTarget !== undefined)
    return `pTarget ${Math.round(pTarget * 100)}% (P(TP before SL), n=${pTargetSamples ?? 0})`;
  return pTargetNote ? `pTarget n/a: ${pTargetNote}` : null;
}

/**
 * "confluence: 1h ▲✓ 4h ▼ (2 of 3 timeframes agree)": each other scanned timeframe by its active
 * signal or else its EMA200 side, ✓ where it agrees; null when there is nothing to say (a replay, a
 * single scanned timeframe, an event recorded before confluence existed).
 */
export function confluenceLine(confluence: SignalConfluence | null | undefined): string | null {
  if (confluence === null || confluence === undefined) return null;
  const arrows = describeConfluence(confluence);
  if (arrows === '') return null;
  return `confluence: ${arrows} (${confluence.agreeing} of ${confluence.others.length + 1} timeframes agree)`;
}

/**
 * The text of an event. A creation carries a confluence line: the signal's stored confluence, or
 * `confluence` when given (an alert rule's, which is recomputed for events recorded before it was stored).
 */
export function describeEvent(
  event: SignalEvent,
  confluence: SignalConfluence | null = storedConfluence(event.signal) ?? null,
): string {
  const s = event.signal;
  if (event.type === 'deleted') {
    return `${s.symbol} ${s.timeframe} ${s.direction} closed: ${s.status}${outcomeText(s)} at ${s.exitPrice ?? '—'}`;
  }
  const met = s.conditions.filter((condition) => condition.met).map((condition) => condition.key);
  const pTarget = pTargetText(s);
  const agreement = confluenceLine(confluence);
  return [
    `${s.direction} ${s.symbol} ${s.timeframe} — confidence ${Math.round(s.confidence)}%`,
    ...(pTarget === null ? [] : [pTarget]),
    ...(agreement === null ? [] : [agreement]),
    `entry ${s.entryPrice}  stop ${s.stopLoss}  target ${s.takeProfit}  R:R ${s.riskReward.toFixed(2)}`,
    `met: ${met.join(', ') || 'none'}`,
    `at ${s.createdAt}`,
  ].join('\n');
}
