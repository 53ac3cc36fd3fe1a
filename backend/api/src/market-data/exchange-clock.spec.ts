import { Registry } from 'prom-client';
import type { AppSettingsStore } from '../database';
import type { MetricsService } from '../metrics';
import type { BinanceTransport } from './binance-transport';
import { ExchangeClock } from './exchange-clock';

function setup(answers: Array<number | Error>) {
  const host = { now: 1_000_000 };
  const requests: string[] = [];
  const transport = {
    get: async ({ path }: { path: string }) => {
      requests.push(path);
      host.now += 40; // a 40 ms round trip
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return { serverTime: next };
    },
  } as unknown as BinanceTransport;
  const shared: unknown[] = [];
  const settings = {
    set: async (_key: unknown, value: unknown) => shared.push(value),
    get: async () => null,
  } as unknown as AppSettingsStore;
  const registry = new Registry();
  const metrics = { registry, addCollector: () => undefined } as unknown as MetricsService;
  const clock = new ExchangeClock(transport, settings, metrics);
  clock.hostNow = () => host.now;
  return { clock, host, requests, shared, registry };
}

describe('ExchangeClock', () => {
  it('measures the offset from serverTime against the middle of the round trip, and exposes it as a metric', async () => {
    // Sent at 1_000_000, answered at 1_000_040: the exchange said 999_720 at the middle (1_000_020): 300 ms behind.
    const { clock, requests, shared, registry } = setup([999_720]);
    const offset = await clock.refresh();
    expect(offset).toEqual({ offsetMs: -300, measuredAt: 1_000_040, roundTripMs: 40 });
    expect(requests).toEqual(['/api/v3/time']);
    expect(clock.now(2_000_000)).toBe(1_999_700);
    expect(shared).toEqual([offset]);
    expect(await registry.metrics()).toContain('scanner_exchange_clock_offset_seconds -0.3');
  });

  it('measures at every refresh (a replay clock may run or jump far ahead of the host), concurrent refreshes sharing one request', async () => {
    const { clock, requests } = setup([1_000_020, 1_600_060]);
    const [a, b] = await Promise.all([clock.refresh(), clock.refresh()]);
    expect(a).toBe(b);
    expect(requests).toHaveLength(1);
    expect((await clock.refresh())?.offsetMs).toBe(1_600_060 - 1_000_060);
    expect(requests).toHaveLength(2);
  });

  it('keeps the last value when a measurement fails, and is the host clock before any', async () => {
    const { clock, host } = setup([new Error('ECONNREFUSED'), 1_000_520, new Error('timed out')]);
    expect(await clock.refresh()).toBeNull();
    expect(clock.now(5)).toBe(5);
    host.now += 10_000;
    await clock.refresh();
    host.now += 10_000;
    expect((await clock.refresh())?.offsetMs).toBe(-9_540);
  });
});
