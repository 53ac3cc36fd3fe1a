import type { AppSettingsStore } from '../database';
import type { BinanceClient } from './binance-client';
import { ExchangeHaltMonitor } from './exchange-halt';

const T = Date.UTC(2024, 7, 4, 4, 0);

function setup(statuses: Record<string, string>) {
  let infoCalls = 0;
  const client = {
    exchangeInfo: async () => {
      infoCalls++;
      return {
        serverTime: T,
        requestWeightPerMinute: 6000,
        symbols: Object.entries(statuses).map(([symbol, status]) => ({ symbol, status })),
      };
    },
  } as unknown as BinanceClient;
  const stored = new Map<string, unknown>();
  const settings = {
    get: async (setting: { key: string; parse: (v: unknown) => unknown }) =>
      setting.parse(stored.get(setting.key)),
    set: async (setting: { key: string }, value: unknown) =>
      void stored.set(setting.key, JSON.parse(JSON.stringify(value))),
  } as unknown as AppSettingsStore;
  return { monitor: new ExchangeHaltMonitor(client, settings), infoCalls: () => infoCalls, statuses };
}

describe('ExchangeHaltMonitor', () => {
  it('is a halt only when exchangeInfo lists no symbol at all as TRADING; kept once, with the first "since"', async () => {
    const { monitor } = setup({ BTCUSDT: 'BREAK', ETHUSDT: 'BREAK' });
    expect(await monitor.confirm(['BTCUSDT'], T, T + 60_000)).toEqual({
      since: T,
      detectedAt: T + 60_000,
      statuses: ['BREAK'],
    });
    expect(await monitor.confirm(['BTCUSDT', 'ETHUSDT'], T + 300_000, T + 120_000)).toMatchObject({
      since: T,
    });
    expect(await monitor.current()).toMatchObject({ since: T });
    await monitor.tradingSeen();
    expect(await monitor.current()).toBeNull();
  });

  it('one symbol in BREAK while others trade (or a sync of that one series) is not a halt of the exchange', async () => {
    const { monitor } = setup({ BTCUSDT: 'BREAK', ETHUSDT: 'TRADING' });
    expect(await monitor.confirm(['BTCUSDT'], T)).toBeNull();
    expect(await monitor.current()).toBeNull();
  });

  it('asks exchangeInfo (weight 20) at most once a minute while everything is quiet', async () => {
    const { monitor, infoCalls } = setup({ BTCUSDT: 'TRADING' });
    await monitor.confirm(['BTCUSDT'], T, T);
    await monitor.confirm(['BTCUSDT'], T, T + 59_000);
    expect(infoCalls()).toBe(1);
    await monitor.confirm(['BTCUSDT'], T, T + 61_000);
    expect(infoCalls()).toBe(2);
  });
});
