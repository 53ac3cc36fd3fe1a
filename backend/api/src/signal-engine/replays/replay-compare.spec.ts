import { closedSignal, domainSignal } from '../signal-engine.testing';
import {
  compareLive,
  equityCurve,
  parseReplayRequest,
  replayDifferences,
  replaySide,
} from './replay-compare';

const VALID = {
  symbols: ['BTCUSDT', 'ETHUSDT', 'BTCUSDT'],
  timeframes: ['5m'],
  from: '2024-08-01T00:00:00Z',
  to: '2024-08-02',
  versionA: 1,
  versionB: 2,
};

const H = 3_600_000;
const T0 = Date.UTC(2024, 7, 5);
const at = (hours: number) => T0 + hours * H;

describe('replay request', () => {
  it('normalises a valid one: unique symbols, UTC ISO times', () => {
    expect(parseReplayRequest(VALID)).toEqual({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      timeframes: ['5m'],
      from: '2024-08-01T00:00:00.000Z',
      to: '2024-08-02T00:00:00.000Z',
      versionA: 1,
      versionB: 2,
    });
  });

  it.each([
    [null, /JSON object/],
    [{ ...VALID, extra: 1 }, /unknown field\(s\) "extra"/],
    [{ ...VALID, symbols: [] }, /symbols must be a list of 1 to 200/],
    [{ ...VALID, symbols: ['btc-usdt'] }, /"btc-usdt" is not a symbol/],
    [{ ...VALID, timeframes: ['7m'] }, /timeframes: "7m" is not one of/],
    [{ ...VALID, from: 'yesterday' }, /from must be an ISO-8601 time/],
    [{ ...VALID, to: '2024-07-01T00:00:00Z' }, /from must be before to/],
    [{ ...VALID, versionA: 0 }, /versionA must be a scoring version id/],
    [{ ...VALID, versionB: 1 }, /two different scoring versions/],
  ])('refuses %j, naming the problem', (body, message) => {
    expect(() => parseReplayRequest(body)).toThrow(message);
  });
});

describe('replay results', () => {
  const tp = closedSignal(domainSignal({ candleOpenTime: at(0) }), 'TP_HIT', 105, at(2));
  const sl = closedSignal(domainSignal({ candleOpenTime: at(1), direction: 'SHORT' }), 'SL_HIT', 103, at(3));
  const open = domainSignal({ candleOpenTime: at(4) });

  it('draws the equity curve in net R in closing order, thinned evenly', () => {
    expect(equityCurve([sl, open, tp])).toEqual([tp.netR!, tp.netR! + sl.netR!]);
    expect(equityCurve([tp, sl], 1)).toEqual([tp.netR! + sl.netR!]);
  });

  it('summarises a side with the one statistics implementation', () => {
    const side = replaySide(2, [tp, sl, open], null, { from: VALID.from, to: VALID.to });
    expect(side).toMatchObject({ scoringVersion: 2, signals: 3, live: null });
    expect(side.stats.closed).toBe(2);
    expect(side.stats.byOutcome).toMatchObject({ TP_HIT: 1, SL_HIT: 1 });
  });

  it('lists the signals one version created alone or ended differently', () => {
    const slInstead = closedSignal(domainSignal({ candleOpenTime: at(0) }), 'SL_HIT', 97, at(2));
    const { differing, differingTotal } = replayDifferences([tp, sl], [slInstead, sl, open]);
    expect(differingTotal).toBe(2);
    expect(differing.map((d) => [d.id, d.a?.status ?? null, d.b?.status ?? null])).toEqual([
      [tp.id, 'TP_HIT', 'SL_HIT'],
      [open.id, null, 'ACTIVE'],
    ]);
  });

  it('compares stored signals with the replay: ids, levels, and status as of the last replayed close', () => {
    const stored = (s: typeof tp, closedAt: number | null, status: string = s.status) => ({
      id: s.id,
      entryPrice: s.entryPrice,
      takeProfit: s.takeProfit,
      status,
      closedAt,
    });
    // Closed within the replay: same status needed; closed after it: the replay still has it ACTIVE.
    expect(compareLive([stored(tp, at(2))], [tp], at(5))).toEqual({ stored: 1, matching: 1 });
    expect(compareLive([stored(tp, at(2), 'SL_HIT')], [tp], at(5))).toEqual({ stored: 1, matching: 0 });
    expect(compareLive([stored(open, at(9), 'TP_HIT')], [open], at(5))).toEqual({ stored: 1, matching: 1 });
    expect(compareLive([stored(tp, at(2))], [{ ...tp, takeProfit: 106 }], at(5)).matching).toBe(0);
    expect(compareLive([stored(tp, at(2))], [], at(5)).matching).toBe(0);
  });
});
