import { Repository } from 'typeorm';
import { AppConfig } from '../config';
import { BinanceClient } from './binance-client';
import { ExchangeClock } from './exchange-clock';
import { MarketSymbolEntity } from './market-symbol.entity';
import { NOT_LISTED, UniverseService } from './universe.service';

const NOW = Date.UTC(2024, 7, 5, 12, 0);
const HOUR = 3_600_000;

function row(
  symbol: string,
  status: string,
  inUniverse: boolean,
  leftUniverseAt: number | null,
): MarketSymbolEntity {
  return Object.assign(new MarketSymbolEntity(), {
    symbol,
    status,
    inUniverse,
    leftUniverseAt: leftUniverseAt === null ? null : new Date(leftUniverseAt),
  });
}

function universeWith(rows: MarketSymbolEntity[]): UniverseService {
  const repository = { find: async () => rows } as unknown as Repository<MarketSymbolEntity>;
  const clock = { now: () => NOW } as unknown as ExchangeClock;
  return new UniverseService(new AppConfig(), {} as BinanceClient, repository, clock);
}

describe('UniverseService.departures', () => {
  it('names symbols not TRADING at once, and symbols out of the universe only once the grace (exchange time) has passed', async () => {
    const universe = universeWith([
      row('AAAUSDT', 'TRADING', true, null),
      row('HLTUSDT', 'HALT', true, null),
      row('BRKUSDT', 'BREAK', false, NOW - 5 * 60_000),
      row('GONUSDT', NOT_LISTED, false, NOW - 60_000),
      row('OUTUSDT', 'TRADING', false, NOW - 2 * HOUR - 1),
      row('BCKUSDT', 'TRADING', false, NOW - HOUR),
    ]);
    expect(
      await universe.departures(['AAAUSDT', 'HLTUSDT', 'BRKUSDT', 'GONUSDT', 'OUTUSDT', 'BCKUSDT'], 2 * HOUR),
    ).toEqual([
      { symbol: 'HLTUSDT', reason: 'HLTUSDT is HALT on the exchange, not TRADING' },
      { symbol: 'BRKUSDT', reason: 'BRKUSDT is BREAK on the exchange, not TRADING' },
      { symbol: 'GONUSDT', reason: 'GONUSDT is no longer listed by the exchange (delisted)' },
      {
        symbol: 'OUTUSDT',
        reason:
          'OUTUSDT left the scan universe at 2024-08-05T09:59:59.999Z and has not come back within 120 minutes',
      },
    ]);
  });

  it('asks nothing for no symbols', async () => {
    expect(await universeWith([row('HLTUSDT', 'HALT', true, null)]).departures([], HOUR)).toEqual([]);
  });
});
