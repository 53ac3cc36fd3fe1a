import type { Signal, SignalConfluence, SignalEvent } from '@scanner/contracts';
import { describeEvent } from './notification-channel';

const base = {
  symbol: 'BTCUSDT',
  timeframe: '5m',
  direction: 'LONG',
  status: 'ACTIVE',
  confidence: 86.4,
  entryPrice: 100,
  stopLoss: 97,
  takeProfit: 105,
  riskReward: 5 / 3,
  conditions: [{ key: 'macd_cross', met: true, weight: 20, detail: '' }],
  createdAt: '2026-01-01T10:04:59.999Z',
  outcomeR: null,
  netR: null,
  exitPrice: null,
  pTarget: 0.547,
  pTargetSamples: 312,
  pTargetNote: null,
} as unknown as Signal;

const event = (type: SignalEvent['type'], signal: Partial<Signal>): SignalEvent => ({
  seq: 1,
  type,
  signal: { ...base, ...signal },
});

describe('describeEvent', () => {
  it('shows pTarget with its sample size on a creation, or the reason there is none', () => {
    expect(describeEvent(event('created', {}))).toContain('pTarget 55% (P(TP before SL), n=312)');
    const none = describeEvent(
      event('created', {
        pTarget: null,
        pTargetSamples: 40,
        pTargetNote: '40 of 200 TP/SL closes on 5m so far',
      }),
    );
    expect(none).toContain('pTarget n/a: 40 of 200 TP/SL closes on 5m so far');
  });

  it('shows a close in net R with the gross beside it', () => {
    const text = describeEvent(
      event('deleted', { status: 'TP_HIT', exitPrice: 105, outcomeR: 5 / 3, netR: 1.598 }),
    );
    expect(text).toBe('BTCUSDT 5m LONG closed: TP_HIT (+1.60R net, +1.67R gross) at 105');
  });

  it('an event recorded before net R and pTarget existed shows what it has', () => {
    const legacy = { ...base, status: 'SL_HIT', exitPrice: 97, outcomeR: -1 } as Record<string, unknown>;
    delete legacy.netR;
    delete legacy.pTarget;
    delete legacy.pTargetNote;
    expect(describeEvent({ seq: 1, type: 'deleted', signal: legacy as unknown as Signal })).toBe(
      'BTCUSDT 5m LONG closed: SL_HIT (-1.00R gross) at 97',
    );
    expect(
      describeEvent({
        seq: 1,
        type: 'created',
        signal: { ...legacy, status: 'ACTIVE' } as unknown as Signal,
      }),
    ).not.toContain('pTarget');
  });

  const confluence: SignalConfluence = {
    timeframe: '5m',
    direction: 'LONG',
    agreeing: 2,
    others: [
      {
        timeframe: '1h',
        activeDirection: 'LONG',
        trend: 'below',
        longConfidence: 60,
        shortConfidence: 30,
        asOf: '2026-01-01T10:00:00.000Z',
        stale: false,
        agrees: true,
      },
      {
        timeframe: '4h',
        activeDirection: null,
        trend: 'below',
        longConfidence: 20,
        shortConfidence: 50,
        asOf: '2026-01-01T08:00:00.000Z',
        stale: false,
        agrees: false,
      },
    ],
  };

  it('gives a creation a confluence line from the confluence stored with the signal', () => {
    const lines = describeEvent(event('created', { confluence })).split('\n');
    expect(lines).toContain('confluence: 1h ▲✓ 4h ▼ (2 of 3 timeframes agree)');
    expect(lines.indexOf('confluence: 1h ▲✓ 4h ▼ (2 of 3 timeframes agree)')).toBe(2);
  });

  it('has no confluence line for a replay, a single scanned timeframe, a legacy event or a close', () => {
    expect(describeEvent(event('created', { confluence: null }))).not.toContain('confluence');
    expect(
      describeEvent(event('created', { confluence: { ...confluence, agreeing: 1, others: [] } })),
    ).not.toContain('confluence');
    expect(describeEvent(event('created', {}))).not.toContain('confluence');
    expect(
      describeEvent(event('deleted', { confluence, status: 'TP_HIT', exitPrice: 105, outcomeR: 1, netR: 1 })),
    ).not.toContain('confluence');
  });

  it("uses the confluence it is given over the stored one (an alert rule's, recomputed for legacy events)", () => {
    expect(describeEvent(event('created', { confluence: null }), confluence)).toContain(
      'confluence: 1h ▲✓ 4h ▼',
    );
  });
});
