import { parseCliArgs } from './cli-options';

describe('parseCliArgs', () => {
  it('maps flags to options', () => {
    const { options, help } = parseCliArgs(
      ['--data', '/d', '--port', '9100', '--start', '2024-08-04T00:00:00Z', '--speed', '60', '--latency', '50', '--jitter', '10',
        '--error-rate', '0.05', '--error-kinds', 'busy,bad-gateway', '--seed', '3', '--symbols', 'BTCUSDT,ETHUSDT', '--intervals', '5m,1h',
        '--synthetic-symbols', '400', '--universe-test-symbols', '--weight-limit', '1200', '--weight-clock', 'virtual'],
    );
    expect(help).toBe(false);
    expect(options).toMatchObject({
      dataDir: '/d',
      port: 9100,
      clock: { startTime: Date.UTC(2024, 7, 4), speed: 60, paused: false },
      symbols: ['BTCUSDT', 'ETHUSDT'],
      intervals: ['5m', '1h'],
      syntheticSymbols: 400,
      extraSymbols: 'universe-test',
      weightLimit: 1200,
      weightClock: 'virtual',
      faults: { seed: 3, latencyMs: 50, jitterMs: 10, errorRate: 0.05, errorKinds: ['busy', 'bad-gateway'], hangMs: null },
    });
  });

  it('maps --shift-to-now onto the wall clock', () => {
    const wall = Date.UTC(2026, 0, 2, 3, 4, 5);
    const { options } = parseCliArgs(['--start', '2024-08-04T00:00:00Z', '--shift-to-now'], wall);
    expect(options.timeOffset).toEqual({ mapDataTime: Date.UTC(2024, 7, 4), to: wall });
    expect(options.clock?.startTime).toBe(wall);
  });

  it('rejects bad values with a message naming the flag', () => {
    expect(() => parseCliArgs(['--error-rate', '2'])).toThrow(/--error-rate/);
    expect(() => parseCliArgs(['--intervals', '7m'])).toThrow(/--intervals/);
    expect(() => parseCliArgs(['--weight-clock', 'moon'])).toThrow(/--weight-clock/);
    expect(() => parseCliArgs(['--shift-to-now'])).toThrow(/--start/);
    expect(() => parseCliArgs(['--bogus'])).toThrow();
    expect(parseCliArgs(['--help']).help).toBe(true);
  });
});
