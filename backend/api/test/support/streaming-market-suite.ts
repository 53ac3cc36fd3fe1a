import { ExchangeSim, startExchangeSim } from '@scanner/exchange-sim';
import { UniverseService } from '../../src/market-data/universe.service';
import { appForSuite, type SuiteApp } from './app-suite';
import { eventually } from './test-env';

/** Where the simulator's market stands (paused) when a streaming suite starts: real 2024 candles. */
export const STREAMING_START = Date.parse('2024-08-04T00:02:00Z');
/** The symbols a streaming suite scans (SCAN_TOP_N). */
export const STREAMING_SYMBOLS = 8;

/** A streaming suite's simulator and app, filled in by its beforeAll: read them in tests and hooks. */
export interface StreamingMarketSuite {
  sim: ExchangeSim;
  app: SuiteApp;
}

/**
 * Hooks for the enclosing describe: the exchange simulator (5m candles, its clock paused at
 * STREAMING_START, weights counted on its virtual clock), then the whole app on it in stream mode
 * (MARKET_DATA_SOURCE=stream) scanning the top STREAMING_SYMBOLS on 5m, with no cron scan (a yearly
 * cron): whatever it stores comes from the kline streams or their REST backfill. The app closes before
 * the simulator.
 */
export function streamingMarketSuite(): StreamingMarketSuite {
  const suite = {} as StreamingMarketSuite;
  beforeAll(async () => {
    suite.sim = await startExchangeSim({
      intervals: ['5m'],
      clock: { startTime: STREAMING_START, paused: true },
      weightClock: 'virtual',
      log: false,
    });
  });
  suite.app = appForSuite(() => ({
    BINANCE_REST_URL: suite.sim.url,
    BINANCE_WS_URL: suite.sim.wsUrl,
    MARKET_DATA_SOURCE: 'stream',
    SCAN_TOP_N: String(STREAMING_SYMBOLS),
    SCAN_TIMEFRAMES: '5m',
    SCAN_CRON: '0 0 0 1 1 *',
  }));
  afterAll(async () => {
    await suite.sim?.close();
  });
  return suite;
}

/** The app's universe once its startup refresh has filled it, and its symbols. */
export async function startupUniverse(
  app: SuiteApp,
): Promise<{ universe: UniverseService; symbols: string[] }> {
  const universe = app.running.app.get(UniverseService);
  await eventually(async () => !(await universe.isEmpty()), 20_000, 'the startup universe');
  return { universe, symbols: await universe.symbols() };
}
