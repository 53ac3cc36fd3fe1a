import type { SignalEvent } from '@scanner/contracts';

export const CHANNEL_NAMES = ['webhook', 'telegram'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** A place notifications go. `send` throws on failure so the job retries. */
export abstract class NotificationChannel {
  abstract readonly name: ChannelName;
  abstract readonly enabled: boolean;
  abstract send(event: SignalEvent, idempotencyKey: string): Promise<void>;
}

export function describeEvent(event: SignalEvent): string {
  const s = event.signal;
  if (event.type === 'deleted') {
    const r = s.outcomeR === null ? '' : ` (${s.outcomeR >= 0 ? '+' : ''}${s.outcomeR.toFixed(2)}R)`;
    return `${s.symbol} ${s.timeframe} ${s.direction} closed: ${s.status}${r} at ${s.exitPrice ?? '—'}`;
  }
  const met = s.conditions.filter((condition) => condition.met).map((condition) => condition.key);
  return [
    `${s.direction} ${s.symbol} ${s.timeframe} — confidence ${Math.round(s.confidence)}%`,
    `entry ${s.entryPrice}  stop ${s.stopLoss}  target ${s.takeProfit}  R:R ${s.riskReward.toFixed(2)}`,
    `met: ${met.join(', ') || 'none'}`,
    `at ${s.createdAt}`,
  ].join('\n');
}
