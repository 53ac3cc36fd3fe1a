import { SignalEngine, type Signal as DomainSignal } from '@scanner/signal-core';
import { closedSignal, domainSignal } from './signal-engine.testing';
import { toSignalEntity, toWireSignal } from './signal.mapper';

describe('signal mapper', () => {
  it('maps a domain signal to the wire shape with market times as ISO strings', () => {
    const signal = domainSignal({ mfe: 1.5, mfeR: 0.5, mae: 0.3, maeR: 0.1 });
    const wire = toWireSignal(toSignalEntity(signal));
    expect(wire).toEqual({
      id: 'BTCUSDT-5m-1722816000000-LONG',
      symbol: 'BTCUSDT',
      timeframe: '5m',
      direction: 'LONG',
      status: 'ACTIVE',
      confidence: 75,
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
      closeReason: null,
      version: 1,
    });
    // Internal-only fields stay off the wire.
    expect(wire).not.toHaveProperty('initialStopLoss');
    expect(wire).not.toHaveProperty('mfe');
  });

  it('stores the closing status, outcome and excursions in R', () => {
    const closed = closedSignal(
      domainSignal({ mfeR: 1.2, maeR: 0.4 }),
      'TP_HIT',
      105,
      Date.UTC(2024, 7, 5, 1, 0),
    );
    const entity = toSignalEntity(closed);
    expect(entity).toMatchObject({
      status: 'TP_HIT',
      exitPrice: 105,
      outcomeR: 5 / 3,
      maxFavorableR: 1.2,
      maxAdverseR: 0.4,
      version: 2,
    });
    expect(entity.closedAt?.toISOString()).toBe('2024-08-05T01:00:00.000Z');
    expect(toWireSignal(entity).closedAt).toBe('2024-08-05T01:00:00.000Z');
  });

  it('carries a cancellation with its reason onto the wire', () => {
    const cancelled = {
      ...closedSignal(domainSignal(), 'CANCELLED', 99, Date.UTC(2024, 7, 5, 1, 0)),
      closeReason: 'BTCUSDT is HALT on the exchange, not TRADING',
    };
    const wire = toWireSignal(toSignalEntity(cancelled));
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
    const entity = toSignalEntity(emitted!);
    expect(entity.conditions).toHaveLength(8);
    expect(entity.conditions.every((c) => typeof c.detail === 'string' && c.detail.length > 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(entity.conditions))).toEqual(emitted!.conditions);
  });
});
