import { parseCliArgs } from './cli-options';

describe('parseCliArgs', () => {
  it('maps flags to options', () => {
    const { options, help } = parseCliArgs([
      '--data',
      '/d',
      '--port',
      '9100',
      '--start',
      '2024-08-04T00:00:00Z',
      '--speed',
      '60',
      '--latency',
      '50',
      '--jitter',
      '10',
      '--error-rate',
      '0.05',
      '--error-kinds',
      'busy,bad-gateway',
      '--seed',
      '3',
      '--symbols',
      'BTCUSDT,ETHUSDT',
      '--intervals',
      '5m,1h',
      '--synthetic-symbols',
      '400',
      '--universe-test-symbols',
      '--weight-limit',
      '1200',
      '--weight-clock',
      'virtual',
    ]);
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
      faults: {
        seed: 3,
        latencyMs: 50,
        jitterMs: 10,
        errorRate: 0.05,
        errorKinds: ['busy', 'bad-gateway'],
        hangMs: null,
      },
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

  it('maps the market-fault flags to fault settings in exchange time', () => {
    const { options } = parseCliArgs([
      '--hole',
      'BTCUSDT:5m@2024-08-04T02:00:00Z/2024-08-04T03:00:00Z',
      '--hole',
      '*@1722738600000/1722740400000',
      '--halt',
      '2024-08-04T04:00:00Z/2024-08-04T04:30:00Z,HALT',
      '--delist',
      'ETHUSDT@2024-08-04T05:00:00Z',
      '--symbol-halt',
      'SOLUSDT@2024-08-04T05:00:00Z/2024-08-04T06:00:00Z,BREAK',
      '--clock-offset=-300',
    ]);
    expect(options.faults).toMatchObject({
      holes: [
        { symbol: 'BTCUSDT', interval: '5m', from: Date.UTC(2024, 7, 4, 2), to: Date.UTC(2024, 7, 4, 3) },
        { from: 1722738600000, to: 1722740400000 },
      ],
      halts: [{ from: Date.UTC(2024, 7, 4, 4), to: Date.UTC(2024, 7, 4, 4, 30), status: 'HALT' }],
      symbolEvents: [
        { symbol: 'ETHUSDT', at: Date.UTC(2024, 7, 4, 5), status: 'DELISTED' },
        { symbol: 'SOLUSDT', at: Date.UTC(2024, 7, 4, 5), until: Date.UTC(2024, 7, 4, 6), status: 'BREAK' },
      ],
      clockOffsetMs: -300,
    });
    expect(options.faults?.holes?.[1]).not.toHaveProperty('symbol');
  });

  it('maps the stream flags', () => {
    const { options } = parseCliArgs([
      '--ws-port',
      '9101',
      '--ws-lifetime-notice',
      '60000',
      '--ws-stall',
      'btcusdt@kline_1m@2024-08-04T02:00:00Z/2024-08-04T02:01:00Z',
      '--ws-skip-final',
      'btcusdt@kline_5m@2024-08-04T02:05:00Z',
      '--ws-drop-at',
      '2024-08-04T02:10:00Z',
    ]);
    expect(options.streams).toEqual({ port: 9101, lifetimeNoticeMs: 60000 });
    expect(options.faults).toMatchObject({
      streamStalls: [
        { stream: 'btcusdt@kline_1m', from: Date.UTC(2024, 7, 4, 2), to: Date.UTC(2024, 7, 4, 2, 1) },
      ],
      skippedFinals: [{ stream: 'btcusdt@kline_5m', openTime: Date.UTC(2024, 7, 4, 2, 5) }],
      connectionDrops: [{ at: Date.UTC(2024, 7, 4, 2, 10) }],
    });
  });

  it('rejects malformed fault flags with a message naming the flag', () => {
    expect(() => parseCliArgs(['--hole', 'BTCUSDT:7m@1/2'])).toThrow(/--hole/);
    expect(() => parseCliArgs(['--hole', 'BTCUSDT@2/1'])).toThrow(/--hole: the period ends before it starts/);
    expect(() => parseCliArgs(['--halt', '1/2,CLOSED'])).toThrow(/--halt: status/);
    expect(() => parseCliArgs(['--delist', 'ETHUSDT'])).toThrow(/--delist/);
    expect(() => parseCliArgs(['--ws-stall', 'BTCUSDT@kline_1m@1'])).toThrow(/--ws-stall/);
    expect(() => parseCliArgs(['--ws-drop-at', 'soon'])).toThrow(/--ws-drop-at/);
    expect(() => parseCliArgs(['--clock-offset=abc'])).toThrow(/--clock-offset/);
  });
});
