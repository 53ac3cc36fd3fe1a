import { BUNDLED_DATA_DIR } from './exchange-sim';
import { defaultStartTime, loadReplayData, resolveTimeOffset } from './replay-data';
import { HOUR, T0, writeCraftedFolder } from './test-support/crafted-data';

describe('loadReplayData', () => {
  it('loads plain and gzip files, filtered by symbol and interval', () => {
    const data = writeCraftedFolder();
    try {
      const all = loadReplayData({ dataDir: data.dir });
      expect(all.report).toMatchObject({ files: 3, symbols: 2, rows: 288 + 72 + 72, timeOffset: 0 });
      const aaa = all.symbols.find((s) => s.symbol === 'AAAUSDT')!;
      expect(aaa.intervals()).toEqual(['15m', '1h']);
      expect(aaa.get('1h')!.bar(0)).toMatchObject({
        openTime: T0,
        open: data.aaa1h[0]!.open,
        volume: data.aaa1h[0]!.volume,
      });
      const some = loadReplayData({ dataDir: data.dir, symbols: ['AAAUSDT'], intervals: ['1h'] });
      expect(some.report).toMatchObject({ files: 1, symbols: 1 });
    } finally {
      data.remove();
    }
  });

  it('loads the bundled gzip data with its real time axis', () => {
    const data = loadReplayData({ dataDir: BUNDLED_DATA_DIR, symbols: ['BTCUSDT'] });
    expect(data.report).toMatchObject({ files: 4, symbols: 1 });
    const btc = data.symbols[0]!;
    expect(btc.get('5m')!.firstOpenTime).toBe(Date.parse('2024-07-29T00:00:00Z'));
    expect(btc.get('5m')!.length).toBe(4032);
    expect(btc.get('4h')!.firstOpenTime).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(defaultStartTime(data.symbols)).toBe(Date.parse('2024-08-01T11:20:00Z'));
  });

  it('rounds a time offset down to the largest interval', () => {
    expect(resolveTimeOffset(5 * HOUR + 59 * 60_000, 4 * HOUR)).toBe(4 * HOUR);
    expect(resolveTimeOffset({ mapDataTime: 0, to: 3 * HOUR + 1 }, HOUR)).toBe(3 * HOUR);
    expect(resolveTimeOffset(undefined, HOUR)).toBe(0);
  });
});
