import { DEFAULT_ENGINE_CONFIG, IndicatorSet, type IndicatorSetState } from '@scanner/signal-core';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { ConfluenceService } from './confluence.service';
import { CreationStampService } from './creation-stamps.service';
import type { EngineConfigService } from './engine-config.service';
import { closedSignal, domainSignal } from './signal-engine.testing';
import type { FitStamp } from './signal.mapper';
import type { TargetFitService } from './target-fit.service';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 7, 5, 0, 0);
const TIMEFRAMES = ['5m', '15m', '1h'];
const INTERVAL: Record<string, number> = { '5m': 300_000, '15m': 900_000, '1h': HOUR };

/** Indicators of `timeframe` after candles zig-zagging up (+1) or down (−1), closing at START. */
function trendIndicators(direction: 1 | -1): IndicatorSetState {
  const set = new IndicatorSet();
  let price = 1000;
  for (let i = 0; i < 260; i++) {
    const close = price + direction * (i % 2 === 0 ? 2 : -1.2);
    set.add({ open: price, high: Math.max(price, close) + 0.3, low: Math.min(price, close) - 0.3, close });
    price = close;
  }
  return set.getState();
}

/** engine_states of BTCUSDT rising and ETHUSDT falling on every timeframe; the reads are counted. */
function database() {
  // The rows of confluence's read of engine_states (the parts of each state it judges).
  const states = ['BTCUSDT', 'ETHUSDT'].flatMap((symbol) =>
    TIMEFRAMES.map((timeframe) => ({
      symbol,
      timeframe,
      last_open_time: String(START - INTERVAL[timeframe]),
      indicators: trendIndicators(symbol === 'BTCUSDT' ? 1 : -1),
      active: null,
    })),
  );
  const reads: Array<{ symbols: string[]; timeframes: string[] }> = [];
  const storedStampReads: string[][] = [];
  const manager = {
    query: async (_sql: string, [symbols, timeframes]: [string[], string[]]) => {
      reads.push({ symbols, timeframes });
      return states.filter((s) => symbols.includes(s.symbol) && timeframes.includes(s.timeframe));
    },
  };
  const dataSource = {
    manager,
    query: async (_sql: string, [ids]: [string[]]) => {
      storedStampReads.push(ids);
      return ids.map((id) => ({
        id,
        origin: 'live',
        p_target: null,
        p_target_samples: 0,
        p_target_note: 'stored',
        confluence: null,
        scoring_version: 1,
      }));
    },
  } as unknown as DataSource;
  return { dataSource, reads, storedStampReads };
}

function setup() {
  const db = database();
  const engineConfig = {
    get: async () => DEFAULT_ENGINE_CONFIG,
    inForce: async () => ({ version: 3, config: DEFAULT_ENGINE_CONFIG }),
  } as unknown as EngineConfigService;
  const confluence = new ConfluenceService(
    { scanTimeframes: TIMEFRAMES } as unknown as AppConfig,
    db.dataSource,
    engineConfig,
  );
  // Live when the step runs within an hour of the creation, else a replay (as creationOrigin decides).
  const fits = {
    stampFor: async (signal: { createdAt: number }, at: number): Promise<FitStamp> => ({
      origin: at - signal.createdAt < HOUR ? 'live' : 'replay',
      pTarget: null,
      pTargetSamples: 0,
      pTargetNote: 'no fit',
    }),
  } as unknown as TargetFitService;
  const stamps = new CreationStampService(db.dataSource, fits, confluence, engineConfig);
  return { ...db, confluence, stamps };
}

const btc = domainSignal({ symbol: 'BTCUSDT', candleOpenTime: START - 300_000 });
const eth = domainSignal({ symbol: 'ETHUSDT', candleOpenTime: START - 300_000 });
const subjectOf = (s: typeof btc) => ({
  symbol: s.symbol,
  timeframe: s.timeframe,
  direction: s.direction,
  createdAt: new Date(s.createdAt).toISOString(),
});

describe('CreationStampService', () => {
  it("stamps every live creation of a step from ONE read of the other timeframes' states, each with its own symbol's", async () => {
    const { stamps, reads, storedStampReads, confluence } = setup();
    const replayed = domainSignal({ symbol: 'BTCUSDT', timeframe: '15m', candleOpenTime: START - 30 * HOUR });
    const earlier = domainSignal({ symbol: 'ETHUSDT', timeframe: '1h', candleOpenTime: START - 2 * HOUR });
    const result = await stamps.stampsFor(
      [
        { type: 'created', signal: btc },
        { type: 'created', signal: eth },
        { type: 'created', signal: replayed },
        { type: 'updated', signal: { ...earlier, version: 2 } },
      ],
      btc.createdAt + 1_000,
    );
    expect(reads).toEqual([{ symbols: ['BTCUSDT', 'ETHUSDT'], timeframes: ['15m', '1h'] }]);
    expect(storedStampReads).toEqual([[earlier.id]]);

    const btcStamp = result.get(btc.id)!;
    const ethStamp = result.get(eth.id)!;
    expect(btcStamp).toMatchObject({ origin: 'live', scoringVersion: 3 });
    // BTCUSDT rises on 15m and 1h: both agree with its LONG; ETHUSDT falls: neither does.
    expect(btcStamp.confluence!.agreeing).toBe(3);
    expect(ethStamp.confluence!.agreeing).toBe(1);
    // The same answers as one read per signal gave.
    const [btcAlone, ethAlone] = [
      await confluence.forSignal(subjectOf(btc)),
      await confluence.forSignal(subjectOf(eth)),
    ];
    expect(btcStamp.confluence).toEqual(btcAlone);
    expect(ethStamp.confluence).toEqual(ethAlone);
    // A replay is not judged against later states; a stored signal keeps its stamp.
    expect(result.get(replayed.id)).toMatchObject({ origin: 'replay', confluence: null });
    expect(result.get(earlier.id)).toMatchObject({ pTargetNote: 'stored', scoringVersion: 1 });
  });

  it('concurrent steps of a scan batch share one read of the states', async () => {
    const { stamps, reads } = setup();
    const at = btc.createdAt + 1_000;
    const [a, b] = await Promise.all([
      stamps.stampsFor([{ type: 'created', signal: btc }], at),
      stamps.stampsFor([{ type: 'created', signal: eth }], at),
    ]);
    expect(reads).toHaveLength(1);
    expect(reads[0].symbols).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(a.get(btc.id)!.confluence!.agreeing).toBe(3);
    expect(b.get(eth.id)!.confluence!.agreeing).toBe(1);
    expect([...a.keys()]).toEqual([btc.id]);
    expect([...b.keys()]).toEqual([eth.id]);

    // A later step reads again (what it is judged against may have moved).
    await stamps.stampsFor([{ type: 'created', signal: btc }], at);
    expect(reads).toHaveLength(2);
  });

  it('reads no state for a step without a live creation', async () => {
    const { stamps, reads } = setup();
    const replayed = domainSignal({ candleOpenTime: START - 30 * HOUR });
    await stamps.stampsFor([{ type: 'created', signal: replayed }], START);
    await stamps.stampsFor([{ type: 'updated', signal: { ...btc, version: 2 } }], START);
    expect(reads).toEqual([]);
  });

  it('keeps the committed stamps of open signals: their later changes read no row, a closed one is forgotten', async () => {
    const { stamps, storedStampReads } = setup();
    const at = btc.createdAt + 1_000;
    const created = await stamps.stampsFor([{ type: 'created', signal: btc }], at);
    // Not committed yet: an update in a step built before the commit reads the row.
    await stamps.stampsFor([{ type: 'updated', signal: { ...btc, version: 2 } }], at);
    expect(storedStampReads).toEqual([[btc.id]]);

    stamps.remember([{ type: 'created', signal: btc }], created);
    const updated = await stamps.stampsFor([{ type: 'updated', signal: { ...btc, version: 3 } }], at);
    expect(storedStampReads).toHaveLength(1);
    expect(updated.get(btc.id)).toEqual(created.get(btc.id));

    // A stamp read from its row is kept too; a close forgets it, so the next change reads the row again.
    const earlier = domainSignal({ symbol: 'ETHUSDT', timeframe: '1h', candleOpenTime: START - 2 * HOUR });
    await stamps.stampsFor([{ type: 'updated', signal: { ...earlier, version: 2 } }], at);
    await stamps.stampsFor([{ type: 'updated', signal: { ...earlier, version: 3 } }], at);
    expect(storedStampReads).toEqual([[btc.id], [earlier.id]]);
    const closing = closedSignal(btc, 'TP_HIT', btc.takeProfit, at);
    stamps.remember([{ type: 'closed', signal: closing }], updated);
    await stamps.stampsFor([{ type: 'closed', signal: closing }], at);
    expect(storedStampReads).toEqual([[btc.id], [earlier.id], [btc.id]]);

    stamps.forget();
    await stamps.stampsFor([{ type: 'updated', signal: { ...earlier, version: 4 } }], at);
    expect(storedStampReads).toHaveLength(4);
  });
});
