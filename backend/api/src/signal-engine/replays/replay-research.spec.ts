import { closedTradeNetR, monteCarloNetR, mulberry32 } from '@scanner/signal-core';
import { closedSignal, domainSignal } from '../signal-engine.testing';
import { parseReplayRequest } from './replay-compare';
import { replayResearch } from './replay-research';

const H = 3_600_000;
const T0 = Date.UTC(2024, 7, 5);
const at = (hours: number) => T0 + hours * H;
const VALID = {
  symbols: ['BTCUSDT'],
  timeframes: ['5m'],
  from: new Date(T0).toISOString(),
  to: new Date(at(48)).toISOString(),
  versionA: 1,
  versionB: 2,
};

describe('replay request: walk-forward and Monte Carlo', () => {
  it('keeps a valid walk-forward and Monte Carlo spec', () => {
    expect(
      parseReplayRequest({
        ...VALID,
        walkForward: { inSampleHours: 12, outOfSampleHours: 6, gapHours: 1 },
        monteCarlo: { runs: 500, seed: 7 },
      }),
    ).toMatchObject({
      walkForward: { inSampleHours: 12, outOfSampleHours: 6, gapHours: 1 },
      monteCarlo: { runs: 500, seed: 7 },
    });
    expect(parseReplayRequest({ ...VALID, walkForward: null, monteCarlo: null })).not.toHaveProperty(
      'walkForward',
    );
  });

  it.each([
    [
      { walkForward: { inSampleHours: 0, outOfSampleHours: 6 } },
      /walkForward.inSampleHours must be a number of hours > 0/,
    ],
    [
      { walkForward: { inSampleHours: 12, outOfSampleHours: 6, stepHours: 2 } },
      /stepHours must be at least outOfSampleHours/,
    ],
    [
      { walkForward: { inSampleHours: 40, outOfSampleHours: 12 } },
      /no window fits the period: one needs 52 hours/,
    ],
    [{ walkForward: { is: 1 } }, /walkForward: unknown field\(s\) "is"/],
    [{ monteCarlo: { runs: 0, seed: 1 } }, /monteCarlo.runs must be a whole number from 1 to 100000/],
    [{ monteCarlo: { runs: 10, seed: 1.5 } }, /monteCarlo.seed must be a whole number/],
    [{ monteCarlo: 5 }, /monteCarlo must be an object/],
  ])('refuses %j, naming the problem', (extra, message) => {
    expect(() => parseReplayRequest({ ...VALID, ...extra })).toThrow(message);
  });
});

describe('replay research figures', () => {
  // One trade every 2 hours over 48 hours: TP (+1.67R) and SL (−1R) alternately.
  const signals = Array.from({ length: 24 }, (_, i) => {
    const s = domainSignal({ candleOpenTime: at(2 * i) });
    return i % 2 === 0
      ? closedSignal(s, 'TP_HIT', 105, at(2 * i + 1))
      : closedSignal(s, 'SL_HIT', 97, at(2 * i + 1));
  });
  const request = {
    from: VALID.from,
    to: VALID.to,
    walkForward: { inSampleHours: 12, outOfSampleHours: 12 },
    monteCarlo: { runs: 200, seed: 42 },
  };

  it('reports out-of-sample windows only, and resamples their trades with the seed', () => {
    const research = replayResearch(signals, request);
    const wf = research.walkForward!;
    // Windows: out-of-sample [12h, 24h), [24h, 36h), [36h, 48h) — the first 12 hours are in-sample only.
    expect(wf.windows.map((w) => [w.from, w.to])).toEqual([
      [new Date(at(12)).toISOString(), new Date(at(24)).toISOString()],
      [new Date(at(24)).toISOString(), new Date(at(36)).toISOString()],
      [new Date(at(36)).toISOString(), new Date(at(48)).toISOString()],
    ]);
    expect(wf.windows.map((w) => w.closed)).toEqual([6, 6, 6]);
    expect(wf.outOfSample.closed).toBe(18);
    expect(wf.calibration.closed).toBe(18);
    expect(research.calibration.closed).toBe(24);

    const outOfSample = signals.filter((s) => s.createdAt >= at(12));
    const expected = monteCarloNetR(closedTradeNetR(outOfSample), { runs: 200, random: mulberry32(42) });
    expect(research.monteCarlo).toEqual({
      runs: 200,
      seed: 42,
      trades: 'out-of-sample',
      observedTrades: 18,
      finalR: expected.finalR,
      maxDrawdownR: expected.maxDrawdownR,
      lossProbability: expected.lossProbability,
    });
    // Reproducible: the same seed gives the same bands, another seed other ones.
    expect(replayResearch(signals, request).monteCarlo).toEqual(research.monteCarlo);
    const other = replayResearch(signals, { ...request, monteCarlo: { runs: 200, seed: 43 } }).monteCarlo!;
    expect([other.finalR, other.maxDrawdownR]).not.toEqual([expected.finalR, expected.maxDrawdownR]);
  });

  it('resamples every trade without a walk-forward, and says why there are no bands without a close', () => {
    const all = replayResearch(signals, { ...request, walkForward: undefined });
    expect(all.walkForward).toBeNull();
    expect(all.monteCarlo).toMatchObject({ trades: 'all', observedTrades: 24 });
    const none = replayResearch([domainSignal()], request);
    expect(none.monteCarlo).toBeNull();
    expect(none.monteCarloNote).toBe('no closed out-of-sample trade to resample');
    expect(replayResearch(signals, { from: VALID.from, to: VALID.to })).toMatchObject({
      walkForward: null,
      monteCarlo: null,
      monteCarloNote: null,
    });
  });
});
