import type { ReplayRequest, ScoringVersion } from '@scanner/contracts';
import { DEFAULT_ENGINE_CONFIG } from '@scanner/signal-core';
import type { DataSource } from 'typeorm';
import { parseEnv } from '../../config';
import type { CandleStore } from '../../market-data';
import { EngineConfigService } from '../engine-config.service';
import type { ScoringVersionsService } from '../scoring-versions.service';
import { ReplayService } from './replay.service';

const REQUEST: ReplayRequest = {
  symbols: ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'],
  timeframes: ['5m'],
  from: '2024-08-01T00:00:00.000Z',
  to: '2024-08-02T00:00:00.000Z',
  versionA: 1,
  versionB: 2,
};

/** The replays row as the service's SQL sees it, in memory; `onSeries` runs as each series is read. */
function harness(onSeries: (symbol: string, row: Record<string, unknown>) => void) {
  const row: Record<string, unknown> = {
    id: 7,
    status: 'queued',
    request: REQUEST,
    series_done: 0,
    series_total: 3,
    candles_read: 0,
    cancel_requested: false,
    error: null,
    result: null,
  };
  const dataSource = {
    query: async (sql: string, params: unknown[]) => {
      if (sql.includes("SET status = 'running'")) {
        if (row.status !== 'queued' || row.cancel_requested) return [];
        row.status = 'running';
        return [row];
      }
      if (sql.includes('SELECT cancel_requested')) return [{ cancel_requested: row.cancel_requested }];
      if (sql.includes('SET series_done')) {
        row.series_done = params[1];
        row.candles_read = params[2];
        return [];
      }
      if (sql.includes('SET status = $2')) {
        row.status = params[1];
        row.result = params[2];
        row.error = params[3];
        return [];
      }
      if (sql.includes('FROM signals')) return [];
      throw new Error(`unexpected SQL ${sql}`);
    },
  } as unknown as DataSource;
  const candles = {
    between: async (symbol: string) => {
      onSeries(symbol, row);
      return [];
    },
  } as unknown as CandleStore;
  const version = (id: number): ScoringVersion => ({
    id,
    config: DEFAULT_ENGINE_CONFIG as unknown as ScoringVersion['config'],
    note: '',
    active: id === 1,
    createdAt: new Date(0).toISOString(),
    activatedAt: null,
  });
  const versions = { get: async (id: number) => version(id) } as unknown as ScoringVersionsService;
  const service = new ReplayService(
    dataSource,
    candles,
    versions,
    new EngineConfigService(versions, parseEnv({})),
  );
  return { service, row };
}

describe('ReplayService.run', () => {
  it('replays every series, records progress after each and stores both sides', async () => {
    const seen: string[] = [];
    const { service, row } = harness((symbol) => seen.push(symbol));
    await service.run(7);
    expect(seen).toEqual(['AAAUSDT', 'BBBUSDT', 'CCCUSDT']);
    expect(row).toMatchObject({ status: 'done', series_done: 3, error: null });
    const result = JSON.parse(row.result as string);
    expect(result).toMatchObject({
      a: { scoringVersion: 1, signals: 0, live: null },
      b: { scoringVersion: 2, signals: 0 },
      differingTotal: 0,
    });
  });

  it('stops at the next series once a cancel is requested, and says cancelled', async () => {
    const { service, row } = harness((symbol, r) => {
      if (symbol === 'AAAUSDT') r.cancel_requested = true;
    });
    await service.run(7);
    expect(row).toMatchObject({ status: 'cancelled', series_done: 1, result: null });
  });

  it('does not start a replay cancelled while queued', async () => {
    const { service, row } = harness(() => {
      throw new Error('no series should be read');
    });
    row.cancel_requested = true;
    await service.run(7);
    expect(row.status).toBe('queued');
    expect(row.series_done).toBe(0);
  });

  it('records a failure with its message', async () => {
    const { service, row } = harness(() => {
      throw new Error('candles unreadable');
    });
    await service.run(7);
    expect(row).toMatchObject({ status: 'failed', error: 'candles unreadable' });
  });
});
