import { domainSignal } from './signal-engine.testing';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { fitTimeframe, stampFromFit, TargetFitService, toFitDto, type CachedFit } from './target-fit.service';
import { IsotonicModel } from '@scanner/signal-core';

const AT = new Date('2026-12-02T12:00:00.000Z');

/** `n` closes at `confidence`, `tp` of them TP_HIT and the rest SL_HIT. */
function closes(confidence: number, n: number, tp: number, origin: 'live' | 'replay' = 'live') {
  return Array.from({ length: n }, (_, i) => ({
    status: i < tp ? ('TP_HIT' as const) : ('SL_HIT' as const),
    origin,
    initialConfidence: confidence,
    netR: 0,
  }));
}

describe('fitTimeframe', () => {
  it('fits P(TP before SL) on confidence at creation over the TP/SL closes only, keeping the live/replay split', () => {
    const closed = [
      ...closes(70, 4, 1, 'replay'),
      ...closes(90, 4, 3),
      { status: 'EXPIRED' as const, origin: 'live' as const, initialConfidence: 95, netR: 0.1 },
    ];
    const fit = fitTimeframe('5m', closed, AT, 8);
    expect(fit).toMatchObject({
      timeframe: '5m',
      samples: 8,
      liveSamples: 4,
      replaySamples: 4,
      minSamples: 8,
    });
    expect(fit.note).toBeNull();
    expect(fit.blocks.map((b) => [b.xMin, b.xMax, b.value])).toEqual([
      [70, 70, 0.25],
      [90, 90, 0.75],
    ]);
  });

  it('pools a decreasing pair (pool-adjacent-violators) so the fit never falls with confidence', () => {
    const fit = fitTimeframe('5m', [...closes(70, 4, 3), ...closes(80, 4, 1)], AT, 8);
    expect(fit.blocks.map((b) => [b.xMin, b.xMax, b.value])).toEqual([[70, 80, 0.5]]);
  });

  it('has no fit below the minimum sample, and says how far it is', () => {
    const fit = fitTimeframe('1h', closes(75, 120, 60), AT);
    expect(fit).toMatchObject({
      samples: 120,
      minSamples: 200,
      blocks: [],
      note: '120 of 200 TP/SL closes on 1h so far',
    });
  });
});

describe('stampFromFit', () => {
  const signal = domainSignal({ confidence: 80 }); // 5m, created at 00:04:59.999
  const live = signal.createdAt + 2_000;
  const model = IsotonicModel.fromBlocks(
    [
      { xMin: 70, xMax: 74, value: 0.3, weight: 100 },
      { xMin: 90, xMax: 100, value: 0.5, weight: 150 },
    ],
    250,
  );
  const fit: CachedFit = { timeframe: '5m', samples: 250, minSamples: 200, fittedAt: AT, note: null, model };

  it('stamps pTarget from the fit at the confidence at creation (linear between blocks)', () => {
    expect(stampFromFit(signal, live, fit)).toEqual({
      origin: 'live',
      pTarget: 0.3 + (0.2 * (80 - 74)) / (90 - 74),
      pTargetSamples: 250,
      pTargetNote: null,
    });
  });

  it('null with the reason while there is no fit, and origin replay for a candle that was history when the step ran', () => {
    const shortfall: CachedFit = {
      ...fit,
      samples: 12,
      model: null,
      note: '12 of 200 TP/SL closes on 5m so far',
    };
    expect(stampFromFit(signal, signal.createdAt + 86_400_000, shortfall)).toEqual({
      origin: 'replay',
      pTarget: null,
      pTargetSamples: 12,
      pTargetNote: '12 of 200 TP/SL closes on 5m so far',
    });
    expect(stampFromFit(signal, live, undefined)).toEqual({
      origin: 'live',
      pTarget: null,
      pTargetSamples: 0,
      pTargetNote: 'no pTarget fit for 5m yet',
    });
  });

  it('shows the fit on the wire as ascending steps', () => {
    expect(toFitDto(fit)).toEqual({
      timeframe: '5m',
      samples: 250,
      minSamples: 200,
      fittedAt: '2026-12-02T12:00:00.000Z',
      steps: [
        { min: 70, p: 0.3 },
        { min: 90, p: 0.5 },
      ],
      note: null,
    });
  });
});

describe('TargetFitService cache', () => {
  it('reads target_fits once for the steps that find the cache due together, and again a minute later', async () => {
    let reads = 0;
    const dataSource = {
      getRepository: () => ({
        find: async () => {
          reads++;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return [];
        },
      }),
    } as unknown as DataSource;
    const service = new TargetFitService(dataSource, {} as AppConfig);
    let now = AT.getTime();
    service.hostNow = () => now;
    const signal = domainSignal({ confidence: 80 });
    await Promise.all(Array.from({ length: 50 }, () => service.stampFor(signal, signal.createdAt)));
    expect(reads).toBe(1);
    now += 59_000;
    await service.stampFor(signal, signal.createdAt);
    expect(reads).toBe(1);
    now += 1_000;
    await Promise.all(Array.from({ length: 50 }, () => service.stampFor(signal, signal.createdAt)));
    expect(reads).toBe(2);
  });
});
