import { Logger } from '@nestjs/common';
import {
  fineCandleSource,
  parseBinanceKlines,
  runBacktest,
  SignalEngine,
  type Candle,
  type CandleSpan,
  type Signal,
} from '@scanner/signal-core';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FineCandleService, FineCandleSpan, MarketCandle } from '../market-data';
import { FineCandlePrefetch } from './fine-candle-prefetch';
import { minuteChildren } from './fine-candles.testing';

/** Its bundled 5m candles have one candle touching both levels of a LONG (2024-07-31 13:40). */
const SYMBOL = 'SHIBUSDT';

/** Real 5m candles bundled with the exchange simulator. */
function candles(): Candle[] {
  const file = path.resolve(__dirname, '../../../exchange-sim/data', `${SYMBOL}-5m.json.gz`);
  return parseBinanceKlines(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')), {
    symbol: SYMBOL,
    interval: '5m',
  });
}

/** A market-data stand-in: answers from `answer`, recording every span asked for. */
function fakeProvider(answer: (span: FineCandleSpan) => Candle[]) {
  const asked: FineCandleSpan[] = [];
  const service = {
    forClosedSpan: (span: FineCandleSpan): Promise<MarketCandle[]> => {
      asked.push(span);
      try {
        return Promise.resolve(answer(span).map((c) => ({ ...c, quoteVolume: 0 })));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
  };
  return { asked, prefetch: new FineCandlePrefetch(service as unknown as FineCandleService) };
}

/** Every candle through `prefetch.feed`, as the scanner does; the final state of each signal. */
async function live(prefetch: FineCandlePrefetch, series: readonly Candle[]): Promise<Signal[]> {
  const engine = new SignalEngine({ symbol: SYMBOL, timeframe: '5m', fineCandles: prefetch.source });
  const byId = new Map<string, Signal>();
  for (const candle of series) {
    for (const event of await prefetch.feed(engine, candle)) {
      if (event.type !== 'gap') byId.set(event.signal.id, event.signal);
    }
  }
  return [...byId.values()];
}

describe('FineCandlePrefetch: 1m candles for a closed candle touching both stop and target', () => {
  const series = candles();
  const children = series.flatMap((c) => minuteChildren(c, 'high-first'));
  const childrenOf = (span: FineCandleSpan) =>
    children.filter((c) => c.openTime >= span.openTime && c.openTime <= span.closeTime);

  afterEach(() => jest.restoreAllMocks());

  it('asks only for the candles the engine decides with finer candles, and the engine decides them (fine)', async () => {
    // What the engine asks its source for when it has every 1m candle (the backtest's view).
    const engineAsked: CandleSpan[] = [];
    const all = fineCandleSource({ [SYMBOL]: children });
    const reference = runBacktest({ [SYMBOL]: series }, undefined, { timeframe: '5m' });
    const withFine = new SignalEngine({
      symbol: SYMBOL,
      timeframe: '5m',
      fineCandles: (span) => (engineAsked.push(span), all(span)),
    });
    const expected = new Map<string, Signal>();
    for (const candle of series)
      for (const event of withFine.onClosedCandle(candle))
        if (event.type !== 'gap') expected.set(event.signal.id, event.signal);

    const { asked, prefetch } = fakeProvider(childrenOf);
    const signals = await live(prefetch, series);

    expect(asked.length).toBeGreaterThan(0);
    expect(asked).toEqual(
      engineAsked.map((s) => ({ symbol: s.symbol, openTime: s.openTime, closeTime: s.closeTime })),
    );
    expect(signals).toEqual([...expected.values()]);
    expect(signals.filter((s) => s.resolution === 'conservative')).toEqual([]);
    const fine = signals.filter((s) => s.resolution === 'fine');
    expect(fine.length).toBe(asked.length);
    // High first: a LONG reaches its target first, a SHORT its stop.
    for (const s of fine) {
      expect([s.direction, s.status, s.exitPrice]).toEqual(
        s.direction === 'LONG' ? ['LONG', 'TP_HIT', s.takeProfit] : ['SHORT', 'SL_HIT', s.stopLoss],
      );
    }
    expect(fine.some((s) => s.status === 'TP_HIT')).toBe(true);
    // Without finer candles the same series decides every one of them as SL.
    const conservative = reference.signals.filter((s) => s.resolution !== null);
    expect(conservative.map((s) => [s.id, s.resolution, s.status])).toEqual(
      fine.map((s) => [s.id, 'conservative', 'SL_HIT']),
    );
    // Nothing is left behind for the next candle: the source answers only while its candle is fed.
    expect(prefetch.source({ ...asked[0], timeframe: '5m' })).toBeNull();
  });

  it('a failed fetch decides the candle as SL (conservative), logs it and carries on', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { asked, prefetch } = fakeProvider(() => {
      throw new Error('klines SHIBUSDT 1m: HTTP 503');
    });
    const signals = await live(prefetch, series);
    const reference = runBacktest({ [SYMBOL]: series }, undefined, { timeframe: '5m' });

    expect(signals).toEqual(reference.signals);
    const decided = signals.filter((s) => s.resolution !== null);
    expect(decided.length).toBeGreaterThan(0);
    expect(decided.every((s) => s.resolution === 'conservative' && s.status === 'SL_HIT')).toBe(true);
    expect(asked.length).toBe(decided.length);
    expect(warn).toHaveBeenCalledTimes(asked.length);
    expect(warn.mock.calls[0][0]).toMatchObject({
      msg: expect.stringContaining('could not be fetched'),
      symbol: SYMBOL,
      timeframe: '5m',
      candleOpenTime: asked[0].openTime,
      error: 'klines SHIBUSDT 1m: HTTP 503',
    });
  });

  it('no 1m candles on the exchange: conservative, as without a source', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { asked, prefetch } = fakeProvider(() => []);
    const signals = await live(prefetch, series);
    expect(asked.length).toBeGreaterThan(0);
    expect(signals).toEqual(runBacktest({ [SYMBOL]: series }, undefined, { timeframe: '5m' }).signals);
  });
});
