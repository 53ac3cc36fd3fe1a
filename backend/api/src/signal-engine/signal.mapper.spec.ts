import type { SignalConfluence } from '@scanner/contracts';
import { SignalEngine, type Signal as DomainSignal } from '@scanner/signal-core';
import { closedSignal, domainSignal, TEST_STAMP } from './signal-engine.testing';
import { defaultStamp, toSignalEntity, toWireSignal, type CreationStamp } from './signal.mapper';

const CONFLUENCE: SignalConfluence = {
  timeframe: '5m',
  direction: 'LONG',
  agreeing: 2,
  others: [
    {
      timeframe: '1h',
      activeDirection: 'LONG',
      trend: 'above',
      longConfidence: 75,
      shortConfidence: 10,
      asOf: '2024-08-05T00:00:00.000Z',
      stale: false,
      agrees: true,
    },
  ],
};
const LIVE: CreationStamp = {
  origin: 'live',
  pTarget: 0.42,
  pTargetSamples: 312,
  pTargetNote: null,
  confluence: CONFLUENCE,
  scoringVersion: 3,
};

describe('signal mapper', () => {
  it('maps a domain signal to the wire shape with market times as ISO strings, with its creation stamp', () => {
    const signal = domainSignal({ mfe: 1.5, mfeR: 0.5, mae: 0.3, maeR: 0.1, confidence: 80 });
    const wire = toWireSignal(toSignalEntity(signal, LIVE));
    expect(wire).toEqual({
      id: 'BTCUSDT-5m-1722816000000-LONG',
      symbol: 'BTCUSDT',
      timeframe: '5m',
      direction: 'LONG',
      status: 'ACTIVE',
      confidence: 80,
      entryPrice: 100,
      stopLoss: 97,
      takeProfit: 105,
      riskReward: 2.5 / 1.5,
      conditions: signal.conditions,
      indicators: signal.indicators,
      candleOpenTime: '2024-08-05T00:00:00.000Z',
      createdAt: '2024-08-05T00:04:59.999Z',
      updatedAt: '2024-08-05T00:04:59.999Z',
      closedAt: null,
      exitPrice: null,
      outcomeR: null,
      netR: null,
      resolution: null,
      initialConfidence: 80,
      origin: 'live',
      pTarget: 0.42,
      pTargetSamples: 312,
      pTargetNote: null,
      closeReason: null,
      confluence: CONFLUENCE,
      scoringVersion: 3,
      version: 1,
    });
    // Internal-only fields stay off the wire.
    expect(wire).not.toHaveProperty('initialStopLoss');
    expect(wire).not.toHaveProperty('mfe');
  });

  it('stores the closing status, gross and net outcome, the same-candle rule, creation values and excursions in R', () => {
    const closed = {
      ...closedSignal(domainSignal({ mfeR: 1.2, maeR: 0.4 }), 'TP_HIT', 105, Date.UTC(2024, 7, 5, 1, 0)),
      netR: 5 / 3 - 0.0205 / 3,
      resolution: 'fine' as const,
      confidence: 60,
    };
    const entity = toSignalEntity(closed, TEST_STAMP);
    expect(entity).toMatchObject({
      status: 'TP_HIT',
      exitPrice: 105,
      outcomeR: 5 / 3,
      netR: 5 / 3 - 0.0205 / 3,
      resolution: 'fine',
      confidence: 60,
      initialConfidence: 75,
      initialConditionMask: 0b11111,
      origin: 'replay',
      pTarget: null,
      pTargetNote: 'test fixture',
      maxFavorableR: 1.2,
      maxAdverseR: 0.4,
      version: 2,
    });
    expect(entity.closedAt?.toISOString()).toBe('2024-08-05T01:00:00.000Z');
    expect(toWireSignal(entity)).toMatchObject({
      closedAt: '2024-08-05T01:00:00.000Z',
      outcomeR: 5 / 3,
      netR: 5 / 3 - 0.0205 / 3,
      resolution: 'fine',
      initialConfidence: 75,
    });
  });

  it('stamps a signal without a fit at hand with its origin from the market time of the step that created it', () => {
    const signal = domainSignal(); // 5m, created 2024-08-05T00:04:59.999Z
    const created = signal.createdAt;
    expect(defaultStamp(signal, created + 1)).toMatchObject({
      origin: 'live',
      pTarget: null,
      pTargetSamples: 0,
    });
    // Two candles + 1 minute later the candle was already history.
    expect(defaultStamp(signal, created + 660_000).origin).toBe('live');
    expect(defaultStamp(signal, created + 660_001).origin).toBe('replay');
    expect(defaultStamp(signal, undefined).origin).toBe('replay');
  });

  it('carries a cancellation with its reason onto the wire', () => {
    const cancelled = {
      ...closedSignal(domainSignal(), 'CANCELLED', 99, Date.UTC(2024, 7, 5, 1, 0)),
      closeReason: 'BTCUSDT is HALT on the exchange, not TRADING',
    };
    const wire = toWireSignal(toSignalEntity(cancelled, TEST_STAMP));
    expect(wire).toMatchObject({
      status: 'CANCELLED',
      exitPrice: 99,
      closeReason: 'BTCUSDT is HALT on the exchange, not TRADING',
    });
  });

  it('copies the breakdown of an engine signal into plain rows (its conditions are built lazily)', () => {
    const engine = new SignalEngine({ symbol: 'X', timeframe: '5m' });
    let t = 0;
    let emitted: DomainSignal | null = null;
    for (let i = 0; i < 600 && emitted === null; i++) {
      const close = 100 + i * 0.2 + 3 * Math.sin(i / 5);
      const events = engine.onClosedCandle({
        openTime: t,
        closeTime: t + 299_999,
        open: close - 0.1,
        high: close + 0.5,
        low: close - 0.5,
        close,
        volume: 1,
      });
      t += 300_000;
      for (const e of events) if (e.type === 'created') emitted = e.signal;
    }
    expect(emitted).not.toBeNull();
    const entity = toSignalEntity(emitted!, TEST_STAMP);
    expect(entity.conditions).toHaveLength(8);
    expect(entity.conditions.every((c) => typeof c.detail === 'string' && c.detail.length > 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(entity.conditions))).toEqual(emitted!.conditions);
  });
});
